"""A publisher of the demo news site: its articles, its feed (RSS 2.0, RSS 1.0/RDF or Atom),
news sitemap and robots.txt, and (from `pages`) its HTML pages. `newswatch.demo.site`
serves them."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from newswatch.demo.model import (
    FEED_PATHS,
    NEWS_SITEMAP_GZ_PATH,
    SITEMAP_PATH,
    FeedKind,
    SiteArticle,
    SitemapKind,
    _Entry,
    _newest_first,
    _rfc822,
    _x,
)
from newswatch.demo.pages import Pages, _section_label


@dataclass(frozen=True)
class Publisher(Pages):
    """One news outlet: its formats, its URL layout and its robots.txt.

    `article_path` is a template with {yyyy} {mm} {dd} (publication date in the publisher's
    timezone), {slug} and {id} (a stable 7-digit number derived from the slug). `layout`
    (0 or 1) switches between two page templates so outlets differ in markup too.
    `extra_feeds` are further feed paths to list in the config (serve them with add_route).
    With `render_js`, article pages are an empty shell that JavaScript fills from
    /api/article/{slug}.json.
    """

    name: str
    language: str
    timezone: str
    feed_kind: FeedKind | None = "rss2"
    sitemap: SitemapKind | None = None
    listing: bool = False
    article_path: str = "/news/{yyyy}/{mm}/{dd}/{slug}.html"
    title: str = ""
    tagline: str = ""
    article_pattern: str | None = None
    disallow: tuple[str, ...] = ()
    extra_feeds: tuple[str, ...] = ()
    render_js: bool = False
    layout: int = 0

    def __post_init__(self) -> None:
        if self.feed_kind not in (None, *FEED_PATHS):
            raise ValueError(f"{self.name}: unknown feed_kind {self.feed_kind!r}")
        if self.sitemap not in (None, "news", "index_gz"):
            raise ValueError(f"{self.name}: unknown sitemap {self.sitemap!r}")
        ZoneInfo(self.timezone)

    @property
    def display_name(self) -> str:
        return self.title or self.name.replace("-", " ").title()

    @property
    def feed_path(self) -> str | None:
        return FEED_PATHS[self.feed_kind] if self.feed_kind else None

    @property
    def feed_paths(self) -> list[str]:
        first = [self.feed_path] if self.feed_path else []
        return first + list(self.extra_feeds)

    def path_for(self, article: SiteArticle) -> str:
        if article.path:
            return article.path
        local = article.published_at.astimezone(ZoneInfo(self.timezone))
        number = zlib.crc32(f"{self.name}/{article.slug}".encode()) % 9_000_000 + 1_000_000
        return self.article_path.format(
            yyyy=f"{local.year:04d}",
            mm=f"{local.month:02d}",
            dd=f"{local.day:02d}",
            slug=article.slug,
            id=number,
        )

    def local(self, when: datetime) -> datetime:
        return when.astimezone(ZoneInfo(self.timezone))

    def render_robots(self, base_url: str) -> bytes:
        lines = ["User-agent: *"]
        lines += [f"Disallow: {p}" for p in self.disallow] or ["Disallow:"]
        if self.sitemap:
            lines += ["", f"Sitemap: {base_url}{SITEMAP_PATH}"]
        return ("\n".join(lines) + "\n").encode()

    def render_feed(self, entries: list[_Entry], base_url: str) -> bytes:
        """The publisher's feed in its format, newest item first."""
        items = sorted((e for e in entries if e.in_feed), key=_newest_first)
        if self.feed_kind == "rss2":
            text = self._rss2(items, base_url)
        elif self.feed_kind == "rss1":
            text = self._rss1(items, base_url)
        elif self.feed_kind == "atom":
            text = self._atom(items, base_url)
        else:
            raise ValueError(f"{self.name} has no feed")
        return text.encode("utf-8")

    def _rss2(self, items: list[_Entry], base: str) -> str:
        updated = items[0].published_at if items else datetime(2000, 1, 1, tzinfo=UTC)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:atom="http://www.w3.org/2005/Atom">',
            "<channel>",
            f"<title>{_x(self.display_name)}</title>",
            f"<link>{_x(base)}/</link>",
            f"<description>{_x(self.tagline or self.display_name)}</description>",
            f"<language>{_x(self.language)}</language>",
            f"<lastBuildDate>{_rfc822(self.local(updated))}</lastBuildDate>",
            f'<atom:link href="{_x(base + (self.feed_path or ""))}" rel="self"'
            ' type="application/rss+xml"/>',
        ]
        for e in items:
            url = base + e.path
            out += [
                "<item>",
                f"<title>{_x(e.title)}</title>",
                f"<link>{_x(url)}</link>",
                f'<guid isPermaLink="true">{_x(url)}</guid>',
                f"<pubDate>{_rfc822(self.local(e.published_at))}</pubDate>",
                *(f"<dc:creator>{_x(a)}</dc:creator>" for a in e.authors),
                f"<category>{_x(_section_label(e.section, self.language))}</category>",
                f"<description>{_x(e.summary)}</description>",
                "</item>",
            ]
        out += ["</channel>", "</rss>", ""]
        return "\n".join(out)

    def _rss1(self, items: list[_Entry], base: str) -> str:
        feed_url = base + (self.feed_path or "")
        updated = items[0].published_at if items else datetime(2000, 1, 1, tzinfo=UTC)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
            f'<channel rdf:about="{_x(feed_url)}">',
            f"<title>{_x(self.display_name)}</title>",
            f"<link>{_x(base)}/</link>",
            f"<description>{_x(self.tagline or self.display_name)}</description>",
            f"<dc:language>{_x(self.language)}</dc:language>",
            f"<dc:date>{self.local(updated).isoformat()}</dc:date>",
            "<items>",
            "<rdf:Seq>",
            *(f'<rdf:li rdf:resource="{_x(base + e.path)}"/>' for e in items),
            "</rdf:Seq>",
            "</items>",
            "</channel>",
        ]
        for e in items:
            url = base + e.path
            out += [
                f'<item rdf:about="{_x(url)}">',
                f"<title>{_x(e.title)}</title>",
                f"<link>{_x(url)}</link>",
                f"<description>{_x(e.summary)}</description>",
                f"<dc:date>{self.local(e.published_at).isoformat()}</dc:date>",
                *(f"<dc:creator>{_x(a)}</dc:creator>" for a in e.authors),
                f"<dc:subject>{_x(_section_label(e.section, self.language))}</dc:subject>",
                "</item>",
            ]
        out += ["</rdf:RDF>", ""]
        return "\n".join(out)

    def _atom(self, items: list[_Entry], base: str) -> str:
        updated = max((e.modified_at for e in items), default=datetime(2000, 1, 1, tzinfo=UTC))
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_x(self.language)}">',
            f"<id>{_x(base)}/</id>",
            f"<title>{_x(self.display_name)}</title>",
            f"<subtitle>{_x(self.tagline or self.display_name)}</subtitle>",
            f"<updated>{self.local(updated).isoformat()}</updated>",
            f'<link rel="self" type="application/atom+xml" href="{_x(base)}{self.feed_path}"/>',
            f'<link rel="alternate" type="text/html" href="{_x(base)}/"/>',
            f"<author><name>{_x(self.display_name)}</name></author>",
        ]
        for e in items:
            url = base + e.path
            out += [
                "<entry>",
                f"<id>{_x(url)}</id>",
                f"<title>{_x(e.title)}</title>",
                f'<link rel="alternate" type="text/html" href="{_x(url)}"/>',
                f"<published>{self.local(e.published_at).isoformat()}</published>",
                f"<updated>{self.local(e.modified_at).isoformat()}</updated>",
                *(f"<author><name>{_x(a)}</name></author>" for a in e.authors),
                f'<category term="{_x(e.section)}"/>',
                f"<summary>{_x(e.summary)}</summary>",
                "</entry>",
            ]
        out += ["</feed>", ""]
        return "\n".join(out)

    def render_news_sitemap(self, entries: list[_Entry], base_url: str) -> bytes:
        items = sorted((e for e in entries if e.in_feed), key=_newest_first)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
        ]
        for e in items:
            out += [
                "<url>",
                f"<loc>{_x(base_url + e.path)}</loc>",
                f"<lastmod>{self.local(e.modified_at).isoformat()}</lastmod>",
                "<news:news>",
                "<news:publication>",
                f"<news:name>{_x(self.display_name)}</news:name>",
                f"<news:language>{_x(e.language)}</news:language>",
                "</news:publication>",
                f"<news:publication_date>{self.local(e.published_at).isoformat()}"
                "</news:publication_date>",
                f"<news:title>{_x(e.title)}</news:title>",
                "</news:news>",
                "</url>",
            ]
        out += ["</urlset>", ""]
        return "\n".join(out).encode("utf-8")

    def render_sitemap_index(self, entries: list[_Entry], base_url: str) -> bytes:
        dates = [e.modified_at for e in entries if e.in_feed]
        lastmod = self.local(max(dates, default=datetime(2000, 1, 1, tzinfo=UTC)))
        return "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                "<sitemap>",
                f"<loc>{_x(base_url + NEWS_SITEMAP_GZ_PATH)}</loc>",
                f"<lastmod>{lastmod.isoformat()}</lastmod>",
                "</sitemap>",
                "</sitemapindex>",
                "",
            ]
        ).encode("utf-8")
