"""Headlines: the most trusted declared headline, cleaned, without the site's name (from the
page itself, or learned from the source's other headlines)."""

from __future__ import annotations

import lxml.html
import pytest

from newswatch.crawler.extraction.article import extract_article
from newswatch.crawler.extraction.headline import (
    LEARNED_AFTER,
    TitleAffixes,
    clean,
    pick_headline,
    site_names,
    strip_site,
)


def page(head: str, body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("title", "meta", "url", "expected"),
    [
        # the host names the site
        ("Akkutechnik: Hat Quantumscape genug Akkus gebaut? - Golem.de", {},
         "https://www.golem.de/news/a.html", "Akkutechnik: Hat Quantumscape genug Akkus gebaut?"),
        # og:site_name, in another script
        ("停戦「最も合意に近い」 最終案に双方同意か - 毎日新聞", {"og:site_name": "毎日新聞"},
         "https://mainichi.jp/articles/1", "停戦「最も合意に近い」 最終案に双方同意か"),
        # a leading site name, and a trailing one after a section
        ("Daily Courier | Harbour cranes sold | Business", {"og:site_name": "The Daily Courier"},
         "https://courier.example/a", "Harbour cranes sold | Business"),
        ("Harbour cranes sold – The Daily Courier Online", {"og:site_name": "Daily Courier"},
         "https://courier.example/a", "Harbour cranes sold"),
        # a segment that only mentions the site among other words is headline
        ("Courier staff strike - courier owners and unions meet again on Monday", {},
         "https://courier.example/a",
         "Courier staff strike - courier owners and unions meet again on Monday"),
        # never the whole title
        ("Golem.de", {}, "https://www.golem.de/", "Golem.de"),
    ],
)  # fmt: skip
def test_the_site_name_is_stripped(
    title: str, meta: dict[str, str], url: str, expected: str
) -> None:
    assert strip_site(title, site_names(meta, None, url)) == expected


def test_clean_decodes_twice_escaped_entities_and_drops_invisible_characters() -> None:
    assert clean("Minister&amp;#8217;s  \u200bplan") == "Minister’s plan"
    assert clean("Helikopter\u00adlandeplatz") == "Helikopterlandeplatz"


def test_jsonld_headline_first_then_meta_then_h1_then_title() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "From LD"}'
        "</script>"
    )
    og = '<meta property="og:title" content="From OG | Courier">'
    title = "<title>From title | The Courier</title>"
    url = "https://courier.example/a"

    def pick(head: str, body: str = "") -> str:
        html = page(head, body)
        return extract_article(html, url).title

    assert pick(ld + og + title, "<h1>From H1</h1>") == "From LD"
    assert pick(og + title, "<h1>From H1</h1>") == "From OG"
    assert pick(title, "<h1>From H1</h1>") == "From H1"
    assert pick("<title>Harbour cranes sold | Evening Edition</title>") == "Harbour cranes sold"


def test_pick_headline_skips_empty_candidates() -> None:
    tree = lxml.html.fromstring(page("<title>Kept | Site</title>", "<h1> \u200b </h1>"))
    assert pick_headline(tree, {"headline": "   "}, {}, "https://example.org/a") == "Kept"


def test_a_suffix_the_source_keeps_repeating_is_learned_as_its_name() -> None:
    counts: dict[str, int] = {}
    affixes = TitleAffixes(counts)
    titles = [f"Story number {n} - Evening Edition" for n in range(LEARNED_AFTER + 2)]
    out = [affixes.apply(t) for t in titles]
    # the first headlines teach it, and keep the suffix; from then on it is stripped
    assert out[: LEARNED_AFTER - 1] == titles[: LEARNED_AFTER - 1]
    assert out[LEARNED_AFTER - 1 :] == [f"Story number {n}" for n in range(LEARNED_AFTER - 1, 5)]
    # what changes from headline to headline is never learned
    other = TitleAffixes({})
    varied = [f"Kicker - story {n} of the day" for n in range(6)]
    assert [other.apply(t) for t in varied] == varied
    assert TitleAffixes(counts).apply("No separator here") == "No separator here"
