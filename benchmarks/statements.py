"""Statement extraction: precision and recall of (quote, speaker) pairs on a labelled set.

    python benchmarks/statements.py          # table
    python benchmarks/statements.py --json   # one JSON object
    python benchmarks/statements.py -v       # also list misses and false positives

The labelled set is `benchmarks/data/statements/*.yaml`: fixture-style articles written for
this benchmark (en, id, de, and a few fr/es/ru) with every statement labelled by hand, plus
`seed.yaml`, which labels the seed article in `<shared>/seed/` (read at run time, never
copied; `<shared>` is `<repo>/../shared` or $NEWSWATCH_SHARED; skipped when absent).

Matching, one-to-one and greedy in label order: a predicted statement matches a label when
the speakers are equal after normalisation (case, punctuation, a leading article) and
  * the label gives `quote`: the token overlap (multiset of normalised words) covers at least
    0.8 of the label's tokens and 0.8 of the prediction's tokens; or
  * the label gives `quote_start` (the seed): the normalised prediction begins with it.
Precision = matched / predicted, recall = matched / labelled; kind (direct/indirect) is not
part of the match and is reported separately. Speed is articles per second over the whole set
(median of `--repeat` passes), and, when `<shared>/data/article-extraction-benchmark` is
there, over its 181 real article bodies (speed only: they carry no statement labels).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newswatch.statements import (  # noqa: E402
    extract_statements,
    normalise_quote,
    normalise_speaker,
)

DATA = REPO / "benchmarks" / "data" / "statements"
OVERLAP = 0.8
TARGET_PRECISION = 0.9
TARGET_RECALL = 0.8


def shared_dir() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def load_set() -> list[dict[str, Any]]:
    """[{id, language, group, body, statements}] — the hand-written articles and the seed."""
    articles: list[dict[str, Any]] = []
    for path in sorted(DATA.glob("articles_*.yaml")):
        for art in yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]:
            art["group"] = art["language"]
            articles.append(art)
    for holdout in sorted(DATA.glob("holdout*.yaml")):
        for art in yaml.safe_load(holdout.read_text(encoding="utf-8"))["articles"]:
            art["group"] = holdout.stem
            articles.append(art)
    seed_labels = DATA / "seed.yaml"
    if seed_labels.exists():
        spec = yaml.safe_load(seed_labels.read_text(encoding="utf-8"))
        seed_file = shared_dir() / "seed" / spec["file"]
        if seed_file.exists():
            articles.append(
                {
                    "id": "seed/" + spec["file"],
                    "language": spec["language"],
                    "group": "seed",
                    "body": seed_file.read_text(encoding="utf-8"),
                    "statements": spec["statements"],
                }
            )
        else:
            print(f"(seed article not found at {seed_file}: skipped)", file=sys.stderr)
    return articles


def real_bodies() -> list[str]:
    """Article bodies from the shared extraction benchmark (speed only; no labels)."""
    path = shared_dir() / "data" / "article-extraction-benchmark" / "ground-truth.json"
    if not path.exists():
        return []
    truth = json.loads(path.read_text(encoding="utf-8"))
    return [v.get("articleBody") or "" for v in truth.values()]


def _overlap(gold: str, pred: str) -> tuple[float, float]:
    g = Counter(normalise_quote(gold).split())
    p = Counter(normalise_quote(pred).split())
    common = sum((g & p).values())
    return common / max(1, sum(g.values())), common / max(1, sum(p.values()))


def matches(label: dict[str, Any], pred: dict[str, Any]) -> bool:
    if normalise_speaker(label["speaker"]) != normalise_speaker(pred["speaker"]):
        return False
    if "quote_start" in label:
        return normalise_quote(pred["quote"]).startswith(normalise_quote(label["quote_start"]))
    of_gold, of_pred = _overlap(label["quote"], pred["quote"])
    return of_gold >= OVERLAP and of_pred >= OVERLAP


def score(article: dict[str, Any], preds: list[dict[str, Any]]) -> dict[str, Any]:
    used: set[int] = set()
    missed, kind_ok, matched = [], 0, 0
    for label in article["statements"]:
        hit = next(
            (i for i, p in enumerate(preds) if i not in used and matches(label, p)),
            None,
        )
        if hit is None:
            missed.append(label)
            continue
        used.add(hit)
        matched += 1
        kind_ok += label.get("kind", preds[hit]["kind"]) == preds[hit]["kind"]
    extra = [p for i, p in enumerate(preds) if i not in used]
    return {
        "labelled": len(article["statements"]),
        "predicted": len(preds),
        "matched": matched,
        "kind_ok": kind_ok,
        "missed": missed,
        "extra": extra,
    }


def _pr(c: dict[str, int]) -> tuple[float, float]:
    p = c["matched"] / c["predicted"] if c["predicted"] else 1.0
    r = c["matched"] / c["labelled"] if c["labelled"] else 1.0
    return p, r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)

    articles = load_set()
    groups: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    details = []
    for art in articles:
        preds = extract_statements(art["body"], art["language"])
        s = score(art, preds)
        for key in ("labelled", "predicted", "matched", "kind_ok"):
            groups.setdefault(art["group"], Counter())[key] += s[key]
            total[key] += s[key]
        details.append((art["id"], s))

    times = []
    for _ in range(max(1, args.repeat)):
        t0 = time.perf_counter()
        for art in articles:
            extract_statements(art["body"], art["language"])
        times.append(time.perf_counter() - t0)
    per_s = len(articles) / statistics.median(times)

    real = real_bodies()
    real_per_s = None
    if real:
        t0 = time.perf_counter()
        for body in real:
            extract_statements(body, None)
        real_per_s = len(real) / (time.perf_counter() - t0)

    p, r = _pr(total)
    result: dict[str, Any] = {
        "articles": len(articles),
        "labelled": total["labelled"],
        "predicted": total["predicted"],
        "matched": total["matched"],
        "precision": round(p, 3),
        "recall": round(r, 3),
        "kind_accuracy": round(total["kind_ok"] / max(1, total["matched"]), 3),
        "articles_per_s": round(per_s, 1),
        "real_articles": len(real),
        "real_articles_per_s": round(real_per_s, 1) if real_per_s else None,
        "groups": {
            g: {
                "labelled": c["labelled"],
                "predicted": c["predicted"],
                "matched": c["matched"],
                "precision": round(_pr(c)[0], 3),
                "recall": round(_pr(c)[1], 3),
            }
            for g, c in sorted(groups.items())
        },
        "target": {"precision": TARGET_PRECISION, "recall": TARGET_RECALL},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"statement extraction on {len(articles)} labelled articles ({DATA.name}/ + seed)")
        print(f"{'group':<8}{'labelled':>9}{'predicted':>10}{'matched':>8}{'P':>7}{'R':>7}")
        for g, c in result["groups"].items():
            print(
                f"{g:<8}{c['labelled']:>9}{c['predicted']:>10}{c['matched']:>8}"
                f"{c['precision']:>7.3f}{c['recall']:>7.3f}"
            )
        print(
            f"{'all':<8}{total['labelled']:>9}{total['predicted']:>10}{total['matched']:>8}"
            f"{p:>7.3f}{r:>7.3f}"
        )
        print(f"kind (direct/indirect) correct on matched: {result['kind_accuracy']:.3f}")
        print(f"speed: {per_s:,.0f} articles/s (median of {args.repeat} passes, one core)")
        if real_per_s:
            avg = sum(map(len, real)) / len(real)
            print(
                f"speed on {len(real)} real bodies (shared extraction benchmark, "
                f"avg {avg:,.0f} chars): {real_per_s:,.0f} articles/s"
            )
        ok = p >= TARGET_PRECISION and r >= TARGET_RECALL
        print(
            f"target precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}: "
            + ("met" if ok else "NOT met")
        )
    if args.verbose:
        for art_id, s in details:
            for label in s["missed"]:
                q = label.get("quote") or label.get("quote_start")
                print(f"  MISS  {art_id}: {label['speaker']} | {q}")
            for pred in s["extra"]:
                print(f"  EXTRA {art_id}: {pred['speaker']} | {pred['kind']} | {pred['quote']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
