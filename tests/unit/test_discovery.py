import gzip

import pytest

from newswatch.crawler.extraction.discovery import (
    DiscoveryError,
    gunzip_capped,
    parse_discovery,
)

RSS2 = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>One</title><link>https://ex.org/news/1-one</link>
<pubDate>Thu, 14 Nov 2024 08:30:00 +0700</pubDate></item>
<item><title>Two</title><link>/news/2-two</link></item></channel></rss>"""
RSS1 = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://ex.org/"><title>t</title><link>https://ex.org/</link></channel>
<item rdf:about="https://ex.org/a"><title>A</title><link>https://ex.org/a</link>
<dc:date>2024-11-14T08:30:00+03:00</dc:date></item></rdf:RDF>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>t</title><entry><title>A</title><link href="https://ex.org/a"/><id>x</id>
<published>2024-11-14T08:30:00Z</published><updated>2024-11-15T08:30:00Z</updated></entry></feed>"""
NEWS_SITEMAP = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://ex.org/a</loc>
<news:news><news:publication_date>2024-11-14T08:30:00+01:00</news:publication_date>
<news:title>A</news:title></news:news></url></urlset>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://ex.org/news.xml.gz</loc></sitemap></sitemapindex>"""


def test_rss2() -> None:
    found = parse_discovery(RSS2, "https://ex.org/feed")
    assert found.kind == "feed"
    assert [e.url for e in found.entries] == [
        "https://ex.org/news/1-one",
        "https://ex.org/news/2-two",
    ]
    assert found.entries[0].published == "Thu, 14 Nov 2024 08:30:00 +0700"


def test_rss1_and_atom() -> None:
    rdf = parse_discovery(RSS1, "https://ex.org/rdf")
    assert [(e.url, e.published) for e in rdf.entries] == [
        ("https://ex.org/a", "2024-11-14T08:30:00+03:00")
    ]
    atom = parse_discovery(ATOM, "https://ex.org/atom")
    assert atom.entries[0].published == "2024-11-14T08:30:00Z"
    assert atom.entries[0].modified == "2024-11-15T08:30:00Z"


def test_news_sitemap_gzip_and_index() -> None:
    found = parse_discovery(gzip.compress(NEWS_SITEMAP), "https://ex.org/s.xml.gz")
    assert found.entries[0].published == "2024-11-14T08:30:00+01:00"
    assert found.entries[0].title == "A"
    index = parse_discovery(INDEX, "https://ex.org/sitemap.xml")
    assert index.kind == "sitemapindex" and index.children == ["https://ex.org/news.xml.gz"]


def test_truncated_feed_keeps_what_it_can_or_says_why() -> None:
    damaged = parse_discovery(
        RSS2[: RSS2.index(b"<item><title>Two")] + b"<item><tit", "https://ex.org/f"
    )
    assert damaged.problem and "malformed" in damaged.problem
    assert [e.url for e in damaged.entries] == ["https://ex.org/news/1-one"]
    with pytest.raises(DiscoveryError):
        parse_discovery(b"<?xml version='1.0'?><rss><chan", "https://ex.org/f")


def test_listing_with_and_without_pattern() -> None:
    page = b"""<html><body><a href="/about">About</a><a href="/berita/123456/judul">Judul</a>
    <a href="https://other.org/berita/9/x">Elsewhere</a>
    <a href="/2024/11/long-story-slug-here">S</a>
    <a href="/section/world">World</a></body></html>"""
    with_pattern = parse_discovery(page, "https://ex.org/terkini", r"/berita/\d+/")
    assert [e.url for e in with_pattern.entries] == [
        "https://ex.org/berita/123456/judul",
        "https://other.org/berita/9/x",
    ]
    guessed = parse_discovery(page, "https://ex.org/terkini")
    assert [e.url for e in guessed.entries] == [
        "https://ex.org/berita/123456/judul",
        "https://ex.org/2024/11/long-story-slug-here",
    ]


def test_listing_refused_where_a_feed_was_expected() -> None:
    with pytest.raises(DiscoveryError, match="expected a feed or sitemap"):
        parse_discovery(b"<html><body>hi</body></html>", "https://ex.org/feed", listing_ok=False)


def test_gzip_bomb_is_capped() -> None:
    bomb = gzip.compress(b"\0" * (3 * 1024 * 1024))
    with pytest.raises(DiscoveryError, match="larger than"):
        gunzip_capped(bomb, limit=1024 * 1024)
