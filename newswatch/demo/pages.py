"""The HTML pages of a demo publisher: article pages (JSON-LD, meta tag or dateline only;
video and JavaScript-only variants), the listing, the about and error pages, with the usual
chrome around the `<article>`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from newswatch.demo.model import (
    _CHROME,
    ABOUT_PATH,
    CATEGORY_PREFIX,
    FEED_TYPES,
    LISTING_PATH,
    SiteArticle,
    _Entry,
    _h,
    _json_script,
    _newest_first,
    format_dateline,
)

_SECTIONS = {
    "en": {"world": "World", "politics": "Politics", "business": "Business", "national": "UK"},
    "id": {"world": "Dunia", "politics": "Politik", "business": "Ekonomi", "national": "Nasional"},
    "de": {
        "world": "Ausland",
        "politics": "Politik",
        "business": "Wirtschaft",
        "national": "Inland",
    },
    "ru": {
        "world": "В мире",
        "politics": "Политика",
        "business": "Экономика",
        "national": "Россия",
    },
    "ar": {"world": "العالم", "politics": "سياسة", "business": "اقتصاد", "national": "محليات"},
}


_RTL = {"ar", "fa", "he", "ur"}


def _chrome(language: str) -> dict[str, str]:
    return _CHROME.get(language, _CHROME["en"])


def _section_label(section: str, language: str) -> str:
    labels = _SECTIONS.get(language, _SECTIONS["en"])
    return labels.get(section, section.replace("-", " ").title())


@lru_cache(maxsize=4)
def _filler(size: int) -> str:
    """At least `size` characters of the bulk a heavy page carries after its article.

    A few hundred ad tiles, then an inline JSON state blob: the shape of a real 10 MB news
    page (hydration data, tracking config), with almost no prose.
    """
    if size <= 0:
        return ""
    tile = (
        '<div class="promo-tile" data-slot="{0}"><a href="/promo/{0}" rel="sponsored">'
        '<img src="/static/promo/{0}.jpg" alt="" width="300" height="250"></a>'
        '<span class="ad-label">Ad</span></div>\n'
    )
    tiles = "".join(tile.format(i) for i in range(300))
    record = '{{"id":{0},"slot":"rail-{0}","kind":"teaser","score":0.{0:06d},"seen":false}},'
    head = f'<section class="promo-grid" aria-hidden="true">\n{tiles}</section>\n'
    head += '<script type="application/json" id="page-state">{"items":['
    parts = [head]
    total = len(head)
    i = 0
    while total < size:
        piece = "".join(record.format(n) for n in range(i, i + 1000))
        parts.append(piece)
        total += len(piece)
        i += 1000
    parts.append('{"id":-1}]}</script>')
    return "".join(parts)


class Pages:
    """The HTML pages of a publisher (mixed into `Publisher`, whose fields they read)."""

    def _sections(self, entries: Iterable[_Entry]) -> list[str]:
        found = {e.section for e in entries}
        return sorted(found | {"world", "business"})

    def _page(
        self,
        *,
        language: str,
        title: str,
        head: str,
        main: str,
        sections: list[str],
        body_class: str,
        charset: str = "utf-8",
    ) -> str:
        c = _chrome(language)
        nav = [f'<li><a href="/">{_h(c["home"])}</a></li>']
        if self.listing:
            nav.append(f'<li><a href="{LISTING_PATH}">{_h(c["latest"])}</a></li>')
        nav += [
            f'<li><a href="{CATEGORY_PREFIX}{_h(s)}">{_h(_section_label(s, language))}</a></li>'
            for s in sections
        ]
        nav.append(f'<li><a href="{ABOUT_PATH}">{_h(c["about"])}</a></li>')
        feed = (
            f'<link rel="alternate" type="{FEED_TYPES[self.feed_kind].split(";")[0]}"'
            f' title="{_h(self.display_name)}" href="{self.feed_path}">'
            if self.feed_kind
            else ""
        )
        direction = ' dir="rtl"' if language in _RTL else ""
        name = _h(self.display_name)
        return f"""<!DOCTYPE html>
<html lang="{_h(language)}"{direction}>
<head>
<meta charset="{_h(charset)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_h(title)}</title>
{feed}
{head}
<link rel="stylesheet" href="/static/site.css">
<script async src="/static/analytics.js"></script>
</head>
<body class="{body_class}">
<div class="cookie-banner" role="dialog" aria-live="polite">
<p>{_h(c["cookie"])}</p>
<button type="button" class="accept">{_h(c["accept"])}</button>
<button type="button" class="manage">{_h(c["manage"])}</button>
</div>
<header class="site-header">
<a class="logo" href="/">{name}</a>
<p class="tagline">{_h(self.tagline)}</p>
<nav class="main-nav" aria-label="main"><ul>
{"".join(nav)}
</ul></nav>
</header>
<main id="content">
{main}
</main>
<footer class="site-footer">
<p>&copy; {name}. {_h(c["footer"])}</p>
<ul class="footer-links">
<li><a href="{ABOUT_PATH}">{_h(c["about"])}</a></li>
<li><a href="/privacy.html">Privacy</a></li>
<li><a href="/contact.html">Contact</a></li>
</ul>
</footer>
</body>
</html>
"""

    def render_article(
        self,
        article: SiteArticle,
        base_url: str,
        related: list[_Entry],
        sections: list[str],
    ) -> str:
        """The article page as text (the caller encodes it in `article.charset`)."""
        if article.kind == "video":
            return self._video_page(article, related, sections)
        if self.render_js:
            return self._js_shell(article, sections)
        lang = article.language
        c = _chrome(lang)
        own_path = self.path_for(article)
        canonical = article.canonical or own_path
        if not canonical.startswith(("http://", "https://")):
            canonical = base_url + canonical
        published = self.local(article.published_at)
        modified = self.local(article.modified_at or article.published_at)
        head = [
            f'<meta name="description" content="{_h(article.teaser)}">',
            f'<link rel="canonical" href="{_h(canonical)}">',
        ]
        if article.date_markup == "jsonld":
            ld: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
                "headline": article.title,
                "description": article.teaser,
                "inLanguage": lang,
                "datePublished": published.isoformat(),
                "dateModified": modified.isoformat(),
                "author": [{"@type": "Person", "name": a} for a in article.authors]
                or {"@type": "Organization", "name": self.display_name},
                "publisher": {"@type": "Organization", "name": self.display_name},
                "articleSection": _section_label(article.section, lang),
            }
            head += [
                '<meta property="og:type" content="article">',
                f'<meta property="og:title" content="{_h(article.title)}">',
                f'<meta property="og:description" content="{_h(article.teaser)}">',
                f'<meta property="og:url" content="{_h(canonical)}">',
                f'<meta property="og:site_name" content="{_h(self.display_name)}">',
                f'<script type="application/ld+json">{_json_script(ld)}</script>',
            ]
        elif article.date_markup == "meta":
            head += [
                f'<meta property="og:title" content="{_h(article.title)}">',
                f'<meta property="article:published_time" content="{published.isoformat()}">',
            ]
            head += [f'<meta name="author" content="{_h(a)}">' for a in article.authors]
        dateline = article.dateline_text or format_dateline(
            article.published_at, lang, self.timezone
        )
        byline = (
            f'<p class="byline">{_h(c["by"])} {_h(", ".join(article.authors))}</p>'
            if article.authors
            else ""
        )
        others = [e for e in related if e.path != (article.link_path or own_path)][:4]
        paragraphs = [f"<p>{_h(p)}</p>" for p in article.paragraphs]
        if self.layout == 1 and others and len(paragraphs) > 2:
            also = (
                f'<div class="inline-related"><strong>{_h(c["also"])}:</strong> '
                f'<a href="{_h(others[0].path)}">{_h(others[0].title)}</a></div>'
            )
            paragraphs.insert(2, also)
        related_box = "".join(f'<li><a href="{_h(e.path)}">{_h(e.title)}</a></li>' for e in others)
        section = _section_label(article.section, lang)
        share = (
            f'<div class="share"><span>{_h(c["share"])}</span> '
            '<a href="#share-mail">Email</a> <a href="#share-copy">Link</a></div>'
        )
        if self.layout == 1:
            story = f"""<div class="story-wrapper">
<article class="story">
<h1 class="story__title">{_h(article.title)}</h1>
<div class="story__meta">{byline}<p class="dateline">{_h(dateline)}</p></div>
<section class="story__content">
{chr(10).join(paragraphs)}
</section>
{share}
</article>
<aside class="sidebar related"><h2>{_h(c["related"])}</h2><ul>{related_box}</ul></aside>
</div>"""
        else:
            story = f"""<nav class="breadcrumb"><a href="/">{_h(c["home"])}</a> &rsaquo;
<a href="{CATEGORY_PREFIX}{_h(article.section)}">{_h(section)}</a></nav>
<article class="article">
<header class="article-header">
<h1>{_h(article.title)}</h1>
{byline}
<p class="dateline">{_h(dateline)}</p>
</header>
<div class="article-body">
{chr(10).join(paragraphs)}
</div>
{share}
</article>
<aside class="related"><h2>{_h(c["related"])}</h2><ul>{related_box}</ul></aside>"""
        main = f"""{story}
{article.extra_html}
<section class="newsletter">
<h2>{_h(c["newsletter"])}</h2>
<form action="/newsletter" method="post"><input type="email" name="email">
<button type="submit">{_h(c["subscribe"])}</button></form>
</section>
{_filler(article.padding)}"""
        return self._page(
            language=lang,
            title=f"{article.title} | {self.display_name}",
            head="\n".join(head),
            main=main,
            sections=sections,
            body_class=f"article-page section-{article.section}",
            charset=article.charset,
        )

    def _video_page(self, article: SiteArticle, related: list[_Entry], sections: list[str]) -> str:
        c = _chrome(article.language)
        others = [e for e in related if e.kind == "article"][:4]
        links = "".join(f'<li><a href="{_h(e.path)}">{_h(e.title)}</a></li>' for e in others)
        main = f"""<div class="video-page">
<h1>{_h(c["video"])}: {_h(article.title)}</h1>
<div class="player"><video controls preload="none" poster="/media/{_h(article.slug)}.jpg">
<source src="/media/{_h(article.slug)}.mp4" type="video/mp4"></video></div>
<p class="caption">{_h(" ".join(article.paragraphs))}</p>
</div>
<aside class="related"><h2>{_h(c["related"])}</h2><ul>{links}</ul></aside>"""
        return self._page(
            language=article.language,
            title=f"{c['video']}: {article.title} | {self.display_name}",
            head=f'<meta property="og:type" content="video.other">'
            f'<meta property="og:title" content="{_h(article.title)}">',
            main=main,
            sections=sections,
            body_class="video-page",
            charset=article.charset,
        )

    def _js_shell(self, article: SiteArticle, sections: list[str]) -> str:
        api = f"/api/article/{_h(article.slug)}.json"
        script = f"""<script>
(function () {{
  var app = document.getElementById("app");
  fetch("{api}").then(function (r) {{ return r.json(); }}).then(function (a) {{
    document.title = a.title + " | " + a.site;
    var art = document.createElement("article");
    var h1 = document.createElement("h1");
    h1.textContent = a.title;
    art.appendChild(h1);
    var by = document.createElement("p");
    by.className = "byline";
    by.textContent = a.byline;
    art.appendChild(by);
    var t = document.createElement("time");
    t.setAttribute("datetime", a.datePublished);
    t.textContent = a.dateline;
    art.appendChild(t);
    a.paragraphs.forEach(function (text) {{
      var p = document.createElement("p");
      p.textContent = text;
      art.appendChild(p);
    }});
    app.replaceChildren(art);
  }});
}})();
</script>"""
        main = (
            '<div id="app"><div class="spinner">Loading&hellip;</div>'
            "<noscript>Please enable JavaScript to read this site.</noscript></div>"
            f"\n{script}"
        )
        return self._page(
            language=article.language,
            title=self.display_name,
            head="",
            main=main,
            sections=sections,
            body_class="app",
        )

    def render_article_json(self, article: SiteArticle) -> bytes:
        """The API document a render_js article page loads."""
        c = _chrome(article.language)
        doc = {
            "site": self.display_name,
            "title": article.title,
            "byline": f"{c['by']} {', '.join(article.authors)}" if article.authors else "",
            "datePublished": self.local(article.published_at).isoformat(),
            "dateline": article.dateline_text
            or format_dateline(article.published_at, article.language, self.timezone),
            "paragraphs": article.paragraphs,
        }
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")

    def render_listing(
        self, entries: list[_Entry], *, heading: str, language: str | None = None
    ) -> str:
        """A listing page: article links first, then videos and other sections."""
        lang = language or self.language
        c = _chrome(lang)
        ordered = sorted(entries, key=_newest_first)
        stories = [
            f'<li class="teaser"><h3><a href="{_h(e.path)}">{_h(e.title)}</a></h3>'
            f"<p>{_h(e.summary)}</p>"
            f'<a class="more" href="{_h(e.path)}">{_h(c["more"])}</a></li>'
            for e in ordered
            if e.kind != "video"
        ]
        videos = [
            f'<li><a href="{_h(e.path)}">{_h(c["video"])}: {_h(e.title)}</a></li>'
            for e in ordered
            if e.kind == "video"
        ]
        sections = self._sections(entries)
        more = [
            f'<li><a href="{CATEGORY_PREFIX}{_h(s)}">{_h(_section_label(s, lang))}</a></li>'
            for s in sections
        ]
        main = f"""<h1>{_h(heading)}</h1>
<ul class="stream">
{chr(10).join(stories)}
</ul>
<section class="videos"><h2>{_h(c["video"])}</h2><ul>{"".join(videos)}</ul></section>
<section class="sections"><ul>{"".join(more)}</ul></section>
<p class="about-link"><a href="{ABOUT_PATH}">{_h(c["about"])}</a></p>"""
        return self._page(
            language=lang,
            title=f"{heading} | {self.display_name}",
            head="",
            main=main,
            sections=sections,
            body_class="listing-page",
        )

    def render_about(self, sections: list[str]) -> str:
        c = _chrome(self.language)
        main = (
            f'<div class="static-page"><h1>{_h(c["about"])}</h1>'
            f"<p>{_h(self.display_name)} &middot; {_h(self.tagline)}</p>"
            '<p><a href="/contact.html">Contact</a></p></div>'
        )
        return self._page(
            language=self.language,
            title=f"{c['about']} | {self.display_name}",
            head="",
            main=main,
            sections=sections,
            body_class="static-page",
        )

    def render_error(self, status: int, sections: list[str]) -> str:
        c = _chrome(self.language)
        text = c["not_found"] if status == 404 else c["error"]
        return self._page(
            language=self.language,
            title=f"{status} | {self.display_name}",
            head='<meta name="robots" content="noindex">',
            main=f'<div class="error-page"><h1>{status}</h1><p>{_h(text)}</p></div>',
            sections=sections,
            body_class="error-page",
        )
