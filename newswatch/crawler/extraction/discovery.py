"""Discovery documents -> article links: RSS 2.0, RSS 1.0 and Atom feeds (feedparser),
sitemaps, news sitemaps and sitemap indexes (gzip or not), and HTML listing pages.

The kind is sniffed from the content, not trusted from the config, so a feed listed under
`sitemaps:` still works. Pure functions; sizes are capped so a hostile document cannot
exhaust memory or time:

* XML entities are never expanded: a DOCTYPE that declares entities (XXE to a local file or
  a URL, "billion laughs") is removed before parsing and references to what it declared are
  dropped; the result says so in `problem`. Sitemaps are parsed by lxml with entity
  resolution, network access and huge trees off.
* Sitemaps are streamed (gzip decompressed chunk by chunk into a pull parser) and stop at
  MAX_ENTRIES URLs or MAX_UNCOMPRESSED bytes, whichever comes first (`capped`).
* Feeds are cut after MAX_FEED_ENTRIES items before feedparser sees them (it keeps a whole
  document in memory and takes ~150 us per item).
"""

from __future__ import annotations

import codecs
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXException

import feedparser
import lxml.html
from lxml import etree

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ENTRIES = 50_000  # URLs of one sitemap (the sitemap protocol's own limit) or listing
MAX_FEED_ENTRIES = 10_000  # items of one feed
CHUNK = 1024 * 1024  # bytes fed to the sitemap parser at a time


class DiscoveryError(ValueError):
    """A discovery document that yields nothing usable; the message says why."""


@dataclass
class Entry:
    url: str
    title: str | None = None
    published: str | None = None  # as written in the feed or sitemap
    modified: str | None = None
    via: str = "feed"  # feed | sitemap | listing


@dataclass
class Discovery:
    kind: str  # feed | sitemap | sitemapindex | listing
    entries: list[Entry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # sitemaps named by an index
    problem: str | None = None  # set when the document was damaged but partly usable
    capped: bool = False
    unusable: int = 0  # links left out because no URL can be made of them


def gunzip_capped(data: bytes, limit: int = MAX_UNCOMPRESSED) -> bytes:
    """Decompress gzip data, refusing to produce more than `limit` bytes (gzip bombs)."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise DiscoveryError(f"damaged gzip content: {exc}") from None
    if len(out) > limit or decompressor.unconsumed_tail:
        raise DiscoveryError(f"gzip content larger than {limit // (1024 * 1024)} MB")
    return out


def absolute_link(base: str, link: str) -> str | None:
    """`link` resolved against `base`; None for a link no URL function can take apart (an
    unclosed IPv6 literal, a port that is not a number in 0-65535)."""
    try:
        joined = urljoin(base, link.strip())
        _ = urlsplit(joined).port  # raises ValueError on a bad port
    except ValueError:
        return None
    return joined


def gunzip_stream(data: bytes, limit: int = MAX_UNCOMPRESSED) -> Iterator[bytes]:
    """Decompress gzip data (one or several concatenated members) in chunks of at most CHUNK
    bytes, stopping after `limit` bytes.

    Never holds more than one chunk; a damaged stream ends the iteration (what came before
    it is kept). Raises `_TooLarge` after `limit` bytes when there is more.
    """
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    produced = 0
    pending = data
    while pending:
        try:
            chunk = decompressor.decompress(pending, CHUNK)
        except zlib.error:
            return
        pending = decompressor.unconsumed_tail
        if decompressor.eof:  # the end of a member: another may follow
            pending = decompressor.unused_data
            if pending[:2] != b"\x1f\x8b":
                pending = b""
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        room = limit - produced
        if len(chunk) > room:
            if room > 0:
                yield chunk[:room]
            raise _TooLarge(limit)
        produced += len(chunk)
        if chunk:
            yield chunk


class _TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"content larger than {limit // (1024 * 1024)} MB")


def _head_of_gzip(data: bytes, size: int = 2048) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return decompressor.decompress(data, size)
    except zlib.error:
        return b""


# <!DOCTYPE name [ internal subset ]> and the entities it declares. Entities are never
# expanded: the declarations go, and so do references to them.
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE\s[^\[>]*\[.*?\]\s*>", re.S | re.I)
_ENTITY_DECL = re.compile(rb"<!ENTITY\s+(?:%\s*)?([A-Za-z_:][\w.:-]*)[^>]*>", re.S)
_ENTITY_SCAN = 64 * 1024 * 1024  # only a prolog can declare entities; bodies are capped anyway


def strip_entity_declarations(body: bytes) -> tuple[bytes, int]:
    """The document without DOCTYPE internal subsets or entity declarations, and without
    references to the entities they declared; with how many declarations were removed."""
    if body.find(b"<!ENTITY", 0, _ENTITY_SCAN) < 0:
        return body, 0
    names: set[bytes] = set()
    declarations = 0

    def drop_subset(match: re.Match[bytes]) -> bytes:
        nonlocal declarations
        for entity in _ENTITY_DECL.finditer(match.group(0)):
            names.add(entity.group(1))
            declarations += 1
        return b""

    body = _DOCTYPE_SUBSET.sub(drop_subset, body)

    def drop_declaration(match: re.Match[bytes]) -> bytes:
        nonlocal declarations
        names.add(match.group(1))
        declarations += 1
        return b""

    # Declarations left outside a DOCTYPE (a subset whose values held "]>") go too.
    body = _ENTITY_DECL.sub(drop_declaration, body)
    names -= {b"amp", b"lt", b"gt", b"quot", b"apos"}
    if names:
        alternatives = b"|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        body = re.sub(rb"&(?:" + alternatives + rb");", b"", body)
    return body, declarations


def _entities_ignored(count: int) -> str:
    return f"ignored {count} XML entity declaration(s): entities are never expanded"


def sniff(body: bytes) -> str:
    head = body[:2048].lstrip().lower()
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<rdf:rdf" in head or b"<feed" in head or b"<channel" in head:
        return "feed"
    if head.startswith(b"{") and b"jsonfeed.org" in head:
        return "json"
    if head.startswith((b"<?xml",)) and b"<html" not in head:
        return "feed"
    return "html"


def parse_discovery(
    body: bytes, url: str, article_pattern: str | None = None, listing_ok: bool = True
) -> Discovery:
    """Parse a feed, sitemap or listing page fetched from `url`."""
    if body[:2] == b"\x1f\x8b":
        if sniff(_head_of_gzip(body)) == "sitemap":
            return parse_sitemap(body, url)  # streamed: millions of URLs stay cheap
        body = gunzip_capped(body)
    body = _narrow(body)
    kind = sniff(body)
    if kind == "json":
        return parse_json_feed(body, url)
    if kind == "sitemap":
        return parse_sitemap(body, url)
    if kind == "feed":
        return parse_feed(body, url)
    if not listing_ok:
        raise DiscoveryError("expected a feed or sitemap, got an HTML page")
    return parse_listing(body, url, article_pattern)


def _clean(raw: object) -> str | None:
    return raw.strip() if isinstance(raw, str) and raw.strip() else None


_ITEM_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.I)
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def _cut_feed(body: bytes, limit: int) -> bytes | None:
    """The feed cut after its `limit`-th item and closed again; None if it has no more."""
    ends = _ITEM_END.finditer(body)
    end = None
    for count, match in enumerate(ends, 1):
        if count == limit:
            end = match.end()
        elif count > limit:
            break
    else:
        return None
    assert end is not None
    position = 0
    root = b"rss"
    while True:  # the root element: the first tag that is not <?...?> or <!...>
        match = _ROOT.search(body, position)
        if match is None:
            break
        if body[match.start() - 1 : match.start()] not in (b"?", b"!"):
            root = match.group(1)
            break
        position = match.end()
    closing = b"</channel>" if root.rsplit(b":", 1)[-1].lower() == b"rss" else b""
    return body[:end] + closing + b"</" + root + b">"


_WIDE = (
    (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
)  # fmt: skip
_DECLARED_ENCODING = re.compile(r"^(<\?xml[^>]{0,200}?encoding\s*=\s*)[\"'][^\"']{0,40}[\"']")


def _narrow(body: bytes) -> bytes:
    """A UTF-16 or UTF-32 document (by its byte order mark or its first bytes) as UTF-8,
    its declared encoding changed to match; anything else as it is."""
    for mark, encoding in _WIDE:
        if body.startswith(mark):
            text = body.decode(encoding, "replace").lstrip("\ufeff")
            return _DECLARED_ENCODING.sub(r'\1"utf-8"', text).encode("utf-8")
    return body


def _tame_prolog(body: bytes) -> bytes:
    """The document with its XML declaration alone on the first line.

    feedparser finds the declared encoding with a regular expression that backtracks over
    the whole first line (`^<\\?.*encoding=...`): on a long first line without a proper
    declaration that takes quadratic time (a broken 800 KB feed: 30 s).
    """
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    if not body.startswith(b"<?"):
        return body
    end = body.find(b"?>", 0, 1024)
    if end < 0:  # a declaration that never ends: no parser would accept it anyway
        return b"\n" + body
    end += 2
    return body if body[end : end + 1] in (b"\n", b"\r") else body[:end] + b"\n" + body[end:]


def parse_feed(body: bytes, url: str) -> Discovery:
    out = Discovery("feed")
    problems: list[str] = []
    body = _tame_prolog(body)
    body, declarations = strip_entity_declarations(body)
    if declarations:
        problems.append(_entities_ignored(declarations))
    cut = _cut_feed(body, MAX_FEED_ENTRIES)
    if cut is not None:
        body, out.capped = cut, True
    headers = {"content-location": url, "content-type": "application/xml"}
    try:
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except Exception as exc:  # noqa: BLE001 - feedparser has bugs of its own on garbage
        raise DiscoveryError(f"unreadable feed: {type(exc).__name__}: {exc}"[:300]) from None
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and isinstance(exc, SAXException):
        problems.append(f"malformed feed: {exc}")
    if problems:
        out.problem = "; ".join(problems)[:300]
    for item in parsed.entries[:MAX_FEED_ENTRIES]:
        link = dict.get(item, "link") or ""
        if not link:
            for alt in dict.get(item, "links", []):
                if alt.get("rel") in (None, "alternate") and alt.get("href"):
                    link = alt["href"]
                    break
        if not link:
            ident = str(dict.get(item, "id", ""))
            link = ident if ident.startswith("http") else ""
        if not isinstance(link, str) or not link.strip():
            continue
        resolved = absolute_link(url, link)
        if resolved is None:
            out.unusable += 1
            continue
        # dict.get: the raw fields, without feedparser's deprecated updated->published alias.
        published = dict.get(item, "published") or dict.get(item, "created")
        updated = dict.get(item, "updated")
        out.entries.append(
            Entry(
                url=resolved,
                title=(dict.get(item, "title") or "").strip() or None,
                # RSS 1.0 (dc:date) and many Atom feeds carry one date only: it is the
                # publication date until something says otherwise.
                published=_clean(published) or _clean(updated),
                modified=_clean(updated),
                via="feed",
            )
        )
    out.capped = out.capped or len(parsed.entries) > MAX_FEED_ENTRIES
    if not out.entries and out.problem:
        raise DiscoveryError(out.problem)
    return out


def parse_json_feed(body: bytes, url: str) -> Discovery:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly nested arrays
        raise DiscoveryError(f"malformed JSON feed: {exc}"[:300]) from None
    out = Discovery("feed")
    items = data.get("items") if isinstance(data, dict) else None
    for item in (items if isinstance(items, list) else [])[:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link.strip():
            continue
        resolved = absolute_link(url, link)
        if resolved is None:
            out.unusable += 1
            continue
        # Only text goes on: a number or an object where a date or title belongs is dropped.
        out.entries.append(
            Entry(
                resolved,
                _clean(item.get("title")),
                _clean(item.get("date_published")),
                _clean(item.get("date_modified")),
            )
        )
    return out


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _chunks(body: bytes) -> Iterator[bytes]:
    """The document in CHUNK-sized pieces (decompressed on the way when gzipped)."""
    if body[:2] == b"\x1f\x8b":
        yield from gunzip_stream(body)
        return
    view = memoryview(body)
    for start in range(0, len(body), CHUNK):
        yield bytes(view[start : start + CHUNK])


def parse_sitemap(body: bytes, url: str) -> Discovery:
    """Stream a sitemap or sitemap index (plain or gzipped) into a pull parser, with entity
    resolution, network access and huge trees off, stopping at MAX_ENTRIES URLs."""
    out = Discovery("sitemap")
    problems: list[str] = []
    parser = etree.XMLPullParser(
        events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False,
        recover=True,
    )  # fmt: skip
    depth = declarations = 0
    closed = seen_root = False
    gzipped = body[:2] == b"\x1f\x8b"
    if not gzipped:
        body, declarations = strip_entity_declarations(body)
    try:
        for chunk in _chunks(body):
            if gzipped:  # entity declarations can only come before the root element
                chunk, declarations = strip_entity_declarations(chunk)
                gzipped = False
            if declarations:
                problems.append(_entities_ignored(declarations))
                declarations = 0
            parser.feed(chunk)
            for event, el in parser.read_events():
                if event == "start":
                    depth += 1
                    seen_root = True
                    continue
                depth -= 1
                if depth == 0:
                    closed = True
                _sitemap_element(el, url, out)
                if len(out.entries) + len(out.children) >= MAX_ENTRIES:
                    out.capped = True
                    break
            if out.capped:
                break
        if not out.capped:
            parser.close()
            for event, el in parser.read_events():
                if event == "end":
                    _sitemap_element(el, url, out)
    except _TooLarge as exc:
        out.capped = True
        problems.append(f"sitemap {exc}: read what came before")
    except etree.XMLSyntaxError as exc:
        problems.append(f"malformed sitemap: {exc}")
    else:
        if seen_root and not closed and not out.capped:
            problems.append("malformed sitemap: it ends before its closing tag")
    if problems:
        out.problem = "; ".join(problems)[:300]
    if not (out.entries or out.children):
        if not seen_root:
            raise DiscoveryError(out.problem or "not a sitemap: no XML element could be read")
        if out.problem and "malformed" in out.problem:
            raise DiscoveryError(out.problem)
    return out


def _sitemap_element(el: Any, url: str, out: Discovery) -> None:
    name = _local(el.tag)
    if name == "sitemapindex":
        out.kind = "sitemapindex"
    if name not in ("url", "sitemap"):
        return
    fields: dict[str, str] = {}
    for child in el.iter():
        local = _local(child.tag)
        if local in ("loc", "lastmod", "publication_date", "title") and child.text:
            fields.setdefault(local, child.text.strip())
    # Free what was read: the element and the siblings before it (the root keeps them).
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
    loc = fields.get("loc")
    if not loc:
        return
    resolved = absolute_link(url, loc)
    if resolved is None:
        out.unusable += 1
        return
    if name == "sitemap":
        out.kind = "sitemapindex"
        out.children.append(resolved)
    else:
        out.entries.append(
            Entry(
                url=resolved,
                title=fields.get("title"),
                published=fields.get("publication_date"),
                modified=fields.get("lastmod"),
                via="sitemap",
            )
        )


_SKIP_EXT = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|m4a|webm|avi|mov|css|js|json|xml|rss)$",
    re.I,
)


def parse_listing(body: bytes, url: str, article_pattern: str | None = None) -> Discovery:
    """Links of a listing page that lead to articles of the same site: those matching
    `article_pattern` when given, else same-host links whose path looks like an article."""
    out = Discovery("listing")
    try:
        tree = lxml.html.fromstring(body)
    except (etree.ParserError, ValueError) as exc:
        raise DiscoveryError(f"listing page is not HTML: {exc}") from None
    host = urlsplit(url).hostname
    pattern = re.compile(article_pattern) if article_pattern else None
    seen: set[str] = set()
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        joined = absolute_link(url, href)
        if joined is None:
            out.unusable += 1
            continue
        link = joined.split("#", 1)[0]
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or link in seen:
            continue
        if pattern is not None:
            if not pattern.search(link):
                continue
        elif parts.hostname != host or not _looks_like_article(parts.path):
            continue
        seen.add(link)
        title = re.sub(r"\s+", " ", a.text_content()).strip() or None
        out.entries.append(Entry(url=link, title=title, via="listing"))
        if len(out.entries) >= MAX_ENTRIES:
            out.capped = True
            break
    return out


def _looks_like_article(path: str) -> bool:
    """Without a pattern: a path deep or long enough to name one article, not a section."""
    if _SKIP_EXT.search(path):
        return False
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = segments[-1]
    return bool(re.search(r"\d{4,}", path)) or (len(segments) >= 2 and ("-" in last or
                "_" in last) and len(last) >= 16)  # fmt: skip
