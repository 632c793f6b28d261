"""One attribution method for every language, parametrised by `lexicon/<lang>.yaml`.

For each quoted span (`text.find_quotes`) and each sentence:

1. **Cue.** A speech verb or attribution marker next to the quote: after it (`”, said X`,
   `», a-t-elle ajouté`, `“, so Müller`, `", kata X`, `', dedi.`), or before it in the same
   sentence (`X said: “…”`, `sagte Müller: „…“`, `Berg: „…“`, `X zweifelt: „…“`).
2. **Speaker.** The subject of the cue in that sentence: the mention right before or after the
   cue (a name, a pronoun, a role, an organisation or its spokesperson), else the sentence's
   subject; pronouns, roles and short forms are resolved within the article
   (`mentions.Entities`).
3. **No cue.** A quote that is a sentence of its own is the words of the named person who
   opens the sentence before it (`Der Vorstandsvorsitzende Christian Sewing freut sich … „…“`),
   else continues the speaker of the statement just before it (same or previous paragraph);
   a short quote inside a sentence with a speech
   cue is a fragment of that speaker's words (`said the plan was “a disaster”`); any other
   short quote is a title, a name or a scare quote, not a statement. In an interview
   (questions in paragraphs of their own) the answers are the interviewee's; a quote after
   "Read more:" is a linked headline.
4. **Reported speech** (kind `indirect`): `X said (that) CLAUSE`, `CLAUSE, X said`, `CLAUSE,
   said X`, `according to X, CLAUSE`, `CLAUSE, according to X`, `X zufolge CLAUSE`, `The
   issue, X notes, matters`, and a verb at the end of the sentence with the speaker at its
   start (Turkish `X, CLAUSE söyledi`).

Each statement carries a confidence from the evidence it rests on (a cue with a named
speaker beside it is surer than a pronoun resolved two paragraphs back, or a quote carried
over with no cue at all).
"""

from __future__ import annotations

import re

from newswatch.statements.evidence import Found
from newswatch.statements.lexicon import lexicon
from newswatch.statements.mentions import NOT_SPEAKER_WORDS, Entities
from newswatch.statements.quotes import DirectQuotes
from newswatch.statements.reported import ReportedSpeech
from newswatch.statements.text import QUOTE_CHARS, build, uses_reversed_guillemets

_SENTENCE_END = re.compile(r"[.!?►▶•]\s")
# evidence of a quote that no cue attributes: carried over, or the person the text is about
CUELESS = {"context", "carry", "carry-fragment", "repeat"}


class Attributor(DirectQuotes, ReportedSpeech):
    """Every statement of one article: `Attributor(text, lang).run()`."""

    def __init__(self, text: str, lang: str | None) -> None:
        self.text = text
        self.lex = lexicon(lang)
        self.paras = build(text, uses_reversed_guillemets(text), self.lex)
        self.ents = Entities(text, self.lex, self.paras)
        self.ents.read()
        self.found: list[Found] = []
        self.indirect_found: list[Found] = []
        self._init_memos()

    def run(self) -> list[Found]:
        self.indirect()
        for f in self.found:
            # a speaker named beside the cue is known now, so that the quotes read next
            # see who spoke before them
            if not f.speaker and f.mention is not None and f.mention.kind == "name":
                f.speaker = self.resolve(f)
        self.indirect_found = list(self.found)
        self.direct()
        self.found.sort(key=lambda f: (f.start, f.kind))
        for f in self.found:
            if not f.speaker:
                f.speaker = self.resolve(f)
        out: list[Found] = []
        seen: set[tuple[int, int]] = set()
        for f in self.found:
            if (f.start, f.end) in seen or not _plausible(f.speaker) or self._linked(f):
                continue
            seen.add((f.start, f.end))
            out.append(f)
        repeats = self._repeats(out, seen)
        if repeats:
            out = sorted(out + repeats, key=lambda f: (f.start, f.kind))
        self._interview(out)
        return out

    def _linked(self, f: Found) -> bool:
        """A quote right after "À lire aussi :", "Read more:", "Baca juga:" (opening its
        sentence): the headline of a linked article, not somebody's words."""
        if f.kind != "direct" or not self.lex.read_also:
            return False
        p = self.paras[f.para]
        before = _SENTENCE_END.split(self.text[p.start : f.start].lower())[-1]
        before = before.strip(" \t\"'“”„«»‹›‘’‚>*-–—:|")
        return before.endswith(self.lex.read_also) and len(before) <= 40

    def _interview(self, out: list[Found]) -> None:
        """An interview: questions in paragraphs of their own (no quotation marks, ending in
        "?"), each answered by paragraphs that open with a quotation mark. The answers with
        no cue are the interviewee's (who speaks most with a cue of their own, else the
        person the article names most often), never a name the question mentions ("Hat sich
        deine Arbeit in Yad Vashem verändert?")."""
        answers: set[int] = set()
        questions = 0
        after_question = False
        for p in self.paras:
            text = self.text[p.start : p.end].strip()
            opens_quote = text[:1] in QUOTE_CHARS or text[:1] in "—–-"
            if text.endswith("?") and not p.quotes:
                questions += 1
                after_question = True
                continue
            if after_question and opens_quote:
                answers.add(p.index)
                continue
            after_question = False
        if questions < 2 or not answers:
            return
        # the interviewee: who speaks most with a cue of their own, else the person named
        # most often
        cued: dict[str, int] = {}
        for f in out:
            if f.speaker and f.evidence not in CUELESS:
                cued[f.speaker] = cued.get(f.speaker, 0) + 1
        top = max(cued.items(), key=lambda kv: kv[1], default=("", 0))
        who = top[0] if top[1] >= 2 else self.ents.most_named()
        if not who:
            return
        for f in out:
            if f.kind == "direct" and f.para in answers and f.evidence in CUELESS:
                f.speaker, f.how = who, "interview"

    def _repeats(self, out: list[Found], seen: set[tuple[int, int]]) -> list[Found]:
        """Quotes with no cue of their own that repeat words quoted with a speaker elsewhere
        in the article: a headline or teaser («Moscou salue une «avancée»») takes its
        speaker from the body, and so does a word quoted again."""
        said: dict[str, Found] = {}
        for f in out:
            if f.kind == "direct" and f.evidence != "context":
                said.setdefault(_norm(self.text[f.start : f.end]), f)
        if not said:
            return []
        more: list[Found] = []
        for p in self.paras:
            for q in p.quotes:
                if (q.start, q.end) in seen or not q.closed or q.dash:
                    continue
                f = said.get(_norm(self.text[q.start : q.end]))
                if f is None or f.start == q.start:
                    continue
                r = Found("direct", q.start, q.end, f.mention, "", "repeat", p.index)
                r.speaker, r.how = f.speaker, f.how
                more.append(r)
        return more


def _norm(quote: str) -> str:
    return " ".join(quote.lower().strip(" .,;:!?…").split())


def _plausible(speaker: str) -> bool:
    words = speaker.split()
    if not words or words[0].lower() in NOT_SPEAKER_WORDS:
        return False
    return not (len(words) > 1 and all(w.isupper() for w in words) and len(words) > 3)
