"""Statements: who said what in an article body (pure, no Scrapy).

    extract_statements(body, language) -> [{quote, speaker, cue, language, kind}, ...]
    statement_fingerprint(quote, speaker) -> str

See `newswatch.statements.extract` for the rules.
"""

from newswatch.statements.extract import (
    extract_statements,
    normalise_quote,
    normalise_speaker,
    statement_fingerprint,
)

__all__ = [
    "extract_statements",
    "normalise_quote",
    "normalise_speaker",
    "statement_fingerprint",
]
