"""Reported speech (kind `indirect`): `X said (that) CLAUSE`, `CLAUSE, X said`, `CLAUSE,
said X`, `according to X, CLAUSE`, `CLAUSE, according to X`, `X zufolge CLAUSE`, `The issue,
X notes, matters`, German `X sagte, CLAUSE`, a subject-less verb continuing the previous
speaker (`Dodał, że …`), and in subject-object-verb order `X, CLAUSE söyledi`.
"""

from __future__ import annotations

from newswatch.statements.cues import (
    CONJUNCTIONS,
    FUNCTION_WORDS,
    IT_CLAUSE_VERBS,
    NOT_CLAUSE_START,
    OF_WORDS,
)
from newswatch.statements.evidence import Found
from newswatch.statements.mentions import CONTRACTED, GAP_WORDS, Mention
from newswatch.statements.speakers import SpeakerFinder
from newswatch.statements.text import QUOTE_CHARS, TERMINAL, Paragraph, Token

# "did not say", "teilte … nicht mit", "n'a pas précisé", "no precisó", "не сказал"
NEGATIONS = {"not", "n't", "never", "nicht", "nie", "niemals", "pas", "jamais", "no", "non",
             "não", "nunca", "не", "tidak", "belum", "değil"}  # fmt: skip

# a neuter pronoun before a complementizer makes it a relative ("lo que", "ce que", "ciò
# che"): the cue's object is a thing, not a reported clause
RELATIVE_HEADS = {"lo", "ce", "ciò", "quello", "quel"}


class ReportedSpeech(SpeakerFinder):
    """Statements of kind `indirect`."""

    _resume = -1  # where a sentence goes on after an attribution that closed one clause
    _then: Mention | None = None  # who speaks on after "but" ("said …, but denied …")

    def indirect(self) -> None:
        for p in self.paras:
            toks = p.tokens
            # only sentences with a word that can open a cue or a marker are read further
            hits = [k for k, t in enumerate(toks) if t.is_word and t.quote < 0 and self._maybe(t)]
            h = 0
            for s, e in p.sentences:
                while h < len(hits) and hits[h] < s:
                    h += 1
                h2 = h
                while h2 < len(hits) and hits[h2] < e:
                    h2 += 1
                if h2 > h:
                    self._indirect_sentence(p, toks, s, e, hits[h:h2])
                h = h2

    def _content(
        self, toks: list[Token], a: int, b: int, min_words: int = 4
    ) -> tuple[int, int] | None:
        """Character span of toks[a:b] without leading/trailing punctuation."""
        while (
            a < b and toks[a].quote < 0 and not toks[a].is_word and toks[a].text not in QUOTE_CHARS
        ):
            a += 1
        while (
            b > a
            and toks[b - 1].quote < 0
            and not toks[b - 1].is_word
            and toks[b - 1].text not in QUOTE_CHARS + ")"
        ):
            b -= 1
        words = [t for t in toks[a:b] if t.is_word]
        if len(words) < min_words:
            return None
        inside = sum(1 for t in words if t.quote >= 0)
        if inside >= len(words) - 1:
            return None  # the whole complement is a quotation: only the direct entry
        return toks[a].start, toks[b - 1].end

    def _indirect_sentence(
        self, p: Paragraph, toks: list[Token], s: int, e: int, hits: list[int]
    ) -> None:
        """The first reported statement of a sentence; `hits` are the positions of the words
        that can open a cue or a marker."""
        end = e
        while end > s and toks[end - 1].text in TERMINAL and toks[end - 1].quote < 0:
            end -= 1
        if self.lex.sov:
            self._sov_sentence(p, toks, s, end)
            return
        skip_to = s
        then: Mention | None = None  # who speaks on at skip_to ("… but denied …")
        for c in hits:
            if c < skip_to or c >= end:
                continue
            mk, where = self.marker_at(toks, c, end)
            if mk:
                if self._marker(p, toks, s, end, c, mk, where):
                    return
                skip_to = c + mk
                continue
            n, carried = self.cue_at(toks, c, end)
            if c != skip_to:
                then = None
            self._resume, self._then = -1, None
            if n and self._verb(p, toks, s, end, c, n, carried or then):
                if self._resume < 0:
                    return
                # "CLAUSE, a indiqué X sur Telegram, précisant qu'…", "said …, but denied
                # …": the sentence goes on with a second statement
                s = skip_to = self._resume
                then = self._then
                continue
            skip_to = c + max(1, n)

    def _sov_sentence(self, p: Paragraph, toks: list[Token], s: int, end: int) -> None:
        """Subject-object-verb order: `X, [to whom,] CLAUSE belirterek, CLAUSE ifade etti.` —
        each reported clause runs from the comma before it to its verb."""
        subj = None
        start = -1
        c = s
        while c < end:
            if toks[c].quote >= 0:
                c += 1
                continue
            mk, where = self.marker_at(toks, c, end)
            if mk and where == "after":
                self._marker(p, toks, s, end, c, mk, where)
                c += mk
                continue
            n, _carried = self.cue_at(toks, c, end)
            if not n:
                c += 1
                continue
            if self._impersonal(toks, s, c, n):
                return  # "… vurgulandı", "… ifade edildi": said, by nobody in the sentence
            if subj is None:
                subj = self.sov_subject(p, s, c)
                if subj is None:
                    return
                start = next(k for k in range(s, c + 1) if toks[k].end > subj.end or k == c)
                while start < c and toks[start].text != ",":
                    start += 1
                start += 1
                if start + 1 < c and toks[start].is_word and toks[start + 1].text == ",":
                    start += 2  # "gazetecilere,": to whom it was said
            if c > start and not any(t.quote >= 0 for t in toks[start:c]):
                cue = self.text[toks[c].start : toks[c + n - 1].end]
                self._add_indirect(
                    p, self._content(toks, start, c, 2), subj, cue, "indirect+final-verb"
                )
            c += n
            if c < end and toks[c].text == ",":
                c += 1
            start = c

    def _to_end(self, toks: list[Token], a: int, end: int, m: Mention | None) -> int:
        """Where a clause reported from toks[a] ends: before "but"/"and" and a speech verb
        ("said he was aware of it but denied taking bribes"), the verb's subject being the
        speaker again; the sentence is then read on from there."""
        for k in range(a + 3, end - 1):
            t = toks[k]
            if t.quote >= 0 or t.low not in CONJUNCTIONS or not t.is_word:
                continue
            if self.cue_at(toks, k + 1, end)[0]:
                self._resume, self._then = k + 1, m
                return k
        return end

    def _add_indirect(
        self, p: Paragraph, span: tuple[int, int] | None, m: Mention | None, cue: str, ev: str
    ) -> bool:
        if span is None or m is None:
            return False
        self.found.append(Found("indirect", span[0], span[1], m, cue, ev, p.index))
        return True

    def _marker(
        self, p: Paragraph, toks: list[Token], s: int, end: int, c: int, mk: int, where: str
    ) -> bool:
        cue = self.text[toks[c].start : toks[c + mk - 1].end]
        lead = [t for t in toks[s:c] if t.is_word]
        if where == "possessive":
            pron = toks[c + 1]
            m = Mention(
                "pronoun",
                pron.text,
                pron.start,
                pron.end,
                gender=self.lex.possessives.get(pron.low, ""),
            )
            a = c + mk + (1 if c + mk < end and toks[c + mk].text == "," else 0)
            if len(lead) <= 1:
                return self._add_indirect(p, self._content(toks, a, end), m, cue, "indirect+marker")
            if toks[c - 1].text == ",":
                return self._add_indirect(
                    p, self._content(toks, s, c - 1), m, cue, "indirect+marker"
                )
            return False
        if where == "before":
            m = self.mention_right(p, c + mk, end) or self._quoted_title(toks, c + mk, end)
            if m is None:
                return False
            if m.kind == "name" and any(
                t.is_word and not t.cap and t.low in self.lex.prepositions
                for t in toks[c + mk : c + mk + 12]
                if t.end <= m.start
            ):
                # "Według oficjalnych danych w Iranie", "According to the documents obtained
                # under the Access to Information Act": a place or a thing's name, not the
                # source
                return False
            last = toks[c + mk - 1]
            if m.kind in ("role", "anaphor") and last.low in CONTRACTED and m.start >= last.end:
                # "a juicio del mandatario emiratí": the article is in the marker's "del", so
                # the phrase points back to someone named before
                m = Mention(m.kind, self.text[last.start : m.end], last.start, m.end, name=m.name,
                            role=m.role, org=m.org, gender=m.gender)  # fmt: skip
            src_end = next((k for k in range(c + mk, end) if toks[k].end >= m.end), c + mk)
            if src_end + 1 < end and toks[src_end + 1].mark == "close":
                src_end += 1
            if len(lead) <= 1:
                a = src_end + 1
                if a < end and toks[a].text == ",":
                    a += 1
                return self._add_indirect(p, self._content(toks, a, end), m, cue, "indirect+marker")
            if c - 1 >= s and toks[c - 1].text == ",":
                return self._add_indirect(
                    p, self._content(toks, s, c - 1), m, cue, "indirect+marker"
                )
            return False
        m = self.mention_left(p, c, s)
        if m is None:
            return False
        if m.start <= toks[s].start + 2 or len([t for t in toks[s:c] if t.is_word]) <= 4:
            a = c + mk
            if a < end and toks[a].text == ",":
                a += 1
            return self._add_indirect(p, self._content(toks, a, end), m, cue, "indirect+marker")
        return False

    def _adverbial(self, toks: list[Token], s: int, end: int) -> bool:
        """Whether a clause opening at toks[s] is an adverbial phrase ("Speaking to People
        at …", "Asked about …"; not "Rising prices will …")."""
        words, suffixes = self.lex.adverbial_openers
        t = toks[s]
        if not t.is_word or not (
            t.low in words or (bool(suffixes) and t.low.endswith(suffixes) and len(t.low) > 5)
        ):
            return False
        nxt = toks[s + 1].low if s + 1 < end else ""
        return self.is_preposition(nxt) or nxt in OF_WORDS

    def _relative(self, p: Paragraph, toks: list[Token], s: int, c: int) -> Mention | None:
        """The speaker of "…, Michael Rodman, who said that …", "…, qui a affirmé": the
        phrase before the comma that the relative pronoun before the cue follows."""
        k = c - 1
        while k > s and toks[k].is_word and toks[k].low in GAP_WORDS and c - k <= 2:
            k -= 1
        if k - 1 <= s or toks[k].low not in self.lex.relatives or toks[k].quote >= 0:
            return None
        if toks[k - 1].text != ",":
            return None
        return self.mention_left(p, k - 1, s)

    def _impersonal(self, toks: list[Token], s: int, c: int, n: int) -> bool:
        """A passive report ("… vurgulandı") whose sentence names no statement it comes from
        ("Valilikten yapılan açıklamada … belirtildi" names its source)."""
        if " ".join(t.low for t in toks[c : c + n]) not in self.lex.impersonal_verbs:
            return False
        return not any(t.low.startswith("açıklama") for t in toks[s:c])

    @staticmethod
    def _attributes_quote(toks: list[Token], s: int, c: int, m: Mention) -> bool:
        """Whether the speaker before cue c closes a quote ("…," Seo said): the cue
        attributes that quote, and the words after it are an adjunct, not a clause
        ("Seo said Wednesday during the conference")."""
        k = next((k for k in range(s, c) if toks[k].start >= m.start), c)
        return k - 2 >= s and toks[k - 1].mark == "close" and toks[k - 2].text in ",?!"

    def _quoted_title(self, toks: list[Token], i: int, end: int) -> Mention | None:
        """A publication named in quotation marks after a marker ("Laut „Washington Post“")."""
        if i >= end or toks[i].mark != "open":
            return None
        inner = []
        for t in toks[i + 1 : min(end, i + 8)]:
            if t.quote < 0 or t.mark == "close":
                break
            inner.append(t)
        words = [t for t in inner if t.is_word]
        if not 1 <= len(words) <= 5 or not words[0].cap or len(inner) == len(toks[i + 1 : end]):
            return None
        text = self.text[inner[0].start : inner[-1].end]
        return Mention("org", text, inner[0].start, inner[-1].end, name=text)

    def _verb(
        self,
        p: Paragraph,
        toks: list[Token],
        s: int,
        end: int,
        c: int,
        n: int,
        carried: Mention | None,
    ) -> bool:
        cue = self.text[toks[c].start : toks[c + n - 1].end]
        after = c + n
        m_left = (
            None
            if carried
            else (self._relative(p, toks, s, c) or self.left_or_right(p, c, n, s, end))
        )
        m_right = None
        if m_left is not None and m_left.start >= toks[after - 1].end:
            m_left, m_right = None, m_left  # the subject after the verb (German V2)
        if carried is None and m_left is None and m_right is None:
            m_right = self.mention_right(p, after, end)
            if (
                m_right is not None
                and toks[after - 1].low in self.lex.addressee_verbs
                and m_right.start <= toks[min(after + 1, end - 1)].start
            ):
                m_right = None  # "Former colleagues told the BBC that …": the hearer
            if (
                m_right is not None
                and m_right.kind == "pronoun"
                and after + 1 < end
                and toks[after].end == m_right.end
                and toks[after + 1].is_word
            ):
                m_right = None  # "but said it was nonsensical": the clause's subject
        if (
            carried is None
            and m_left is None
            and m_right is None
            and c - 1 > s
            and toks[c - 1].low in CONJUNCTIONS
        ):
            # "…, but said …", "und betonte, …": the sentence's subject speaks again
            m_left = self.subject(p, s, c - 1)
        m = carried or m_left or m_right
        right_end = after
        if m_right is not None:
            right_end = next(
                (k + 1 for k in range(after, end) if toks[k].end >= m_right.end), after
            )
        # CLAUSE, said X. / CLAUSE, X said.  (the attribution closes the sentence)
        attr_start = c
        if m_left is not None:
            attr_start = next((k for k in range(s, c) if toks[k].start >= m_left.start), c)
            # back over the rest of the speaker phrase ("Ukrainian President …", "the …")
            while (
                attr_start - 1 > s
                and toks[attr_start - 1].is_word
                and toks[attr_start - 1].quote < 0
                and c - attr_start < 10
                and toks[attr_start - 1].low not in FUNCTION_WORDS
            ):
                attr_start -= 1
        tail = [t for t in toks[right_end:end] if t.is_word]
        before_cue = []
        for t in reversed(toks[max(s, c - 2) : c]):
            if not t.is_word:
                break  # "… gehöre es eigentlich nicht, meinten X": the clause's own "nicht"
            before_cue.append(t)
        if any(t.low in NEGATIONS for t in before_cue) or (
            len(tail) <= 4 and any(t.low in NEGATIONS for t in tail)
        ):
            return False  # "…, teilte die Armee nicht mit", "did not say that": nothing said
        # the attribution may end at a comma that opens another reported clause ("…, a
        # indiqué le maire sur Telegram, précisant qu'…")
        seg_end = next(
            (k for k in range(right_end, end) if toks[k].text == "," and toks[k].quote < 0), end
        )
        goes_on = (
            seg_end + 1 < end
            and len([t for t in toks[right_end:seg_end] if t.is_word]) <= 4
            and self.cue_at(toks, seg_end + 1, end)[0] > 0
        )
        # "…, X said Sunday, marking the third time …": a short adjunct, then a phrase
        # that is not reported
        adjunct = (
            seg_end + 1 < end
            and 0 < len([t for t in toks[right_end:seg_end] if t.is_word]) <= 3
            and not any(t.low in self.lex.complementizers for t in toks[right_end : seg_end + 2])
        )
        comma = attr_start - 1
        apposition = (
            right_end < end and toks[right_end].text == "," and self._has_role(tail[:4])
        )  # "…, kata Mark Rutte, sekretaris jenderal blok …"
        if (
            m is not None
            and comma > s
            and toks[comma].text in ",—–"
            and not self._adverbial(toks, s, end)
            and (len(tail) <= 5 or apposition or goes_on or adjunct)
            and not (tail and tail[0].low in self.lex.complementizers)  # "…, X anunció que"
            and toks[comma].quote < 0
            and all(t.quote < 0 for t in toks[right_end : seg_end if goes_on else end])
        ):
            added = self._add_indirect(p, self._content(toks, s, comma, 2), m, cue, "indirect+end")
            if added and goes_on and not (len(tail) <= 5 or apposition):
                self._resume = seg_end + 1
            return added
        # The issue, X notes, matters  (an attribution inserted in the clause)
        if (
            m is not None
            and not self._adverbial(toks, s, end)
            and comma > s
            and toks[comma].text == ","
            and right_end < end
            and toks[right_end].text == ","
            and len(tail) >= 3
            and self._content(toks, s, comma, 1) is not None
            and not any(self._is_role(t.low) for t in tail[:3])
        ):
            return self._add_indirect(p, self._content(toks, s, end), m, cue, "indirect+end")
        that = right_end
        while that < min(end, right_end + 3) and (
            toks[that].text == "," or toks[that].low in GAP_WORDS
        ):
            that += 1
        if m is None and that < end and toks[that].low in self.lex.complementizers:
            # "…, but said that CLAUSE": the subject of the sentence said it; "Dodał, że …"
            # (no subject: the speaker of the statement before)
            m = self.subject(p, s, c) if c > s else None
            if (
                m is None
                and all(not t.is_word or t.low in GAP_WORDS for t in toks[s:c])
                and toks[c].low not in self.lex.impersonal_verbs
            ):  # "Сообщается, что …", "Poinformowano, że …": nobody in particular
                m = Mention("anaphor", toks[c].text, toks[c].start, toks[c].end)
            if m is not None:
                return self._add_indirect(
                    p,
                    self._content(toks, that + 1, self._to_end(toks, that + 1, end, m), 3),
                    m,
                    cue,
                    "indirect+that",
                )
        if m is None:
            # the verb ends the sentence, the speaker opens it (Turkish word order)
            if (
                self.lex.sov
                and not tail
                and c > s + 3
                and not self._impersonal(toks, s, c, n)
            ):
                subj = self.sov_subject(p, s, c)
                if subj is not None:
                    a = s
                    while a < c and (toks[a].end <= subj.end or toks[a].text != ","):
                        a += 1
                    a += 1
                    if a + 1 < c and toks[a].is_word and toks[a + 1].text == ",":
                        a += 2  # "gazetecilere,": to whom it was said
                    return self._add_indirect(
                        p, self._content(toks, a, c), subj, cue, "indirect+final-verb"
                    )
            return False
        # X a affirmé (vendredi) avoir … / dijo haber … / ha detto di aver …: a non-finite
        # complement that asserts something
        for k in range(right_end, min(end, right_end + 3)):
            if not toks[k].is_word or toks[k].quote >= 0 or toks[k].cap:
                break
            two = f"{toks[k].low} {toks[k + 1].low}" if k + 1 < end else ""
            if toks[k].low in self.lex.infinitives or two in self.lex.infinitives:
                return self._add_indirect(
                    p,
                    self._content(toks, k, self._to_end(toks, k, end, m)),
                    m,
                    cue,
                    "indirect+bare",
                )
        # X said (on Tuesday) that CLAUSE
        for k in range(right_end, min(end, right_end + 7)):
            if toks[k].quote >= 0 or toks[k].text in ".;:!?":
                break
            if toks[k].low in self.lex.complementizers and toks[k].is_word:
                if toks[k - 1].low in RELATIVE_HEADS:
                    break  # "explicó lo que había pasado": what happened, not a claim
                return self._add_indirect(
                    p,
                    self._content(toks, k + 1, self._to_end(toks, k + 1, end, m), 3),
                    m,
                    cue,
                    "indirect+that",
                )
        while (
            right_end + 1 < end
            and toks[right_end].is_word
            and not toks[right_end].cap
            and toks[right_end].low not in self.lex.complementizers
            and toks[right_end + 1].text == ","
            and m is not None
        ):
            right_end += 1  # "erklärte daraufhin, …"
        if right_end < end and toks[right_end].text == "," and self.lex.lang in ("de", "*"):
            # German: "sagte er, die Lage sei ernst" (no complementizer)
            nxt = toks[right_end + 1] if right_end + 1 < end else None
            if (
                nxt is not None
                and nxt.quote < 0
                and nxt.is_word
                and not (
                    nxt.low in OF_WORDS
                    or self.lex.markers_before.has(nxt.low)
                    or self._is_role(nxt.low)
                )
            ):
                span = self._content(toks, right_end + 1, end)
                if span is not None and nxt.low not in GAP_WORDS:
                    return self._add_indirect(p, span, m, cue, "indirect+comma")
        if (
            right_end < end
            and toks[right_end].is_word
            and toks[right_end].quote < 0
            and m_left is not None
            and self.lex.lang in ("en", "id", "*")
            and toks[c + n - 1].low not in self.lex.addressee_verbs
            and toks[c + n - 1].low not in self.lex.object_verbs
            and not self._attributes_quote(toks, s, c, m_left)
        ):  # "asked Judge Lopez about …", "told Reuters …": a hearer, then "that" or nothing;
            # not after a quote the cue attributes ("…," Seo said Wednesday during …)
            nxt = toks[right_end]
            it_clause = (
                nxt.low == "it"
                and right_end + 1 < end
                and toks[right_end + 1].low in IT_CLAUSE_VERBS
            )  # "Flydubai said it would respond": "it" is the clause's subject, not the object
            if (nxt.low not in NOT_CLAUSE_START or it_clause) and not nxt.low.endswith("ly"):
                return self._add_indirect(
                    p,
                    self._content(toks, right_end, self._to_end(toks, right_end, end, m)),
                    m,
                    cue,
                    "indirect+bare",
                )
        return False
