"""HTML page -> article fields.

Combines three sources, cheapest first: JSON-LD / OpenGraph / meta tags (publisher-declared
metadata: title, authors, dates, canonical URL, language), trafilatura (the main text), and
htmldate (a date when the page declares none). The page is parsed once with lxml and the
tree is shared. Pure: no Scrapy, no I/O, safe to run in a worker process.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree
from trafilatura.settings import MANUALLY_CLEANED

from newswatch.crawler.extraction.headline import headline_candidates, pick_headline

# Dates: candidates are gathered in extraction/dates.py (re-exported here for callers).
from newswatch.dates import DateCandidate, gather_date_candidates
from newswatch.dedupe import Fingerprint

# Pages bigger than this are cut before parsing: the article is at the top, the rest is
# comments, feeds of related links or filler, and parsing it costs memory and time.
MAX_HTML_CHARS = 3_000_000
MIN_WORDS = 40  # a page that declares itself an article
MIN_WORDS_UNDECLARED = 80  # a page that does not
ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "blogposting", "reviewnewsarticle",
    "report", "liveblogposting", "scholarlyarticle", "techarticle", "socialmediaposting",
}  # fmt: skip
NON_ARTICLE_TYPES = {"videoobject", "video.other", "video.movie", "video.episode", "website",
                     "collectionpage", "itemlist", "profile", "product"}  # fmt: skip

_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "byl", "cxenseparse:author")  # fmt: skip


@dataclass
class Extracted:
    title: str = ""
    body: str = ""
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    canonical_url: str | None = None
    page_type: str | None = None
    dates: list[DateCandidate] = field(default_factory=list)
    not_article: str | None = None  # why this page is not an article, if it is not
    truncated: bool = False
    # statements of `body` found in the extraction worker, with the language they were
    # read in: (language, len(body), records); the statements stage uses them if it would
    # read the same body in the same language
    statements: tuple[str | None, int, list[dict[str, Any]]] | None = None
    # the near-copy fingerprint of `body` (`newswatch.dedupe.fingerprint`), computed in the
    # extraction worker too: (len(body), fingerprint); dedupe uses it for the same body
    fingerprint: tuple[int, Fingerprint] | None = None

    @property
    def is_article(self) -> bool:
        return self.not_article is None

    @property
    def quality(self) -> str | None:
        """None for an article; else the flag a page kept anyway carries (a feed listed it):
        `thin` (a body too short for an article), `no_body` or `not_article` (its type says
        so: a video, a gallery, a section front; or it has no headline)."""
        if self.not_article is None:
            return None
        if self.not_article.startswith("body too short"):
            return "thin"
        if self.not_article in ("no body", "unparsable"):
            return "no_body"
        return "not_article"


def extract_article(html: str | bytes, url: str) -> Extracted:
    """Extract one page. Never raises on bad HTML: an unusable page comes back with
    `not_article` saying why."""
    out = Extracted()
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    if len(html) > MAX_HTML_CHARS:
        html, out.truncated = html[:MAX_HTML_CHARS], True
    tree = _parse(html)
    if tree is None:
        out.not_article = "unparsable"
        return out

    jsonld = _jsonld_objects(tree)
    article_ld = next((o for o in jsonld if _types(o) & ARTICLE_TYPES), None)
    meta = _meta(tree)
    out.page_type = _page_type(jsonld, meta)
    out.canonical_url = _canonical(tree, url, meta)
    out.language = _language(tree, article_ld, meta)
    out.title = pick_headline(tree, article_ld, meta, url)
    out.authors = _authors(article_ld, meta)
    out.dates = _date_candidates(tree, article_ld, meta, out.canonical_url or url)
    if not any(c.source in ("jsonld", "meta", "time") for c in out.dates):
        found = _htmldate(tree, url)
        if found:
            out.dates.append(DateCandidate("htmldate", found))

    # Last use of the tree: the body extraction may take the page's chrome out of it.
    out.body = _body(tree, url, article_ld, html)
    words = _word_count(out.body)
    declared = article_ld is not None or (out.page_type or "") == "article"
    if out.page_type in NON_ARTICLE_TYPES and words < MIN_WORDS_UNDECLARED:
        out.not_article = f"page type {out.page_type}"
    elif not out.body:
        out.not_article = "no body"
    elif words < (MIN_WORDS if declared else MIN_WORDS_UNDECLARED):
        out.not_article = f"body too short ({words} words)"
    elif not out.title:
        out.not_article = "no title"
    return out


def headline_report(html: str, url: str) -> list[tuple[str, str, str]]:
    """The page's declared headlines and what newswatch makes of each (`newswatch explain`)."""
    tree = _parse(html)
    if tree is None:
        return []
    jsonld = _jsonld_objects(tree)
    article_ld = next((o for o in jsonld if _types(o) & ARTICLE_TYPES), None)
    return headline_candidates(tree, article_ld, _meta(tree), url)


_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def _parse(html: str) -> Any:
    # lxml refuses str input that carries an XML encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1)
    if not html.strip():
        return None
    try:
        parser = lxml.html.HTMLParser(remove_comments=True, huge_tree=False)
        # Every element is a plain HtmlElement, looked up in C: lxml.html's own lookup calls
        # Python for each element object made (trafilatura makes millions), only to give form
        # controls classes that neither we nor trafilatura or htmldate use.
        parser.set_element_class_lookup(_HTML_CLASSES)
        tree = lxml.html.fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return tree if tree is not None else None


def _text(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def _jsonld_objects(tree: Any) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip()
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw)
        except RecursionError:  # nested deeper than Python's parser goes: not metadata
            continue
        except ValueError:
            try:  # common breakage: raw newlines or trailing commas
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " ")))
            except (ValueError, RecursionError):
                continue
        stack = [data]
        while stack and len(objects) < 200:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                objects.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
                main = item.get("mainEntity")
                if isinstance(main, dict | list):
                    stack.append(main)
    return objects


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values if v}


def _meta(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    for el in tree.xpath("//*[@itemprop][not(self::meta)]"):
        prop = el.get("itemprop", "").lower()
        if prop in ("datepublished", "datemodified", "datecreated"):
            value = el.get("datetime") or el.get("content") or _text(el.text_content())
            if value:
                found.setdefault(prop, value)
    return found


def _page_type(jsonld: list[dict[str, Any]], meta: dict[str, str]) -> str | None:
    for obj in jsonld:
        types = _types(obj)
        if types & ARTICLE_TYPES:
            return "article"
    for obj in jsonld:
        types = _types(obj) & NON_ARTICLE_TYPES
        if types:
            return sorted(types)[0]
    og = meta.get("og:type", "").lower()
    return og or None


def _canonical(tree: Any, url: str, meta: dict[str, str]) -> str | None:
    for href in tree.xpath(
        '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'
    ):  # noqa: E501
        if href.strip():
            return _join(url, href.strip())
    if meta.get("og:url"):
        return _join(url, meta["og:url"])
    return None


def _join(base: str, href: str) -> str | None:
    """An absolute URL, or None for a link no URL can be made of ("http://[::1")."""
    try:
        joined = urljoin(base, href)
        _ = urlsplit(joined).port
    except ValueError:
        return None
    return joined


def _language(tree: Any, article_ld: dict[str, Any] | None, meta: dict[str, str]) -> str | None:
    candidates = [
        article_ld.get("inLanguage") if article_ld else None,
        tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("og:locale"),
        meta.get("content-language"),
        meta.get("language"),
    ]
    for value in candidates:
        if isinstance(value, dict):
            value = value.get("name") or value.get("alternateName")
        code = re.split(r"[-_,;\s]", str(value or "").strip().lower())[0]
        if 2 <= len(code) <= 3 and code.isalpha():
            return code
    return None


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    text = _text(value)
    if not text or text.startswith(("http://", "https://")) or len(text) > 100:
        return []
    return [part.strip() for part in re.split(r"\s*(?:,|;|\band\b|&|\bund\b|\bdan\b)\s*", text)
            if part.strip()]  # fmt: skip


def _authors(article_ld: dict[str, Any] | None, meta: dict[str, str]) -> list[str]:
    names = _names(article_ld.get("author")) if article_ld else []
    if not names:
        for key in _AUTHOR_META:
            names = _names(meta.get(key))
            if names:
                break
    names = [re.sub(r"^(by|von|oleh|par|por|автор)\s+", "", n, flags=re.I) for n in names]
    return list(dict.fromkeys(n for n in names if n))


def _date_candidates(
    tree: Any, article_ld: dict[str, Any] | None, meta: dict[str, str], url: str
) -> list[DateCandidate]:
    # Every JSON-LD object is read for dates only when there is no article object.
    jsonld = _jsonld_objects(tree) if article_ld is None else ()
    return gather_date_candidates(tree, article_ld, meta, url, jsonld)


def _htmldate(tree: Any, url: str) -> str | None:
    try:
        found = find_date(
            tree,
            url=url,
            original_date=True,  # else htmldate prefers the modification date
            extensive_search=True,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
        )
    except (ValueError, TypeError, etree.LxmlError):
        return None
    # htmldate writes midnight when it found a day without a time.
    return found[:10] if found and found.endswith("T00:00:00") else found


def _body(tree: Any, url: str, article_ld: dict[str, Any] | None, html: str) -> str:
    # First pass: trafilatura's precision mode (stricter link-density pruning: fewer share
    # bars, "read more" lists, reprint notices) without its readability/jusText comparison
    # (`fast`), which costs a third of the time and mostly adds boilerplate back. A page where
    # that keeps too little to be an article gets the full default cascade, which wins if it
    # finds more. Tables stay in: some articles are mostly a table (standings, results).
    _drop_chrome(tree)
    text = _trafilatura_text(tree, url, precise=True)
    if _word_count(text) < MIN_WORDS_UNDECLARED:
        # The cascade's readability, jusText and baseline passes read the whole page, chrome
        # included: they get it parsed afresh (this happens on few pages).
        whole = _parse(html)
        wider = _trafilatura_text(whole if whole is not None else tree, url, precise=False)
        if _word_count(wider) > _word_count(text):
            text = wider
    declared = article_ld.get("articleBody") if article_ld else None
    if isinstance(declared, str):
        declared = declared.strip()
        # A publisher's own articleBody wins when trafilatura found much less of it.
        if _word_count(declared) > 1.5 * _word_count(text) + 20:
            text = declared
    return text.strip()


# Page chrome that trafilatura deletes anyway, with its content, when it cleans the tree
# (its MANUALLY_CLEANED tags, in the order it deletes them). `_drop_chrome` deletes it first,
# so that trafilatura's passes over the whole tree (copies, regular-expression XPath prunes
# before its cleaning) walk about half as many elements: ~2.4 ms less per page. Only tags
# trafilatura lists are taken, and only where the result is provably the same (see there).
_CLEAN_ORDER = {tag: i for i, tag in enumerate(MANUALLY_CLEANED)}
_CHROME_TAGS = frozenset(
    tag
    for tag in ("aside", "footer", "iframe", "script", "svg", "button", "link", "input", "nav",
                "noscript", "option", "select", "style", "textarea")
    if tag in _CLEAN_ORDER
)  # fmt: skip
_LD_JSON_CASE = str.maketrans("LDJSON", "ldjson")


def _drop_chrome(tree: Any) -> None:
    """Delete the chrome elements trafilatura would delete, keeping their tail text as it
    does, where that cannot change what it extracts.

    trafilatura deletes a tag's elements while iterating over them, and that iteration stops
    after the first element holding another of the same tag (the rest are kept). So a tag
    that nests on the page is left alone, and so is an element holding any element of a
    nesting tag that trafilatura deletes before it; what is deleted here would then have
    been deleted there, with the same result. Kept too: an element holding an <h1> or a
    figure's table (see below), and JSON-LD scripts (read to tell forum threads).

    This follows trafilatura 2.3's cleaning (`tree_cleaning` and the prunes before it);
    checked on the 439 benchmark pages and on randomly generated nested markup: the same
    text, character for character, with and without it."""
    found = list(tree.iter(*_CLEAN_ORDER))
    nesting = {el.tag for el in found if next(el.iterancestors(el.tag), None) is not None}
    # For each element holding elements of nesting tags: the lowest rank among those tags.
    holds: dict[Any, int] = {}
    for el in found:
        if el.tag in nesting:
            rank = _CLEAN_ORDER[el.tag]
            for ancestor in el.iterancestors():
                if holds.get(ancestor, rank + 1) > rank:
                    holds[ancestor] = rank
    # Kept: what holds an <h1> (read by a prune before the cleaning) or a table inside a
    # figure (the cleaning keeps a figure holding a table, as a <div>).
    keep = {ancestor for h1 in tree.iter("h1") for ancestor in h1.iterancestors()}
    for table in tree.iter("table"):
        if next(table.iterancestors("figure"), None) is not None:
            keep.update(table.iterancestors())
    for el in found:
        tag = el.tag
        if tag not in _CHROME_TAGS or tag in nesting or el in keep:
            continue
        if holds and holds.get(el, len(_CLEAN_ORDER)) < _CLEAN_ORDER[tag]:
            continue
        if tag == "script" and "ld+json" in (el.get("type") or "").translate(_LD_JSON_CASE):
            continue
        _delete_keeping_tail(el)


def _delete_keeping_tail(el: Any) -> None:
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _trafilatura_text(tree: Any, url: str, precise: bool) -> str:
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=False,
            include_comments=False,
            include_tables=True,
            favor_precision=precise,
            fast=precise,
        )
    except (ValueError, TypeError, etree.LxmlError):
        return ""
    return (getattr(doc, "text", None) or "") if doc is not None else ""


_UNSPACED = re.compile(
    "[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"  # kana, Han (Korean has spaces)
)
CHARS_PER_WORD = 1.7  # Chinese and Japanese words average under two characters


def _word_count(text: str) -> int:
    """Words, with scripts written without spaces (Chinese, Japanese, Thai) counted at
    CHARS_PER_WORD characters a word."""
    if not text:
        return 0
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    spaced = len(_UNSPACED.sub(" ", text).split())
    return spaced + round(unspaced / CHARS_PER_WORD)
