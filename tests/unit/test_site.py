"""The fixture news site itself, checked over HTTP with urllib: feeds, sitemaps, robots.txt,
hostile cases, run-time publishing, request counting and the ground truth in EXPECTED."""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.error import HTTPError

import pytest
import yaml

from newswatch.demo.site import NewsSite, Publisher, SiteArticle, config_yaml, format_dateline
from tests.site import EXPECTED, expected_for, fixture_site, late_articles

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rss1": "http://purl.org/rss/1.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
CORE_PUBLISHERS = {"planet", "courier", "meridian", "kabar", "tagesblick", "zarya", "alsahil"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # surface each 3xx as an HTTPError


_FOLLOW = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_STOP = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def fetch(url: str, *, follow: bool = True) -> tuple[int, dict[str, str], bytes]:
    opener = _FOLLOW if follow else _STOP
    try:
        with opener.open(url, timeout=15) as response:
            return response.status, dict(response.headers.items()), response.read()
    except HTTPError as error:
        with error:
            return error.code, dict(error.headers.items()), error.read()


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    with fixture_site(slow_seconds=0.3) as running:
        yield running


@pytest.fixture(scope="module")
def truth(site: NewsSite) -> dict:
    return expected_for(site)


# ---------------------------------------------------------------------------------------------
# Start-up, feeds, sitemaps
# ---------------------------------------------------------------------------------------------


def test_whole_site_starts_and_stops_fast() -> None:
    began = time.perf_counter()
    with fixture_site(include_js=True) as running:
        started = time.perf_counter() - began
        status, _, _ = fetch(running.base_url("planet") + "/robots.txt")
        bases = {running.base_url(p) for p in running.publishers}
    assert status == 200
    assert started < 0.5
    assert time.perf_counter() - began < 1.5
    assert len(bases) == len(running.publishers) == 9
    assert not running.running


def _text(element: ET.Element, path: str) -> str:
    """The text at `path` under `element`, which must be there."""
    found = element.find(path, NS)
    assert found is not None and found.text is not None, path
    return found.text


def _feed_links(body: bytes) -> list[tuple[str, datetime]]:
    """(link, publication date) of every item, in feed order, for any of the three formats."""
    root = ET.fromstring(body)
    if root.tag == "rss":
        return [
            (_text(item, "link"), parsedate_to_datetime(_text(item, "pubDate")))
            for item in root.iter("item")
        ]
    if root.tag == f"{{{NS['atom']}}}feed":
        links = []
        for entry in root.findall("atom:entry", NS):
            link = entry.find("atom:link", NS)
            assert link is not None
            links.append(
                (link.get("href", ""), datetime.fromisoformat(_text(entry, "atom:published")))
            )
        return links
    assert root.tag == f"{{{NS['rdf']}}}RDF"
    return [
        (_text(item, "rss1:link"), datetime.fromisoformat(_text(item, "dc:date")))
        for item in root.findall("rss1:item", NS)
    ]


def test_every_feed_parses_newest_first_with_the_right_links_and_dates(site, truth) -> None:
    checked = 0
    for name in site.publishers:
        for url in site.feed_urls(name):
            if url.endswith("/broken.xml"):
                continue
            status, headers, body = fetch(url)
            assert status == 200 and "xml" in headers["Content-Type"]
            items = _feed_links(body)
            dates = [d for _, d in items]
            assert all(d.tzinfo for d in dates)
            assert dates == sorted(dates, reverse=True), url
            links = {link for link, _ in items}
            wanted = {t["link_url"] for t in truth["articles"].values() if t["publisher"] == name}
            assert wanted <= links, name
            for t in truth["articles"].values():
                if t["publisher"] == name:
                    when = dict(items)[t["link_url"]]
                    assert when == datetime.fromisoformat(t["published_at"])
            checked += 1
    assert checked == 5  # planet rss2, courier atom, kabar rss2 (+0700), zarya rss1, hostile


def test_indonesian_feed_dates_are_written_in_wib(site) -> None:
    _, _, body = fetch(site.feed_urls("kabar")[0])
    dates = [el.text or "" for el in ET.fromstring(body).iter("pubDate")]
    assert dates and all(d.endswith("+0700") for d in dates)


def test_malformed_feed_is_truncated_xml(site) -> None:
    status, headers, body = fetch(site.base_url("hostile") + "/broken.xml")
    assert status == 200 and "rss" in headers["Content-Type"]
    assert body.startswith(b"<?xml") and b"<item>" in body
    with pytest.raises(ET.ParseError):
        ET.fromstring(body)


def _sitemap_entries(body: bytes) -> dict[str, str]:
    root = ET.fromstring(body)
    return {
        _text(url, "sm:loc"): _text(url, "news:news/news:publication_date")
        for url in root.findall("sm:url", NS)
    }


def test_sitemap_index_points_to_a_gzipped_news_sitemap(site, truth) -> None:
    status, _, body = fetch(site.sitemap_urls("tagesblick")[0])
    assert status == 200
    index = ET.fromstring(body)
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    (loc,) = [el.text or "" for el in index.iter(f"{{{NS['sm']}}}loc")]
    assert loc.endswith(".xml.gz")
    status, headers, packed = fetch(loc)
    assert status == 200 and "gzip" in headers["Content-Type"]
    assert packed[:2] == b"\x1f\x8b"
    entries = _sitemap_entries(gzip.decompress(packed))
    for t in truth["articles"].values():
        if t["publisher"] == "tagesblick":
            assert datetime.fromisoformat(entries[t["url"]]) == datetime.fromisoformat(
                t["published_at"]
            )
            assert entries[t["url"]].endswith("+01:00")  # written in Berlin time


def test_plain_news_sitemap(site, truth) -> None:
    _, _, body = fetch(site.sitemap_urls("meridian")[0])
    entries = _sitemap_entries(body)
    wanted = {t["url"] for t in truth["articles"].values() if t["publisher"] == "meridian"}
    assert set(entries) == wanted


def test_robots_txt(site) -> None:
    _, _, hostile = fetch(site.base_url("hostile") + "/robots.txt")
    assert "Disallow: /private/" in hostile.decode()
    _, _, planet = fetch(site.base_url("planet") + "/robots.txt")
    assert planet.decode().splitlines()[:2] == ["User-agent: *", "Disallow:"]
    _, _, german = fetch(site.base_url("tagesblick") + "/robots.txt")
    assert f"Sitemap: {site.sitemap_urls('tagesblick')[0]}" in german.decode()


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def _html_text(page: str) -> str:
    import html

    return html.unescape(page)


def test_article_pages_carry_their_date_only_where_their_style_says(site, truth) -> None:
    for t in truth["articles"].values():
        status, _, raw = fetch(t["url"])
        assert status == 200, t["key"]
        page = raw.decode(t["charset"])
        text = _html_text(page)
        assert f"<h1>{t['title']}</h1>" in text or f">{t['title']}</h1>" in text
        for paragraph in t["paragraphs"]:
            assert f"<p>{paragraph}</p>" in text, t["key"]
        assert f'<link rel="canonical" href="{t["url"]}">' in page
        has_ld = "application/ld+json" in page
        has_meta = 'property="article:published_time"' in page
        assert t["dateline"] in text
        assert "<time" not in page
        if t["date_markup"] == "jsonld":
            script = re.search(r'ld\+json">(.*?)</script>', page, re.S)
            assert script is not None
            ld = json.loads(script.group(1))
            assert ld["@type"] == "NewsArticle" and ld["headline"] == t["title"]
            published = datetime.fromisoformat(ld["datePublished"])
            assert published == datetime.fromisoformat(t["published_at"])
            assert ld["datePublished"] == t["published_at_local"]
            assert 'property="og:title"' in page and not has_meta
        elif t["date_markup"] == "meta":
            assert has_meta and not has_ld
            meta = re.search(r'article:published_time" content="([^"]+)"', page)
            assert meta and meta.group(1) == t["published_at_local"]
        else:
            assert t["date_markup"] == "dateline"
            assert not has_ld and not has_meta
            assert not re.search(r"\d{4}-\d{2}-\d{2}", page), t["key"]  # nothing ISO-like
            if t["publisher"] == "tagesblick":
                assert not re.search(r"(?<!\d)20\d\d(?!\d)", t["path"])  # nor in the URL


def test_titles_and_text_are_escaped() -> None:
    pub = Publisher("p", "en", "UTC")
    article = SiteArticle(
        "p",
        "esc",
        'Tom & Jerry <script>alert("x")</script>',
        "A < B & C > D.\n\nQuote: \"x\" and 'y'.",
        "en",
        datetime(2024, 11, 14, 8, 30, tzinfo=UTC),
    )
    with NewsSite([pub], [article]) as running:
        _, _, page = fetch(running.url(article))
        _, _, feed = fetch(running.feed_urls("p")[0])
    assert b"<script>alert" not in page
    assert b"Tom &amp; Jerry &lt;script&gt;" in page
    assert b"<p>A &lt; B &amp; C &gt; D.</p>" in page
    root = ET.fromstring(feed)
    assert _text(root, "channel/item/title") == article.title


def test_dateline_formats() -> None:
    when = datetime(2024, 11, 14, 8, 30, tzinfo=UTC)
    assert format_dateline(when, "id", "Asia/Jakarta") == "Kamis, 14 November 2024 15:30 WIB"
    assert format_dateline(when, "de", "Europe/Berlin") == "14. November 2024, 09:30 Uhr"
    assert format_dateline(when, "ru", "Europe/Moscow") == "14 ноября 2024, 11:30 МСК"
    assert format_dateline(when, "en", "Europe/London") == "Thursday 14 November 2024 08:30 GMT"


def test_listing_links_articles_and_non_articles(site, truth) -> None:
    for name in ("courier", "alsahil"):
        status, _, body = fetch(site.listing_urls(name)[0])
        assert status == 200
        hrefs = set(re.findall(r'href="([^"]+)"', body.decode()))
        wanted = {t["path"] for t in truth["articles"].values() if t["publisher"] == name}
        assert wanted <= hrefs
        assert {"/about.html", "/category/world"} <= hrefs
        videos = [n["path"] for n in truth["non_articles"] if n["publisher"] == name]
        assert videos and set(videos) <= hrefs
        pattern = re.compile(site.publishers[name].article_pattern)
        assert all(pattern.search(p) for p in wanted)
        for path in ("/about.html", "/category/world", videos[0]):
            assert fetch(site.base_url(name) + path)[0] == 200


def test_video_page_has_no_article_body(site, truth) -> None:
    for item in truth["non_articles"]:
        _, _, body = fetch(item["url"])
        page = body.decode()
        assert "<video" in page and "<article" not in page


def test_unknown_path_is_404(site) -> None:
    status, _, body = fetch(site.base_url("planet") + "/no/such/page.html")
    assert status == 404 and b"Page not found" in body
    assert fetch(site.base_url("planet") + "/latest")[0] == 404  # planet has no listing


# ---------------------------------------------------------------------------------------------
# Hostile cases
# ---------------------------------------------------------------------------------------------


def test_redirect_chain(site, truth) -> None:
    case = truth["hostile"]["cases"]["redirect"]
    url = case["url"]
    for status, path in case["chain"]:
        got, headers, _ = fetch(url, follow=False)
        assert got == status
        url = urllib.parse.urljoin(url, headers["Location"])
        assert url == site.base_url("hostile") + path
    article = truth["articles"][case["article"]]
    assert url == article["url"]
    status, _, body = fetch(case["url"])  # urllib follows all three hops
    assert status == 200 and article["paragraphs"][0].encode() in body


def test_error_statuses(truth) -> None:
    cases = truth["hostile"]["cases"]
    assert fetch(cases["not_found"]["url"])[0] == 404
    assert fetch(cases["server_error"]["url"])[0] == 500


def test_slow_page_waits_then_serves_the_article(truth) -> None:
    case = truth["hostile"]["cases"]["slow"]
    began = time.perf_counter()
    status, _, body = fetch(case["url"])
    assert time.perf_counter() - began >= 0.3  # the module's site sleeps 0.3 s
    assert status == 200
    assert truth["articles"][case["article"]]["paragraphs"][0].encode() in body


def test_cp1251_page_really_is_cp1251(truth) -> None:
    case = truth["hostile"]["cases"]["cp1251"]
    article = truth["articles"][case["article"]]
    status, headers, body = fetch(case["url"])
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=windows-1251"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    page = body.decode("cp1251")
    assert '<meta charset="windows-1251">' in page
    assert "&#" not in page  # every character was encodable, nothing fell back to references
    for paragraph in article["paragraphs"]:
        assert paragraph.encode("cp1251") in body
    assert article["language"] == "ru"


def test_huge_page_is_an_article_then_megabytes_of_markup(truth) -> None:
    case = truth["hostile"]["cases"]["huge"]
    article = truth["articles"][case["article"]]
    status, _, body = fetch(case["url"])
    assert status == 200 and len(body) >= case["min_bytes"]
    head = body[:20_000].decode()
    assert all(p in _html_text(head) for p in article["paragraphs"])
    assert body.rstrip().endswith(b"</html>")


def test_hostile_feed_links_every_case(site, truth) -> None:
    _, _, body = fetch(site.feed_urls("hostile")[0])
    links = {link for link, _ in _feed_links(body)}
    assert {case["url"] for case in truth["hostile"]["cases"].values()} <= links


# ---------------------------------------------------------------------------------------------
# Run-time behaviour
# ---------------------------------------------------------------------------------------------


def test_publish_shows_up_in_feed_and_listing_at_once() -> None:
    late = late_articles()
    with fixture_site() as running:
        planet_feed, courier_listing = (
            running.feed_urls("planet")[0],
            running.listing_urls("courier")[0],
        )
        before = {link for link, _ in _feed_links(fetch(planet_feed)[2])}
        for article in late:
            running.publish(article)
        items = _feed_links(fetch(planet_feed)[2])
        assert items[0][0] == running.url(late[0])  # newest first
        assert running.url(late[0]) not in before
        assert running.path(late[1]).encode() in fetch(courier_listing)[2]
        assert fetch(running.url(late[1]))[0] == 200
        truth = expected_for(running)
        assert truth["late"][f"planet/{late[0].slug}"]["url"] == running.url(late[0])
        with pytest.raises(ValueError):
            running.publish(late[0])


def test_publish_is_thread_safe() -> None:
    pub = Publisher("p", "en", "Europe/London")
    start = datetime(2024, 11, 14, tzinfo=UTC)
    with NewsSite([pub]) as running:
        feed = running.feed_urls("p")[0]

        def publish(offset: int) -> None:
            for i in range(25):
                n = offset + i
                running.publish(
                    SiteArticle("p", f"a{n}", f"T{n}", "Text.", "en", start + timedelta(minutes=n))
                )
                fetch(feed)

        threads = [threading.Thread(target=publish, args=(k * 100,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(_feed_links(fetch(feed)[2])) == 100


def test_hits_are_counted(site, truth) -> None:
    article = truth["articles"]["planet/kursk-combat-seoul"]
    site.reset_hits()
    fetch(article["url"])
    fetch(article["url"] + "?utm_source=test")  # counted under the path
    fetch(site.feed_urls("planet")[0])
    hits = site.hits
    assert hits[("planet", article["path"])] == 2
    assert hits[("planet", "/feed.xml")] == 1
    assert site.article_hits() == 2
    assert site.article_hits("courier") == 0
    fetch(truth["hostile"]["cases"]["redirect"]["url"])
    assert site.article_hits("hostile") == 1  # the redirect hops are not article pages
    assert site.hits[("hostile", "/go/cranes")] == 1


def test_add_route_can_serve_anything() -> None:
    pub = Publisher("p", "en", "UTC")
    with NewsSite([pub]) as running:
        running.add_route("p", "/teapot", lambda request: (418, {"X-Q": request.query}, b"tea"))
        status, headers, body = fetch(running.base_url("p") + "/teapot?cup=1")
    assert (status, headers["X-Q"], body) == (418, "cup=1", b"tea")


def test_js_only_publisher_has_no_text_without_javascript() -> None:
    with fixture_site(include_js=True) as running:
        truth = expected_for(running)
        js = [t for t in truth["articles"].values() if t["render_js"]]
        assert js
        for t in js:
            _, _, page = fetch(t["url"])
            assert t["paragraphs"][0].encode() not in page
            assert b"fetch(" in page
            _, _, api = fetch(
                running.base_url("jsonly") + f"/api/article/{t['key'].split('/')[1]}.json"
            )
            assert json.loads(api)["paragraphs"] == t["paragraphs"]


def test_naive_dates_are_refused() -> None:
    with pytest.raises(ValueError):
        SiteArticle("p", "s", "T", "B", "en", datetime(2024, 11, 14))


# ---------------------------------------------------------------------------------------------
# Config and ground truth
# ---------------------------------------------------------------------------------------------


def test_config_yaml_lists_each_publisher_with_the_keys_that_apply(site) -> None:
    text = config_yaml(site, "sqlite:///x.db")
    config = yaml.safe_load(text)
    assert config["store"] == "sqlite:///x.db"
    sources = {s["name"]: s for s in config["sources"]}
    assert set(sources) == set(site.publishers)
    assert sources["planet"]["feeds"] == site.feed_urls("planet")
    assert "sitemaps" not in sources["planet"] and "listings" not in sources["planet"]
    assert sources["hostile"]["feeds"][1].endswith("/broken.xml")
    assert set(sources["alsahil"]) == {
        "name",
        "listings",
        "article_pattern",
        "language",
        "timezone",
    }
    assert re.search(sources["alsahil"]["article_pattern"], "/news/2024/11/14/1.html")
    assert sources["tagesblick"]["sitemaps"] == site.sitemap_urls("tagesblick")
    assert sources["kabar"]["timezone"] == "Asia/Jakarta"
    only = yaml.safe_load(config_yaml(site, "sqlite:///y.db", sources=["zarya"]))
    assert [s["name"] for s in only["sources"]] == ["zarya"]


def _matches(query_terms: tuple[list[str], list[str]], text: str) -> bool:
    words = re.findall(r"\w+", text.lower())
    joined = " " + " ".join(words) + " "
    return all(any(f" {term.lower()} " in joined for term in group) for group in query_terms)


def test_ground_truth_is_consistent() -> None:
    nk = (["North Korea", "Korea Utara", "Nordkorea"], ["troops", "pasukan", "Soldaten"])
    articles = {**EXPECTED["articles"], **EXPECTED["late"]}
    for key, t in articles.items():
        assert key == f"{t['publisher']}/{key.split('/')[1]}"
        assert datetime.fromisoformat(t["published_at"]).utcoffset() == timedelta(0)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+00:00", t["published_at"])
        text = t["title"] + "\n" + "\n".join(t["paragraphs"])
        assert ("nk-troops" in t["topics"]) == _matches(nk, text), key
        for statement in t["statements"]:
            assert statement["quote"] in text and statement["speaker"] in text, key
        if t["publisher"] in CORE_PUBLISHERS and not t["cut_short"]:
            assert 150 <= len(text.split()) <= 400, key
    for keys in EXPECTED["stories"].values():
        bodies = [articles[k]["paragraphs"] for k in keys]
        assert len({articles[k]["title"] for k in keys}) == len(keys)
        full = max(bodies, key=len)
        assert all(b == full[: len(b)] for b in bodies)
    cut = [t for t in articles.values() if t["cut_short"]]
    assert len(cut) == 1 and cut[0]["story"] == "kursk-wire"
    assert len(EXPECTED["stories"]["kursk-wire"]) == 3
    assert {t["language"] for t in EXPECTED["articles"].values()} >= {"en", "id", "de", "ru", "ar"}
    by_publisher: dict[str, int] = {}
    for t in EXPECTED["articles"].values():
        by_publisher[t["publisher"]] = by_publisher.get(t["publisher"], 0) + 1
    assert all(3 <= by_publisher[p] <= 5 for p in CORE_PUBLISHERS)
    cases = EXPECTED["hostile"]["cases"]
    assert {n for n, c in cases.items() if c["stored"]} == {
        "redirect", "slow", "cp1251", "huge", "not_article"  # the last kept, flagged
    }
    for case in cases.values():
        if case["article"]:
            assert EXPECTED["articles"][case["article"]]["stored"] == case["stored"]
