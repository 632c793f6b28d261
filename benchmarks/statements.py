"""Statement extraction: precision and recall of statements on two labelled sets, and speed.

    python benchmarks/statements.py                 # tables (statements-dev: the dev part)
    python benchmarks/statements.py --part heldout  # the held-out part (once, at the end)
    python benchmarks/statements.py --part all --lang de   # every text of one language
    python benchmarks/statements.py --no-reference  # skip the old extractor's column
    python benchmarks/statements.py --reference REV # compare with the extractor at REV
    python benchmarks/statements.py --threshold 0.7 # alert-grade confidence cut-off
    python benchmarks/statements.py --json          # one JSON object with everything
    python benchmarks/statements.py -v              # also list misses and false positives

1. Own set: `benchmarks/data/statements/*.yaml`: fixture-style articles written for this
benchmark (en, id, de, and a few fr/es/ru) with every statement labelled by hand, plus
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

2. statements-dev: `<shared>/data/statements-dev/labels-*.jsonl` (real news texts in ten
languages, labelled with character offsets; format and rules in its README.txt and
GUIDELINES.md), read at run time, never copied; skipped with one stderr line when absent.
  * Split: per language, texts sorted by id; even positions (0, 2, ...) are `dev`, odd ones
    `heldout`. `--part dev|heldout|all` (default dev) picks what is scored; the held-out part
    is meant to be scored once, at the end.
  * Spans: a prediction's span is its `start`/`end`; without them (the old extractor) it is
    located with `body.find(quote)` (the next occurrence after an earlier prediction of the
    same quote, else the first), then by its sequence of words; a quote not found has no span
    and can only be a false positive.
  * Words are the `\\w+` tokens of the text, by position; a span covers every word it overlaps.
    Span similarity is the word F1 of two spans.
  * Matching is one-to-one: candidate (label, prediction) pairs have word F1 >= 0.6 and loosely
    matching speakers; pairs are taken greedily by highest F1. Speakers match loosely when, after
    normalisation (NFKC, casefold, punctuation removed, a leading article dropped), they are
    equal, one is contained in the other (whole words), or they end with the same word. A label
    naming several speakers ("A; B") matches if any one does; a label with speaker null matches
    on span alone.
  * An unmatched prediction is neutral (not counted) when it overlaps no label (F1 >= 0.6) and
    overlaps an `unlabelled_report` non-statement (F1 >= 0.6 or its words contained in it),
    unless it also overlaps a `quoted_non_statement` span, which makes it a false positive
    that is also counted apart. A prediction that overlaps a label but has the wrong speaker,
    or duplicates a matched one, is a false positive.
  * Precision = matched predictions / counted predictions (by predicted kind for the direct and
    indirect columns); recall = matched labels / labels (by label kind); per language and
    overall. Span-only P/R (same, ignoring speakers) is a diagnostic. Alert-grade P/R keeps only
    predictions with confidence >= T (`--threshold`, else `newswatch.statements.ALERT_CONFIDENCE`
    if defined, else 0.5) and matches again; n/a for an extractor that gives no confidence.
  * Reference: `--reference REV` (default 73a10da, the extractor before the rewrite) loads
    `newswatch/statements/extract.py` and `arabic.py` from `git show REV:...` into a temporary
    package and scores it the same way on the same texts, side by side with the current code.
  * Speed: every text of the scored part timed per call, `--repeat` passes alternating reference
    and current; per text the median pass; reported as ms per text, ms per 4,500 characters (an
    average article), and the ratio current / reference (sums of the per-text medians).
"""

from __future__ import annotations

import argparse
import bisect
import gc
import importlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import _fresh  # noqa: E402  (benchmarks/_fresh.py)
from _env import cpu_model, versions  # noqa: E402  (benchmarks/_env.py)

import newswatch.statements as current_pkg  # noqa: E402
from newswatch.statements import extract_statements  # noqa: E402

DATA = REPO / "benchmarks" / "data" / "statements"
OVERLAP = 0.8
TARGET_PRECISION = 0.9
TARGET_RECALL = 0.8

DEV_F1 = 0.6
DEFAULT_THRESHOLD = 0.5
DEFAULT_REFERENCE = "73a10da"
AVERAGE_ARTICLE = 4_500  # characters
REF_PACKAGE = "newswatch_ref_statements"
KINDS = ("direct", "indirect")

Extractor = Callable[[str, str | None], list[dict[str, Any]]]

_ARTICLES = {
    "the", "a", "an", "der", "die", "das", "den", "dem", "des", "le", "la", "les", "l",
    "el", "los", "las", "il", "lo", "gli", "un", "une", "ein", "eine", "sang", "si",
}  # fmt: skip


def _own_normalise_quote(quote: str) -> str:
    text = unicodedata.normalize("NFKC", quote).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def _own_normalise_speaker(speaker: str) -> str:
    words = _own_normalise_quote(speaker).split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


# The current package's normalisers when it still has them, else plain equivalents.
normalise_quote: Callable[[str], str] = getattr(
    current_pkg, "normalise_quote", _own_normalise_quote
)
normalise_speaker: Callable[[str], str] = getattr(
    current_pkg, "normalise_speaker", _own_normalise_speaker
)


def shared_dir() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED")
    return Path(env) if env else REPO.parent / "shared"


# --- 1. own set --------------------------------------------------------------------------------


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


def own_set(repeat: int) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
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
    for _ in range(max(1, repeat)):
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
        "repeat": repeat,
        "real_articles": len(real),
        "real_articles_avg_chars": round(sum(map(len, real)) / len(real)) if real else None,
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
        "target_met": p >= TARGET_PRECISION and r >= TARGET_RECALL,
    }
    return result, details


def print_own_set(result: dict[str, Any], details: list[tuple[str, dict[str, Any]]], verbose: bool):
    print(f"== own set: {result['articles']} labelled articles ({DATA.name}/ + seed)")
    print(f"{'group':<8}{'labelled':>9}{'predicted':>10}{'matched':>8}{'P':>7}{'R':>7}")
    for g, c in result["groups"].items():
        print(
            f"{g:<8}{c['labelled']:>9}{c['predicted']:>10}{c['matched']:>8}"
            f"{c['precision']:>7.3f}{c['recall']:>7.3f}"
        )
    print(
        f"{'all':<8}{result['labelled']:>9}{result['predicted']:>10}{result['matched']:>8}"
        f"{result['precision']:>7.3f}{result['recall']:>7.3f}"
    )
    print(f"kind (direct/indirect) correct on matched: {result['kind_accuracy']:.3f}")
    print(
        f"speed: {result['articles_per_s']:,.0f} articles/s "
        f"(median of {result['repeat']} passes, one core)"
    )
    if result["real_articles_per_s"]:
        print(
            f"speed on {result['real_articles']} real bodies (shared extraction benchmark, "
            f"avg {result['real_articles_avg_chars']:,} chars): "
            f"{result['real_articles_per_s']:,.0f} articles/s"
        )
    print(
        f"target precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}: "
        + ("met" if result["target_met"] else "NOT met")
    )
    if verbose:
        for art_id, s in details:
            for label in s["missed"]:
                q = label.get("quote") or label.get("quote_start")
                print(f"  MISS  {art_id}: {label['speaker']} | {q}")
            for pred in s["extra"]:
                print(f"  EXTRA {art_id}: {pred['speaker']} | {pred['kind']} | {pred['quote']}")


# --- 2. statements-dev -------------------------------------------------------------------------


def dev_dir() -> Path:
    return shared_dir() / "data" / "statements-dev"


def load_dev(part: str, lang: str | None) -> tuple[list[dict[str, Any]], int] | None:
    """Texts of the chosen part (each with `part` set), and the number of texts in all."""
    folder = dev_dir()
    files = sorted(folder.glob("labels-*.jsonl")) if folder.is_dir() else []
    if not files:
        print(f"(statements-dev not found at {folder}: that part skipped)", file=sys.stderr)
        return None
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                by_lang.setdefault(rec["lang"], []).append(rec)
    chosen, total = [], 0
    for code in sorted(by_lang):
        for i, rec in enumerate(sorted(by_lang[code], key=lambda r: r["id"])):
            total += 1
            rec["part"] = "dev" if i % 2 == 0 else "heldout"
            if (part == "all" or rec["part"] == part) and (lang is None or code == lang):
                chosen.append(rec)
    return chosen, total


class Words:
    """The \\w+ tokens of a text by position; a span covers the words it overlaps."""

    def __init__(self, text: str):
        spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.folded = [unicodedata.normalize("NFKC", text[s:e]).casefold() for s, e in spans]

    def cover(self, start: int, end: int) -> tuple[int, int]:
        lo = bisect.bisect_right(self.ends, start)
        hi = bisect.bisect_left(self.starts, end)
        return lo, max(lo, hi)


def word_f1(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    size = (a[1] - a[0]) + (b[1] - b[0])
    return 2 * inter / size if size else 0.0


def overlaps_ns(pred: tuple[int, int], ns: tuple[int, int]) -> bool:
    """Word F1 >= 0.6, or the prediction's words all inside the non-statement's."""
    if pred[1] <= pred[0]:
        return False
    return word_f1(pred, ns) >= DEV_F1 or (ns[0] <= pred[0] and pred[1] <= ns[1])


def locate(text: str, words: Words, preds: list[dict[str, Any]]) -> list[tuple[int, int] | None]:
    """Character span of each prediction: its start/end, else where its quote is in `text`."""
    out: list[tuple[int, int] | None] = []
    after: dict[str, int] = {}
    for p in preds:
        start, end = p.get("start"), p.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            out.append((start, end))
            continue
        quote = (p.get("quote") or "").strip()
        if not quote:
            out.append(None)
            continue
        at = text.find(quote, after.get(quote, 0))
        if at < 0:
            at = text.find(quote)
        if at >= 0:
            after[quote] = at + len(quote)
            out.append((at, at + len(quote)))
            continue
        out.append(_locate_words(words, quote))
    return out


def _locate_words(words: Words, quote: str) -> tuple[int, int] | None:
    """The first place where the quote's words occur in sequence (casefolded, NFKC)."""
    target = [w.casefold() for w in re.findall(r"\w+", unicodedata.normalize("NFKC", quote))]
    if not target:
        return None
    n = len(target)
    folded = words.folded
    for i in range(len(folded) - n + 1):
        if folded[i] == target[0] and folded[i : i + n] == target:
            return words.starts[i], words.ends[i + n - 1]
    return None


def speaker_matches(label: str | None, pred: str | None) -> bool:
    if label is None:
        return True
    p = normalise_speaker(pred or "")
    if not p:
        return False
    for one in label.split(";"):
        g = normalise_speaker(one.strip())
        if not g:
            continue
        if g == p or f" {g} " in f" {p} " or f" {p} " in f" {g} ":
            return True
        if g.split()[-1] == p.split()[-1]:
            return True
    return False


def _greedy(pairs: list[tuple[float, int, int]]) -> dict[int, int]:
    """One-to-one by highest F1: {label index: prediction index}."""
    used_l: dict[int, int] = {}
    used_p: set[int] = set()
    for _f1, li, pi in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if li not in used_l and pi not in used_p:
            used_l[li] = pi
            used_p.add(pi)
    return used_l


def score_text(rec: dict[str, Any], preds: list[dict[str, Any]]) -> dict[str, Any]:
    """Matching of one text: per label and per prediction, with and without speakers."""
    text = rec["text"]
    words = Words(text)
    labels = rec["statements"]
    lab_w = [words.cover(s["start"], s["end"]) for s in labels]
    spans = locate(text, words, preds)
    pred_w = [words.cover(*sp) if sp else None for sp in spans]
    ns_report = [
        words.cover(n["start"], n["end"])
        for n in rec["non_statements"]
        if n["reason"] == "unlabelled_report"
    ]
    ns_quoted = [
        words.cover(n["start"], n["end"])
        for n in rec["non_statements"]
        if n["reason"] == "quoted_non_statement"
    ]

    span_pairs: list[tuple[float, int, int]] = []
    for li, lw in enumerate(lab_w):
        for pi, pw in enumerate(pred_w):
            if pw is not None:
                f1 = word_f1(lw, pw)
                if f1 >= DEV_F1:
                    span_pairs.append((f1, li, pi))
    full_pairs = [
        t
        for t in span_pairs
        if speaker_matches(labels[t[1]]["speaker"], preds[t[2]].get("speaker"))
    ]
    result: dict[str, Any] = {"labels": [], "preds": []}
    match_full, match_span = _greedy(full_pairs), _greedy(span_pairs)
    pred_full = {pi: li for li, pi in match_full.items()}
    pred_span = {pi: li for li, pi in match_span.items()}
    near_label = {pi for _f1, _li, pi in span_pairs}
    for li, label in enumerate(labels):
        span_pred = match_span.get(li)
        result["labels"].append(
            {
                "kind": label["kind"],
                "speaker": label["speaker"],
                "quote": label["quote"],
                "full": li in match_full,
                "span": span_pred is not None,
                "span_speaker": preds[span_pred].get("speaker") if span_pred is not None else None,
            }
        )
    for pi, p in enumerate(preds):
        pw = pred_w[pi]
        quoted = pw is not None and any(overlaps_ns(pw, ns) for ns in ns_quoted)
        report = pw is not None and any(overlaps_ns(pw, ns) for ns in ns_report)

        def status(matched: bool, near: bool, quoted: bool = quoted, report: bool = report) -> str:
            if matched:
                return "tp"
            if not quoted and report and not near:
                return "neutral"
            return "fp"

        result["preds"].append(
            {
                "kind": p.get("kind"),
                "speaker": p.get("speaker"),
                "quote": p.get("quote") or "",
                "confidence": p.get("confidence"),
                "located": pw is not None,
                "quoted_non_statement": quoted and pi not in pred_full,
                "full": status(pi in pred_full, pi in near_label),
                "span": status(pi in pred_span, pi in near_label),
                "label_speaker": (
                    labels[pred_span[pi]]["speaker"]
                    if pi in pred_span and pi not in pred_full
                    else None
                ),
            }
        )
    result["quoted_non_statements"] = len(ns_quoted)
    return result


def _tally(scored: list[tuple[dict[str, Any], dict[str, Any]]], mode: str) -> dict[str, Any]:
    """{lang: metrics, 'all': metrics} for mode 'full' or 'span'."""
    counts: dict[str, Counter[str]] = {}
    for rec, s in scored:
        for key in (rec["lang"], "all"):
            c = counts.setdefault(key, Counter())
            c["texts"] += 1
            c["quoted_spans"] += s["quoted_non_statements"]
            for lab in s["labels"]:
                c["labels"] += 1
                c[f"labels_{lab['kind']}"] += 1
                if lab[mode]:
                    c["labels_matched"] += 1
                    c[f"labels_matched_{lab['kind']}"] += 1
            for p in s["preds"]:
                c["predicted"] += 1
                c["unlocated"] += not p["located"]
                if p[mode] == "neutral":
                    c["neutral"] += 1
                    continue
                c["counted"] += 1
                c[f"counted_{p['kind']}"] += 1
                if p[mode] == "tp":
                    c["matched"] += 1
                    c[f"matched_{p['kind']}"] += 1
                elif p["quoted_non_statement"]:
                    c["fp_quoted_non_statement"] += 1

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    out: dict[str, Any] = {}
    for key in sorted(counts, key=lambda k: (k == "all", k)):
        c = counts[key]
        m: dict[str, Any] = {
            k: c[k]
            for k in (
                "texts",
                "labels",
                "labels_direct",
                "labels_indirect",
                "labels_matched",
                "predicted",
                "counted",
                "matched",
                "neutral",
                "unlocated",
                "fp_quoted_non_statement",
                "quoted_spans",
            )
        }
        m["P"] = ratio(c["matched"], c["counted"])
        m["R"] = ratio(c["labels_matched"], c["labels"])
        for kind in KINDS:
            m[f"P_{kind}"] = ratio(c[f"matched_{kind}"], c[f"counted_{kind}"])
            m[f"R_{kind}"] = ratio(c[f"labels_matched_{kind}"], c[f"labels_{kind}"])
        out[key] = m
    return out


def evaluate(extract: Extractor, texts: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    scored, alert_scored = [], []
    has_confidence = False
    for rec in texts:
        preds = extract(rec["text"], rec["lang"])
        has_confidence |= any(p.get("confidence") is not None for p in preds)
        alert = [p for p in preds if (p.get("confidence") or 0.0) >= threshold]
        scored.append((rec, score_text(rec, preds)))
        alert_scored.append((rec, score_text(rec, alert)))
    return {
        "full": _tally(scored, "full"),
        "span": _tally(scored, "span"),
        "alert": _tally(alert_scored, "full") if has_confidence else None,
        "has_confidence": has_confidence,
        "texts": [
            {"id": rec["id"], "lang": rec["lang"], "part": rec["part"], **_errors(s)}
            for rec, s in scored
        ],
    }


def _errors(s: dict[str, Any]) -> dict[str, Any]:
    misses = [
        {
            "kind": lab["kind"],
            "speaker": lab["speaker"],
            "quote": lab["quote"][:80],
            "span_matched_speaker": lab["span_speaker"] if lab["span"] else None,
        }
        for lab in s["labels"]
        if not lab["full"]
    ]
    fps = [
        {
            "kind": p["kind"],
            "speaker": p["speaker"],
            "quote": p["quote"][:60],
            "quoted_non_statement": p["quoted_non_statement"],
            "located": p["located"],
            "label_speaker": p["label_speaker"],
        }
        for p in s["preds"]
        if p["full"] == "fp"
    ]
    return {"misses": misses, "false_positives": fps}


# --- reference extractor -----------------------------------------------------------------------

_REF_FILES = ("extract.py", "arabic.py")
_REF_TMP: list[tempfile.TemporaryDirectory[str]] = []


def load_reference(rev: str) -> ModuleType | None:
    """`newswatch/statements/{extract,arabic}.py` at `rev`, imported as a temporary package."""
    tmp = tempfile.TemporaryDirectory(prefix="newswatch-ref-")
    _REF_TMP.append(tmp)
    pkg = Path(tmp.name) / REF_PACKAGE
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    for name in _REF_FILES:
        try:
            src = subprocess.run(
                ["git", "-C", str(REPO), "show", f"{rev}:newswatch/statements/{name}"],
                capture_output=True,
                text=True,
                check=True,
                encoding="utf-8",
            ).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            err = getattr(exc, "stderr", "") or exc
            print(
                f"(reference {rev}: cannot read {name}: {str(err).strip()}; skipped)",
                file=sys.stderr,
            )
            return None
        for other in _REF_FILES:
            mod = other.removesuffix(".py")
            src = re.sub(
                rf"^(\s*from\s+)newswatch\.statements\.{mod}(\s+import\b)",
                rf"\g<1>{REF_PACKAGE}.{mod}\g<2>",
                src,
                flags=re.MULTILINE,
            )
        if re.search(r"^\s*(from|import)\s+newswatch\b", src, re.MULTILINE):
            print(f"(reference {rev}: {name} still imports newswatch modules)", file=sys.stderr)
        (pkg / name).write_text(src, encoding="utf-8")
    sys.path.insert(0, tmp.name)
    for key in [k for k in sys.modules if k == REF_PACKAGE or k.startswith(REF_PACKAGE + ".")]:
        del sys.modules[key]
    try:
        return importlib.import_module(f"{REF_PACKAGE}.extract")
    finally:
        sys.path.remove(tmp.name)


# --- speed -------------------------------------------------------------------------------------


def time_extractors(
    extractors: dict[str, Extractor], texts: list[dict[str, Any]], repeat: int
) -> dict[str, Any]:
    """Per text, the median over `repeat` passes; passes alternate between extractors."""
    samples: dict[str, list[list[float]]] = {n: [[] for _ in texts] for n in extractors}
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(max(1, repeat)):
            for name, extract in extractors.items():
                for i, rec in enumerate(texts):
                    t0 = time.perf_counter()
                    extract(rec["text"], rec["lang"])
                    samples[name][i].append(time.perf_counter() - t0)
    finally:
        if gc_was:
            gc.enable()
    chars = sum(len(rec["text"]) for rec in texts)
    out: dict[str, Any] = {"texts": len(texts), "chars": chars, "repeat": max(1, repeat)}
    for name, per_text in samples.items():
        medians = [statistics.median(s) for s in per_text]
        total = sum(medians)
        out[name] = {
            "ms_per_text": round(1000 * total / max(1, len(texts)), 3),
            "ms_per_4500_chars": round(1000 * total / max(1, chars) * AVERAGE_ARTICLE, 3),
            "total_s": round(total, 6),
        }
    if "current" in out and "reference" in out and out["reference"]["total_s"]:
        out["ratio_current_to_reference"] = round(
            out["current"]["total_s"] / out["reference"]["total_s"], 3
        )
    return out


# --- environment and printing ------------------------------------------------------------------


def environment() -> dict[str, Any]:
    found = versions("regex", "PyYAML")
    return {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "regex": found["regex"] or "not installed",
        "pyyaml": found["PyYAML"] or "not installed",
    }


def _f(x: float | None) -> str:
    return f"{x:6.3f}" if x is not None else "     —"


_COLS = ("P", "R", "P_direct", "R_direct", "P_indirect", "R_indirect")


def _table(title: str, runs: dict[str, dict[str, Any] | None]) -> None:
    names = [n for n, r in runs.items() if r is not None]
    if not names:
        print(f"{title}: n/a")
        return
    print(title)
    first = runs[names[0]]
    assert first is not None
    head = f"{'':<5}{'texts':>6}{'labels':>7}"
    sub = f"{'lang':<5}{'':>6}{'':>7}"
    for n in names:
        head += f" | {n:<41}"
        sub += (
            " | "
            + "".join(f"{c.replace('_direct', '-d').replace('_indirect', '-i'):>6}" for c in _COLS)
            + " " * 5
        )
    print(head.rstrip())
    print(sub.rstrip())
    for key, m in first.items():
        row = f"{key:<5}{m['texts']:>6}{m['labels']:>7}"
        for n in names:
            run = runs[n]
            assert run is not None
            mm = run.get(key, {})
            row += " | " + "".join(_f(mm.get(c)) for c in _COLS) + " " * 5
        print(row.rstrip())


def print_dev(dev: dict[str, Any], verbose: bool) -> None:
    runs = dev["runs"]
    names = list(runs)
    print()
    print(
        f"== statements-dev ({dev['folder']}): part {dev['part']}"
        + (f", lang {dev['lang']}" if dev["lang"] else "")
        + f" — {dev['texts']} of {dev['texts_total']} texts, {dev['labels']} statements"
    )
    print(
        "columns: "
        + ", ".join(f"{n} = {runs[n]['source']}" for n in names)
        + "; P by predicted kind, R by label kind (-d direct, -i indirect)"
    )
    _table("-- statements (span word F1 >= 0.6 and speaker)", {n: runs[n]["full"] for n in names})
    _table("-- span only (speaker ignored; diagnostic)", {n: runs[n]["span"] for n in names})
    _table(
        f"-- alert-grade: confidence >= {dev['threshold']} ({dev['threshold_source']})",
        {n: runs[n]["alert"] for n in names},
    )
    no_conf = [n for n in names if not runs[n]["has_confidence"]]
    if no_conf:
        print(f"   (no confidence in the output of: {', '.join(no_conf)}: alert-grade n/a)")
    for n in names:
        a = runs[n]["full"]["all"]
        print(
            f"{n}: {a['predicted']} predicted, {a['counted']} counted, {a['matched']} matched, "
            f"{a['neutral']} neutral, {a['unlocated']} not found in the text; false positives on "
            f"non_statements: {a['fp_quoted_non_statement']} "
            f"(of {a['quoted_spans']} quoted_non_statement spans)"
        )
        if runs[n]["alert"]:
            al = runs[n]["alert"]["all"]
            print(
                f"{n}: alert-grade, {al['fp_quoted_non_statement']} of {al['quoted_spans']} "
                "quoted_non_statement spans (titles, names, scare quotes) would raise an alert"
            )
    sp = dev.get("speed")
    if sp:
        print(
            f"-- speed: {sp['texts']} texts ({sp['chars'] / max(1, sp['texts']):,.0f} chars avg), "
            f"per text the median of {sp['repeat']} passes alternating "
            + " / ".join(n for n in names if n in sp)
        )
        for n in names:
            if n in sp:
                print(
                    f"   {n:<10} {sp[n]['ms_per_text']:8.2f} ms/text "
                    f"{sp[n]['ms_per_4500_chars']:8.2f} ms per {AVERAGE_ARTICLE:,} chars"
                )
        if "ratio_current_to_reference" in sp:
            print(f"   ratio current/reference: {sp['ratio_current_to_reference']:.2f}")
    if verbose:
        print(f"-- errors of current, per text (part {dev['part']})")
        for t in runs["current"]["texts"]:
            if not t["misses"] and not t["false_positives"]:
                continue
            print(f"  {t['id']} ({t['lang']}, {t['part']})")
            for m in t["misses"]:
                extra = (
                    f"  [span found; predicted speaker {m['span_matched_speaker']}]"
                    if m["span_matched_speaker"]
                    else ""
                )
                print(f"    MISS {m['kind']:<8} {m['speaker']} | {m['quote']}{extra}")
            for p in t["false_positives"]:
                tags = []
                if p["quoted_non_statement"]:
                    tags.append("quoted_non_statement")
                if not p["located"]:
                    tags.append("not found in text")
                if p["label_speaker"] is not None:
                    tags.append(f"label speaker {p['label_speaker']}")
                tag = f"  [{'; '.join(tags)}]" if tags else ""
                print(f"    FP   {p['kind']!s:<8} {p['speaker']} | {p['quote']}{tag}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives")
    ap.add_argument("--repeat", type=int, default=5, help="timing passes (default 5)")
    ap.add_argument(
        "--part",
        choices=("dev", "heldout", "all"),
        default="dev",
        help="statements-dev part to score (default dev)",
    )
    ap.add_argument("--lang", help="restrict statements-dev to one language (e.g. de)")
    ap.add_argument("--threshold", type=float, help="alert-grade confidence cut-off")
    ap.add_argument(
        "--reference",
        default=DEFAULT_REFERENCE,
        metavar="REV",
        help=f"git revision of the reference extractor (default {DEFAULT_REFERENCE})",
    )
    ap.add_argument("--no-reference", action="store_true", help="score the current code only")
    ap.add_argument(
        "--sample",
        metavar="SOURCE:LANGS:N:SEED",
        help="print N alert-grade statements from texts outside statements-dev, for judging "
        "by hand (SOURCE fundus or semeval, LANGS e.g. de or fr,es); nothing is scored",
    )
    args = ap.parse_args(argv)
    if args.sample:
        from newswatch.statements import alert_statements

        data = shared_dir() / "data"
        rows = _fresh.sample(data, args.sample, extract_statements, alert_statements)
        print(json.dumps(rows, ensure_ascii=False)) if args.json else _fresh.show(rows)
        return 0

    env = environment()
    if not args.json:
        print(
            f"# cpu: {env['cpu']} ({env['cpus']} cpus) | python {env['python']} | "
            f"regex {env['regex']} | pyyaml {env['pyyaml']} | statements-dev part: {args.part}"
        )
    if args.part == "heldout":
        print(
            "WARNING: scoring the held-out part of statements-dev; score it once, at the end, "
            "and do not tune on it",
            file=sys.stderr,
        )

    own, own_details = own_set(args.repeat)
    if not args.json:
        print_own_set(own, own_details, args.verbose)

    result: dict[str, Any] = {"env": env, "own_set": own, "statements_dev": None}
    loaded = load_dev(args.part, args.lang)
    if loaded is not None:
        texts, total = loaded
        if args.threshold is not None:
            threshold, source = args.threshold, "--threshold"
        elif hasattr(current_pkg, "ALERT_CONFIDENCE"):
            threshold, source = float(current_pkg.ALERT_CONFIDENCE), "ALERT_CONFIDENCE"
        else:
            threshold, source = DEFAULT_THRESHOLD, "default; no ALERT_CONFIDENCE"
        extractors: dict[str, Extractor] = {}
        sources: dict[str, str] = {}
        if not args.no_reference:
            ref = load_reference(args.reference)
            if ref is not None:
                extractors["reference"] = ref.extract_statements
                sources["reference"] = f"git {args.reference}"
        extractors["current"] = extract_statements
        sources["current"] = "working tree"
        runs = {}
        for name, extract in extractors.items():
            runs[name] = {"source": sources[name], **evaluate(extract, texts, threshold)}
        dev: dict[str, Any] = {
            "folder": str(dev_dir()),
            "part": args.part,
            "lang": args.lang,
            "texts": len(texts),
            "texts_total": total,
            "labels": sum(len(r["statements"]) for r in texts),
            "threshold": threshold,
            "threshold_source": source,
            "runs": runs,
            "speed": time_extractors(extractors, texts, args.repeat) if texts else None,
        }
        result["statements_dev"] = dev
        if not args.json:
            print_dev(dev, args.verbose)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
