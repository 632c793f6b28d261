"""Two workers storing copies of one new story in the same moment (two outlets, the same wire
text or an edited copy of it, neither signature written yet) get one story id, on SQLite and
on the real Elasticsearch, 50 times in a row: the first claim of the story (its content hash,
or for an edited copy its LSH bands) in the store wins and the other joins it."""

from __future__ import annotations

import asyncio
import multiprocessing
import random
from typing import Any

from scrapy.utils.test import get_crawler

from newswatch.pipelines.dedupe import DedupePipeline
from newswatch.pipelines.validate import content_hash
from newswatch.records import Article
from newswatch.storage import open_store

ROUNDS = 50
WORDS = [
    "harbour", "council", "budget", "ferry", "storm", "minister", "troops", "border", "report",
    "officials", "said", "plan", "river", "port", "shipping", "unions", "residents", "vote",
]  # fmt: skip




def copy_of(text: str, outlet: str, n: int) -> Article:
    return Article(
        id=f"{outlet}-{n}",
        url=f"https://{outlet}.example/{n}",
        canonical_url=f"https://{outlet}.example/{n}",
        source=outlet,
        domain=f"{outlet}.example",
        title=f"Story {n}",
        body=text,
        content_hash=content_hash(text),
    )


def worker(store_url: str, outlet: str, texts: list[str], start: Any, out: Any) -> None:
    """One worker process: its own store client, memory index and lock, as a separate
    `newswatch run` has; each round starts at the barrier with the other worker."""
    store = open_store(store_url)
    # batch 1: each worker writes its signature at once, as late as the race allows
    pipeline = DedupePipeline(get_crawler(), store, 1)
    try:
        for n, text in enumerate(texts):
            start.wait()
            article = asyncio.run(pipeline.process_item(copy_of(text, outlet, n)))
            out.put((n, article.story_id))
    finally:
        store.close()


def edited(text: str, rng: random.Random) -> str:
    """The same wire text as another outlet runs it: a new first line, four words changed."""
    words = text.split()
    for k in rng.sample(range(len(words)), 4):
        words[k] = rng.choice(WORDS).upper()
    return "Updated at noon. " + " ".join(words)


def race(store_url: str, north: list[str], south: list[str]) -> dict[int, set[str]]:
    context = multiprocessing.get_context("fork")
    start, out = context.Barrier(2), context.Queue()
    workers = [
        context.Process(target=worker, args=(store_url, outlet, texts, start, out))
        for outlet, texts in (("north", north), ("south", south))
    ]
    for process in workers:
        process.start()
    stories: dict[int, set[str]] = {}
    for _ in range(2 * ROUNDS):
        n, story = out.get(timeout=120)
        stories.setdefault(n, set()).add(story)
    for process in workers:
        process.join(30)
    assert [process.exitcode for process in workers] == [0, 0]
    return stories


def test_copies_stored_by_two_workers_in_the_same_moment_get_one_story(store_url: str) -> None:
    rng = random.Random(7)
    texts = [" ".join(rng.choice(WORDS) for _ in range(120)) + f" Report {n}."
             for n in range(ROUNDS)]  # fmt: skip
    stories = race(store_url, texts, texts)
    assert [len(stories[n]) for n in range(ROUNDS)] == [1] * ROUNDS, stories


def test_near_copies_stored_by_two_workers_in_the_same_moment_get_one_story(
    store_url: str,
) -> None:
    rng = random.Random(11)
    texts = [" ".join(rng.choice(WORDS) for _ in range(120)) + f" Report {n}."
             for n in range(ROUNDS)]  # fmt: skip
    copies = [edited(text, rng) for text in texts]
    assert all(content_hash(a) != content_hash(b) for a, b in zip(texts, copies, strict=True))
    stories = race(store_url, texts, copies)
    assert [len(stories[n]) for n in range(ROUNDS)] == [1] * ROUNDS, stories


def test_band_claims_older_than_the_cutoff_are_pruned(store_url: str) -> None:
    import time as _time

    from newswatch.dedupe import fingerprint
    from newswatch.dedupe.stories import assign

    rng = random.Random(3)
    text = " ".join(rng.choice(WORDS) for _ in range(120)) + " Report."
    fp = fingerprint(text)
    old = assign("old", "hash-old", fp, [], "2026-01-01T00:00:00+00:00").entry
    new = assign("new", "hash-new", fp, [], "2026-01-03T00:00:00+00:00").entry
    store = open_store(store_url)
    try:
        assert store.claim_story(old)["id"] == "old"
        won, _ = store.claim_bands(old)
        assert won == set(old["bands"])
        _time.sleep(1.5)  # Elasticsearch: the claims searchable, as day-old ones are
        store.prune_band_claims("2026-01-02T00:00:00+00:00")
        assert store.claim_story(new)["id"] == "new"
        deadline = _time.monotonic() + 20
        while True:  # Elasticsearch deletes in the background
            won, rivals = store.claim_bands(new)
            if won == set(new["bands"]) or _time.monotonic() > deadline:
                break
            _time.sleep(0.5)
        assert won == set(new["bands"]) and rivals == []
    finally:
        store.close()
