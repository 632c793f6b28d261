"""One attribution method for every language, parametrised by `lexicon/<lang>.yaml`.

For each quoted span (`text.find_quotes`) and each sentence:

1. **Cue.** A speech verb or attribution marker next to the quote: after it (`”, said X`,
   `», a-t-elle ajouté`, `“, so Müller`, `", kata X`, `', dedi.`), or before it in the same
   sentence (`X said: “…”`, `sagte Müller: „…“`, `Berg: „…“`, `X zweifelt: „…“`).
2. **Speaker.** The subject of the cue in that sentence: the mention right before or after the
   cue (a name, a pronoun, a role, an organisation or its spokesperson), else the sentence's
   subject; pronouns, roles and short forms are resolved within the article
   (`mentions.Entities`).
3. **No cue.** A quote that is a sentence of its own continues the speaker of the statement
   just before it (same or previous paragraph); a short quote inside a sentence with a speech
   cue is a fragment of that speaker's words (`said the plan was “a disaster”`); any other
   short quote is a title, a name or a scare quote, not a statement.
4. **Reported speech** (kind `indirect`): `X said (that) CLAUSE`, `CLAUSE, X said`, `CLAUSE,
   said X`, `according to X, CLAUSE`, `CLAUSE, according to X`, `X zufolge CLAUSE`, `The
   issue, X notes, matters`, and a verb at the end of the sentence with the speaker at its
   start (Turkish `X, CLAUSE söyledi`).

Each statement carries a confidence from the evidence it rests on (a cue with a named
speaker beside it is surer than a pronoun resolved two paragraphs back, or a quote carried
over with no cue at all).
"""

from __future__ import annotations

from dataclasses import dataclass

from newswatch.statements.lexicon import Lexicon, lexicon
from newswatch.statements.mentions import (
    DEFINITE,
    GAP_WORDS,
    INDEFINITE,
    NOT_SPEAKER_WORDS,
    Entities,
    Mention,
)
from newswatch.statements.text import (
    DASHES,
    QUOTE_CHARS,
    TERMINAL,
    Paragraph,
    Quote,
    Token,
    build,
    uses_reversed_guillemets,
)

# How sure each kind of evidence is (calibrated on the development part of the labelled set).
# How sure a statement is: how its cue was found, times how its speaker was resolved. The
# values follow the precision each kind of evidence had on the development half of the
# labelled set (benchmarks/statements.py); they are an ordering, not a probability.
EVIDENCE = {
    "cue+name": 0.9,  # a speech verb next to the quote and a speaker next to the verb
    "cue+org": 0.9,
    "cue+role": 0.9,
    "cue+pronoun": 0.9,
    "cue+name?": 0.75,  # "?": a word in a speech verb's place after the quote, not listed
    "cue+org?": 0.7,
    "cue+role?": 0.7,
    "cue+pronoun?": 0.7,
    "cue+subject": 0.3,  # a verb after the quote but no subject: the previous speaker
    "colon": 0.5,  # "Berg: „…“"
    "fragment": 0.75,  # a few quoted words inside a sentence that reports a speaker
    "carry": 0.85,  # a quote that continues the previous statement's speaker
    "carry-fragment": 0.75,
    "context": 0.6,  # a quote with no cue: the person the text is about
    "indirect+that": 0.85,  # X said that CLAUSE
    "indirect+end": 0.9,  # CLAUSE, X said
    "indirect+bare": 0.75,  # X said CLAUSE
    "indirect+marker": 0.65,  # according to X, CLAUSE
    "indirect+comma": 0.5,  # X sagte, CLAUSE
    "indirect+final-verb": 0.85,  # X, CLAUSE söyledi (subject-object-verb languages)
}
RESOLUTION = {
    "name": 1.0,  # named next to the cue
    "org": 0.9,
    "spokes": 0.9,
    "role": 1.0,  # a role the article gives to a named person
    "description": 0.8,  # an unnamed source described ("rebel sources")
    "speaker-clear": 0.8,  # a pronoun: the last speaker, nobody else named since
    "subject-clear": 0.8,  # a pronoun: the subject of an earlier sentence, nobody else since
    "speaker": 0.6,  # the same with other people named in between
    "subject": 0.6,
    "last": 0.5,  # a pronoun: the last person named
}


_CUE_MEMO: dict[str, dict[str, bool]] = {}  # per language: could this word start a cue


@dataclass
class Found:
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


class Attributor:
    def __init__(self, text: str, lang: str | None) -> None:
        self.text = text
        self.lex: Lexicon = lexicon(lang)
        self.paras = build(text, uses_reversed_guillemets(text), self.lex)
        self.ents = Entities(text, self.lex, self.paras)
        self.ents.read()
        self.found: list[Found] = []
        self.indirect_found: list[Found] = []
        self._cue_memo = _CUE_MEMO.setdefault(self.lex.lang, {})
        self._marker_memo = _CUE_MEMO.setdefault(self.lex.lang + "/markers", {})
        if len(self._cue_memo) > 200_000:
            self._cue_memo.clear()

    # --- cues --------------------------------------------------------------------------

    def cue_at(self, toks: list[Token], i: int, e: int) -> tuple[int, Mention | None]:
        """(length of the speech cue at toks[i], the pronoun it carries), or (0, None)."""
        t = toks[i]
        if t.quote >= 0 or not t.is_word:
            return 0, None
        lex = self.lex
        low = t.low
        maybe = self._cue_memo.get(low)
        if maybe is None:
            maybe = self._cue_memo[t.low] = self._could_cue(t.low)
        if not maybe:
            return 0, None
        if (
            lex.enclitic
            and low.endswith(lex.enclitic)
            and len(low) > len(lex.enclitic) + 2
            and (lex.verbs.has(low[: -len(lex.enclitic)]) or lex.verbs.has(low))
        ):
            # Indonesian "katanya", "tambahnya": the verb carries its pronoun
            return 1, Mention("pronoun", "-" + lex.enclitic, t.start, t.end)
        words = [x.low for x in toks[i : min(e, i + 4)]]
        n = lex.verbs.match(words, 0)
        if n and all(x.quote < 0 for x in toks[i : i + n]):
            return n, None
        if low in lex.auxiliaries:
            # "a déclaré", "hat … gesagt", "ha detto", "a notamment souligné"
            for k in range(i + 1, min(e, i + 3)):
                if toks[k].quote >= 0 or not toks[k].is_word:
                    break
                if lex.participles.has(toks[k].low):
                    return k - i + 1, None
        if low in lex.quotatives and i + 1 < e and toks[i + 1].is_word:
            return 2, None  # Turkish "… diye konuştu"
        for suf in lex.inversion_suffixes:
            if low.endswith(suf) and len(low) > len(suf):
                base = low[: -len(suf)]
                pron = suf.split("-")[-1]
                m = Mention("pronoun", t.text, t.start, t.end, gender=lex.pronouns.get(pron, ""))
                if lex.verbs.has(base) or lex.participles.has(base):
                    return 1, m
                if base in lex.auxiliaries and i + 1 < e and lex.participles.has(toks[i + 1].low):
                    return 2, m
        if low in lex.separable:
            particles = lex.separable[low]
            for k in range(i + 1, min(e, i + 15)):
                if toks[k].low in particles and toks[k].quote < 0:
                    return 1, None
                if toks[k].text in ".;:" or toks[k].quote >= 0:
                    break
        return 0, None

    def _could_cue(self, low: str) -> bool:
        lex = self.lex
        return (
            lex.verbs.starts(low)
            or low in lex.auxiliaries
            or low in lex.quotatives
            or low in lex.separable
            or any(low.endswith(x) for x in lex.inversion_suffixes)
            or bool(lex.enclitic and low.endswith(lex.enclitic))
        )

    def marker_at(self, toks: list[Token], i: int, e: int) -> tuple[int, str]:
        if toks[i].quote >= 0 or not toks[i].is_word:
            return 0, ""
        low = toks[i].low
        maybe = self._marker_memo.get(low)
        if maybe is None:
            maybe = self._marker_memo[low] = self.lex.markers_before.starts(
                low
            ) or self.lex.markers_after.starts(low)
        if not maybe:
            return 0, ""
        words = [x.low for x in toks[i : min(e, i + 4)]]
        n = self.lex.markers_before.match(words, 0)
        if n:
            return n, "before"
        n = self.lex.markers_after.match(words, 0)
        if n:
            return n, "after"
        # "по его словам", "jego zdaniem": the marker around a possessive pronoun
        if (
            len(words) >= 3
            and words[1] in self.lex.possessives
            and self.lex.markers_before.match([words[0], words[2]], 0) == 2
        ):
            return 3, "possessive"
        return 0, ""

    # --- mentions next to a cue ----------------------------------------------------------

    def mention_right(self, p: Paragraph, i: int, e: int) -> Mention | None:
        """A speaker phrase starting at toks[i]: `Mark Rutte`, `he`, `the minister`,
        `a spokesman for the ministry`, `der Tessiner Ständerat`."""
        toks = p.tokens
        if i >= e or toks[i].quote >= 0:
            return None
        t = toks[i]
        if t.low in self.lex.pronouns:
            return Mention("pronoun", t.text, t.start, t.end, gender=self.lex.pronouns[t.low])
        j = i
        while (
            j < e
            and j - i < 12
            and toks[j].quote < 0
            and (toks[j].is_word or toks[j].text in "-'’().")
        ):
            if toks[j].text == "." and not (j > i and len(toks[j - 1].text) <= 3):
                break
            j += 1
        m = self.phrase_mention(p, i, j)
        if (m is None or m.kind != "name") and j + 1 < e and toks[j].text == ",":
            # "a affirmé le ministre russe de la Défense, Andreï Belooussov"
            end = self.ents.run_end(toks, j + 1, e)
            if end > j + 1 and (end >= e or toks[end].text in ",.;:!?"):
                s_start = next((a for a, b in p.sentences if a <= j < b), i)
                name, _role, gender, _ = self.ents.clean_run(toks, j + 1, end, s_start)
                if name and self.ents.name_ok(name) and (m is not None or j == i):
                    role = m.role if m is not None else ""
                    if role:
                        self.ents.roles.setdefault(role, name)
                    return Mention(
                        "name",
                        self.text[toks[j + 1].start : toks[end - 1].end],
                        toks[j + 1].start,
                        toks[end - 1].end,
                        name=name,
                        role=role,
                        gender=gender,
                    )
        return m

    def mention_left(self, p: Paragraph, j: int, s: int) -> Mention | None:
        """A speaker phrase ending right before toks[j] (gap words skipped)."""
        toks = p.tokens
        k = j - 1
        if k - 2 >= s and toks[k].text == ")" and toks[k - 2].text == "(":
            k -= 3  # "Nationalrat Marcel Dettling (SZ) sagte"
        skipped = 0
        while (
            k >= s
            and toks[k].is_word
            and toks[k].low in GAP_WORDS
            and skipped < 3
            and not (toks[k].cap and k > s)
        ):
            k -= 1
            skipped += 1
        if k < s or toks[k].quote >= 0:
            return None
        t = toks[k]
        if t.low in self.lex.pronouns and t.is_word:
            return Mention("pronoun", t.text, t.start, t.end, gender=self.lex.pronouns[t.low])
        if t.text == ",":
            # "Name, role of the thing, said" / "Role, Name, said" / "Name, 74, a resident
            # who saw it, said": a name that opens one of the comma-separated segments
            c = k
            for _ in range(3):
                c0 = c - 1
                while c0 >= s and c0 > c - 14 and toks[c0].text not in ",;:" and toks[c0].quote < 0:
                    c0 -= 1
                seg_start = c0 + 1
                if seg_start < c and toks[seg_start].quote < 0:
                    end = self.ents.run_end(toks, seg_start, c)
                    if end == c or (end > seg_start and seg_start == s):
                        m = self.phrase_mention(p, seg_start, end)
                        if m is not None and m.kind in ("name", "org"):
                            return m
                    elif c == k and toks[c - 1].cap and c - seg_start <= 10:
                        # "el jefe de Gobierno polaco, Donald Tusk, anunció": the segment
                        # ends with the name
                        m = self.phrase_mention(p, seg_start, c)
                        if m is not None and m.kind == "name" and m.end == toks[c - 1].end:
                            return m
                if c0 < s or toks[c0].text != ",":
                    break
                c = c0
            return None
        if not t.is_word:
            return None
        # walk back over the phrase: capitalised runs, role words, articles, adjectives
        headed = self._is_role(t.low) or self.lex.orgs.has(t.low)
        if not t.cap and not headed:
            # "Ukraine’s emergency service said": a description owned by a name
            for b in range(k - 1, max(s - 1, k - 4), -1):
                if toks[b].cap and toks[b].text.endswith(("’s", "'s")):
                    return self.description_of(p, b, k + 1)
                if not toks[b].is_word:
                    break
            # "una portavoz comunitaria remarcó": the head noun before its adjective
            for b in (k - 1, k - 2):
                if (
                    b >= s
                    and toks[b].is_word
                    and (self._is_role(toks[b].low) or self.lex.orgs.has(toks[b].low))
                ):
                    return self.mention_left(p, b + 1, s)
            # "the 74-year-old said", "el socialista sostuvo": a definite description
            for b in (k - 1, k - 2) if self.lex.lang != "de" else ():
                if (
                    b >= s
                    and toks[b].low in DEFINITE
                    and toks[b].is_word
                    and (b == s or not toks[b - 1].is_word or toks[b - 1].low in FUNCTION_WORDS)
                ):
                    text = self.text[toks[b].start : t.end]
                    return Mention(
                        "anaphor",
                        text,
                        toks[b].start,
                        t.end,
                        name=self.text[toks[b + 1].start : t.end],
                    )
                if b < s or not toks[b].is_word or toks[b].cap:
                    break
            return None
        b = k
        while b - 1 >= s and k - b < 7:
            u = toks[b - 1]
            if u.quote >= 0 or not (u.is_word or u.text in "-'’"):
                break
            if u.is_word and (
                u.cap
                or u.low in DEFINITE
                or u.low in INDEFINITE
                or self._is_role(u.low)
                or u.low in self.lex.honorifics
                or u.low in _OF_WORDS
                or (headed and k - b < 3 and u.low not in self.lex.complementizers)
            ):
                b -= 1
                continue
            break
        # an opening preposition or lower-case word inside is not part of the speaker
        while (
            b < k
            and toks[b].is_word
            and not toks[b].cap
            and not (
                toks[b].low in DEFINITE or toks[b].low in INDEFINITE or self._is_role(toks[b].low)
            )
            and (toks[b].low in _OF_WORDS or toks[b].low in _NOT_CLAUSE_START or not headed)
        ):
            b += 1
        return self.phrase_mention(p, b, k + 1, head_last=True)

    def _is_role(self, low: str) -> bool:
        if self.lex.roles.has(low) or self.lex.spokes.has(low):
            return True
        # plurals: "villagers", "residentes", "analystes"
        return (
            len(low) > 4
            and low[-1] == "s"
            and self.lex.lang in _PLURAL_S
            and (self.lex.roles.has(low[:-1]) or self.lex.roles.has(low[:-2]))
        )

    def description_of(self, p: Paragraph, i: int, j: int) -> Mention:
        toks = p.tokens
        text = self.text[toks[i].start : toks[j - 1].end]
        return Mention("org", text, toks[i].start, toks[j - 1].end, name=text)

    def _has_role(self, words: list[Token], spokes_only: bool = False) -> bool:
        """Whether a role (or spokesperson) noun, of one word or several, is in `words`."""
        lows = [t.low for t in words]
        for n in range(len(lows)):
            if self.lex.spokes.match(lows, n) or (
                not spokes_only and self.lex.roles.match(lows, n)
            ):
                return True
        return False

    def phrase_mention(
        self, p: Paragraph, i: int, j: int, head_last: bool = False
    ) -> Mention | None:
        """The speaker in toks[i:j]: a name (titles dropped), else a role, organisation,
        spokesperson or description phrase. `head_last`: the phrase ends at its head noun
        (the words before a cue), so a name followed by a common noun only modifies it."""
        toks = p.tokens
        if i >= j:
            return None
        seg = toks[i:j]
        s_start = next((s for s, e in p.sentences if s <= i < e), i)
        k = i
        while k < j:
            end = self.ents.run_end(toks, k, j)
            if end == k:
                k += 1
                continue
            before = [t for t in toks[i:k] if t.is_word]
            if end - k == 1 and (self._is_role(toks[k].low) or self.lex.orgs.has(toks[k].low)):
                break  # "Villagers", "Police": a capitalised common noun, not a name
            if (
                before
                and self._has_role(before)
                and (
                    toks[k - 1].low in _OF_WORDS
                    or (k - 2 >= i and toks[k - 2].low in _OF_WORDS and toks[k - 1].low in DEFINITE)
                )
            ):
                k = end  # "le ministre de la Défense": the run completes the role
                continue
            lead_ok = all(
                t.low in DEFINITE
                or t.low in INDEFINITE
                or self._is_role(t.low)
                or t.low in self.lex.honorifics
                or not t.cap
                for t in before
            )
            if not lead_ok:
                return None
            # "Kyiv resident Svitlana Onofryichuk": a place, a role, then the name
            nxt = end
            while (
                nxt < j and toks[nxt].is_word and not toks[nxt].cap and self._is_role(toks[nxt].low)
            ):
                nxt += 1
            if nxt > end and nxt < j and self.ents.run_end(toks, nxt, j) > nxt:
                k = nxt
                continue
            trailing = [t for t in toks[end:j] if t.is_word]
            if head_last and trailing and not trailing[-1].cap:
                break  # "Ukrainian authorities": the name is a modifier
            if self._has_role(before) and not head_last:
                # "le porte-parole du ministère des Affaires étrangères Lin Jian"
                later = end
                while later < j:
                    e2 = self.ents.run_end(toks, later, j)
                    if e2 - later >= 2:
                        k, end = later, e2
                        break
                    later = max(e2, later + 1)
            name, role, gender, _ = self.ents.clean_run(toks, k, end, s_start)
            if role and name and len(name.split()) == 1 and name.lower() not in self.ents.full:
                # "Prezydent USA", "the French President": the role, not the country
                return Mention(
                    "role",
                    self.text[seg[0].start : toks[end - 1].end],
                    seg[0].start,
                    toks[end - 1].end,
                    name=self.text[toks[k].start : toks[end - 1].end],
                    role=role,
                )
            if name and self.ents.name_ok(name):
                if self._has_role(before, spokes_only=True):
                    return Mention(
                        "spokes",
                        self.text[seg[0].start : toks[end - 1].end],
                        seg[0].start,
                        toks[end - 1].end,
                        name=name,
                        org=name,
                    )
                kind = "org" if self.lex.orgs.has(name.split()[-1].lower()) else "name"
                return Mention(
                    kind,
                    self.text[toks[k].start : toks[end - 1].end],
                    toks[k].start,
                    toks[end - 1].end,
                    name=name,
                    role=role,
                    gender=gender,
                )
            if name:
                return None
            k = end
            if role:
                break
        return self.description(seg)

    def description(self, seg: list[Token]) -> Mention | None:
        """ "the minister", "a spokesman for the ministry", "senior Turkish security official",
        "der Tessiner Ständerat" (a German definite description points back to a person)."""
        words = [t for t in seg if t.is_word]
        if not words:
            return None
        lex = self.lex
        head = next(
            (n for n, t in enumerate(words) if self._is_role(t.low) or lex.orgs.has(t.low)), -1
        )
        if head < 0:
            if (
                words[0].low in DEFINITE
                and len(words) >= 2
                and lex.lang in ("de", "*")
                and all(t.cap for t in words[1:3])
            ):
                end = 1
                while end < len(words) and words[end].cap and end < 4:
                    end += 1
                text = self.text[words[0].start : words[end - 1].end]
                return Mention(
                    "anaphor",
                    text,
                    words[0].start,
                    words[end - 1].end,
                    name=" ".join(t.text for t in words[1:end]),
                )
            return None
        # the phrase runs to the head and an "of the X" / "des X" complement after it
        end = head + 1
        if end + 1 < len(words) and words[end].low in _OF_WORDS:
            e2 = end + 1
            while (
                e2 < len(words)
                and (words[e2].low in DEFINITE or words[e2].cap or lex.orgs.has(words[e2].low))
                and e2 - end < 5
            ):
                e2 += 1
            if e2 > end + 1 and (words[e2 - 1].cap or lex.orgs.has(words[e2 - 1].low)):
                end = e2
        ws = words[:end]
        start_i = 0
        while (
            start_i < head
            and ws[start_i].low not in DEFINITE
            and ws[start_i].low not in INDEFINITE
            and not ws[start_i].cap
            and head - start_i > 3
        ):
            start_i += 1
        ws = ws[start_i:]
        text = self.text[ws[0].start : ws[-1].end]
        bare = " ".join(t.text for t in ws if t.low not in DEFINITE and t.low not in INDEFINITE)
        head_tok = words[head]
        if lex.spokes.has(head_tok.low):
            org = [
                t.text
                for t in ws
                if t is not head_tok and (t.cap or lex.orgs.has(t.low)) and t.low not in DEFINITE
            ]
            if org:
                return Mention(
                    "spokes", text, ws[0].start, ws[-1].end, name=bare, org=" ".join(org)
                )
        if self._is_role(head_tok.low):
            return Mention("role", text, ws[0].start, ws[-1].end, name=bare, role=head_tok.low)
        return Mention("org", text, ws[0].start, ws[-1].end, name=bare)

    def subject(self, p: Paragraph, s: int, limit: int) -> Mention | None:
        """The first mention of a sentence (its subject, in most word orders)."""
        toks = p.tokens
        for k in range(s, min(limit, s + 6)):
            t = toks[k]
            if t.quote >= 0:
                return None
            if t.is_word and t.low in self.lex.pronouns:
                return Mention("pronoun", t.text, t.start, t.end, gender=self.lex.pronouns[t.low])
            end = self.ents.run_end(toks, k, limit)
            if end > k:
                m = self.mention_right(p, k, limit)
                if m is not None and m.kind in ("name", "org", "spokes", "role"):
                    return m
                return None
            if t.is_word and (self._is_role(t.low) or self.lex.orgs.has(t.low)):
                return self.mention_right(
                    p, k - (1 if k > s and toks[k - 1].low in DEFINITE else 0), limit
                )
        return None

    # --- direct quotes -------------------------------------------------------------------

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
            for span in range(1, 9):
                c = k + span
                if c >= e or toks[c - 1].quote >= 0 or toks[c - 1].text in ".;:!?":
                    break
                n, carried = self.cue_at(toks, c, e)
                if n:
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
            m = carried or self.mention_left(p, c, s)
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
            m = self.mention_left(p, left - 1, s)
            if (
                m is not None
                and m.kind == "name"
                and (len(m.name.split()) >= 2 or m.name.lower() in self.ents.full)
            ):
                return m, "", "colon"
            m = self.subject(p, s, left - 1)
            if m is not None and m.kind != "org":
                return m, verb.text if verb is not None and verb.is_word else "", "colon"
        return None, "", ""

    def _verb_slot(self, toks: list[Token], qb: int, right: int, k: int, e: int) -> bool:
        t = toks[k]
        if not t.is_word or t.cap or t.quote >= 0 or len(t.text) < 3:
            return False
        comma = (qb > 0 and toks[qb - 1].text == ",") or any(x.text in ",—–" for x in toks[right:k])
        if not comma:
            return False
        low = t.low
        lex = self.lex
        return not (
            low in FUNCTION_WORDS
            or low in lex.not_names
            or low in lex.complementizers
            or low in lex.pronouns
            or low in DEFINITE
            or low in INDEFINITE
            or low in _OF_WORDS
            or low in _NOT_CLAUSE_START
            or low in GAP_WORDS
            or lex.markers_before.has(low)
            or self._is_role(low)
            or lex.orgs.has(low)
        )

    def sov_subject(self, p: Paragraph, s: int, limit: int) -> Mention | None:
        """Subject-object-verb order: the last name (or organisation) of the phrase that
        opens the sentence and ends at its first comma ("İzmir Valisi Süleyman Elban,")."""
        toks = p.tokens
        comma = next((k for k in range(s, min(limit, s + 16)) if toks[k].text == ","), -1)
        if comma < 0:
            return None
        last = None
        k = s
        while k < comma:
            end = self.ents.run_end(toks, k, comma)
            if end > k:
                last = (k, end)
                k = end
            else:
                k += 1
        if last is None:
            return None
        return self.phrase_mention(p, last[0], last[1])

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
            if n:
                m = carried or self.mention_left(p, c, s) or self.mention_right(p, c + n, before)
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
            for qi, q in enumerate(p.quotes):
                idx = [k for k, t in enumerate(toks) if t.quote == qi]
                if not idx:
                    continue
                qa, qb = idx[0], idx[-1] + 1
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
                if m is None and not (starts and ends):
                    # a fragment inside a sentence: the speaker's words if the sentence
                    # reports them, else a title, a name or a scare quote
                    sc = self.sentence_cue(p, s, e, qa)
                    if sc is not None and not self._title_like(toks[qa:qb]):
                        m, cue = sc
                        ev = "fragment"
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
                    if last is not None and last.para >= p.index - 1:
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

    # --- reported speech -----------------------------------------------------------------

    def indirect(self) -> None:
        for p in self.paras:
            toks = p.tokens
            for s, e in p.sentences:
                self._indirect_sentence(p, toks, s, e)

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

    def _indirect_sentence(self, p: Paragraph, toks: list[Token], s: int, e: int) -> None:
        end = e
        while end > s and toks[end - 1].text in TERMINAL and toks[end - 1].quote < 0:
            end -= 1
        # a sentence that is only a quote and its attribution is direct speech
        outside = [t for t in toks[s:e] if t.quote < 0 and t.is_word]
        if not outside:
            return
        if self.lex.sov:
            self._sov_sentence(p, toks, s, end)
            return
        c = s
        while c < end:
            t = toks[c]
            if t.quote >= 0:
                c += 1
                continue
            mk, where = self.marker_at(toks, c, end)
            if mk:
                if self._marker(p, toks, s, end, c, mk, where):
                    return
                c += mk
                continue
            n, carried = self.cue_at(toks, c, end)
            if n and self._verb(p, toks, s, end, c, n, carried):
                return
            c += max(1, n)

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
            m = self.mention_right(p, c + mk, end)
            if m is None:
                return False
            src_end = next((k for k in range(c + mk, end) if toks[k].end >= m.end), c + mk)
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
        m_left = None if carried else self.mention_left(p, c, s)
        m_right = None
        if carried is None and m_left is None:
            m_right = self.mention_right(p, after, end)
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
        comma = attr_start - 1
        if (
            m is not None
            and comma > s
            and toks[comma].text in ",—–"
            and len(tail) <= 5
            and toks[comma].quote < 0
            and all(t.quote < 0 for t in toks[right_end:end])
        ):
            return self._add_indirect(p, self._content(toks, s, comma, 2), m, cue, "indirect+end")
        # The issue, X notes, matters  (an attribution inserted in the clause)
        if (
            m is not None
            and comma > s
            and toks[comma].text == ","
            and right_end < end
            and toks[right_end].text == ","
            and len(tail) >= 3
            and self._content(toks, s, comma) is not None
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
            if m is None and all(not t.is_word or t.low in GAP_WORDS for t in toks[s:c]):
                m = Mention("anaphor", toks[c].text, toks[c].start, toks[c].end)
            if m is not None:
                return self._add_indirect(
                    p, self._content(toks, that + 1, end), m, cue, "indirect+that"
                )
        if m is None:
            # the verb ends the sentence, the speaker opens it (Turkish word order)
            if self.lex.sov and not tail and c > s + 3:
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
        # X said (on Tuesday) that CLAUSE
        for k in range(right_end, min(end, right_end + 7)):
            if toks[k].quote >= 0 or toks[k].text in ".;:!?":
                break
            if toks[k].low in self.lex.complementizers and toks[k].is_word:
                return self._add_indirect(
                    p, self._content(toks, k + 1, end), m, cue, "indirect+that"
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
                    nxt.low in _OF_WORDS
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
        ):
            nxt = toks[right_end]
            if nxt.low not in _NOT_CLAUSE_START and not nxt.low.endswith("ly"):
                return self._add_indirect(
                    p, self._content(toks, right_end, end), m, cue, "indirect+bare"
                )
        return False

    # --- resolution ----------------------------------------------------------------------

    def resolve(self, f: Found) -> str:
        if f.mention is None:
            return ""
        speakers = [(x.start, x.speaker) for x in self.found if x.speaker and x is not f]
        name = self.ents.resolve(f.mention, speakers)
        f.how = self.ents.how
        return name

    def run(self) -> list[Found]:
        self.indirect()
        self.indirect_found = list(self.found)
        self.direct()
        self.found.sort(key=lambda f: (f.start, f.kind))
        for f in self.found:
            if not f.speaker:
                f.speaker = self.resolve(f)
        out: list[Found] = []
        seen: set[tuple[int, int]] = set()
        for f in self.found:
            if (f.start, f.end) in seen or not _plausible(f.speaker):
                continue
            seen.add((f.start, f.end))
            out.append(f)
        return out


_PLURAL_S = {"en", "fr", "es", "pt", "*"}
CONJUNCTIONS = {
    "and", "but", "und", "aber", "sondern", "et", "mais", "y", "pero", "e", "ma", "i", "a",
    "ale", "и", "а", "но", "ve", "ama", "dan", "tetapi", "namun", "lalu", "serta",
}  # fmt: skip
# Words that never stand in a speech verb's place (all languages; lexicon words add to it).
FUNCTION_WORDS = {
    "and", "or", "but", "which", "who", "whose", "where", "when", "while", "as", "if", "then",
    "und", "oder", "aber", "sondern", "doch", "denn", "wie", "wo", "als", "et", "ou", "mais",
    "où", "donc", "car", "comme", "y", "o", "pero", "sino", "donde", "cuando", "como", "e",
    "ma", "però", "dove", "quando", "come", "mas", "onde", "и", "или", "но", "а", "где",
    "когда", "как", "i", "lub", "ale", "gdzie", "kiedy", "jak", "ve", "veya", "ama", "dan",
    "atau", "tetapi", "namun", "yang", "di", "ke", "dari", "untuk", "dengan", "pada", "dalam",
    "is", "was", "are", "were", "be", "ist", "war", "sind", "est", "sont", "era", "es", "fue",
    "son", "è", "sono", "é", "foi", "são", "jest", "był", "была", "был", "это", "adalah",
    "ialah", "merupakan", "not", "nicht", "pas", "no", "non", "não", "не", "nie", "tidak",
    "has", "have", "had", "hat", "haben", "a", "ont", "ha", "han", "hanno", "tem", "têm",
}  # fmt: skip
_OF_WORDS = {
    "of",
    "for",
    "at",
    "de",
    "des",
    "du",
    "del",
    "della",
    "di",
    "der",
    "do",
    "da",
    "dari",
    "из",
}
_NOT_CLAUSE_START = {
    "on", "in", "at", "to", "for", "with", "by", "from", "of", "about", "after", "before",
    "during", "while", "when", "as", "last", "this", "yesterday", "today", "tomorrow",
    "earlier", "later", "nothing", "so", "yes", "no", "it", "him", "her", "them", "us",
    "me", "reporters", "journalists", "pada", "kepada", "dalam", "di", "saat", "ketika",
    "dengan", "soal", "terkait", "tentang", "usai", "seusai", "kemarin", "hari", "and", "but",
    "or", "goodbye", "thanks", "sorry", "what", "how", "why", "where", "who",
}  # fmt: skip


def _plausible(speaker: str) -> bool:
    words = speaker.split()
    if not words or words[0].lower() in NOT_SPEAKER_WORDS:
        return False
    return not (len(words) > 1 and all(w.isupper() for w in words) and len(words) > 3)
