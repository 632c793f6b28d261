"""A statement as attribution finds it, and how sure it is.

The confidence is the evidence for the cue times how the speaker was resolved. The values
follow the precision each kind of evidence had on the development half of the labelled set
(`benchmarks/statements.py`): an ordering, not a probability.
"""

from __future__ import annotations

from dataclasses import dataclass

from newswatch.statements.mentions import Mention

EVIDENCE = {
    "cue+name": 0.95,  # a speech verb next to the quote and a speaker next to the verb
    "cue+org": 0.9,
    "cue+role": 0.75,
    "cue+pronoun": 0.8,
    "cue+name?": 0.75,  # "?": a word in a speech verb's place after the quote, not listed
    "cue+org?": 0.7,
    "cue+role?": 0.7,
    "cue+pronoun?": 0.7,
    "cue+subject": 0.15,  # a verb after the quote but no subject: the previous speaker
    "colon": 0.6,  # "Berg: „…“"
    "fragment": 0.7,  # a few quoted words inside a sentence that reports a speaker
    "carry": 0.8,  # a quote that continues the previous statement's speaker
    "carry-fragment": 0.75,
    "repeat": 0.75,  # the same words quoted with a speaker elsewhere in the article
    "context": 0.7,  # a quote with no cue: the person the text is about
    "introduced": 0.7,  # a quote with no cue after a sentence whose subject is a name
    "indirect+that": 0.8,  # X said that CLAUSE
    "indirect+end": 0.8,  # CLAUSE, X said
    "indirect+bare": 0.8,  # X said CLAUSE
    "indirect+marker": 0.6,  # according to X, CLAUSE
    "indirect+comma": 0.6,  # X sagte, CLAUSE
    "indirect+final-verb": 0.85,  # X, CLAUSE söyledi (subject-object-verb languages)
}
RESOLUTION = {
    "name": 1.0,  # named next to the cue
    "org": 0.8,
    "spokes": 0.9,
    "role": 0.85,  # a role the article gives to a named person
    "description": 0.75,  # an unnamed source described ("rebel sources")
    "sentence": 0.6,  # a pronoun: the person named earlier in its sentence
    "speaker-clear": 1.0,  # a pronoun: the last speaker, nobody else named since
    "subject-clear": 0.8,  # a pronoun: the subject of an earlier sentence, nobody else since
    "speaker": 0.65,  # the same with other people named in between
    "subject": 0.45,
    "last": 0.6,  # a pronoun: the last person named
    "interview": 0.9,  # an answer in an interview: the interviewee
}


@dataclass
class Found:
    """One statement: its kind, span, the mention and cue it rests on, and the evidence."""

    kind: str
    start: int
    end: int
    mention: Mention | None
    cue: str
    evidence: str
    para: int
    speaker: str = ""
    how: str = ""  # how the speaker was resolved (name, role, speaker, subject, last, ...)

    @property
    def confidence(self) -> float:
        c = EVIDENCE[self.evidence] * RESOLUTION.get(self.how, 0.6)
        return round(max(0.05, min(0.99, c)), 2)
