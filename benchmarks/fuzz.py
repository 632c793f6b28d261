"""Fuzz article extraction and feed/sitemap/listing parsing with mutated real documents.

    python benchmarks/fuzz.py                    # 60 seconds, seed 1, a table
    python benchmarks/fuzz.py --seconds 600 --seed 7 --save /tmp/fuzz-failures
    python benchmarks/fuzz.py --inputs 500 --json
    python benchmarks/fuzz.py --target discovery --save /tmp/fuzz --save-slow 2

Reads real pages and feeds from `<repo>/../shared/data` (or $NEWSWATCH_SHARED_DATA) at run
time - article pages of fundus-publishers, article-extraction-benchmark and
indonesian-news-pages; feeds and sitemaps of feeds-rss-parser, feeds-feed-rs and
sitemaps-and-small-feeds - and never copies them anywhere. Without that folder it says so and
exits 0.

Each input is a real document put through one to three mutations: byte flips, truncation,
tag soup (closing tags dropped, tags duplicated or shuffled, unclosed comments, scripts and
CDATA, a region wrapped in hundreds of elements), encoding swaps (re-encoded in another
charset, a wrong BOM or declared charset, invalid UTF-8, NUL bytes) and splices of two
documents. Targets, and what counts as a failure:

* `article`: extract_article(page, url), then the date resolver on its candidates and
  statement extraction on its body - any exception;
* `discovery`: parse_discovery(document, url) - any exception but DiscoveryError, or an
  entry whose URL canonical_url cannot take (the spider canonicalises every entry).

Each input has a time limit (--limit, 20 s): running over it is a failure too. The report
gives the inputs tried per target, the failures (distinct by target, exception and place),
and the slowest inputs. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import os
import random
import re
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newswatch.crawler.extraction.article import extract_article  # noqa: E402
from newswatch.crawler.extraction.discovery import DiscoveryError, parse_discovery  # noqa: E402
from newswatch.crawler.extraction.urls import canonical_url  # noqa: E402
from newswatch.dates import DateResolver  # noqa: E402
from newswatch.statements import extract_statements  # noqa: E402

PAGE_FOLDERS = ("fundus-publishers", "article-extraction-benchmark", "indonesian-news-pages")
FEED_FOLDERS = ("feeds-rss-parser", "feeds-feed-rs", "sitemaps-and-small-feeds")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf", ".gz", ".json", ".txt")
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def shared_data_dir() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


# ============================================================================================
# Corpus
# ============================================================================================


@dataclass(frozen=True)
class Seed:
    kind: str  # article | discovery
    name: str  # path relative to the data folder
    data: bytes


def load_corpus(data: Path, max_bytes: int = 4_000_000) -> list[Seed]:
    """The real documents to mutate, read now (never copied)."""
    seeds: list[Seed] = []
    for folder in PAGE_FOLDERS:
        for path in sorted((data / folder).rglob("*")):
            name = path.name.lower()
            if not path.is_file() or not (name.endswith(".html.gz") or name.endswith(".html")):
                continue
            raw = path.read_bytes()
            if name.endswith(".gz"):
                raw = gzip.decompress(raw)
            if len(raw) <= max_bytes:
                seeds.append(Seed("article", str(path.relative_to(data)), raw))
    for folder in FEED_FOLDERS:
        for path in sorted((data / folder).rglob("*")):
            name = path.name.lower()
            if not path.is_file() or not name.endswith(FEED_SUFFIXES):
                continue
            if name.endswith(".serde.json") or name.startswith(("readme", "license")):
                continue  # expected parses, not documents
            raw = path.read_bytes()
            if len(raw) <= max_bytes:
                seeds.append(Seed("discovery", str(path.relative_to(data)), raw))
    index_pages = data / "indonesian-news-pages" / "fixtures"
    for path in sorted(index_pages.rglob("*.html")) if index_pages.is_dir() else []:
        if "index" in path.name.lower() or "main" in path.name.lower():
            seeds.append(Seed("discovery", str(path.relative_to(data)), path.read_bytes()))
    return seeds


# ============================================================================================
# Mutations
# ============================================================================================

_TAG = re.compile(rb"<[^<>]{1,200}>")
_CHARSETS = ("utf-8", "cp1251", "latin-1", "utf-16", "shift_jis", "koi8-r", "cp1252", "gb18030")


def flip_bytes(rng: random.Random, data: bytes, other: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 64)):
        if buf:
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def truncate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def tag_soup(rng: random.Random, data: bytes, other: bytes) -> bytes:
    tags = list(_TAG.finditer(data))
    if not tags:
        return data + b"<div><p><table><tr><td>"
    choice = rng.randrange(7)
    if choice == 0:  # drop closing tags
        drop = {m.start() for m in tags if m.group().startswith(b"</") and rng.random() < 0.3}
        out, last = [], 0
        for m in tags:
            if m.start() in drop:
                out.append(data[last : m.start()])
                last = m.end()
        return b"".join(out) + data[last:]
    if choice == 1:  # duplicate tags in place
        out, last = [], 0
        for m in tags:
            out.append(data[last : m.end()])
            if rng.random() < 0.05:
                out.append(m.group() * rng.randint(2, 40))
            last = m.end()
        return b"".join(out) + data[last:]
    if choice == 2:  # shuffle a run of tags
        start = rng.randrange(len(tags))
        run = tags[start : start + rng.randint(2, 60)]
        pieces = [m.group() for m in run]
        rng.shuffle(pieces)
        return data[: run[0].start()] + b"".join(pieces) + data[run[-1].end() :]
    if choice == 3:  # an unclosed construct somewhere
        at = rng.choice(tags).start()
        opener = rng.choice([b"<!--", b"<script>", b"<![CDATA[", b"<style>", b"<title>",
                             b"<textarea>", b'<a href="', b"<?xml ", b"<!DOCTYPE x ["])  # fmt: skip
        return data[:at] + opener + data[at:]
    if choice == 4:  # a region wrapped in hundreds of elements
        at = rng.choice(tags).start()
        depth = rng.choice([200, 1000, 5000])
        name = rng.choice([b"div", b"span", b"b", b"table", b"item", b"url"])
        return data[:at] + (b"<" + name + b">") * depth + data[at:]
    if choice == 5:  # attributes gone wild
        m = rng.choice(tags)
        junk = b" " + b" ".join(b'a%d="%s"' % (i, b"x" * rng.randint(0, 30)) for i in range(500))
        return data[: m.end() - 1] + junk + data[m.end() - 1 :]
    return data.replace(b">", b"", rng.randint(1, 20))  # broken tag ends


def swap_encoding(rng: random.Random, data: bytes, other: bytes) -> bytes:
    choice = rng.randrange(5)
    text = data.decode("utf-8", "replace")
    if choice == 0:  # re-encoded, declaration left as it was
        return text.encode(rng.choice(_CHARSETS), "replace")
    if choice == 1:  # a wrong byte order mark
        return rng.choice([codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8,
                           codecs.BOM_UTF32_LE]) + data  # fmt: skip
    if choice == 2:  # a wrong declared charset
        wrong = rng.choice(_CHARSETS + ("x-unknown", "utf-7", "")).encode()
        data = re.sub(rb'charset=["\']?[\w-]+', b"charset=" + wrong, data, count=3)
        return re.sub(rb'encoding=["\'][\w-]+["\']', b'encoding="' + wrong + b'"', data, count=1)
    if choice == 3:  # invalid UTF-8 and control characters sprinkled in
        buf = bytearray(data)
        for _ in range(rng.randint(1, 50)):
            at = rng.randrange(len(buf) + 1)
            buf[at:at] = rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\x1b", b"\x0c"])
        return bytes(buf)
    return data.decode("latin-1").encode("utf-8")  # double-encoded (mojibake)


def splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)) :]


MUTATORS: dict[str, Callable[[random.Random, bytes, bytes], bytes]] = {
    "flip": flip_bytes,
    "truncate": truncate,
    "soup": tag_soup,
    "encoding": swap_encoding,
    "splice": splice,
}


def mutate(rng: random.Random, seed: Seed, other: Seed) -> tuple[bytes, list[str]]:
    names = [rng.choice(list(MUTATORS)) for _ in range(rng.randint(1, 3))]
    data = seed.data
    for name in names:
        data = MUTATORS[name](rng, data, other.data)
    return data, names


# ============================================================================================
# Targets
# ============================================================================================

RESOLVER = DateResolver()


def run_article(data: bytes, rng: random.Random) -> None:
    url = "https://news.example/world/2025/03/04/fuzzed-story-1234567.html"
    page: str | bytes = data if rng.random() < 0.5 else data.decode("utf-8", "replace")
    extracted = extract_article(page, url)
    RESOLVER.resolve(extracted.dates, extracted.language, "Asia/Jakarta", FETCHED_AT)
    if extracted.body:
        extract_statements(extracted.body, extracted.language)


def run_discovery(data: bytes, rng: random.Random) -> None:
    try:
        found = parse_discovery(data, "https://news.example/feeds/latest.xml",
                                listing_ok=rng.random() < 0.7)  # fmt: skip
    except DiscoveryError:
        return
    for entry in found.entries:
        assert isinstance(entry.url, str), entry
        canonical_url(entry.url)  # what the spider does with every entry
    for child in found.children:
        canonical_url(child)


TARGETS = {"article": run_article, "discovery": run_discovery}


# ============================================================================================
# The run
# ============================================================================================


class Timeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """SIGALRM after `seconds` (main thread only; elsewhere no limit)."""

    def expire(signum: int, frame: Any) -> None:
        raise Timeout(f"still running after {seconds:g} s")

    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Failure:
    target: str
    seed: str
    mutations: list[str]
    error: str
    where: str
    input_index: int
    saved: str | None = None


@dataclass
class Report:
    seed: int
    seconds: float = 0.0
    tried: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    slowest: list[tuple[float, str, str, list[str]]] = field(default_factory=list)
    corpus: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.tried.values())

    def distinct(self) -> dict[tuple[str, str, str], list[Failure]]:
        groups: dict[tuple[str, str, str], list[Failure]] = {}
        for failure in self.failures:
            kind = failure.error.split(":", 1)[0]
            groups.setdefault((failure.target, kind, failure.where), []).append(failure)
        return groups

    def as_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "seconds": round(self.seconds, 1),
            "inputs": self.total,
            "tried": self.tried,
            "corpus": self.corpus,
            "failures": len(self.failures),
            "distinct_failures": [
                {
                    "target": t,
                    "error": e,
                    "where": w,
                    "count": len(group),
                    "example": asdict(group[0]),
                }  # fmt: skip
                for (t, e, w), group in self.distinct().items()
            ],
            "slowest": [
                {"seconds": round(s, 2), "target": t, "seed": n, "mutations": m}
                for s, t, n, m in self.slowest
            ],
        }


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "newswatch" in f.filename and "benchmarks" not in f.filename]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    path = frame.filename.split("newswatch/", 1)[-1] if ours else Path(frame.filename).name
    return f"{path}:{frame.lineno} ({frame.name})"


def run(
    data: Path,
    *,
    seed: int = 1,
    inputs: int | None = None,
    seconds: float | None = 60.0,
    share: dict[str, float] | None = None,
    limit: float = 20.0,
    save: Path | None = None,
    save_slow: float | None = None,
    log: Callable[[str], None] | None = None,
) -> Report:
    """Fuzz until `inputs` inputs were tried or `seconds` passed (whichever is first).

    `share`: the fraction of inputs per target (default: article 0.3, discovery 0.7 -
    extraction is ~50 times slower per input). With `save`, failing inputs are written
    there, and so are inputs slower than `save_slow` seconds."""
    corpus = load_corpus(data)
    by_kind: dict[str, list[Seed]] = {}
    for item in corpus:
        by_kind.setdefault(item.kind, []).append(item)
    share = share or {"article": 0.3, "discovery": 0.7}
    targets = [t for t in TARGETS if by_kind.get(t) and share.get(t, 0) > 0]
    report = Report(seed=seed, corpus={k: len(v) for k, v in by_kind.items()})
    report.tried = dict.fromkeys(targets, 0)
    if not targets:
        return report
    rng = random.Random(seed)
    started = time.monotonic()
    timings: list[tuple[float, str, str, list[str]]] = []
    index = 0
    while True:
        if inputs is not None and index >= inputs:
            break
        if seconds is not None and time.monotonic() - started >= seconds:
            break
        target = rng.choices(targets, weights=[share[t] for t in targets])[0]
        seed_doc = rng.choice(by_kind[target])
        other = rng.choice(corpus)
        data_in, names = mutate(rng, seed_doc, other)
        case_rng = random.Random(rng.random())
        began = time.monotonic()
        try:
            with time_limit(limit):
                TARGETS[target](data_in, case_rng)
        except Exception as exc:  # noqa: BLE001 - every exception is a finding
            failure = Failure(target, seed_doc.name, names, f"{type(exc).__name__}: {exc}"[:300],
                              _where(exc), index)  # fmt: skip
            if save is not None:
                save.mkdir(parents=True, exist_ok=True)
                path = save / f"{target}-{index:06d}.bin"
                path.write_bytes(data_in)
                failure.saved = str(path)
            report.failures.append(failure)
            if log:
                log(f"FAIL {target} #{index} {seed_doc.name} {names}: {failure.error[:120]} "
                    f"at {failure.where}")  # fmt: skip
        took = time.monotonic() - began
        if save is not None and save_slow is not None and took >= save_slow:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"slow-{target}-{index:06d}-{took:.1f}s.bin").write_bytes(data_in)
        timings.append((took, target, seed_doc.name, names))
        report.tried[target] += 1
        index += 1
    report.seconds = time.monotonic() - started
    report.slowest = sorted(timings, reverse=True)[:5]
    return report


def print_report(report: Report, out: Any = sys.stdout) -> None:
    out.write(f"fuzz: seed {report.seed}, {report.seconds:.1f} s, corpus "
              f"{report.corpus.get('article', 0)} pages + {report.corpus.get('discovery', 0)} "
              "feeds/sitemaps/listings (mutated, read at run time)\n")  # fmt: skip
    out.write(f"{'target':<10} {'inputs':>7} {'failures':>9}\n")
    for target, count in report.tried.items():
        failed = sum(1 for f in report.failures if f.target == target)
        out.write(f"{target:<10} {count:>7} {failed:>9}\n")
    out.write(f"{'total':<10} {report.total:>7} {len(report.failures):>9}\n")
    for (target, error, where), group in report.distinct().items():
        first = group[0]
        out.write(f"  {target}: {error} at {where} - {len(group)}x, e.g. {first.seed} "
                  f"{first.mutations}: {first.error[:120]}\n")  # fmt: skip
    out.write("slowest: " + "; ".join(f"{s:.2f}s {t} {n}" for s, t, n, _ in report.slowest) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget (default 60)")
    parser.add_argument("--inputs", type=int, default=None, help="stop after this many inputs")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--limit", type=float, default=20.0, help="seconds per input (20)")
    parser.add_argument("--save", type=Path, default=None, help="write failing inputs here")
    parser.add_argument(
        "--save-slow",
        type=float,
        default=None,
        metavar="SECONDS",
        help="with --save: also inputs that took this long",
    )
    parser.add_argument(
        "--target",
        choices=sorted(TARGETS),
        default=None,
        help="fuzz only this target (default: both)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each failure")
    args = parser.parse_args(argv)
    data = shared_data_dir()
    if not data.is_dir():
        print(f"fuzz: no shared data at {data} (set NEWSWATCH_SHARED_DATA); skipped")
        return 0
    log = (lambda line: print(line, file=sys.stderr)) if args.verbose else None
    share = {args.target: 1.0} if args.target else None
    report = run(data, seed=args.seed, inputs=args.inputs, seconds=args.seconds, share=share,
                 limit=args.limit, save=args.save, save_slow=args.save_slow,
                 log=log)  # fmt: skip
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print_report(report)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
