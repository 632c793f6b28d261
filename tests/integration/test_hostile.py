"""Hostile input: every case finishes in bounded time and memory, with a stat or log line.

Two levels:

* A real crawl (the news spider and every pipeline, in a child process, into SQLite) of a
  publisher of this module's own, built on the NewsSite engine: its feeds link gzip and
  brotli bombs, huge pages, a 100 MB JSON-LD page, endless redirects, pages without
  <html>, binary served as HTML, wrong and missing charsets, 100,000 nested divs, deeply
  nested JSON-LD, absurd dates; its other feeds and sitemaps declare XML entities (XXE to a
  local file, billion laughs) or carry millions of URLs. The child reports every source's
  Scrapy stats and its peak memory; each test below checks one case.
* The parsers on their own, in a child process with an address-space limit: what the crawl
  cannot deliver through DOWNLOAD_MAXSIZE (a sitemap of three million URLs, a feed of
  100,000 items, a 100 MB JSON-LD page given to extraction directly).
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newswatch.demo.site import NewsSite, Publisher, RouteRequest

MB = 1024 * 1024
NOW = datetime.now(UTC).replace(microsecond=0)
XXE_TOKEN = "XXE-TOKEN-5d1c9a"  # in a local file a hostile feed tries to include
MAX_RSS_MB = 1500  # the crawl child's peak resident memory, all cases together

PARAGRAPHS = [
    "The regional council approved a new plan for the river port on {day}, after months of "
    "talks with shipping companies, unions and the residents of the old harbour district.",
    "Under the plan, two warehouses will be turned into a market hall and a school, while the "
    "container terminal moves three kilometres downstream to deeper water by the end of 2027.",
    "Council members said the move would cut lorry traffic through the town centre by half, "
    "and that the port authority had promised to keep every job during the construction.",
    "Opponents warned that the cost estimate had already doubled since the first draft, and "
    "asked for an independent review before any contract is signed with a builder.",
]


def article_html(
    title: str,
    day: str = "Tuesday",
    jsonld: str | None = None,
    head: str = "",
    body_prefix: str = "",
    body_suffix: str = "",
    charset: str | None = "utf-8",
    html_tag: bool = True,
) -> str:
    text = "".join(f"<p>{p.format(day=day)}</p>\n" for p in PARAGRAPHS)
    meta = f'<meta charset="{charset}">' if charset else ""
    script = f'<script type="application/ld+json">{jsonld}</script>' if jsonld else ""
    inner = (f"<head>{meta}<title>{title}</title>{script}{head}</head>\n<body>{body_prefix}"
             f"<article><h1>{title}</h1>{text}</article>{body_suffix}</body>")  # fmt: skip
    return f"<!DOCTYPE html><html lang='en'>{inner}</html>" if html_tag else inner


def news_jsonld(title: str, published: str, modified: str | None = None) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
            "datePublished": published}  # fmt: skip
    if modified:
        data["dateModified"] = modified
    return json.dumps(data)


def rss(items: list[tuple[str, str, str]], doctype: str = "") -> bytes:
    """RSS 2.0 with items (link, title, pubDate as written)."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>\n"
        for link, title, date in items
    )
    return (f'<?xml version="1.0" encoding="utf-8"?>\n{doctype}<rss version="2.0"><channel>'
            f"<title>Hostile</title>{body}</channel></rss>").encode()  # fmt: skip


def html_response(body: bytes | str, content_type: str = "text/html; charset=utf-8",
                  status: int = 200, **headers: str) -> Any:  # fmt: skip
    data = body.encode("utf-8") if isinstance(body, str) else body
    return lambda request: (status, {"Content-Type": content_type, **headers}, data)


def gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of zeros as concatenated gzip members (~1 KB each): a 1000:1 bomb."""
    member = gzip.compress(b"\0" * MB, compresslevel=9, mtime=0)
    return member * megabytes


def brotli_bomb(megabytes: int) -> bytes:
    brotli = pytest.importorskip("brotli")
    compressor = brotli.Compressor(quality=5)
    parts = [compressor.process(b"\0" * MB) for _ in range(megabytes)]
    return b"".join(parts) + compressor.finish()


# ============================================================================================
# The hostile publisher and the crawl
# ============================================================================================

PUBLISHERS = [
    Publisher(name, "en", "Europe/London", feed_kind=None, title=name.title())
    for name in ("bombs", "redirects", "oddpages", "entities", "bigmap", "dates")
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def build_site(folder: Path) -> tuple[NewsSite, str]:
    """The site (not started) and the config text's sources section."""
    site = NewsSite(PUBLISHERS)
    pub_date = NOW.strftime("%a, %d %b %Y %H:%M:%S +0000")
    feeds: dict[str, list[str]] = {}
    sitemaps: dict[str, list[str]] = {}
    patterns: dict[str, str] = {}

    def feed(
        name: str,
        path: str,
        pages: dict[str, Any],
        dates: dict[str, str] | None = None,
        raw_links: tuple[str, ...] = (),
    ) -> None:
        for page_path, handler in pages.items():
            site.add_route(name, page_path, handler)

        def items_of(base: str) -> list[tuple[str, str, str]]:
            listed = [(base + p, f"Story at {p}", (dates or {}).get(p, pub_date)) for p in pages]
            return listed + [(link, "Unusable link", pub_date) for link in raw_links]

        site.add_route(name, path, lambda r: (200, {"Content-Type": "application/rss+xml"},
                                              rss(items_of(r.base_url))))  # fmt: skip
        feeds.setdefault(name, []).append(path)

    def ok(n: int, name: str) -> str:
        return article_html(f"A normal story {n} of {name}", DAYS[n % 7])

    # -- bombs and huge pages -------------------------------------------------------------
    huge = article_html("Huge page", body_suffix="<div>" + "x" * (64 * MB) + "</div>")
    big_ld = "{" + '"@type": "NewsArticle", "headline": "Big", "filler": "' + "y" * (100 * MB)
    feed("bombs", "/feed.xml", {
        "/news/gzip-bomb": html_response(gzip_bomb(512), **{"Content-Encoding": "gzip"}),
        "/news/brotli-bomb": html_response(brotli_bomb(512), **{"Content-Encoding": "br"}),
        "/news/huge-page": html_response(huge),
        "/news/huge-jsonld": html_response(article_html("Big JSON-LD", jsonld=big_ld + '"}')),
        "/news/large-jsonld": html_response(article_html(
            "Large JSON-LD at the end", body_suffix='<script type="application/ld+json">{"a": "'
            + "z" * (20 * MB) + '"}</script>')),  # under DOWNLOAD_MAXSIZE: cut by extraction
        "/news/fine": html_response(ok(1, "bombs")),
    })  # fmt: skip

    # -- endless redirects ----------------------------------------------------------------
    def loop(request: RouteRequest) -> Any:
        n = int(request.path.rsplit("-", 1)[1])
        return 302, {"Location": f"{request.base_url}/news/loop-{n + 1}"}, b""

    for n in range(0, 40):
        site.add_route("redirects", f"/news/loop-{n}", loop)
    cycle = {
        "/news/cycle-a": lambda r: (301, {"Location": r.base_url + "/news/cycle-b"}, b""),
        "/news/cycle-b": lambda r: (301, {"Location": r.base_url + "/news/cycle-a"}, b""),
        "/news/fine": html_response(ok(2, "redirects")),
    }
    feed("redirects", "/feed.xml", {**cycle, "/news/loop-0": loop})

    # -- odd pages ------------------------------------------------------------------------
    rng = random.Random(8)
    binary = bytes(rng.randrange(256) for _ in range(200_000))
    cyrillic_title = "Новый порт на реке"
    cyrillic = article_html(cyrillic_title, charset="windows-1251").replace(
        "The regional council approved a new plan for the river port",
        "Региональный совет одобрил новый план речного порта",
    )
    deep = ("<html><head><title>Deep</title></head><body>" + "<div>" * 100_000
            + "".join(f"<p>{p.format(day='Monday')}</p>" for p in PARAGRAPHS) + "</div>" * 100_000
            + "</body></html>")  # fmt: skip
    nested_ld = "[" * 200_000 + "]" * 200_000
    feed("oddpages", "/feed.xml", {
        "/news/no-html": html_response(" ".join(p.format(day="Friday") for p in PARAGRAPHS)),
        "/news/no-html-tag": html_response(article_html("No html element", html_tag=False)),
        "/news/binary": html_response(binary, content_type="text/html"),
        "/news/wrong-charset": html_response(cyrillic.encode("cp1251"),
                                             content_type="text/html; charset=utf-8"),
        "/news/missing-charset": html_response(cyrillic.encode("cp1251"),
                                               content_type="text/html"),
        "/news/utf8-undeclared": html_response(
            article_html("Café owners welcome the port plan", charset=None).encode("utf-8"),
            content_type="text/html"),
        "/news/deep": html_response(deep),
        "/news/nested-jsonld": html_response(article_html("Nested JSON-LD", jsonld=nested_ld)),
        "/news/bad-canonical": html_response(article_html(
            "Canonical link with an unclosed IPv6 address",
            head='<link rel="canonical" href="http://[::1/news/x">')),
        "/news/bad-canonical-port": html_response(article_html(
            "Canonical link with an impossible port",
            head='<link rel="canonical" href="http://127.0.0.1:99999/news/x">')),
    }, raw_links=("http://[::1/news/one", "http://127.0.0.1:99999/news/two",
                  "http://127.0.0.1:abc/news/three"))  # fmt: skip

    # -- XML entities: XXE to a local file and billion laughs -------------------------------
    secret = folder / "xxe-secret.txt"
    secret.write_text(XXE_TOKEN + "\n", encoding="utf-8")
    xxe = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    lol = f"<!DOCTYPE rss [{laughs}]>\n"
    site.add_route("entities", "/news/plain", html_response(ok(3, "entities")))

    def entity_feed(doctype: str, reference: str) -> Any:
        def handler(request: RouteRequest) -> Any:
            items = [
                (f"{request.base_url}/news/plain", f"Title {reference}", pub_date),
                (f"{request.base_url}/news/{reference}x", "Second", pub_date),
            ]
            return 200, {"Content-Type": "application/rss+xml"}, rss(items, doctype)

        return handler

    site.add_route("entities", "/xxe.xml", entity_feed(xxe, "&xxe;"))
    site.add_route("entities", "/lol.xml", entity_feed(lol, "&l9;"))
    sitemap_xxe = (f'<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY xxe SYSTEM '
                   f'"{secret.as_uri()}">]>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
                   'sitemap/0.9"><url><loc>BASE/news/&xxe;</loc></url></urlset>')  # fmt: skip
    site.add_route("entities", "/sitemap.xml", lambda r: (
        200, {"Content-Type": "application/xml"},
        sitemap_xxe.replace("BASE", r.base_url).encode()))  # fmt: skip
    feeds["entities"] = ["/xxe.xml", "/lol.xml"]
    sitemaps["entities"] = ["/sitemap.xml"]

    # -- a sitemap of two million URLs (gzipped: 6 MB on the wire) ----------------------------
    def big_sitemap(request: RouteRequest) -> Any:
        return 200, {"Content-Type": "application/x-gzip"}, million_url_sitemap(2_000_000)

    site.add_route("bigmap", "/sitemap-huge.xml.gz", big_sitemap)
    sitemaps["bigmap"] = ["/sitemap-huge.xml.gz"]
    patterns["bigmap"] = "/this-pattern-matches-nothing/"

    # -- absurd dates ---------------------------------------------------------------------
    absurd = {
        "/news/year-99999": ("99999-01-01T00:00:00Z", "Sat, 01 Jan 99999 00:00:00 +0000"),
        "/news/negative-epoch": ("-62135596800", "-1"),
        "/news/year-1900": ("1900-01-01T00:00:00Z", "Mon, 01 Jan 1900 00:00:00 +0000"),
        "/news/far-future": ("9999-12-31T23:59:59Z", "Fri, 31 Dec 9999 23:59:59 +0000"),
    }
    feed("dates", "/feed.xml", {
        path: html_response(article_html(f"Absurd date {n}", DAYS[n],
                                         jsonld=news_jsonld(f"Absurd date {n}", ld, ld)))
        for n, (path, (ld, _)) in enumerate(absurd.items())
    }, dates={path: rss_date for path, (_, rss_date) in absurd.items()})  # fmt: skip

    lines = ["sources:"]
    for pub in PUBLISHERS:
        lines.append(f"  - name: {pub.name}")
        if pub.name in feeds:
            lines.append("    feeds: [" + ", ".join(f"'BASE:{pub.name}{p}'" for p in
                                                    feeds[pub.name]) + "]")  # fmt: skip
        if pub.name in sitemaps:
            lines.append("    sitemaps: [" + ", ".join(f"'BASE:{pub.name}{p}'" for p in
                                                       sitemaps[pub.name]) + "]")  # fmt: skip
        if pub.name in patterns:
            lines.append(f"    article_pattern: '{patterns[pub.name]}'")
    return site, "\n".join(lines) + "\n"


_SITEMAP_CACHE: dict[int, bytes] = {}


def million_url_sitemap(count: int) -> bytes:
    if count not in _SITEMAP_CACHE:
        compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        parts = [compressor.compress(b'<?xml version="1.0"?><urlset xmlns="http://www.'
                                     b'sitemaps.org/schemas/sitemap/0.9">')]  # fmt: skip
        for start in range(0, count, 20_000):
            block = b"".join(
                b"<url><loc>https://bigmap.example/news/story-%08d</loc>"
                b"<lastmod>2025-01-01</lastmod></url>" % n
                for n in range(start, min(count, start + 20_000))
            )
            parts.append(compressor.compress(block))
        parts.append(compressor.compress(b"</urlset>") + compressor.flush())
        _SITEMAP_CACHE[count] = b"".join(parts)
    return _SITEMAP_CACHE[count]


# The crawl runs in a child: the spider and pipelines of `newswatch crawl`, one crawler per
# source in one reactor, extraction in-process (so the child's peak memory counts it); it
# prints each source's Scrapy stats and the peak resident memory as JSON.
CRAWL_CHILD = """
import json, resource, sys
from scrapy.crawler import CrawlerProcess
from newswatch.crawler.spiders.news import NewsSpider
from newswatch.config import load_config
from newswatch.scheduler.crawling import crawl_settings
config = load_config(sys.argv[1])
process = CrawlerProcess(crawl_settings(config, {"NEWSWATCH_EXTRACT_WORKERS": 0}, "INFO"))
crawlers = []
for source in config.sources:
    crawler = process.create_crawler(NewsSpider)
    crawlers.append((source.name, crawler))
    process.crawl(crawler, source=source)
process.start()
stats = {name: {k: v if isinstance(v, (int, float, str)) else str(v)
                for k, v in c.stats.get_stats().items()} for name, c in crawlers}
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("STATS " + json.dumps({"stats": stats, "peak_mb": peak}))
"""


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("hostile")
    site, sources = build_site(folder)
    with site:
        for pub in PUBLISHERS:
            sources = sources.replace(f"BASE:{pub.name}", site.base_url(pub.name))
        db = folder / "hostile.db"
        config = folder / "newswatch.yaml"
        config.write_text(f"store: 'sqlite:///{db}'\n{sources}", encoding="utf-8")
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", CRAWL_CHILD, str(config)],
            capture_output=True, text=True, timeout=300,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )  # fmt: skip
        elapsed = time.monotonic() - started
        hits = site.hits
    line = next((x for x in proc.stdout.splitlines() if x.startswith("STATS ")), None)
    assert proc.returncode == 0 and line, proc.stderr[-5000:]
    result = json.loads(line[len("STATS ") :])
    from newswatch.storage import open_store

    store = open_store(f"sqlite:///{db}")
    try:
        records = {r["url"].rsplit("/", 1)[-1]: r for r in store.iter_articles()}
    finally:
        store.close()
    print(f"hostile crawl: {elapsed:.1f} s, peak memory {result['peak_mb']:.0f} MB")
    yield {"stats": result["stats"], "peak_mb": result["peak_mb"], "log": proc.stderr,
           "records": records, "hits": hits, "seconds": elapsed, "folder": folder}  # fmt: skip


def _stat(crawl: dict[str, Any], source: str, key: str) -> int:
    return int(crawl["stats"][source].get(key, 0))


def test_crawl_finishes_in_bounded_memory_without_a_traceback(crawl: dict[str, Any]) -> None:
    for source, stats in crawl["stats"].items():
        assert stats.get("finish_reason") == "finished", source
    assert "Traceback" not in crawl["log"], crawl["log"][-3000:]
    assert crawl["peak_mb"] < MAX_RSS_MB, f"peak memory {crawl['peak_mb']:.0f} MB"
    # The ordinary pages beside the hostile ones were stored.
    for source in ("bombs", "redirects", "entities"):
        assert _stat(crawl, source, "store/new") >= 1, source


def test_gzip_and_brotli_bombs_are_refused_while_decompressing(crawl: dict[str, Any]) -> None:
    log = crawl["log"]
    for path in ("/news/gzip-bomb", "/news/brotli-bomb"):
        lines = [x for x in log.splitlines() if path in x and "DOWNLOAD_MAXSIZE" in x]
        assert len(lines) == 1 and "during decompression" in lines[0], path
        assert path.rsplit("/", 1)[-1] not in crawl["records"]


def test_huge_pages_are_cut_off_at_download_maxsize(crawl: dict[str, Any]) -> None:
    log = crawl["log"]
    for path in ("/news/huge-page", "/news/huge-jsonld"):  # 64 MB and 100 MB of JSON-LD
        assert any(path in x and "larger than download max size" in x
                   for x in log.splitlines()), path  # fmt: skip
        assert path.rsplit("/", 1)[-1] not in crawl["records"]
    assert _stat(crawl, "bombs", "errors/DownloadCancelledError") == 2
    # 20 MB of JSON-LD after the article: under the download limit, cut by extraction.
    assert _stat(crawl, "bombs", "extract/truncated") == 1
    assert crawl["records"]["large-jsonld"]["title"] == "Large JSON-LD at the end"


def test_endless_redirects_stop_after_the_redirect_limit(crawl: dict[str, Any]) -> None:
    hits = crawl["hits"]
    loop = sum(n for (pub, path), n in hits.items() if pub == "redirects" and "loop-" in path)
    assert 1 <= loop <= 11  # the first request and REDIRECT_MAX_TIMES (10) redirects
    cycle = sum(n for (pub, path), n in hits.items() if pub == "redirects" and "cycle" in path)
    assert 1 <= cycle <= 11
    assert _stat(crawl, "redirects", "downloader/response_status_count/302") == loop
    assert _stat(crawl, "redirects", "errors/redirect_loop") >= 1  # counted, and one log line
    assert "fine" in crawl["records"]


def test_pages_without_html_element_or_markup(crawl: dict[str, Any]) -> None:
    records = crawl["records"]
    # A page of bare text is no article (nothing marks one up): the feed lists it, so it is
    # kept, flagged, under the feed's title; one that lacks only the <html> element is an
    # ordinary article.
    assert records["no-html"]["quality"] == "not_article"
    assert records["no-html"]["title"] == "Story at /news/no-html"
    assert records["no-html-tag"]["title"] == "No html element"
    assert _stat(crawl, "oddpages", "extract/not_article") >= 2


def test_binary_served_as_html_is_not_an_article(crawl: dict[str, Any]) -> None:
    # kept (the feed lists it) under the feed's title, flagged, without the bytes as text
    binary = crawl["records"]["binary"]
    assert (binary["quality"], binary["body"]) == ("no_body", "")
    assert any("/news/binary" in x and "not an article" in x for x in crawl["log"].splitlines())


def test_wrong_and_missing_charsets(crawl: dict[str, Any]) -> None:
    records = crawl["records"]
    # No charset in the header: the page's own <meta charset> is read.
    assert records["missing-charset"]["title"] == "Новый порт на реке"
    assert "Региональный совет" in records["missing-charset"]["body"]
    # Nothing declared at all: UTF-8 is recognised.
    assert records["utf8-undeclared"]["title"] == "Café owners welcome the port plan"
    # A header that lies (utf-8 for cp1251 bytes) wins over the page (HTTP says so): the text
    # is garbled but stored, nothing breaks.
    assert "wrong-charset" in records


def test_deeply_nested_markup(crawl: dict[str, Any]) -> None:
    # 100,000 nested divs: the parser stops nesting (libxml2's depth limit) and keeps going;
    # the text below that depth is lost, so the page is no article - quickly, no crash; the
    # feed lists it, so it is kept, flagged as having no body.
    assert any("/news/deep" in x and "not an article" in x for x in crawl["log"].splitlines())
    assert crawl["records"]["deep"]["quality"] == "no_body"
    assert crawl["records"]["deep"]["body"] == ""


def test_deeply_nested_jsonld(crawl: dict[str, Any]) -> None:
    assert _stat(crawl, "oddpages", "spider_exceptions/RecursionError") == 0
    assert "nested-jsonld" in crawl["records"]


def test_unusable_links_in_a_feed_do_not_sink_the_rest(crawl: dict[str, Any]) -> None:
    # Three links of the oddpages feed cannot be taken apart (an unclosed IPv6 address, a
    # port out of range, a port that is no number): left out, the other eight are read.
    assert _stat(crawl, "oddpages", "discovery/links") == 10
    assert _stat(crawl, "oddpages", "discovery/errors") == 0
    assert "no-html-tag" in crawl["records"]


def test_unusable_canonical_links_do_not_lose_the_page(crawl: dict[str, Any]) -> None:
    assert _stat(crawl, "oddpages", "spider_exceptions/ValueError") == 0
    assert "bad-canonical" in crawl["records"] and "bad-canonical-port" in crawl["records"]


def test_xml_entities_are_never_expanded(crawl: dict[str, Any]) -> None:
    # Not in a record, not in a log line, not in a request the crawler made.
    assert XXE_TOKEN not in json.dumps(crawl["records"], ensure_ascii=False)
    assert XXE_TOKEN not in crawl["log"]
    assert not any(XXE_TOKEN in path for _, path in crawl["hits"])
    lines = [x for x in crawl["log"].splitlines() if "entities are never expanded" in x]
    assert len(lines) == 3  # the XXE feed, the billion-laughs feed, the XXE sitemap
    assert _stat(crawl, "entities", "discovery/damaged") == 3
    assert crawl["records"]["plain"]["title"] == "A normal story 3 of entities"
    assert "lol" not in crawl["records"]["plain"]["title"]


def test_sitemap_with_millions_of_urls_is_streamed_and_capped(crawl: dict[str, Any]) -> None:
    assert _stat(crawl, "bigmap", "discovery/capped") == 1
    assert _stat(crawl, "bigmap", "discovery/errors") == 0
    assert _stat(crawl, "bigmap", "downloader/request_count") <= 3  # robots, sitemap


def test_absurd_dates_never_become_published_dates(crawl: dict[str, Any]) -> None:
    fetched = datetime.now(UTC) + timedelta(hours=2)
    dated = [r for key, r in crawl["records"].items() if key.startswith(("year-", "negative",
                                                                           "far-"))]  # fmt: skip
    assert len(dated) == 4
    for record in dated:
        published = datetime.fromisoformat(record["published_at"])
        assert datetime(1990, 1, 1, tzinfo=UTC) <= published <= fetched, record["url"]
        assert record["published_at_source"] != "jsonld"
        if record["modified_at"]:
            assert datetime.fromisoformat(record["modified_at"]).year < 9999
    checks = {k: v for k, v in crawl["stats"]["dates"].items() if k.startswith("dates/")}
    assert checks.get("dates/check/implausible", 0) >= 1, checks
    assert checks.get("dates/check/future", 0) >= 1, checks


def test_a_bare_number_is_no_date(crawl: dict[str, Any]) -> None:
    assert crawl["records"]["negative-epoch"]["published_at_source"] == "fetched"


# ============================================================================================
# The parsers alone, in a child with an address-space limit
# ============================================================================================

CHILD_MEMORY = 3 * 1024 * MB  # address space: Python, lxml, trafilatura and the input


def _parse_cases(queue: Any) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    from newswatch.crawler.extraction.article import extract_article
    from newswatch.crawler.extraction.discovery import (
        MAX_ENTRIES,
        MAX_FEED_ENTRIES,
        DiscoveryError,
        parse_discovery,
    )

    def sitemap_index(count: int) -> bytes:
        return (b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                b'sitemap/0.9">' + b"".join(b"<sitemap><loc>https://x.example/s-%d.xml</loc>"
                                           b"</sitemap>" % n for n in range(count))
                + b"</sitemapindex>")  # fmt: skip

    def feed(count: int) -> bytes:
        return rss([(f"https://x.example/news/{n}", f"T{n}", "Mon, 01 Jan 2024 10:00:00 GMT")
                    for n in range(count)])  # fmt: skip

    def json_feed_nested() -> bytes:
        return b'{"version": "https://jsonfeed.org/version/1", "items": ' + b"[" * 100_000

    def bomb_sitemap() -> bytes:
        return gzip.compress(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/'
                             b'schemas/sitemap/0.9"><url><loc>https://x.example/a</loc></url>'
                             ) + gzip_bomb(1024)  # fmt: skip

    def discovery(url: str) -> Any:
        return lambda data: parse_discovery(data, url)

    def extraction(url: str) -> Any:
        return lambda html: extract_article(html, url)

    # (name, build the input, parse it): only the parsing is timed
    cases: list[tuple[str, Any, Any]] = [
        ("sitemap 3M URLs (gzip)", lambda: million_url_sitemap(3_000_000),
         discovery("https://x.example/s.xml.gz")),
        ("sitemap index 200k", lambda: sitemap_index(200_000),
         discovery("https://x.example/index.xml")),
        ("feed 100k items", lambda: feed(100_000), discovery("https://x.example/f.xml")),
        ("gzip bomb sitemap", bomb_sitemap, discovery("https://x.example/s.xml.gz")),
        ("JSON feed nested 100k", json_feed_nested, discovery("https://x.example/feed.json")),
        ("extract 100 MB JSON-LD",
         lambda: article_html("Big", jsonld='{"@type": "NewsArticle", "x": "' + "y" * (100 * MB)
                              + '"}'),
         extraction("https://x.example/news/big-1234567")),
        ("extract 100k nested divs",
         lambda: "<html><body>" + "<div>" * 100_000 + "text " * 500 + "</div>" * 100_000,
         extraction("https://x.example/news/deep-1234567")),
    ]  # fmt: skip
    for name, build, parse in cases:
        data = build()
        began = time.process_time()  # CPU time: the parser's work, not the machine's load
        try:
            out = parse(data)
            summary: dict[str, Any] = {"ok": True}
            if hasattr(out, "entries"):
                summary.update(entries=len(out.entries), children=len(out.children),
                               capped=out.capped, problem=out.problem)  # fmt: skip
            else:
                summary.update(truncated=out.truncated, not_article=out.not_article)
        except DiscoveryError as exc:
            summary = {"ok": True, "refused": str(exc)}
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as a failure
            summary = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        summary["seconds"] = round(time.process_time() - began, 2)
        del data
        queue.put((name, summary))
    queue.put(("limits", {"max_entries": MAX_ENTRIES, "max_feed_entries": MAX_FEED_ENTRIES}))
    queue.put(None)


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_parse_cases, args=(queue,))
    child.start()
    results: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            try:
                item = queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 - queue.Empty: the child is stuck
                break
            if item is None:
                break
            results[item[0]] = item[1]
    finally:
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
            child.join()
    return results


def test_parsers_alone_in_bounded_time_and_memory(parsed: dict[str, dict[str, Any]]) -> None:
    limits = parsed.pop("limits")
    assert len(parsed) == 7, f"the child stopped early: {sorted(parsed)}"
    for name, result in parsed.items():
        assert result["ok"], f"{name}: {result}"
        assert result["seconds"] < 60, f"{name}: {result}"  # CPU seconds of the parse alone
    assert parsed["sitemap 3M URLs (gzip)"]["capped"]
    assert parsed["sitemap 3M URLs (gzip)"]["entries"] == limits["max_entries"]
    assert parsed["sitemap index 200k"]["children"] == limits["max_entries"]
    assert parsed["feed 100k items"]["entries"] == limits["max_feed_entries"]
    assert parsed["feed 100k items"]["capped"]
    bomb = parsed["gzip bomb sitemap"]
    assert bomb["capped"] and "larger than" in bomb["problem"] and bomb["entries"] == 1
    assert "malformed JSON feed" in parsed["JSON feed nested 100k"]["refused"]
    assert parsed["extract 100 MB JSON-LD"]["truncated"]
    assert parsed["extract 100k nested divs"]["not_article"] == "no body"


# ============================================================================================
# Discovery inputs the fuzz run (benchmarks/fuzz.py) broke before discovery.py was fixed
# ============================================================================================


def test_discovery_inputs_found_by_fuzzing() -> None:
    from newswatch.crawler.extraction.discovery import DiscoveryError, parse_discovery

    url = "https://x.example/feed.xml"
    # feedparser itself raised KeyError on a stray closing media tag: now a DiscoveryError.
    stray = (b'<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item>'
             b"<link>https://x.example/a</link></media:player></item></channel></rss>")  # fmt: skip
    with pytest.raises(DiscoveryError, match="unreadable feed: KeyError"):
        parse_discovery(stray, url)
    # A damaged gzip stream raised zlib.error: now a DiscoveryError.
    damaged = bytearray(gzip.compress(rss([("https://x.example/a", "A", "")]) * 50))
    damaged[40:60] = b"\xff" * 20
    with pytest.raises(DiscoveryError, match="damaged gzip"):
        parse_discovery(bytes(damaged), url)
    # One link no URL can be made of (urljoin raised ValueError and the feed was lost).
    found = parse_discovery(rss([("http://[::1/news/a", "Bad", ""), ("http://x.example:99999/b",
                                 "Bad port", ""), ("https://x.example/news/c", "Good", "")]),
                            url)  # fmt: skip
    assert [e.url for e in found.entries] == ["https://x.example/news/c"]
    assert found.unusable >= 1  # feedparser itself drops the IPv6 one
    # A broken XML declaration on an 800 KB first line: feedparser's encoding regex took
    # ~30 s (quadratic); now the declaration is put on a line of its own.
    line = b'<?xml version="1.0" encoding="ISO ' + b'x: \\"y\\", // z encoding="w ' * 30_000
    started = time.monotonic()
    with pytest.raises(DiscoveryError):
        parse_discovery(line + b"\n<rss><channel></channel></rss>", url)
    assert time.monotonic() - started < 10  # ~0.1 s; the quadratic path took minutes here
    # UTF-16 and UTF-32 feeds (were sniffed as HTML) and multi-member gzip sitemaps.
    doc = rss([("https://x.example/news/ü", "Ünïcode", "")]).decode()
    for encoding in ("utf-16", "utf-16-be", "utf-32"):
        wide = doc.replace('encoding="utf-8"', f'encoding="{encoding}"').encode(encoding)
        assert [e.title for e in parse_discovery(wide, url).entries] == ["Ünïcode"], encoding
    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    members = gzip.compress(head + b"<url><loc>https://x.example/1</loc></url>") + gzip.compress(
        b"<url><loc>https://x.example/2</loc></url></urlset>"
    )
    assert len(parse_discovery(members, "https://x.example/s.xml.gz").entries) == 2
