"""newswatch.dedupe: normalisation, signatures, the same-story rule and story assignment."""

from __future__ import annotations

import random

from newswatch.dedupe import (
    BANDS,
    NUM_PERM,
    SHORT_WORDS,
    containment,
    decode_signature,
    fingerprint,
    normalise,
    same_story,
    similar,
    tokens,
)
from newswatch.dedupe.stories import (
    EXACT,
    NEAR,
    NEW,
    REVISION,
    SAME,
    MemoryIndex,
    assign,
    settle_bands,
)

_VOCABULARY = (
    "troops border ministry officials said spokesman region village army ship rail training "
    "reported weeks units prepared attempt forces part held since august moscow confirmed "
    "deployment described speculation analysts arrival battlefield additional manpower round "
    "mobilisation home giving experience decades exchange believe seeking oil money military "
    "technology governments europe asia reviewing policy supplying weapons countries war"
)
WORDS = _VOCABULARY.split()


def text(seed: int, words: int = 300) -> str:
    rng = random.Random(seed)
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) + ".")
    return "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def test_normalise_folds_case_quotes_dashes_entities_and_space() -> None:
    a = "“Troops” arrived — officials\u00a0said. It&#39;s  over."
    b = '"troops" ARRIVED - officials said.\n\nIt\'s over'
    assert normalise(a) == normalise(b) == "troops arrived officials said it s over"


def test_cjk_text_is_tokenised_per_character() -> None:
    assert tokens("新华社北京电 Xinhua") == ["新", "华", "社", "北", "京", "电", "xinhua"]


def test_signature_is_stable_and_banded() -> None:
    body = text(1)
    a, b = fingerprint(body), fingerprint(body)
    assert a.signature is not None and len(a.signature) == NUM_PERM
    assert (a.signature == b.signature).all() and a.bands == b.bands
    assert len(a.bands) == BANDS and len(set(a.bands)) == BANDS
    assert (decode_signature(a.encoded()) == a.signature).all()


def test_copies_match_and_other_stories_do_not() -> None:
    original = fingerprint(text(1))
    chrome = "Home | World | Sport\nShare this article\n"
    copy = fingerprint(chrome + text(1).replace("officials", "Officials") + "\nRead more here")
    cut = fingerprint(text(1)[: len(text(1)) // 2])
    other = fingerprint(text(2))
    assert similar(original, copy)[0]
    assert similar(original, cut)[0]
    assert not similar(original, other)[0]


def test_short_texts_get_no_signature() -> None:
    short = fingerprint(" ".join(WORDS[: SHORT_WORDS - 1]))
    assert short.short and short.bands == [] and short.encoded() is None
    assert not similar(short, short)[0]  # short texts only ever match exactly


def test_same_story_rule() -> None:
    assert same_story(0.9, 100, 100)
    assert not same_story(0.1, 100, 100)
    # half of a text cut from the other: Jaccard 0.5 but all of the smaller one is contained
    assert containment(0.5, 200, 100) == 1.0
    assert same_story(0.3, 300, 100)
    assert not same_story(0.3, 100, 100)


def entry_for(article_id: str, body: str, **fields: object) -> dict:
    fp = fingerprint(body)
    result = assign(article_id, f"hash-{article_id}", fp, [], "2024-11-01T00:00:00+00:00")
    result.entry.update(fields)
    return result.entry


def test_assign_new_exact_near_and_revision() -> None:
    body = text(1)
    first = entry_for("a", body)
    assert first["story_id"] == "a" and first["duplicate_of"] is None

    fp = fingerprint(body)
    exact = assign("b", "hash-a", fp, [first], "2024-11-02T00:00:00+00:00")
    assert (exact.kind, exact.story_id, exact.duplicate_of) == (EXACT, "a", "a")

    near = assign("c", "hash-c", fingerprint("Other headline\n" + body), [first], "x")
    assert (near.kind, near.story_id, near.duplicate_of) == (NEAR, "a", "a")
    assert near.similarity > 0.4

    joined = {**first, "id": "b", "story_id": "a", "duplicate_of": "a"}
    revised = assign("b", "hash-new", fingerprint(text(3)), [joined], "2024-11-03T00:00:00Z")
    assert (revised.kind, revised.story_id, revised.duplicate_of) == (REVISION, "a", "a")
    assert revised.entry["seen_at"] == joined["seen_at"]  # still the first version's time
    again = assign("a", "hash-a", fp, [first], "later")
    assert again.kind == SAME and again.story_id == "a"

    other = assign("d", "hash-d", fingerprint(text(2)), [first], "x")
    assert (other.kind, other.story_id, other.duplicate_of) == (NEW, "d", None)


def test_assign_joins_the_first_seen_match() -> None:
    body = text(5)
    older = entry_for("old", body, seen_at="2024-01-01T00:00:00+00:00", story_id="s1")
    newer = entry_for("new", body, seen_at="2024-06-01T00:00:00+00:00", story_id="s1")
    result = assign("x", "hash-x", fingerprint(body + "\nEditor's note."), [newer, older], "z")
    assert result.story_id == "s1" and result.duplicate_of == "old"


def test_memory_index_finds_and_forgets() -> None:
    memory = MemoryIndex(capacity=2)
    a, b, c = entry_for("a", text(1)), entry_for("b", text(2)), entry_for("c", text(3))
    for entry in (a, b, c):
        memory.add(entry)
    assert len(memory) == 2
    assert memory.find(["a"], ["hash-a"], a["bands"]) == []  # the oldest was forgotten
    assert [e["id"] for e in memory.find([], ["hash-b"], [])] == ["b"]
    assert [e["id"] for e in memory.find([], [], c["bands"][:1])] == ["c"]
    memory.add({**b, "bands": []})  # replacing an entry drops its old bands
    assert memory.find([], [], b["bands"]) == []


def test_band_claims_settle_a_race_of_near_copies_alike_on_both_sides() -> None:
    body = text(9)
    copy = "Updated at noon.\n" + body
    a_fp, b_fp = fingerprint(body), fingerprint(copy)
    a = assign("a", "hash-a", a_fp, [], "2024-11-01T10:00:00+00:00")
    b = assign("b", "hash-b", b_fp, [], "2024-11-01T10:00:01+00:00")
    shared = set(a.entry["bands"]) & set(b.entry["bands"])
    assert len(shared) >= 2
    # b claimed every shared band first: a never saw b, so a yields whatever the times
    settled = settle_bands(a, a_fp, set(a.entry["bands"]) - shared, [b.entry])
    assert (settled.kind, settled.story_id, settled.duplicate_of) == (NEAR, "b", "b")
    assert settle_bands(b, b_fp, set(b.entry["bands"]), []) is b
    # each won some shared band: both see the other, and the earlier one keeps its story
    one = sorted(shared)[0]
    a_won = (set(a.entry["bands"]) - shared) | {one}
    b_won = set(b.entry["bands"]) - {one}
    assert settle_bands(a, a_fp, a_won, [b.entry]) is a
    later = settle_bands(b, b_fp, b_won, [a.entry])
    assert (later.story_id, later.duplicate_of) == ("a", "a")
    # another story holding a band by chance is no rival
    other = assign("c", "hash-c", fingerprint(text(10)), [], "2024-11-01T09:00:00+00:00")
    assert settle_bands(b, b_fp, set(), [other.entry]) is b


def test_the_pipeline_takes_the_fingerprint_the_extraction_worker_made_of_the_same_body(
    tmp_path,
) -> None:
    import asyncio

    from scrapy.utils.test import get_crawler

    from newswatch.crawler.workers import extract_page
    from newswatch.pipelines.dedupe import DedupePipeline
    from newswatch.records import Article
    from newswatch.storage import open_store

    html = "<html><body><article><h1>Border</h1>" + "".join(
        f"<p>{line}</p>" for line in text(7).splitlines()
    ) + "</article></body></html>"
    extracted = extract_page(html, "https://example.org/news/border", "en")
    assert extracted.fingerprint is not None
    length, early = extracted.fingerprint
    assert length == len(extracted.body)
    assert list(early.signature) == list(fingerprint(extracted.body).signature)

    def article(n: int, body: str) -> Article:
        url = f"https://example.org/{n}"
        return Article(id=str(n), url=url, canonical_url=url, source="s", domain="example.org",
                       title=f"t{n}", body=body)  # fmt: skip

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    store.setup()
    pipeline = DedupePipeline(get_crawler(), store, 1)
    try:
        # a fingerprint handed over with the body's length is used as it is: here one of
        # another text, so the next article, that text itself, is found to be its copy
        first = article(1, text(8))
        first.hints["fingerprint"] = (len(first.body), fingerprint(text(9)))
        first = asyncio.run(pipeline.process_item(first))
        second = asyncio.run(pipeline.process_item(article(2, text(9))))
        assert second.story_id == first.story_id
        # one made of another body (cut after the worker read it) is not
        third = article(3, text(10))
        third.hints["fingerprint"] = (len(third.body) + 5, fingerprint(text(9)))
        third = asyncio.run(pipeline.process_item(third))
        assert third.story_id not in (first.story_id, None)
    finally:
        store.close()
