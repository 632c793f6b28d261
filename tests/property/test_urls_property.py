"""Properties of URL canonicalisation (newswatch.crawler.extraction.urls).

canonical_url, url_key, article_id and domain_of take whatever a feed, sitemap or page
links to: they must never raise, canonical_url must be idempotent, and the article id must
not change when the URL is canonicalised again or varies only in what canonicalisation
removes (tracking parameters, fragment, default port, case of scheme and host).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newswatch.crawler.extraction.urls import article_id, canonical_url, domain_of, url_key
from tests.property.budget import tried

LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
HOST = st.one_of(
    st.lists(LABEL, min_size=1, max_size=4).map(".".join),
    st.builds(lambda a, b, c, d: f"{a}.{b}.{c}.{d}", *[st.integers(0, 255)] * 4),
    st.just("xn--bcher-kva.example"),
    st.just("bücher.example"),  # an IDN written in Unicode
    st.just("[2001:db8::1]"),
)
SEGMENT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"),
    max_size=12,
)
PATH = st.lists(SEGMENT, max_size=5).map(lambda parts: "/" + "/".join(parts))
PARAM = st.one_of(
    st.sampled_from(
        [
            "utm_source",
            "utm_campaign",
            "fbclid",
            "gclid",
            "ref",
            "amp",
            "id",
            "page",
            "q",
            "p",
            "Utm_Medium",
        ]
    ),  # fmt: skip
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8),
)
VALUE = st.text(  # no whitespace: a URL is stripped first, so a trailing blank would differ
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc"), blacklist_characters="&#="),
    max_size=10,
)
QUERY = st.lists(st.tuples(PARAM, VALUE), max_size=4).map(
    lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)
)
URL = st.builds(
    lambda scheme, host, port, path, query, fragment: (
        f"{scheme}://{host}{port}{path}" + (f"?{query}" if query else "")
        + (f"#{fragment}" if fragment else "")
    ),
    st.sampled_from(["http", "https", "HTTP", "Https"]),
    HOST,
    st.sampled_from(["", ":80", ":443", ":8080", ":1"]),
    PATH,
    QUERY,
    st.text(max_size=6),
)  # fmt: skip
ANY_TEXT = st.text(max_size=200)


def _check(url: str) -> str:
    canonical = canonical_url(url)
    assert isinstance(canonical, str)
    assert canonical_url(canonical) == canonical, "canonical_url is not idempotent"
    key = url_key(url)
    assert url_key(canonical) == key
    ident = article_id(url)
    assert re.fullmatch(r"[0-9a-f]{24}", ident)
    assert article_id(canonical) == ident == article_id(url)
    assert isinstance(domain_of(url), str)
    return canonical


@given(URL)
@example("HTTPS://WWW.Example.ORG:443/a/b/?utm_source=x&id=3#top")
@example("http://example.org/news/story.amp.html?amp=1&outputType=amp")
def test_canonical_urls_of_urls(url: str) -> None:
    tried("urls: canonical_url of generated URLs")
    canonical = _check(url)
    parts = urlsplit(canonical)
    assert parts.scheme == urlsplit(url).scheme.lower()
    assert not parts.fragment
    assert not re.search(r"(?:^|&)(?:utm_[^=&]*|fbclid|gclid)=", parts.query, re.I)
    # What canonicalisation removes never changes the id.
    bare = url.split("#")[0]
    noisy = bare + ("&" if "?" in bare else "?") + "utm_medium=email#frag"
    assert article_id(noisy) == article_id(url)


def _splittable(text: str) -> bool:
    """Whether urlsplit can take the text apart (and read its port): canonical_url keeps
    text it cannot ("http://[::1", "//]", "http://h:99999/", "//:a") as it is."""
    try:
        _ = urlsplit(text.strip()).port
    except ValueError:
        return False
    return True


# Strings that are not URLs, or not quite: canonical_url must still answer (the spider feeds
# it every link of a hostile page).
@given(ANY_TEXT)
@example("")
@example("http://")
@example("https://exa mple.org/a b")
@example("javascript:alert(1)")
@example("//example.org/path")
@example("http://example.org:0/a")
def test_canonical_url_never_raises_on_any_text(text: str) -> None:
    tried("urls: canonical_url of arbitrary text")
    _check(text)


@given(st.text(alphabet="htps:/[]0123456789.:@?#%abcx", max_size=40))
def test_canonical_url_never_raises_on_url_shaped_noise(text: str) -> None:
    tried("urls: canonical_url of URL-shaped noise")
    _check(text)


UNSPLITTABLE = ["http://[::1", "//]", "http://example.org:99999/a", "http://example.org:abc/a",
                "//:a"]  # fmt: skip


@pytest.mark.parametrize("text", UNSPLITTABLE)
def test_unsplittable_urls_are_kept_as_they_are(text: str) -> None:
    assert not _splittable(text)
    _check(text)
