"""Statements: who said what in an article body (pure, no Scrapy).

    extract_statements(body, language) -> [{kind, quote, speaker, speaker_in_text, cue,
                                            start, end, confidence, language}, ...]
    alert_statements(statements) -> those at or above ALERT_CONFIDENCE
    statement_fingerprint(quote, speaker) -> str

See `newswatch.statements.attribution` for the method and `lexicon/` for the language data.
"""

from newswatch.statements.extract import (
    ALERT_CONFIDENCE,
    alert_statements,
    extract_statements,
    normalise_quote,
    normalise_speaker,
    statement_fingerprint,
)

__all__ = [
    "ALERT_CONFIDENCE",
    "alert_statements",
    "extract_statements",
    "normalise_quote",
    "normalise_speaker",
    "statement_fingerprint",
]
