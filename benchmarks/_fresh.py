"""Fresh texts for hand-judging statements: bodies the labelled set does not contain.

`python benchmarks/statements.py --sample fundus:en:30:2026` prints 30 alert-grade statements
from randomly ordered `fundus-publishers` bodies in English (the page's declared language, else
its publisher group's) that are not statements-dev texts,
each with the text before and after it, to be judged by a reader (is the quote somebody's
words, and does the speaker string name that person or body?). `semeval` draws from the
semeval2022 sample instead (pairs whose id carries a language suffix are machine-translated
copies and are left out). The order is fixed by the seed, so a sample can be judged again
after a change.
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SOURCES = ("fundus", "semeval")
_CONTEXT = 240


def labelled_openings(data: Path) -> set[str]:
    """The first 200 characters of every statements-dev text (to leave those out)."""
    seen: set[str] = set()
    for path in sorted((data / "statements-dev").glob("labels-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.add(json.loads(line)["text"][:200])
    return seen


def fresh_texts(data: Path, source: str, langs: set[str]) -> Iterator[tuple[str, str, str]]:
    """(language, id, body) of the texts of `source` in `langs` not in statements-dev."""
    used = labelled_openings(data)
    if source == "fundus":
        manifest = data / "fundus-publishers" / "manifest.jsonl"
        for line in manifest.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            body = rec.get("body_text") or ""
            # the page's own language where it declares one (a German page of a Spanish
            # publisher group is German), as a crawl would read it
            lang = (rec.get("html_lang") or "")[:2].lower() or rec.get("group_default_language")
            if lang in langs and body and body[:200] not in used:
                yield lang, rec["file"], body
        return
    csv.field_size_limit(1 << 30)
    seen: set[str] = set()
    folder = data / "semeval2022-task8-news-similarity-hfl-sample" / "data"
    for name in ("training_set.csv", "testing_set.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if re.search(r"[a-z]", row["pair_id"]):
                    continue  # a machine-translated copy
                for text_key, lang_key in (("text1", "lang1"), ("text2", "lang2")):
                    body, lang = row[text_key], row[lang_key]
                    if lang in langs and body and body[:200] not in used | seen:
                        seen.add(body[:200])
                        yield lang, f"{row['pair_id']}/{text_key}", body


def sample(
    data: Path,
    spec: str,
    extract: Callable[[str, str], list[dict[str, Any]]],
    alert: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """`SOURCE:LANGS:N:SEED` -> N alert-grade statements with their context."""
    try:
        source, langs, n, seed = spec.split(":")
        count, rng = int(n), random.Random(int(seed))
    except ValueError:
        raise SystemExit(
            f"--sample {spec!r}: expected SOURCE:LANGS:N:SEED, e.g. fundus:en:30:7"
        ) from None
    if source not in SOURCES:
        raise SystemExit(f"--sample {spec!r}: SOURCE is one of {', '.join(SOURCES)}")
    texts = list(fresh_texts(data, source, set(langs.split(","))))
    rng.shuffle(texts)
    out: list[dict[str, Any]] = []
    for lang, text_id, body in texts:
        for st in alert(extract(body, lang)):
            if len(out) >= count:
                return out
            out.append(
                {
                    "text": text_id,
                    "language": lang,
                    **st,
                    "before": body[max(0, st["start"] - _CONTEXT) : st["start"]],
                    "after": body[st["end"] : st["end"] + _CONTEXT // 2],
                }
            )
    return out


def show(rows: list[dict[str, Any]]) -> None:
    def flat(text: str) -> str:
        return " ".join(text.split())

    for n, r in enumerate(rows, 1):
        print(f"#{n} [{r['language']} {r['text']}] {r['kind']} confidence {r['confidence']:.2f}")
        print(f"   speaker: {r['speaker']!r} (in the text: {r['speaker_in_text']!r})", end="")
        print(f", cue {r['cue']!r}")
        print(f"   …{flat(r['before'])} [[{flat(r['quote'])}]] {flat(r['after'])}…")
