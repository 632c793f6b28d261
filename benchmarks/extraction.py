"""Body extraction F1: newswatch vs. trafilatura on the Zyte article-extraction-benchmark.

    python benchmarks/extraction.py            # table
    python benchmarks/extraction.py --json     # one JSON object
    python benchmarks/extraction.py --worst 15 # also list the pages newswatch does worst on
    python benchmarks/extraction.py --section sites  # only "sites never seen" (below)

Reads `<repo>/../shared/data/article-extraction-benchmark` (or $NEWSWATCH_SHARED_DATA/
article-extraction-benchmark): 181 gzipped pages, `ground-truth.json` and the upstream scorer
`evaluate.py`, which is imported from there at run time so the figures are the scorer's own
(word 4-gram shingle precision/recall per page, normalised per page, averaged over pages;
F1 from the averaged precision and recall; "accuracy" = exact token-sequence match).

Both extractors run in this process on one core over the same decoded pages. Speed is the
median over `--repeat` passes of pages per second; F1 is deterministic and taken from the
first pass. The reference (trafilatura alone, `trafilatura.extract(html)` with defaults) runs
in the same invocation, so the ratio between them is what to quote on a noisy machine.

Sites never seen (benchmarks/_unseen.py): headline and body F1 on fundus-publishers split by
publisher into dev and held-out halves, newswatch and trafilatura alone on the same pages.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import _unseen  # benchmarks/_unseen.py

DATASET = "article-extraction-benchmark"
PUBLISHED_TRAFILATURA_F1 = 0.958  # upstream README / shared/data README
TARGET_F1 = 0.958


def shared_data_dir() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def load_scorer(folder: Path) -> ModuleType:
    """The benchmark's own evaluate.py, imported from the data folder (not copied)."""
    spec = importlib.util.spec_from_file_location("aeb_evaluate", folder / "evaluate.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {folder / 'evaluate.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_pages(folder: Path) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {}
    for key in sorted(truth):
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        pages[key] = raw.decode("utf-8", "replace")
    return truth, pages


def newswatch_body(html: str, url: str) -> str:
    from newswatch.crawler.extraction.article import extract_article

    return extract_article(html, url).body


def trafilatura_body(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


EXTRACTORS: dict[str, Callable[[str, str], str]] = {
    "newswatch": newswatch_body,
    "trafilatura": trafilatura_body,
}


def run_pass(
    extract: Callable[[str, str], str], truth: dict[str, dict[str, Any]], pages: dict[str, str]
) -> tuple[dict[str, dict[str, str]], float, float, int]:
    """Extract every page; return predictions, elapsed wall and CPU seconds and the number
    of failures."""
    prediction: dict[str, dict[str, str]] = {}
    failures = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for key, html in pages.items():
        try:
            body = extract(html, truth[key].get("url") or "")
        except Exception:  # noqa: BLE001 - an extractor that raises scores an empty body
            body, failures = "", failures + 1
        prediction[key] = {"articleBody": body}
    return prediction, time.perf_counter() - start, time.process_time() - cpu_start, failures


def measure(
    names: list[str],
    truth: dict[str, dict[str, Any]],
    pages: dict[str, str],
    scorer: ModuleType,
    repeat: int,
    n_bootstrap: int,
) -> dict[str, dict[str, Any]]:
    # Warm up imports and lazy initialisation (trafilatura/htmldate build caches on first use)
    # outside the timed passes.
    first = next(iter(pages))
    for name in names:
        EXTRACTORS[name](pages[first], truth[first].get("url") or "")
    results: dict[str, dict[str, Any]] = {}
    predictions: dict[str, dict[str, dict[str, str]]] = {}
    times: dict[str, list[float]] = {name: [] for name in names}
    cpu_times: dict[str, list[float]] = {name: [] for name in names}
    failures: dict[str, int] = {}
    # Interleave the extractors pass by pass so that drift in machine load hits both alike.
    for i in range(repeat):
        for name in names:
            prediction, elapsed, cpu, failed = run_pass(EXTRACTORS[name], truth, pages)
            times[name].append(elapsed)
            cpu_times[name].append(cpu)
            if i == 0:
                predictions[name], failures[name] = prediction, failed
    for name in names:
        metrics = scorer.evaluate(truth, predictions[name], n_bootstrap)
        per_page = {
            key: _safe_f1(scorer, tp_fp_fn)
            for key, tp_fp_fn in zip(truth, metrics["tp_fp_fns"], strict=True)
        }
        rates = [len(pages) / t for t in times[name]]
        results[name] = {
            "f1": metrics["f1"],
            "f1_std": metrics["f1_std"],
            "precision": metrics["precision"],
            "recall": metrics["recall"],
            "accuracy": metrics["accuracy"],
            "pages_per_s_median": statistics.median(rates),
            "pages_per_s_all": rates,
            "pages_per_cpu_s_median": len(pages) / statistics.median(cpu_times[name]),
            "ms_per_page_median": 1000 * statistics.median(times[name]) / len(pages),
            "failures": failures[name],
            "per_page_f1": per_page,
        }
    return results


def speed_ratio(results: dict[str, dict[str, Any]]) -> float:
    """newswatch / trafilatura pages per second: the median of the per-pass ratios (the two
    ran back to back in each pass, so each ratio saw about the same machine load)."""
    pairs = zip(
        results["newswatch"]["pages_per_s_all"],
        results["trafilatura"]["pages_per_s_all"],
        strict=True,
    )
    return statistics.median(a / b for a, b in pairs)


def _safe_f1(scorer: ModuleType, tp_fp_fn: tuple[float, float, float]) -> float:
    tp, fp, fn = tp_fp_fn
    p = scorer.precision_score(tp, fp, fn)
    r = scorer.recall_score(tp, fp, fn)
    return 2 * p * r / (p + r) if p + r else 0.0


def print_table(report: dict[str, Any], worst: int, truth: dict[str, dict[str, Any]]) -> None:
    results = report["results"]
    print(
        f"article-extraction-benchmark: {report['pages']} pages, scorer = upstream "
        f"evaluate.py, {report['repeat']} timed passes (median), 1 core"
    )
    head = (
        f"{'extractor':<13} {'F1':>13} {'precision':>9} {'recall':>7} {'accuracy':>8} "
        f"{'pages/s':>8} {'p/CPU-s':>8} {'ms/page':>8} {'errors':>6}"
    )
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        f1 = f"{r['f1']:.3f} ± {r['f1_std']:.3f}"
        print(
            f"{name:<13} {f1:>13} {r['precision']:>9.3f} {r['recall']:>7.3f} "
            f"{r['accuracy']:>8.3f} {r['pages_per_s_median']:>8.1f} "
            f"{r['pages_per_cpu_s_median']:>8.1f} "
            f"{r['ms_per_page_median']:>8.1f} {r['failures']:>6}"
        )
    if "newswatch" in results and "trafilatura" in results:
        nw, tr = results["newswatch"], results["trafilatura"]
        print()
        print(
            f"newswatch - trafilatura F1: {nw['f1'] - tr['f1']:+.3f}   "
            f"speed ratio newswatch/trafilatura: "
            f"{report['speed_ratio']:.2f}x (median of per-pass ratios)"
        )
        diff = [(nw["per_page_f1"][k] - tr["per_page_f1"][k]) for k in truth]
        print(
            f"pages where newswatch is better / worse / equal: "
            f"{sum(d > 1e-9 for d in diff)} / {sum(d < -1e-9 for d in diff)} / "
            f"{sum(abs(d) <= 1e-9 for d in diff)}"
        )
    print(
        f"published trafilatura F1: {PUBLISHED_TRAFILATURA_F1}   target for newswatch: "
        f">= {TARGET_F1}",
        end="",
    )
    if "newswatch" in results:
        ok = results["newswatch"]["f1"] >= TARGET_F1
        print(f"   -> {'MET' if ok else 'NOT MET'}")
    else:
        print()
    if worst and "newswatch" in results:
        print(f"\nnewswatch's {worst} worst pages (per-page F1; trafilatura alongside):")
        ranked = sorted(truth, key=lambda k: results["newswatch"]["per_page_f1"][k])[:worst]
        for key in ranked:
            other = results.get("trafilatura", {}).get("per_page_f1", {}).get(key)
            other_text = f"{other:.3f}" if other is not None else "  -  "
            print(
                f"  {results['newswatch']['per_page_f1'][key]:.3f}  {other_text}  "
                f"{key[:12]}  {truth[key].get('url', '')[:90]}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (default 3)")
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        help="bootstrap samples for the ± (the scorer's default 1000)",
    )
    parser.add_argument(
        "--only",
        choices=sorted(EXTRACTORS),
        action="append",
        help="run only this extractor (repeatable)",
    )
    parser.add_argument("--worst", type=int, default=0, help="list newswatch's N worst pages")
    parser.add_argument(
        "--section",
        choices=("all", "aeb", "sites"),
        default="all",
        help="aeb: the article-extraction-benchmark body F1; sites: sites never seen",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list dev headline misses")
    args = parser.parse_args(argv)

    folder = shared_data_dir() / DATASET
    if not (folder / "ground-truth.json").is_file():
        print(
            f"shared data not found at {folder}: extraction benchmark skipped "
            "(set NEWSWATCH_SHARED_DATA to the folder holding it)"
        )
        return 0
    scorer = load_scorer(folder)
    if args.section == "sites":
        sites = _unseen.evaluate(shared_data_dir(), scorer)
        print(json.dumps(sites, default=str)) if args.json else _unseen.report(sites, args.verbose)
        return 0
    truth, pages = load_pages(folder)
    names = args.only or list(EXTRACTORS)
    results = measure(names, truth, pages, scorer, max(1, args.repeat), args.bootstrap)

    import trafilatura

    report: dict[str, Any] = {
        "benchmark": "extraction",
        "dataset": DATASET,
        "pages": len(pages),
        "repeat": max(1, args.repeat),
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "trafilatura_version": trafilatura.__version__,
        "published_trafilatura_f1": PUBLISHED_TRAFILATURA_F1,
        "target_f1": TARGET_F1,
        "results": results,
    }
    if "newswatch" in results and "trafilatura" in results:
        report["f1_difference"] = results["newswatch"]["f1"] - results["trafilatura"]["f1"]
        report["speed_ratio"] = speed_ratio(results)
    if "newswatch" in results:
        report["target_met"] = results["newswatch"]["f1"] >= TARGET_F1
    if args.section == "all":
        report["sites_never_seen"] = _unseen.evaluate(shared_data_dir(), scorer)
    if args.json:
        print(json.dumps(report, default=str))
    else:
        print_table(report, args.worst, truth)
        if args.section == "all":
            _unseen.report(report["sites_never_seen"], args.verbose)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
