"""Statements in an article body: who said what, with the evidence for it.

`extract_statements(body, language)` gives, in document order, one record per statement
(README: Article record, `statements`):

    {kind: direct|indirect, quote, speaker, speaker_in_text, cue, start, end, confidence,
     language}

`body[start:end]` is the statement's span: everything between the quotation marks (direct),
or the reported clause without its complementizer and final stop (indirect), as
`shared/data/statements-dev/GUIDELINES.md` defines them; `quote` is that span as a reader sees
it (white space folded, no dangling comma or final full stop). `speaker` is the fullest name the
article gives for the person or organisation (`speaker_in_text` is the mention the
attribution rests on: "she", "the minister", "Berg"). `confidence` says how sure the
attribution is; alerts use statements at or above `ALERT_CONFIDENCE` only.

The method is `newswatch.statements.attribution` with language data from `lexicon/`;
Arabic text (script without capital letters) goes to `newswatch.statements.arabic`, which
finds speakers by word order and word lists instead.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from newswatch.statements.arabic import extract_arabic, is_arabic
from newswatch.statements.arabic import fold as fold_arabic
from newswatch.statements.attribution import Attributor
from newswatch.statements.lexicon import SOFT_HYPHEN

# Bound on hostile input: the text read.
MAX_BODY = 200_000
# Statements at or above this confidence raise alerts (precision first: a wrong speaker in an
# alert is worse than a missed quote); calibrated on the development part of the labelled set
# (with the evidence table of `evidence.py`: P 0.84, R 0.49 there, where 0.65 gave 0.87 / 0.40).
ALERT_CONFIDENCE = 0.6
SHORT_QUOTE = 4  # quotes of fewer words never raise an alert

_ARTICLES = {
    "the", "a", "an", "der", "die", "das", "le", "la", "les", "l", "el", "los", "las", "il",
    "lo", "o", "os",
}  # fmt: skip


def extract_statements(body: str, language: str | None = None) -> list[dict[str, Any]]:
    """Statements in `body` (see the module docstring for the record)."""
    if not body or not body.strip():
        return []
    lang = (language or "").split("-")[0].lower() or None
    body = body[:MAX_BODY]
    if is_arabic(body):
        return extract_arabic(body, lang)
    att = Attributor(body, lang)
    out: list[dict[str, Any]] = []
    for f in att.run():
        m = f.mention
        quote = _display(body[f.start : f.end])
        confidence = f.confidence
        if len(quote.split()) < SHORT_QUOTE:
            # one or two quoted words are as often a title, a name or a scare quote as
            # somebody's words: kept, never alert-grade
            confidence = min(confidence, round(ALERT_CONFIDENCE - 0.15, 2))
        out.append(
            {
                "kind": f.kind,
                "quote": quote,
                "speaker": f.speaker.replace(SOFT_HYPHEN, ""),
                "speaker_in_text": (m.text if m is not None and m.text else None) or f.speaker,
                "cue": f.cue or None,
                "start": f.start,
                "end": f.end,
                "confidence": confidence,
                "language": lang,
            }
        )
    return out


def _display(span: str) -> str:
    """The quote as a reader sees it: white space folded, no soft hyphen, no dangling comma or
    final stop."""
    text = re.sub(r"\s+", " ", span.replace(SOFT_HYPHEN, "")).strip().rstrip(",;:").rstrip()
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


def alert_statements(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The statements sure enough to alert on (older records without a confidence count)."""
    return [s for s in statements if s.get("confidence", 1.0) >= ALERT_CONFIDENCE]


# --- fingerprint -----------------------------------------------------------------------------


def normalise_quote(quote: str) -> str:
    """Case, punctuation, quotation marks and white space folded away (and Arabic marks and
    spelling variants: "نقدّر" and "نقدر" are one word)."""
    text = fold_arabic(unicodedata.normalize("NFKC", quote)).casefold()
    text = re.sub(r"[\W_]+", " ", text)
    return text.strip()


def normalise_speaker(speaker: str) -> str:
    text = fold_arabic(unicodedata.normalize("NFKC", speaker)).casefold()
    text = re.sub(r"[\W_]+", " ", text).strip()
    words = text.split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def statement_fingerprint(quote: str, speaker: str) -> str:
    """The same quote by the same speaker, however an outlet punctuated it and however much of
    the speaker's name and title it wrote, gives one value: the speaker counts by the last
    word of the name ("Kate Moss", "Partnerin Kate Moss" and "Moss" are one speaker; two
    people of one surname saying the same words in one topic are rarer than one person
    written three ways across outlets)."""
    words = normalise_speaker(speaker).split()
    key = (words[-1] if words else "") + "\x1f" + normalise_quote(quote)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
