"""Properties of statement extraction (newswatch.statements).

For any body text: extract_statements never raises; every statement's quote is a piece of
the text (a substring once runs of white space are collapsed, as quotes are given), its
speaker is a non-empty, trimmed name, and its kind is direct or indirect. Bodies are
assembled from the pieces quotes are made of (quotation marks of many languages, speech
cues, names, titles, pronouns) mixed with arbitrary text, so the rules actually fire.
"""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from newswatch.statements import extract_statements, statement_fingerprint
from tests.property.budget import tried

PIECES = st.sampled_from([
    "“", "”", "„", "“", '"', "«", "»", "‘", "’", "「", "」", "『", "』", "‚", "‹", "›",
    ", said ", " said.", ", kata ", ", ujarnya.", " sagte ", ", so ", " — заявил ", " a déclaré ",
    "Park Min-seo", "Mark Rutte", "Rutte", "Menteri Pertahanan Kim Yong-hyun", "he", "she",
    "dia", "-nya", "er", "sie", "\r", "\t", "\u00a0", "the ministry", "The Kremlin",
    "Menurut ", " said that ",
    " mengatakan bahwa ", " erklärte, dass ", "We will respond", "troops", "North Korea",
    ". ", "\n", "\n\n", " ", ": ", ", ", "!", "?", "...", "McDonald", "O'Neil", "DE GAULLE",
])  # fmt: skip
MARKS = st.sampled_from([("“", "”"), ("„", "“"), ('"', '"'), ("«", "»"), ("‘", "’"),
                         ("「", "」"), ("»", "«")])  # fmt: skip
NAME = st.sampled_from(
    [
        "Park Min-seo",
        "Mark Rutte",
        "Menteri Pertahanan Kim Yong-hyun",
        "the ministry",
        "Dr. Anna Weber",
        "he",
        "NATO",
        "Jean-Luc Picard",
    ]
)
CUE = st.sampled_from(["said", "kata", "sagte", "added", "ujarnya", "заявил", "a déclaré"])
WORDS = st.lists(st.sampled_from(["we", "will", "respond", "troops", "Korea", "the", "front",
                                  "now", "ready", "not", "again", "Kami", "siap"]),
                 min_size=1, max_size=12).map(" ".join)  # fmt: skip
SENTENCE = st.one_of(
    st.builds(lambda m, w, c, n: f"{m[0]}{w},{m[1]} {c} {n}.", MARKS, WORDS, CUE, NAME),
    st.builds(lambda m, w, c, n: f"{m[0]}{w}{m[1]}, {n} {c}.", MARKS, WORDS, CUE, NAME),
    st.builds(lambda n, c, m, w: f"{n} {c}: {m[0]}{w}.{m[1]}", NAME, CUE, MARKS, WORDS),
    st.builds(lambda n, w: f"{n} said that {w} and {w}.", NAME, WORDS),
)
BODY = st.one_of(
    st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join),
    st.lists(st.one_of(SENTENCE, SENTENCE, PIECES, st.text(max_size=8)), max_size=12).map("".join),
    st.text(max_size=300),
)


def _spaced(text: str) -> str:
    """Runs of white space as one space: quotes are given that way."""
    return re.sub(r"\s+", " ", text)


LANGUAGE = st.sampled_from([None, "en", "id", "de", "ru", "fr", "zh", "xx-YY", ""])


@given(BODY, LANGUAGE)
@example("“We will respond,” said Park Min-seo.", "en")
@example("Mark Rutte said that the troops would stay. “We are ready,” he added.", "en")
@example("“" * 500 + "”" * 500 + ", said Rutte", "en")
@example('"' + "a " * 3000 + '", said Mark Rutte.', "en")
@example("“Kami siap”, kata Menteri Pertahanan Kim Yong-hyun.", "id")
def test_statements_are_pieces_of_the_text_with_a_speaker(body: str, language: str) -> None:
    tried("statements: extract_statements")
    statements = extract_statements(body, language)
    assert isinstance(statements, list)
    for statement in statements:
        quote, speaker = statement["quote"], statement["speaker"]
        assert quote and _spaced(quote) in _spaced(body), (quote, body)
        assert isinstance(speaker, str) and speaker.strip() == speaker and speaker
        assert statement["kind"] in ("direct", "indirect")
        assert isinstance(statement_fingerprint(quote, speaker), str)
