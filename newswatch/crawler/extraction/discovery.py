"""Discovery documents -> article links: RSS 2.0, RSS 1.0 and Atom feeds (feedparser),
sitemaps, news sitemaps and sitemap indexes (gzip or not), and HTML listing pages.

The kind is sniffed from the content, not trusted from the config, so a feed listed under
`sitemaps:` still works. Pure functions; sizes are capped so a hostile document cannot
exhaust memory.
"""

from __future__ import annotations

import io
import json
import re
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXException

import feedparser
import lxml.html
from lxml import etree

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ENTRIES = 50_000


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


def gunzip_capped(data: bytes, limit: int = MAX_UNCOMPRESSED) -> bytes:
    """Decompress gzip data, refusing to produce more than `limit` bytes (gzip bombs)."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = decompressor.decompress(data, limit + 1)
    if len(out) > limit or decompressor.unconsumed_tail:
        raise DiscoveryError(f"gzip content larger than {limit // (1024 * 1024)} MB")
    return out


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
        body = gunzip_capped(body)
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


def parse_feed(body: bytes, url: str) -> Discovery:
    headers = {"content-location": url, "content-type": "application/xml"}
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    out = Discovery("feed")
    exc = parsed.get("bozo_exception")
    if parsed.get("bozo") and isinstance(exc, SAXException):
        out.problem = f"malformed feed: {exc}"[:300]
    for item in parsed.entries[:MAX_ENTRIES]:
        link = dict.get(item, "link") or ""
        if not link:
            for alt in dict.get(item, "links", []):
                if alt.get("rel") in (None, "alternate") and alt.get("href"):
                    link = alt["href"]
                    break
        if not link:
            ident = str(dict.get(item, "id", ""))
            link = ident if ident.startswith("http") else ""
        if not link:
            continue
        # dict.get: the raw fields, without feedparser's deprecated updated->published alias.
        published = dict.get(item, "published") or dict.get(item, "created")
        updated = dict.get(item, "updated")
        out.entries.append(
            Entry(
                url=urljoin(url, link.strip()),
                title=(dict.get(item, "title") or "").strip() or None,
                # RSS 1.0 (dc:date) and many Atom feeds carry one date only: it is the
                # publication date until something says otherwise.
                published=_clean(published) or _clean(updated),
                modified=_clean(updated),
                via="feed",
            )
        )
    out.capped = len(parsed.entries) > MAX_ENTRIES
    if not out.entries and out.problem:
        raise DiscoveryError(out.problem)
    return out


def parse_json_feed(body: bytes, url: str) -> Discovery:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise DiscoveryError(f"malformed JSON feed: {exc}") from None
    out = Discovery("feed")
    items = data.get("items") if isinstance(data, dict) else None
    for item in (items if isinstance(items, list) else [])[:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if isinstance(link, str) and link.strip():
            out.entries.append(
                Entry(
                    urljoin(url, link.strip()),
                    item.get("title"),
                    item.get("date_published"),
                    item.get("date_modified"),
                )
            )
    return out


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, url: str) -> Discovery:
    """Stream a sitemap or sitemap index with entity resolution and network access off."""
    out = Discovery("sitemap")
    context = etree.iterparse(
        io.BytesIO(body), events=("end",), resolve_entities=False, no_network=True,
        huge_tree=False, recover=True,
    )  # fmt: skip
    try:
        for _, el in context:
            name = _local(el.tag)
            if name == "sitemapindex":
                out.kind = "sitemapindex"
            if name not in ("url", "sitemap"):
                continue
            fields = {}
            for child in el.iter():
                local = _local(child.tag)
                if local in ("loc", "lastmod", "publication_date", "title") and child.text:
                    fields.setdefault(local, child.text.strip())
            el.clear()
            loc = fields.get("loc")
            if not loc:
                continue
            if name == "sitemap":
                out.kind = "sitemapindex"
                out.children.append(urljoin(url, loc))
            else:
                out.entries.append(
                    Entry(
                        url=urljoin(url, loc),
                        title=fields.get("title"),
                        published=fields.get("publication_date"),
                        modified=fields.get("lastmod"),
                        via="sitemap",
                    )
                )
            if len(out.entries) + len(out.children) >= MAX_ENTRIES:
                out.capped = True
                break
    except etree.XMLSyntaxError as exc:
        out.problem = f"malformed sitemap: {exc}"[:300]
        if not (out.entries or out.children):
            raise DiscoveryError(out.problem) from None
    return out


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
        link = urljoin(url, href).split("#", 1)[0]
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
