"""Search in Elasticsearch at scale: query and aggregation latency, index size per article.

    python benchmarks/search.py                      # 100,000 articles, then the figures
    python benchmarks/search.py --articles 20000 --json
    python benchmarks/search.py --keep               # keep the index (then --reuse next time)

Fills an alias of the real store (ElasticsearchStore, the shipped template: monthly indices,
standard + per-language text fields, nested statements) with --articles articles generated at
run time from the real texts of ../shared/data (fundus-publishers, ecb-plus-event-clusters,
semeval2022-task8: about 6,000 distinct articles in 30 languages; nothing of them is written
to the repository). Each generated article takes the paragraphs of one real article in a new
order plus a paragraph of another article of the same language, a headline from either, the
real publisher (or one of 20 outlets per language), a publication time spread over two
years, the statements newswatch extracts from the real text, and a story id shared with
earlier articles for a third of them (copies of one story).

Then, after a refresh (and a force-merge to one segment per index unless --no-forcemerge):

- full-text query with a date filter: `query_string` over the index's default fields (title,
  body and every title_<lang>/body_<lang>: what Kibana's search bar sends), one or two words
  taken from the real headlines, AND-ed, `published_at` within the last 90 days, top 20 by
  score; --queries distinct queries (so caches do not answer), after 10 warm-up queries;
- terms aggregation by source (top 50 sources over every article, size 0), --repeat times
  with the request cache off;
- index size per article: primary store size of the monthly indices / article count.

Latency is Elasticsearch's `took` (server time) and the round trip seen by the client;
median and 95th percentile. Elasticsearch at $NEWSWATCH_TEST_ES_URL (or --es). Reads
`<repo>/../shared/data` (or $NEWSWATCH_SHARED_DATA); without it, says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newswatch.records import Article
from newswatch.statements import extract_statements
from newswatch.storage.elasticsearch import ElasticsearchStore, language_analyzers, language_code

INDEX = "newswatch-bench-search"
SEED = 7
SPAN_DAYS = 730
WRITE_BATCH = 2000


def shared_data_dir() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace("\r", "").split("\n")]
    parts = [p for p in parts if len(p) > 40]
    if len(parts) < 2:  # one block of text: cut it into sentence groups
        words = text.split()
        parts = [" ".join(words[i : i + 60]) for i in range(0, len(words), 60)]
    return parts


def real_texts(data: Path) -> list[dict[str, Any]]:
    """Distinct real articles: title, paragraphs, language, publisher."""
    texts: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(title: str, body: str, language: str, publisher: str | None) -> None:
        key = hashlib.sha1(body.encode("utf-8")).hexdigest()
        if key in seen or len(body) < 200:
            return
        seen.add(key)
        texts.append(
            {
                "title": " ".join(title.split())[:300],
                "paragraphs": paragraphs(body),
                "language": language,
                "publisher": publisher,
            }
        )

    manifest = data / "fundus-publishers" / "manifest.jsonl"
    if manifest.exists():
        for line in manifest.read_text("utf-8").splitlines():
            row = json.loads(line)
            language = (row.get("html_lang") or row["group_default_language"] or "").split("-")[0]
            add(row["title"] or "", row["body_text"] or "", language, row["publisher"])
    ecb = data / "ecb-plus-event-clusters" / "docs.jsonl"
    if ecb.exists():
        for line in ecb.read_text("utf-8").splitlines():
            row = json.loads(line)
            add(row["first_line"], row["text"], "en", None)
    csv.field_size_limit(1 << 26)
    for name in ("training_set.csv", "testing_set.csv"):
        path = data / "semeval2022-task8-news-similarity-hfl-sample" / "data" / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for side in ("1", "2"):
                    text = row[f"text{side}"]
                    first = text.split(". ")[0]
                    add(first, text, row[f"lang{side}"], None)
    return texts


def generate(texts: list[dict[str, Any]], count: int, now: datetime) -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    by_language: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        by_language[text["language"]].append(i)
    statements = {}
    started = time.monotonic()
    for i, text in enumerate(texts):
        statements[i] = extract_statements("\n".join(text["paragraphs"]), text["language"])
    print(f"statements of {len(texts)} real texts: {time.monotonic() - started:.0f} s",
          file=sys.stderr)  # fmt: skip
    records: list[dict[str, Any]] = []
    for n in range(count):
        base_index = rng.randrange(len(texts))
        base = texts[base_index]
        other = texts[rng.choice(by_language[base["language"]])]
        body = list(base["paragraphs"])
        rng.shuffle(body)
        body.insert(rng.randrange(len(body) + 1), rng.choice(other["paragraphs"]))
        if rng.random() < 0.4 or not base["title"]:
            title = " ".join(rng.choice(body).split()[:12])
        else:
            title = base["title"]
        source = base["publisher"] or f"{base['language'] or 'xx'}-outlet-{rng.randrange(20)}"
        published = now - timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
        ident = f"bench-{n:07d}"
        story = ident if n < 10 or rng.random() >= 1 / 3 else records[rng.randrange(n)]["story_id"]
        record = Article(
            id=ident,
            url=f"https://{source.lower()}.example/{n}",
            canonical_url=f"https://{source.lower()}.example/{n}",
            source=source,
            domain=f"{source.lower()}.example",
            title=title,
            body="\n\n".join(body),
        ).record()
        record.update(
            language=base["language"] or None,
            published_at=published.isoformat(),
            published_at_source="jsonld",
            fetched_at=(published + timedelta(minutes=rng.randrange(5, 600))).isoformat(),
            story_id=story,
            statements=statements[base_index],
        )
        records.append(record)
    return records


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(client: Any, **search: Any) -> tuple[float, float]:
    started = time.perf_counter()
    response = client.search(index=INDEX, request_cache=False, **search)
    return float(response["took"]), (time.perf_counter() - started) * 1000


def query_words(texts: list[dict[str, Any]], count: int) -> list[str]:
    """One or two words of one real headline (so that, AND-ed, they can match)."""
    rng = random.Random(SEED + 1)
    queries: list[str] = []
    seen: set[str] = set()
    while len(queries) < count + 10:
        title = rng.choice(texts)["title"].split()
        words = [w.strip(".,:;!?\"'()«»“”") for w in title]
        words = [w for w in words if len(w) >= 4 and w.isalpha()]
        if not words:
            continue
        query = " ".join(rng.sample(words, min(len(words), 1 if rng.random() < 0.5 else 2)))
        if query not in seen:
            seen.add(query)
            queries.append(query)
    return queries


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "p95": percentile(values, 0.95)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--es", default=os.environ.get("NEWSWATCH_TEST_ES_URL", "http://127.0.0.1:9200")
    )
    parser.add_argument("--keep", action="store_true", help="keep the index afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the kept index as it is")
    parser.add_argument("--no-forcemerge", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    data = shared_data_dir()
    if not data.is_dir():
        print(f"search benchmark: no shared data at {data} (set NEWSWATCH_SHARED_DATA); skipped")
        return 0
    texts = real_texts(data)
    languages = defaultdict(int)
    for text in texts:
        languages[text["language"]] += 1
    codes = language_analyzers()
    stemmed = sum(n for lang, n in languages.items() if language_code(lang, codes))
    print(f"{len(texts)} real texts in {len(languages)} languages "
          f"({stemmed} with a language analyzer)", file=sys.stderr)  # fmt: skip

    store = ElasticsearchStore.from_url(f"{args.es}?index={INDEX}&request_timeout=120")
    client = store.client
    result: dict[str, Any] = {"articles": args.articles}
    try:
        now = datetime.now(UTC).replace(microsecond=0)
        if not args.reuse:
            store.drop()
            store.setup()
            started = time.monotonic()
            records = generate(texts, args.articles, now)
            generated = time.monotonic() - started
            started = time.monotonic()
            for start in range(0, len(records), WRITE_BATCH):
                store.put_articles(records[start : start + WRITE_BATCH])
                done = min(start + WRITE_BATCH, len(records))
                print(f"\rstored {done}/{len(records)}", end="", file=sys.stderr)
            store.flush()
            elapsed = time.monotonic() - started
            print(file=sys.stderr)
            result["generate_s"] = round(generated, 1)
            result["write_s"] = round(elapsed, 1)
            result["write_per_s"] = round(len(records) / elapsed)
            del records
        stored = store.count()
        assert stored == args.articles or args.reuse, f"{stored} stored"
        result["articles"] = stored
        result["monthly_indices"] = len(store.describe()["indices"])
        if not args.no_forcemerge:
            started = time.monotonic()
            long = client.options(request_timeout=3600)
            long.indices.forcemerge(index=INDEX, max_num_segments=1)
            client.indices.refresh(index=INDEX)
            result["forcemerge_s"] = round(time.monotonic() - started, 1)
        stats = client.indices.stats(index=INDEX, metric=["store", "docs"])["_all"]["primaries"]
        result["index_bytes"] = stats["store"]["size_in_bytes"]
        result["bytes_per_article"] = round(stats["store"]["size_in_bytes"] / stored)
        result["forcemerged"] = not args.no_forcemerge

        since = {"range": {"published_at": {"gte": (now - timedelta(days=90)).isoformat()}}}
        queries = query_words(texts, args.queries)
        took, wall, hits = [], [], []
        for n, words in enumerate(queries):
            query = {"bool": {"must": [{"query_string": {"query": words,
                                                          "default_operator": "AND"}}],
                              "filter": [since]}}  # fmt: skip
            started = time.perf_counter()
            response = client.search(index=INDEX, query=query, size=20, request_cache=False)
            if n >= 10:  # warm-up excluded
                took.append(float(response["took"]))
                wall.append((time.perf_counter() - started) * 1000)
                hits.append(response["hits"]["total"]["value"])
        result["fulltext_date_filter_ms"] = {"took": summary(took), "round_trip": summary(wall)}
        result["fulltext_median_hits"] = statistics.median(hits)

        aggs = {"sources": {"terms": {"field": "source", "size": 50}}}
        took, wall = [], []
        for n in range(args.repeat + 5):
            server, client_ms = timed(client, size=0, aggs=aggs)
            if n >= 5:
                took.append(server)
                wall.append(client_ms)
        result["terms_by_source_ms"] = {"took": summary(took), "round_trip": summary(wall)}
        sources = client.search(
            index=INDEX, size=0, aggs={"n": {"cardinality": {"field": "source"}}}
        )
        result["distinct_sources"] = sources["aggregations"]["n"]["value"]
    finally:
        if not args.keep:
            store.drop()
        store.close()

    if args.json:
        print(json.dumps(result))
        return 0
    full, terms = result["fulltext_date_filter_ms"], result["terms_by_source_ms"]
    print(f"articles stored            {result['articles']:,} in {result['monthly_indices']} "
          f"monthly indices, {result['distinct_sources']} sources")  # fmt: skip
    if "write_s" in result:
        print(f"write                      {result['write_s']} s ({result['write_per_s']:,}/s)")
    merged = "after force-merge" if result["forcemerged"] else "as written"
    print(f"index size per article     {result['bytes_per_article']:,} bytes ({merged}; "
          f"{result['index_bytes'] / 2**20:,.0f} MiB in all)")  # fmt: skip
    for label, figures in (("full-text + date filter", full), ("terms agg by source", terms)):
        took, trip = figures["took"], figures["round_trip"]
        print(f"{label:<26} median {took['median']:.0f} ms server / {trip['median']:.1f} ms "
              f"round trip; p95 {took['p95']:.0f} / {trip['p95']:.1f} ms")  # fmt: skip
    print(f"(full-text queries: {len(queries) - 10} distinct, median "
          f"{result['fulltext_median_hits']:.0f} hits in the last 90 days)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
