"""Articles for tests and benchmarks that publish while newswatch watches: each one a story
of its own on the "North Korean troops" topic, and syndicated copies of them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from newswatch.demo.site import SiteArticle

NOW = datetime.now(UTC).replace(microsecond=0)

# Words for article bodies that share no phrases with each other (each article its own story).
_WORDS = (
    "harbour bridge council budget river winter market school railway station museum "
    "farmers harvest storm coast village factory workers union strike hospital nurses "
    "doctors mayor election voters tram library festival orchestra stadium league coach "
    "airport runway pilots ferry island fishermen quota forest wildfire rangers drought "
    "reservoir engineers tunnel highway traffic cyclists pavement bakery prices bread "
    "students exams teachers salaries pension reform tax inspectors court judge verdict "
    "police patrol district housing tenants rent landlords energy grid turbines solar "
    "panels copper mine miners export shipping containers port cranes warehouse retail"
)


def on_topic(publisher: str, n: int, hours_ago: float = 0.5) -> SiteArticle:
    """Article n: a story of its own on the topic (random filler keeps stories apart)."""
    rng = random.Random(n)
    vocabulary = _WORDS.split()
    filler = [
        " ".join(rng.choice(vocabulary) for _ in range(28)).capitalize() + "." for _ in range(5)
    ]
    lead = (
        f"North Korea has moved a new unit of troops, report number {n}, toward the border "
        f"region, officials said on the {n}th day of the operation."
    )
    return SiteArticle(
        publisher=publisher,
        slug=f"nk-troops-update-{n}",
        title=f"North Korean troops: update {n} on the deployment",
        body="\n\n".join([lead, *filler]),
        language="en",
        published_at=NOW - timedelta(hours=hours_ago),
    )


def syndicated(original: SiteArticle, publisher: str) -> SiteArticle:
    """The same text on another outlet under another headline."""
    return SiteArticle(
        publisher=publisher,
        slug=original.slug + "-wire",
        title="Wire: " + original.title,
        body=original.body,
        language="en",
        published_at=original.published_at + timedelta(minutes=5),
    )


def off_topic(publisher: str, n: int, hours_ago: float = 0.5) -> SiteArticle:
    """Article n on local news that no topic tracks."""
    rng = random.Random(-n)
    vocabulary = _WORDS.split()
    paragraphs = [
        " ".join(rng.choice(vocabulary) for _ in range(30)).capitalize() + "." for _ in range(5)
    ]
    return SiteArticle(
        publisher=publisher,
        slug=f"local-news-{n}",
        title=f"Local news {n}: {' '.join(paragraphs[0].split()[:5])}",
        body="\n\n".join(paragraphs),
        language="en",
        published_at=NOW - timedelta(hours=hours_ago),
    )
