import pytest

from newswatch.crawler.extraction.urls import article_id, canonical_url, domain_of, url_key


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://WWW.Example.ORG:443/a/b?utm_source=x&b=2&a=1#top",
            "https://www.example.org/a/b?a=1&b=2",
        ),
        ("http://example.org:80/x?fbclid=abc&gclid=1", "http://example.org/x"),
        ("http://example.org:8080/x", "http://example.org:8080/x"),
        ("https://example.org/a%7eb", "https://example.org/a~b"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # idempotent


def test_variants_share_an_id() -> None:
    variants = [
        "https://www.example.org/news/2024/story-one/",
        "http://example.org/news/2024/story-one",
        "https://m.example.org/news/2024/story-one?utm_medium=social",
        "https://example.org/news/2024/story-one/amp/",
        "https://example.org/news/2024/story-one#comments",
    ]
    assert len({article_id(u) for u in variants}) == 1
    assert url_key(variants[0]) == "example.org/news/2024/story-one"
    assert article_id("https://example.org/news/2024/story-two") != article_id(variants[0])


def test_domain() -> None:
    assert domain_of("https://www.Example.org/x") == "example.org"
