"""Direct quotes: a cue and a speaker next to each quoted span, else a quote that continues
the statement before it, a fragment of a reported speaker's words, or a title, a name or a
scare quote (not a statement).
"""

from __future__ import annotations

from newswatch.statements.cues import CONJUNCTIONS, FUNCTION_WORDS
from newswatch.statements.evidence import Found
from newswatch.statements.mentions import DEFINITE, INDEFINITE, Mention
from newswatch.statements.speakers import SpeakerFinder
from newswatch.statements.text import DASHES, QUOTE_CHARS, TERMINAL, Paragraph, Quote, Token


class DirectQuotes(SpeakerFinder):
    """Statements of kind `direct`."""

    indirect_found: list[Found]

    def attribute_quote(
        self, p: Paragraph, q: Quote, qa: int, qb: int, s: int, e: int
    ) -> tuple[Mention | None, str, str]:
        toks = p.tokens
        right = qb
        if right < e and toks[right].text in QUOTE_CHARS and toks[right].quote < 0:
            right += 1
        left = qa
        if (
            left - 1 >= s
            and toks[left - 1].quote < 0
            and (toks[left - 1].text in QUOTE_CHARS or toks[left - 1].text in DASHES)
        ):
            left -= 1
        # 1. after the quote
        k = right
        skipped = 0
        while k < e and toks[k].text in ",.!?…—–-" and skipped < 3:
            k += 1
            skipped += 1
        new_sentence = k < e and toks[k].cap and k > right and toks[right].text in ".!?"
        if k < e and toks[k].quote < 0 and not new_sentence:
            n, carried = self.cue_at(toks, k, e)
            positional = False
            if not n and self._verb_slot(toks, qb, right, k, e):
                # `"…", rememoró Horner`: a lower-case word in the cue's place after the
                # quote and its comma is a speech verb, listed or not
                n, positional = 1, True
            if n:
                cue = self.text[toks[k].start : toks[k + n - 1].end]
                m = carried or self.mention_right(p, k + n, e)
                if positional and m is not None and not self._speaker_like(m):
                    m = None  # "…,” air bases and military …": not a verb and its subject
                if m is not None:
                    return m, cue, self._ev(m) + ("?" if positional else "")
                if positional:
                    return None, "", ""  # a word in a verb's place needs its speaker
                if self.lex.sov:
                    # Turkish: `X, "…" dedi.` — the subject opens the sentence
                    m = self.sov_subject(p, s, left)
                    if m is not None:
                        return m, cue, self._ev(m)
                # `"…", confesó.`: no subject of its own, the speaker before goes on
                return Mention("anaphor", cue, toks[k].start, toks[k].end), cue, "cue+subject"
            # "…," Name, a description with commas of its own, said.  (the name and its
            # apposition may run long when a comma follows the name)
            end_run = self.ents.run_end(toks, k, e)
            reach = 30 if end_run > k and end_run < e and toks[end_run].text == "," else 9
            for span in range(1, reach):
                c = k + span
                if c >= e or toks[c - 1].quote >= 0 or toks[c - 1].text in ".;:!?":
                    break
                n, carried = self.cue_at(toks, c, e)
                if n:
                    if span >= 9:
                        # the cue ends the sentence after the apposition: the name speaks
                        m = self.phrase_mention(p, k, end_run)
                        if m is None or m.kind != "name" or toks[c - 1].text != ",":
                            break
                    else:
                        m = self.mention_left(p, c, k)
                    if m is not None:
                        cue = self.text[toks[c].start : toks[c + n - 1].end]
                        return m, cue, self._ev(m)
                    break
            # "…“, so Müller" / "…», selon lui"
            mk, where = self.marker_at(toks, k, e)
            if mk and where == "before":
                m = self.mention_right(p, k + mk, e)
                if m is not None:
                    return m, self.text[toks[k].start : toks[k + mk - 1].end], self._ev(m)
        # 2. before the quote, in the same sentence
        b = left - 1
        while b >= s and toks[b].text in ",:" and b > left - 3:
            b -= 1
        colon = left - 1 >= s and toks[left - 1].text == ":"
        if b >= s and toks[b].low in self.lex.complementizers:
            b -= 1
        for c in range(b, max(s - 1, b - 8), -1):
            if toks[c].quote >= 0:
                break
            n, carried = self.cue_at(toks, c, e)
            if not n:
                continue
            cue = self.text[toks[c].start : toks[c + n - 1].end]
            m = carried or self.left_or_right(p, c, n, s, left if c + n <= b else c + n)
            if m is None and c + n <= b:
                m = self.mention_right(p, c + n, left)
            if m is None:
                m = self.subject(p, s, c)
            if m is not None:
                return m, cue, self._ev(m)
            break
        if colon:
            # "Berg: „…“" (a name right before the colon), else the sentence's subject
            # ("Er hält es für falsch: „…“"), whose verb is the cue
            verb = toks[left - 2] if left - 2 >= s else None
            cue = verb.text if verb is not None and verb.is_word else ""
            m = self.mention_left(p, left - 1, s)
            opens = m is not None and m.start <= toks[s].end  # the name opens the sentence
            if m is not None and opens and m.kind == "name" and self._known(m.name):
                return m, "", "colon"
            m = self.subject(p, s, left - 1)
            if m is not None and (m.kind in ("pronoun", "role") or self._known(m.name)):
                return m, cue, "colon"
            # "Auch Debatten darüber hält er für sinnvoll – mit Einschränkungen: „…“"
            for t in toks[s : left - 1]:
                gender = self.lex.pronouns.get(t.low, "") if t.is_word and t.quote < 0 else ""
                if gender in ("m", "f"):
                    return Mention("pronoun", t.text, t.start, t.end, gender=gender), cue, "colon"
        return None, "", ""

    def _known(self, name: str) -> bool:
        """A full name, or a word the article uses as part of one, that is not a common
        noun ("Seine Schlussfolgerung", "Persönlichkeiten")."""
        if not name:
            return False
        if not self.ents.person_like(name) and not self.lex.orgs.has(name.split()[-1].lower()):
            return False
        return len(name.split()) >= 2 or name.lower() in self.ents.full

    def _speaker_like(self, m: Mention) -> bool:
        """A name, a pronoun, or a description opened by an article ("el team principal de
        Red Bull"); a bare noun phrase ("air bases and military") is no speaker."""
        if m.kind in ("name", "pronoun", "anaphor"):
            return True
        first = m.text.split()[0].lower() if m.text else ""
        return first in DEFINITE or first in INDEFINITE

    def _ev(self, m: Mention) -> str:
        if m.kind == "name":
            return "cue+name"
        if m.kind in ("org", "spokes"):
            return "cue+org"
        if m.kind == "role":
            return "cue+role"
        return "cue+pronoun"

    def sentence_cue(self, p: Paragraph, s: int, e: int, before: int) -> tuple[Mention, str] | None:
        """A speech cue with its speaker earlier in the sentence (for quoted fragments)."""
        toks = p.tokens
        for c in range(before - 1, s - 1, -1):  # the nearest cue before the fragment
            n, carried = self.cue_at(toks, c, e)
            if not n and toks[c].is_word and toks[c].quote < 0:
                # "Barr bezeichnete den Bericht als »unerschrocken«"; after a comma ("…,
                # calling the account “misleading”") the verb's subject opens the sentence
                n = self.lex.naming.match([x.low for x in toks[c : min(e, c + 3)]], 0)
                if n and c - 1 > s and toks[c - 1].text == ",":
                    carried = self.subject(p, s, c - 1)
                    if carried is None:
                        continue
            if n:
                m = carried or self.left_or_right(p, c, n, s, before)
                m = m or self.mention_right(p, c + n, before)
                if m is not None:
                    return m, self.text[toks[c].start : toks[c + n - 1].end]
            mk, where = self.marker_at(toks, c, e)
            if mk and where == "before":
                m = self.mention_right(p, c + mk, before)
                if m is not None:
                    return m, self.text[toks[c].start : toks[c + mk - 1].end]
        return None

    def direct(self) -> None:
        prev: Found | None = None
        for p in self.paras:
            toks = p.tokens
            if prev is not None and prev.para < p.index - 1:
                prev = None
            span_of: dict[int, list[int]] = {}
            for k, t in enumerate(toks):
                if t.quote >= 0:
                    span = span_of.setdefault(t.quote, [k, k + 1])
                    span[1] = k + 1
            for qi, q in enumerate(p.quotes):
                if qi not in span_of:
                    continue
                qa, qb = span_of[qi]
                s, e = next(((s, e) for s, e in p.sentences if s <= qa < e), (0, len(toks)))
                words = sum(1 for t in toks[qa:qb] if t.is_word)
                m, cue, ev = self.attribute_quote(p, q, qa, qb, s, e)
                starts = qa - 1 <= s or (qa - 2 >= s and toks[qa - 2].text == ":")
                inner_end = toks[qb - 1].text if qb > qa else ""
                ends = (
                    inner_end in TERMINAL
                    or qb + 1 >= e
                    or (qb + 1 < len(toks) and toks[qb + 1].text in TERMINAL)
                    or not q.closed
                )
                if m is None and not (starts and ends) and not self._title_like(toks[qa:qb]):
                    # a fragment inside a sentence: the speaker's words if the sentence
                    # reports them ("La Russie «a besoin» de migrants …, a déclaré X": the
                    # speaker of the clause that holds it first), else a title, a name or a
                    # scare quote
                    around = self._reported_around(q.start, q.end)
                    if around is not None:
                        m, cue, ev = around.mention, around.cue, "fragment"
                    elif (sc := self.sentence_cue(p, s, e, qa)) is not None:
                        m, cue = sc
                        ev = "fragment"
                if m is None and starts and qa <= 1 and p.index > 0:
                    # "X protested:¶— I must answer!": the paragraph before ends in a colon
                    # after its speaker and cue
                    m, cue = self._lead_in(self.paras[p.index - 1])
                    ev = "colon" if m is not None else ev
                last = self._last_before(q.start, prev)
                if (
                    m is None
                    and not (starts and ends)
                    and last is not None
                    and last.para == p.index
                    and not self._title_like(toks[qa:qb])
                ):
                    # "…, so Trump. Bondi sei „klug und durchsetzungsfähig“": the words of
                    # the speaker of the paragraph's last statement
                    m, cue, ev = last.mention, "", "carry-fragment"
                near = (
                    last is not None
                    and last.para == p.index
                    and len(self.text[last.end : q.start].split()) <= 8
                )
                if m is None and starts and ends and (words >= 3 or (near and words >= 1)):
                    intro = self._introduced(p, s, last)
                    if intro is not None:
                        m, cue, ev = intro, "", "introduced"
                    elif last is not None and last.para >= p.index - 1:
                        m, cue, ev = last.mention, "", "carry"
                    else:
                        ev = "context"
                        m = Mention("anaphor", "", q.start, q.start)
                if m is None:
                    continue
                f = Found("direct", q.start, q.end, m, cue, ev, p.index)
                if ev.startswith("carry") and last is not None:
                    f.speaker = last.speaker or self.resolve(last)
                    f.how = last.how
                self.found.append(f)
                if ev != "context":
                    prev = f
                    if not f.speaker:
                        f.speaker = self.resolve(f)

    def _introduced(self, p: Paragraph, s: int, last: Found | None) -> Mention | None:
        """The named subject of the sentence right before a quote that is a sentence of its
        own, when no statement comes between ("…, al que Christian Horner quiso arrojar su
        propia lata de gasolina. «La sanción …»"): the person the quote is introduced by."""
        before = next((a for a, b in p.sentences if b == s), None)
        if before is None:
            return None
        toks = p.tokens
        if any(t.quote >= 0 for t in toks[before:s]):
            return None
        if last is not None and last.end > toks[before].start:
            return None
        m = self.subject(p, before, s)
        if m is None or m.kind != "name" or len((m.name or m.text).split()) < 2:
            return None  # a word alone may be a place or, in German, the object first
        name = self.ents.canonical(m.name or m.text)
        if not self.ents.person_like(name):
            return None
        opening = self._after_dateline(toks, before, s)
        lead = [t for t in toks[opening:s] if t.start < m.start]
        for n, t in enumerate(lead):
            article = t.low in DEFINITE or t.low in INDEFINITE
            after_article = n > 0 and (lead[n - 1].low in DEFINITE or lead[n - 1].low in INDEFINITE)
            if not (t.is_word and (t.cap or article or after_article or self._is_role(t.low))):
                return None  # the name does not open the sentence ("The strike also killed X")
        if not (lead or m.role) and self.lex.lang == "de" and self.text.count(name.split()[-1]) < 2:
            return None  # "Jeglicher Kontakt mit …": a capitalised noun phrase, named once
        k = next((k for k in range(before, s) if toks[k].start >= m.end), s)
        if k < s and (
            toks[k].low in CONJUNCTIONS
            or (toks[k].text == "," and k + 1 < s and toks[k + 1].cap)
        ):
            return None  # "Manzara, Johnson, and Field aren’t convinced": several people
        return m

    def _lead_in(self, pp: Paragraph) -> tuple[Mention | None, str]:
        """The speaker and cue of a paragraph that ends in a colon introducing the quote of
        the next paragraph: the subject of the cue, else of the colon's clause."""
        toks = pp.tokens
        if not toks or not pp.sentences or toks[-1].text != ":" or toks[-1].quote >= 0:
            return None, ""
        colon = len(toks) - 1
        s = pp.sentences[-1][0]
        for c in range(colon - 1, max(s - 1, colon - 9), -1):
            if toks[c].quote >= 0:
                break
            n, carried = self.cue_at(toks, c, colon)
            if not n:
                continue
            cue = self.text[toks[c].start : toks[c + n - 1].end]
            m = (
                carried
                or self.left_or_right(pp, c, n, s, colon)
                or self.mention_right(pp, c + n, colon)
                or self.subject(pp, self._clause_start(toks, s, c), c)
            )
            return m, cue
        # no listed cue: the subject of the clause the colon closes ("…, но X покачал
        # головой и запротестовал:")
        m = self.subject(pp, self._clause_start(toks, s, colon), colon)
        if m is not None and (
            m.kind in ("pronoun", "role") or (m.kind == "name" and len(m.name.split()) >= 2)
        ):
            return m, ""  # a single word with no cue may be a place ("Премьер-министр Малайзии")
        return None, ""

    def _clause_start(self, toks: list[Token], s: int, c: int) -> int:
        """Where the clause holding toks[c] starts: after the last comma and conjunction."""
        for k in range(c - 1, s - 1, -1):
            if toks[k].text in ",;" and toks[k].quote < 0:
                if k + 1 < c and toks[k + 1].low in self.lex.complementizers:
                    continue  # "…, что Россия не пожалеет …": a clause inside, not the main one
                k += 1
                while k < c and toks[k].is_word and toks[k].low in FUNCTION_WORDS:
                    k += 1
                return k
        return s

    def _reported_around(self, start: int, end: int) -> Found | None:
        """The reported statement whose clause holds the span start:end."""
        for f in self.indirect_found:
            if f.start <= start and end <= f.end and f.evidence != "context":
                return f
        return None

    def _last_before(self, pos: int, prev: Found | None) -> Found | None:
        """The statement (direct or reported) that ends last before `pos`."""
        best = prev if prev is not None and prev.end <= pos else None
        for f in self.indirect_found:
            if f.end <= pos and (best is None or f.end > best.end) and f.evidence != "context":
                best = f
        return best

    def _title_like(self, toks: list[Token]) -> bool:
        words = [t for t in toks if t.is_word]
        return bool(words) and len(words) <= 6 and all(t.cap or len(t.text) <= 3 for t in words)
