"""Topic matching speed: 1,000 topics against one article, in Python and in Elasticsearch.

    python benchmarks/topics.py                 # table
    python benchmarks/topics.py --json          # one JSON object
    python benchmarks/topics.py --es-url http://127.0.0.1:9200   # also the percolator
                                                # (or $NEWSWATCH_TEST_ES_URL)

Articles: the bodies of `<shared>/data/article-extraction-benchmark/ground-truth.json` when
present (`<shared>` is `<repo>/../shared` or $NEWSWATCH_SHARED), else generated text. Topics:
`--topics` (1,000) queries generated with a fixed seed from the articles' own vocabulary (so
many topics do match), mixing phrases, proximity, wildcards, OR groups, NOT, fields,
statements speakers and language/source filters. Timing is per article, wall clock, after
one warm-up pass: median and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from newswatch.config import Topic
from newswatch.topics import Document, TopicMatcher, tokenize

SOURCES = ["antara", "kompas", "reuters", "tagesschau", "detik"]
LANGUAGES = ["en", "id", "de"]
SPEAKERS = ["Vladimir Putin", "the Kremlin", "Mark Rutte", "Sergei Lavrov", "Kim Yong-hyun",
            "Volodymyr Zelensky", "Prabowo Subianto", "Olaf Scholz"]  # fmt: skip
FALLBACK_WORDS = (
    "north korea troops russia kremlin said minister government war soldiers "
    "pasukan korea utara rusia kata presiden nordkorea soldaten truppen sagte "
    "market prices rice jakarta berlin election court police"
)


def shared_dir() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[1].parent / "shared"


def load_articles(limit: int, seed: int) -> tuple[list[dict], str]:
    rng = random.Random(seed)
    path = shared_dir() / "data" / "article-extraction-benchmark" / "ground-truth.json"
    bodies: list[str] = []
    origin = "generated"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        bodies = [v.get("articleBody") or "" for v in data.values() if v.get("articleBody")]
        origin = f"{len(bodies)} real bodies from article-extraction-benchmark"
    if not bodies:
        words = FALLBACK_WORDS.split()
        bodies = [" ".join(rng.choice(words) for _ in range(700)) for _ in range(100)]
    articles = []
    for i, body in enumerate(bodies[:limit]):
        first = body.strip().split("\n")[0][:120]
        articles.append({
            "id": f"b{i}", "title": first, "body": body,
            "source": rng.choice(SOURCES), "language": rng.choice(LANGUAGES),
            "domain": f"www.{rng.choice(SOURCES)}.example",
            "statements": [{"speaker": s, "quote": "We will see."}
                           for s in rng.sample(SPEAKERS, rng.randint(0, 3))],
        })  # fmt: skip
    return articles, origin


def make_topics(articles: list[dict], count: int, seed: int) -> list[Topic]:
    rng = random.Random(seed)
    counts = Counter(t for a in articles for t in set(tokenize(a["body"])) if t.isalpha())
    common = [t for t, _ in counts.most_common(3000) if len(t) >= 4]
    rare = [t for t, n in counts.items() if n == 1 and len(t) >= 5] or common
    made_up = [f"zq{rng.randrange(10**6)}" for _ in range(500)]

    def word() -> str:
        roll = rng.random()
        return rng.choice(common if roll < 0.5 else rare if roll < 0.8 else made_up)

    def phrase() -> str:
        return f'"{word()} {word()}"'

    templates = [
        lambda: f"({phrase()} OR {word()} OR {word()}) AND ({word()} OR {word()})",
        lambda: f'"{word()} {word()}"~{rng.randint(2, 8)}',
        lambda: f"{word()} AND {word()} AND NOT {word()}",
        lambda: f"{word()[:4]}* AND {word()}",
        lambda: f"speaker:{rng.choice(SPEAKERS).split()[-1]} AND ({word()} OR {word()})",
        lambda: f"source:{rng.choice(SOURCES)} AND {word()}",
        lambda: " OR ".join(word() for _ in range(rng.randint(3, 6))),
        lambda: f"title:{word()} OR body:{phrase()}",
        lambda: f"{word()} {word()} -{word()}",
        lambda: f"({word()} OR {word()}) AND ({word()} OR {word()} OR {word()})",
    ]
    topics = []
    for i in range(count):
        query = rng.choice(templates)()
        languages = tuple(rng.sample(LANGUAGES, 2)) if rng.random() < 0.2 else ()
        sources = tuple(rng.sample(SOURCES, 2)) if rng.random() < 0.1 else ()
        topics.append(Topic(f"t{i:04d}", query, languages=languages, sources=sources))
    return topics


def timings(fn, articles: list[dict]) -> tuple[list[float], list[list[str]]]:
    for article in articles[:3]:
        fn(article)  # warm-up
    times, results = [], []
    for article in articles:
        start = time.perf_counter()
        results.append(fn(article))
        times.append((time.perf_counter() - start) * 1000)
    return times, results


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 3), "p95_ms": round(p95, 3),
            "articles": len(ordered)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topics", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=181)
    parser.add_argument("--es-articles", type=int, default=60, help="articles sent to ES")
    parser.add_argument("--es-url", default=os.environ.get("NEWSWATCH_TEST_ES_URL"))
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    articles, origin = load_articles(args.articles, args.seed)
    topics = make_topics(articles, args.topics, args.seed)
    matcher = TopicMatcher(topics)
    rows: dict[str, dict] = {}

    py_times, py_results = timings(matcher.match, articles)
    rows["python"] = summary(py_times)
    candidates = [len(matcher.candidates(Document(a))) for a in articles]
    rows["python"]["candidates_median"] = statistics.median(candidates)
    rows["python"]["matches_median"] = statistics.median(len(r) for r in py_results)
    tokenize_times, _ = timings(Document, articles)
    rows["python-tokenize-only"] = summary(tokenize_times)

    if args.es_url:
        from tests.es_percolator import Percolator

        subset = articles[: args.es_articles]
        for prefilter in (True, False):
            index = f"newswatch-bench-topics-{uuid.uuid4().hex[:8]}"
            percolator = Percolator(args.es_url, index, prefilter=prefilter)
            try:
                percolator.setup()
                mode = percolator.mode
                percolator.register(topics)
                es_times, es_results = timings(percolator.match, subset)
            finally:
                percolator.delete_index()
                percolator.close()
            name = f"elasticsearch ({mode})"
            if mode == "search":
                name += ", prefilter" if prefilter else ", all topics"
            rows[name] = summary(es_times)
            agree = sum(e == p for e, p in zip(es_results, py_results, strict=False))
            rows[name]["agree_with_python"] = f"{agree}/{len(subset)}"
            for article, e, p in zip(subset, es_results, py_results, strict=False):
                if e != p and not args.json:
                    print(
                        f"{name}: differs on {article['id']}: python only "
                        f"{sorted(set(p) - set(e))}, elasticsearch only {sorted(set(e) - set(p))}"
                    )
            if mode == "percolate":
                break  # the prefilter only applies to the fallback mode

    report = {"topics": len(topics), "articles": origin, "results": rows}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{len(topics)} topics; articles: {origin}")
    print(f"{'matcher':32} {'articles':>8} {'median ms':>10} {'p95 ms':>8}  notes")
    for name, row in rows.items():
        notes = ", ".join(f"{k}={v}" for k, v in row.items()
                          if k not in ("median_ms", "p95_ms", "articles"))  # fmt: skip
        print(f"{name:32} {row['articles']:>8} {row['median_ms']:>10.2f} "
              f"{row['p95_ms']:>8.2f}  {notes}")  # fmt: skip
    if not args.es_url:
        print("(Elasticsearch skipped: pass --es-url or set NEWSWATCH_TEST_ES_URL)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
