"""Story grouping: pairwise precision/recall of "same story", and the cost of assigning one.

    python benchmarks/stories.py                 # quality + speed (SQLite; ES if configured)
    python benchmarks/stories.py --only quality  # or: --only speed, --only crosslingual
    python benchmarks/stories.py --stored 100000 --json

Quality (pairwise, the rule the pipeline applies: same content hash, or sharing an LSH band
and confirmed by newswatch.dedupe.same_story):
- positives: syndication-style copies made from the real articles of ../shared/data
  (fundus-publishers, article-extraction-benchmark, indonesian-news-pages, ecb-plus): another
  headline and site chrome around the text, the tail cut (to 45-85 % of the words), an added
  editor's note or paragraph, quotes/dashes/white space/HTML entities/Unicode form changed,
  and all of these at once. Articles under SHORT_WORDS words are matched exactly only; they
  are counted separately (their copies are exact copies with changed quotes/white space);
- negatives: every pair of distinct articles of those sets (found through shared bands; a
  pair that shares no band is a true negative by construction and is counted as one), the
  hard ones reported apart: ECB+ documents of one topic but different events;
- for information: same-language SemEval-2022 task 8 pairs, Overall <= 1.5 ("same story",
  mostly rewrites by other outlets, not copies) vs >= 3.5.

Cross-lingual (benchmarks/_crosslingual.py): same story across languages on the SemEval
pairs (same-language, cross-language and machine-translated rows apart) and the ECB+ hard
negatives, with the signals that install here; calibrated on one file, scored on the other.

Speed: a store (SQLite file; Elasticsearch at $NEWSWATCH_TEST_ES_URL) is filled with
--stored signature entries (real articles plus synthetic filler signatures), then each
positive copy is assigned a story as the pipeline does it: fingerprint, one
find_signatures() call, assign(). The median and p95 per article are printed; the
signature write is batched by the pipeline and reported per article amortised.

Reads `<repo>/../shared/data` (or $NEWSWATCH_SHARED_DATA); without it, says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _crosslingual  # benchmarks/_crosslingual.py
import numpy as np

from newswatch.dedupe import (
    BANDS,
    CONTAINMENT_JACCARD_FLOOR,
    CONTAINMENT_MIN,
    JACCARD_MIN,
    NUM_PERM,
    ROWS,
    SHINGLE,
    SHORT_WORDS,
    Fingerprint,
    band_keys,
    encode_signature,
    fingerprint,
    similar,
)
from newswatch.dedupe.stories import NEW, assign
from newswatch.pipelines.validate import content_hash

TARGETS = {"recall": 0.95, "precision": 0.99, "median_ms": 5.0}
CHROME_TOP = [
    "Home | World | Politics | Business | Sport | Opinion",
    "Share on Facebook  Share on X  Email this article",
    "By Staff Reporter | Updated 2 hours ago | 4 min read",
]
CHROME_BOTTOM = [
    "Subscribe to our newsletter for the day's top stories, delivered every morning.",
    "Read more: Markets close higher as investors weigh rate outlook",
    "Related: Weather warning issued for the weekend",
    "© 2024 The Daily Courier. All rights reserved. Terms of use | Privacy policy | Contact us",
]
NOTES = [
    "Editor's note: This article has been updated with additional reporting and a "
    "correction to the spelling of a name in the fourth paragraph.",
    "This story was provided by a news agency and is published here without changes "
    "to its text; the headline was written by our desk.",
    "Update, 14:20: officials later confirmed the figures reported above to our "
    "correspondent, adding that a full statement would follow on Friday.",
]


def shared_data_dir() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


@dataclass
class Doc:
    key: str
    title: str
    body: str
    corpus: str
    cluster: str | None = None  # ECB+ event cluster
    url: str | None = None
    topic: str | None = None  # ECB+ topic


def load_articles(data: Path) -> list[Doc]:
    docs: list[Doc] = []
    manifest = data / "fundus-publishers" / "manifest.jsonl"
    if manifest.is_file():
        for n, line in enumerate(manifest.read_text("utf-8").splitlines()):
            row = json.loads(line)
            if row.get("body_text"):
                title = row.get("title") or ""
                docs.append(Doc(f"fundus-{n}", title, row["body_text"], "fundus", url=row["url"]))
    truth = data / "article-extraction-benchmark" / "ground-truth.json"
    if truth.is_file():
        for key, row in json.loads(truth.read_text("utf-8")).items():
            if row.get("articleBody"):
                docs.append(Doc(f"aeb-{key[:12]}", "", row["articleBody"], "aeb"))
    indonesian = data / "indonesian-news-pages" / "expected_articles.jsonl"
    if indonesian.is_file():
        for n, line in enumerate(indonesian.read_text("utf-8").splitlines()):
            row = json.loads(line)
            body = row.get("body") or row.get("content") or ""
            if body:
                docs.append(Doc(f"id-{n}", row.get("title") or "", body, "indonesian"))
    ecb = data / "ecb-plus-event-clusters" / "docs.jsonl"
    if ecb.is_file():
        for line in ecb.read_text("utf-8").splitlines():
            row = json.loads(line)
            docs.append(
                Doc(
                    f"ecb-{row['doc']}",
                    "",
                    row["text"],
                    "ecb",
                    cluster=row["cluster"],
                    topic=str(row["topic"]),
                )  # fmt: skip
            )
    return docs


# -- syndication-style copies ----------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
    return parts or [text]


def _cut(text: str, rng: random.Random) -> str:
    """The tail cut: keep the first 45-85 % of the text, ending at a sentence if possible."""
    head = text[: max(1, int(len(text) * rng.uniform(0.45, 0.85)))]
    stop = max(head.rfind(". "), head.rfind(".\n"), head.rfind("\u3002"))
    return head[: stop + 1] if stop > len(head) * 0.6 else head


def _retype(text: str, rng: random.Random) -> str:
    """Quotes, dashes, white space, HTML entities and Unicode form as another CMS writes them."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    text = text.replace('"', rng.choice(['"', "\u201c", "&quot;"])).replace(" - ", " \u2014 ")
    text = text.replace("&", "&amp;") if rng.random() < 0.5 else text
    text = text.replace(". ", ".  ").replace("\n", "\n\n")
    text = text.replace(" ", "\u00a0", 3)
    return unicodedata.normalize(rng.choice(["NFD", "NFC"]), text)


def _chrome(text: str, headline: str, rng: random.Random) -> str:
    top = rng.sample(CHROME_TOP, 2)
    bottom = rng.sample(CHROME_BOTTOM, 3)
    return "\n".join([headline, *top, text, *bottom])


def _note(text: str, rng: random.Random) -> str:
    note = rng.choice(NOTES)
    return f"{note}\n{text}" if rng.random() < 0.5 else f"{text}\n{note}"


def make_copies(doc: Doc, rng: random.Random) -> list[tuple[str, str]]:
    body = doc.body
    headline = f"{(doc.title or _paragraphs(body)[0][:60]).upper()} - WIRE"
    return [
        ("chrome", _chrome(body, headline, rng)),
        ("cut", _cut(body, rng)),
        ("note", _note(body, rng)),
        ("retyped", _retype(body, rng)),
        ("all", _chrome(_note(_retype(_cut(body, rng), rng), rng), headline, rng)),
    ]


# -- the pairwise decision -------------------------------------------------------------------


@dataclass
class Signed:
    doc: Doc  # the original article
    text: str  # this version's body
    hash: str
    fp: Fingerprint


def sign(doc: Doc, body: str | None = None) -> Signed:
    text = doc.body if body is None else body
    return Signed(doc, text, content_hash(text), fingerprint(text))


def same(a: Signed, b: Signed) -> tuple[bool, float]:
    if a.hash == b.hash:
        return True, 1.0
    if not set(a.fp.bands).intersection(b.fp.bands):
        return False, 0.0
    return similar(a.fp, b.fp)


def quality(data: Path, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    docs = load_articles(data)
    signed = [sign(doc) for doc in docs]
    long_docs = [s for s in signed if not s.fp.short]

    # Positives.
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [found, total]
    misses: list[tuple[str, str, float]] = []
    copies: list[tuple[Signed, Signed]] = []
    for original in signed:
        variants = make_copies(original.doc, rng)
        if original.fp.short:
            variants = [("short-retyped", _retype(original.doc.body, rng))]
        for kind, text in variants:
            copy = sign(original.doc, text)
            copies.append((original, copy))
            ok, estimate = same(original, copy)
            counts[kind][1] += 1
            if ok:
                counts[kind][0] += 1
            else:
                misses.append((original.doc.key, kind, estimate))
    tp = sum(found for kind, (found, _) in counts.items() if not kind.startswith("short"))
    positives = sum(total for kind, (_, total) in counts.items() if not kind.startswith("short"))

    # Negatives: every pair of distinct articles; candidates through shared bands/hashes.
    buckets: dict[str, list[int]] = defaultdict(list)
    for n, item in enumerate(signed):
        buckets["h" + item.hash].append(n)
        for band in item.fp.bands:
            buckets[band].append(n)
    candidate_pairs = {(a, b) for ids in buckets.values() for i, a in enumerate(ids)
                       for b in ids[i + 1 :]}  # fmt: skip
    n_docs = len(signed)
    all_pairs = n_docs * (n_docs - 1) // 2
    false_merges: list[tuple[str, str, float]] = []
    same_event_merged = same_event_pairs = 0
    hard_pairs = hard_merged = 0
    by_topic: dict[str, list[int]] = defaultdict(list)
    for n, item in enumerate(signed):
        if item.doc.topic:
            by_topic[item.doc.topic].append(n)
    same_event = set()
    for ids in by_topic.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                if signed[a].doc.cluster == signed[b].doc.cluster:
                    same_event.add((a, b))
                else:
                    hard_pairs += 1
    same_event_pairs = len(same_event)
    same_url_pairs = 0
    for a, b in candidate_pairs:
        if signed[a].doc.url and signed[a].doc.url == signed[b].doc.url:
            same_url_pairs += 1  # one article twice in the data (fundus: two parser versions)
            continue
        ok, estimate = same(signed[a], signed[b])
        if not ok:
            continue
        if (a, b) in same_event:
            same_event_merged += 1
            continue
        false_merges.append((signed[a].doc.key, signed[b].doc.key, estimate))
        da, db = signed[a].doc, signed[b].doc
        if da.topic and da.topic == db.topic:
            hard_merged += 1
    # Boilerplate: copies of different articles wrapped in the same outlet's chrome.
    copy_pool = [(n // 1, c) for n, (_, c) in enumerate(copies)]
    copy_buckets: dict[str, list[int]] = defaultdict(list)
    for n, (_, item) in enumerate(copy_pool):
        for band in item.fp.bands:
            copy_buckets[band].append(n)
    copy_pairs = {(a, b) for ids in copy_buckets.values() for i, a in enumerate(ids)
                  for b in ids[i + 1 :]}  # fmt: skip
    chrome_merged = 0
    for a, b in copy_pairs:
        da, db = copy_pool[a][1].doc, copy_pool[b][1].doc
        if da.key == db.key or (da.cluster and da.cluster == db.cluster) or da.url == db.url:
            continue
        ok, estimate = same(copy_pool[a][1], copy_pool[b][1])
        if ok:
            chrome_merged += 1
            false_merges.append((da.key + "'", db.key + "'", estimate))
    n_copies = len(copy_pool)
    chrome_pairs = n_copies * (n_copies - 1) // 2 - sum(
        1 for a, b in copy_pairs if copy_pool[a][1].doc.key == copy_pool[b][1].doc.key
    )
    negatives = all_pairs - same_event_pairs - same_url_pairs + chrome_pairs
    fp = len(false_merges)

    return {
        "articles": n_docs,
        "long_articles": len(long_docs),
        "positives": positives,
        "true_positives": tp,
        "recall": tp / positives if positives else None,
        "by_kind": {kind: {"found": f, "total": t} for kind, (f, t) in sorted(counts.items())},
        "negatives": negatives,
        "false_positives": fp,
        "precision": tp / (tp + fp) if tp + fp else None,
        "hard_negative_pairs": hard_pairs,
        "boilerplate_pairs": chrome_pairs,
        "boilerplate_merged": chrome_merged,
        "same_url_pairs_skipped": same_url_pairs,
        "hard_negatives_merged": hard_merged,
        "same_event_pairs_info": same_event_pairs,
        "same_event_pairs_merged_info": same_event_merged,
        "false_merges": sorted(false_merges, key=lambda x: -x[2])[:10],
        "misses": sorted(misses, key=lambda x: -x[2])[:10],
        "copies": copies,
    }


def semeval(data: Path) -> dict[str, Any] | None:
    folder = data / "semeval2022-task8-news-similarity-hfl-sample" / "data"
    if not folder.is_dir():
        return None
    csv.field_size_limit(sys.maxsize)
    rows: dict[str, dict[str, str]] = {}
    for name in ("training_set.csv", "testing_set.csv"):
        with open(folder / name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows[row["pair_id"]] = row
    tp = fn = fp = tn = 0
    for row in rows.values():
        if row["lang1"] != row["lang2"]:
            continue
        overall = float(row["Overall"])
        if 1.5 < overall < 3.5:
            continue
        a = sign(Doc("a", "", row["text1"], "semeval"))
        b = sign(Doc("b", "", row["text2"], "semeval"))
        ok, _ = same(a, b)
        if overall <= 1.5:
            tp, fn = tp + ok, fn + (not ok)
        else:
            fp, tn = fp + ok, tn + (not ok)
    return {
        "positives": tp + fn,
        "negatives": fp + tn,
        "true_positives": tp,
        "false_positives": fp,
        "recall": tp / (tp + fn) if tp + fn else None,
        "precision": tp / (tp + fp) if tp + fp else None,
    }


# -- speed -----------------------------------------------------------------------------------


def _filler(n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    entries = []
    signatures = rng.integers(0, 2**32, size=(n, NUM_PERM), dtype=np.uint64).astype(np.uint32)
    for i in range(n):
        signature = signatures[i]
        entries.append(
            {
                "id": f"filler-{i:07d}",
                "story_id": f"filler-{i:07d}",
                "duplicate_of": None,
                "content_hash": f"{i:032x}",
                "size": int(rng.integers(80, 1500)),
                "signature": encode_signature(signature),
                "bands": band_keys(signature),
                "seen_at": "2024-01-01T00:00:00+00:00",
            }
        )
    return entries


def settle(store: Any, timeout: float = 120.0) -> None:
    """Measure a store at rest: wait until Elasticsearch has merged what the fill wrote (an
    archive of 100,000 articles is not being bulk-loaded while it is queried)."""
    client = getattr(store, "_client", None)
    if client is None:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stats = client.indices.stats(index=store.signatures_index, metric="merge")
        if stats["_all"]["total"]["merges"]["current"] == 0:
            break
        time.sleep(1.0)
    store.flush()


def speed(store: Any, stored: int, quality_result: dict[str, Any], probes: int) -> dict[str, Any]:
    originals: dict[str, Signed] = {}
    for original, _ in quality_result["copies"]:
        originals.setdefault(original.doc.key, original)
    real = [
        {
            "id": s.doc.key,
            "story_id": s.doc.key,
            "duplicate_of": None,
            "content_hash": s.hash,
            "size": s.fp.size,
            "signature": s.fp.encoded(),
            "bands": s.fp.bands,
            "seen_at": "2023-06-01T00:00:00+00:00",
        }
        for s in originals.values()
    ]
    store.setup()
    generator = np.random.default_rng(7)
    started = time.perf_counter()
    batch = 2000
    store.put_signatures(real)
    remaining = max(0, stored - len(real))
    for start in range(0, remaining, batch):
        store.put_signatures(_filler(min(batch, remaining - start), generator))
    store.flush()
    fill_s = time.perf_counter() - started
    settle(store)

    rng = random.Random(3)
    copies = [c for c in quality_result["copies"] if not c[1].fp.short]
    sample = rng.sample(copies, min(probes, len(copies)))
    for _, copy in sample[:20]:  # warm caches and the connection
        store.find_signatures(ids=["warm"], content_hashes=[copy.hash], bands=copy.fp.bands)
    timings: list[float] = []
    lookups: list[float] = []
    joined = 0
    for n, (original, copy) in enumerate(sample):
        t0 = time.perf_counter()
        fp = fingerprint(copy.text)
        t1 = time.perf_counter()
        found = store.find_signatures(
            ids=[f"probe-{n}"], content_hashes=[copy.hash], bands=fp.bands, limit=20
        )
        t2 = time.perf_counter()
        result = assign(f"probe-{n}", copy.hash, fp, found, "2024-11-01T00:00:00+00:00")
        t3 = time.perf_counter()
        timings.append((t3 - t0) * 1000)
        lookups.append((t2 - t1) * 1000)
        joined += result.kind != NEW and result.story_id == original.doc.key
    t0 = time.perf_counter()
    writes = [
        assign(f"write-{n}", c.hash, c.fp, [], "2024-11-01T00:00:00+00:00").entry
        for n, (_, c) in enumerate(sample)
    ]
    for start in range(0, len(writes), 50):  # the pipeline's batch
        store.put_signatures(writes[start : start + 50])
    write_ms = (time.perf_counter() - t0) * 1000 / max(1, len(writes))
    timings.sort()
    return {
        "stored": len(real) + remaining,
        "fill_seconds": round(fill_s, 1),
        "probes": len(sample),
        "median_ms": statistics.median(timings),
        "p95_ms": timings[int(len(timings) * 0.95) - 1],
        "median_lookup_ms": statistics.median(lookups),
        "write_ms_amortised": write_ms,
        "joined_their_story": joined,
    }


# -- output ----------------------------------------------------------------------------------


def _mark(ok: bool) -> str:
    return "ok" if ok else "BELOW TARGET"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("quality", "speed", "crosslingual"))
    parser.add_argument("--stored", type=int, default=100_000, help="signatures in the store")
    parser.add_argument("--probes", type=int, default=1000, help="articles timed per backend")
    parser.add_argument("--seed", type=int, default=20241124)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    data = shared_data_dir()
    if not data.is_dir():
        print(f"stories benchmark: no shared data at {data} (set NEWSWATCH_SHARED_DATA); skipped")
        return 0
    out: dict[str, Any] = {
        "parameters": {
            "num_perm": NUM_PERM,
            "bands": BANDS,
            "rows": ROWS,
            "shingle_words": SHINGLE,
            "short_words": SHORT_WORDS,
            "jaccard_min": JACCARD_MIN,
            "containment_min": CONTAINMENT_MIN,
            "containment_jaccard_floor": CONTAINMENT_JACCARD_FLOOR,
        }  # fmt: skip
    }
    if args.only in (None, "crosslingual"):
        docs = [d for d in load_articles(data) if d.corpus == "ecb"]
        hard = [(f"{a.title}\n{a.body}", f"{b.title}\n{b.body}") for i, a in enumerate(docs)
                for b in docs[i + 1:] if a.topic == b.topic and a.cluster != b.cluster]  # fmt: skip
        out["crosslingual"] = _crosslingual.evaluate(data, hard)
        if args.only == "crosslingual":
            _print(out, args.json)
            return 0
    q = quality(data, args.seed)
    if args.only != "speed":
        out["quality"] = {k: v for k, v in q.items() if k != "copies"}
        out["semeval_info"] = semeval(data)
    if args.only != "quality":
        out["speed"] = {}
        with tempfile.TemporaryDirectory() as tmp:
            from newswatch.storage.sqlite import SQLiteStore

            store = SQLiteStore(str(Path(tmp) / "bench.db"))
            try:
                out["speed"]["sqlite"] = speed(store, args.stored, q, args.probes)
            finally:
                store.close()
        es_url = os.environ.get("NEWSWATCH_TEST_ES_URL", "").strip().rstrip("/")
        if es_url:
            from newswatch.storage.elasticsearch import ElasticsearchStore

            index = f"newswatch-bench-stories-{uuid.uuid4().hex[:8]}"
            store = ElasticsearchStore.from_url(f"{es_url}?index={index}")
            try:
                out["speed"]["elasticsearch"] = speed(store, args.stored, q, args.probes)
            finally:
                client = store._client
                client.indices.delete(index=store.signatures_index, ignore_unavailable=True)
                client.indices.delete(index=index, ignore_unavailable=True)
                store.close()
        else:
            out["speed"]["elasticsearch"] = "skipped: NEWSWATCH_TEST_ES_URL is not set"
    _print(out, args.json)
    return 0


def _print(out: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(out, default=str))
    else:
        report(out)


def report(out: dict[str, Any]) -> None:
    p = out["parameters"]
    print(
        f"stories: MinHash {p['num_perm']} perms, {p['bands']} bands x {p['rows']} rows, "
        f"{p['shingle_words']}-word shingles; same story at Jaccard >= {p['jaccard_min']} or "
        f"containment >= {p['containment_min']} (Jaccard >= {p['containment_jaccard_floor']}); "
        f"texts under {p['short_words']} words: exact only"
    )
    q = out.get("quality")
    if q:
        print(f"\nquality ({q['articles']} real articles, {q['long_articles']} long enough "
              "for near-duplicate matching)")  # fmt: skip
        print(
            f"  recall     {q['recall']:.4f}  ({q['true_positives']} of {q['positives']} "
            f"syndicated copies)   target >= {TARGETS['recall']}  "
            f"{_mark(q['recall'] >= TARGETS['recall'])}"
        )
        for kind, c in q["by_kind"].items():
            print(f"    {kind:14} {c['found']:5} / {c['total']}")
        print(
            f"  precision  {q['precision']:.4f}  ({q['false_positives']} false merges among "
            f"{q['negatives']:,} pairs of distinct articles)   target >= {TARGETS['precision']}"
            f"  {_mark(q['precision'] >= TARGETS['precision'])}"
        )
        print(
            f"    ECB+ same topic, other event: {q['hard_negatives_merged']} merged of "
            f"{q['hard_negative_pairs']:,} pairs"
        )
        print(
            f"    copies of different articles in the same site chrome: "
            f"{q['boilerplate_merged']} merged of {q['boilerplate_pairs']:,} pairs"
        )
        print(
            f"    (info) ECB+ same event, other outlet (rewrites, not copies): "
            f"{q['same_event_pairs_merged_info']} merged of {q['same_event_pairs_info']:,}"
        )
        for a, b, j in q["false_merges"][:5]:
            print(f"    false merge: {a} ~ {b}  J~{j:.2f}")
        for key, kind, j in q["misses"][:5]:
            print(f"    missed copy: {key} ({kind})  J~{j:.2f}")
    s = out.get("semeval_info")
    if s:
        print(
            f"\nsemeval2022 same-language pairs (info): Overall <= 1.5 grouped "
            f"{s['true_positives']} of {s['positives']} (recall {s['recall']:.3f}); "
            f">= 3.5 grouped {s['false_positives']} of {s['negatives']}"
        )
    if "crosslingual" in out:
        _crosslingual.report(out["crosslingual"])
    for backend, r in (out.get("speed") or {}).items():
        if isinstance(r, str):
            print(f"\nspeed {backend}: {r}")
            continue
        print(
            f"\nspeed {backend}: {r['stored']:,} signatures stored (filled in "
            f"{r['fill_seconds']} s); {r['probes']} copies assigned"
        )
        print(
            f"  median {r['median_ms']:.2f} ms per article (p95 {r['p95_ms']:.2f}; lookup "
            f"alone {r['median_lookup_ms']:.2f})   target <= {TARGETS['median_ms']}  "
            f"{_mark(r['median_ms'] <= TARGETS['median_ms'])}"
        )
        print(
            f"  signature write {r['write_ms_amortised']:.2f} ms per article (batches of 50); "
            f"{r['joined_their_story']} of {r['probes']} joined their original's story"
        )


if __name__ == "__main__":
    sys.exit(main())
