"""Speakers next to a cue: the phrase before or after it, or the sentence's subject, and
what it resolves to within the article (`mentions.Entities`).

`mention_right` reads `said Mark Rutte, NATO's secretary general` / `a affirmé le ministre
russe de la Défense, Andreï Belooussov` / `kata juru bicara Badan X, Dian Sari`;
`mention_left` reads `Ukrainian President Volodymyr Zelenskyy said` / `Former area
councillor, Seabata Moeketsi, said` / `una portavoz comunitaria remarcó`; `subject` and
`sov_subject` read a sentence's first mention (its subject in most word orders; in Turkish,
the phrase before the first comma).
"""

from __future__ import annotations

import re

from newswatch.statements.cues import FUNCTION_WORDS, NOT_CLAUSE_START, OF_WORDS, CueFinder
from newswatch.statements.evidence import Found
from newswatch.statements.mentions import (
    DEFINITE,
    GAP_WORDS,
    INDEFINITE,
    INVERSION_ADVERBS,
    PARTICLES,
    PREPOSITIONS,
    Mention,
)
from newswatch.statements.text import Paragraph, Token

ROMANCE = {"fr", "es", "pt", "it"}  # adjectives follow the noun
WH = {"how", "what", "why", "whether", "comment", "pourquoi", "warum", "cómo", "qué"}  # fmt: skip


# words opening a subordinate clause before the main one ("When asked about it, Donna …")
SUBORDINATORS = {
    "when", "if", "after", "before", "while", "as", "although", "though", "once", "wenn", "als",
    "nachdem", "quand", "lorsque", "cuando", "quando", "kiedy",
}  # fmt: skip

# prepositions that open the phrase of a hearer ("a letter to the council's head X")
ADDRESSEE_PREPOSITIONS = {"do", "to", "an", "à", "a", "к", "ко", "kepada", "al", "ai", "alla"}


class SpeakerFinder(CueFinder):
    """Speaker phrases next to cues, and their resolution to the article's names."""

    found: list[Found]

    def mention_right(self, p: Paragraph, i: int, e: int) -> Mention | None:
        """A speaker phrase starting at toks[i]: `Mark Rutte`, `he`, `the minister`,
        `a spokesman for the ministry`, `der Tessiner Ständerat`."""
        toks = p.tokens
        if i >= e or toks[i].quote >= 0:
            return None
        t = toks[i]
        if t.low in self.lex.pronouns:
            return Mention("pronoun", t.text, t.start, t.end, gender=self.lex.pronouns[t.low])
        if t.low in INVERSION_ADVERBS and t.is_word and not t.cap and i + 1 < e:
            return self.mention_right(p, i + 1, e)  # "berichtete beispielsweise ein Vertreter"
        if t.low in self.lex.complementizers and t.is_word:
            return None  # "sostuvo que la investidura de Pedro Sánchez …": a clause follows
        if t.low in self.lex.prepositions and t.is_word:
            # "a rapporté sur Facebook le porte-parole …", "dijo en una entrevista el
            # ministro": the phrase is not the speaker; one may follow it, opened by an article
            first = i + 2 if i + 1 < e and toks[i + 1].low in DEFINITE | INDEFINITE else i + 1
            for k in range(first, min(e, i + 6)):
                if toks[k].quote >= 0 or not toks[k].is_word:
                    break
                if toks[k].low in DEFINITE or toks[k].low in INDEFINITE:
                    return self.mention_right(p, k, e)
            return None
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
            if end > j + 1 and (end >= e or toks[end].text in ",.;:!?("):  # "Close (PS)"
                s_start = next((a for a, b in p.sentences if a <= j < b), i)
                name, _role, gender, _ = self.ents.clean_run(toks, j + 1, end, s_start)
                if (
                    name
                    and self.ents.name_ok(name)
                    and (m is not None or j == i or toks[i].low in DEFINITE)
                ):  # (a description, then the name: "la periodista de Telesur, Madelein García")
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

    def is_preposition(self, low: str) -> bool:
        """A preposition: one of every language's few, or one the lexicon lists."""
        return low in PREPOSITIONS or low in self.lex.prepositions

    def left_or_right(
        self, p: Paragraph, c: int, n: int, s: int, limit: int
    ) -> Mention | None:
        """The speaker phrase before the cue at toks[c:c+n], unless that phrase is the
        object of a preposition and a speaker follows the cue ("Über den Vorschlag von Olaf
        Scholz sagte Friedrich Merz: …": the subject after the verb); a phrase that opens
        with a preposition ("In den sozialen Medien sagen …") is a place, never the
        speaker."""
        m = self.mention_left(p, c, s)
        if m is None:
            return None
        toks = p.tokens
        k = next((i for i in range(s, len(toks)) if toks[i].start >= m.start), len(toks))
        opens = (
            k < len(toks)
            and self.is_preposition(toks[k].low)
            and not self._particle_opens(toks, k, m)
        )
        b = k - 1
        while b >= s and toks[b].is_word and (toks[b].low in DEFINITE or toks[b].low in INDEFINITE):
            b -= 1
        governed = b >= s and toks[b].is_word and (
            self.is_preposition(toks[b].low) or toks[b].low in OF_WORDS
        )
        # "Jadwiga Emilewicz w liście do szefa Rady … Krzysztofa Czabańskiego napisała": the
        # name closes a phrase addressed to someone, after the sentence's own subject
        to = b
        while to > s and toks[to].is_word and not toks[to].cap and self._is_role(toks[to].low):
            to -= 1
        addressed = (
            to > s
            and toks[to].is_word
            and not toks[to].cap
            and toks[to].low in ADDRESSEE_PREPOSITIONS
            and not self._is_role(toks[to - 1].low)  # "ambassador to Germany Anthony …"
        )
        if not (opens or governed or addressed):
            return m
        right = self.mention_right(p, c + n, limit)
        if right is None and (
            opens
            or (
                governed
                and toks[b].low in self.lex.prepositions
                and toks[b].low not in OF_WORDS
                and m.kind == "name"
                and not (b > s and self._is_role(toks[b - 1].low))
            )
        ):
            return None  # "a report based on a study of life on Earth warned": a place
        if right is None and addressed:
            subj = self._last_name(p, s, to)
            if subj is not None:
                return subj
        return right or m

    def _last_name(self, p: Paragraph, s: int, limit: int) -> Mention | None:
        """The last person's name (two words or more) in toks[s:limit]."""
        toks = p.tokens
        found = None
        i = s
        while i < limit:
            end = self.ents.run_end(toks, i, limit)
            if end - i >= 2:
                m = self.phrase_mention(p, i, end)
                if m is not None and m.kind == "name" and len(m.name.split()) >= 2:
                    found = m
            i = max(end, i + 1)
        return found

    def _owner_then_name(self, toks: list[Token], end: int, limit: int) -> bool:
        """Whether the run ending at `end` is an owner ("The ACLU’s") and a name of two words
        or more follows before `limit` (not "Bushnell’s LinkedIn page")."""
        return (
            end < limit
            and toks[end - 1].text.endswith(("’s", "'s"))
            and any(self.ents.run_end(toks, x, limit) > x + 1 for x in range(end, limit))
        )

    def _particle_opens(self, toks: list[Token], k: int, m: Mention) -> bool:
        """Whether toks[k], a preposition, is the particle that opens the name m ("Von der
        Leyen said", "Di Maio ha detto"; in German only before another particle: "Da
        Meister sagte" opens with a conjunction)."""
        t = toks[k]
        if m.kind != "name" or not t.cap or t.low not in PARTICLES:
            return False
        if self.lex.lang in ("de", "*") and not (k + 1 < len(toks) and not toks[k + 1].cap):
            return False
        return m.text.startswith(t.text + " ")

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
                while c0 >= s and c0 > c - 26 and toks[c0].text not in ",;:" and toks[c0].quote < 0:
                    c0 -= 1
                if c - c0 > 14 and not (c0 + 1 < c and _clause_word(toks[c0 + 1].low)):
                    return None  # only a relative clause ("Mr X, who …, said") runs so long
                seg_start = c0 + 1
                if seg_start < c and self.is_preposition(toks[seg_start].low):
                    pass  # "Nuhaa Bardien, from Brooklyn, said": a place, not the speaker
                elif seg_start < c and toks[seg_start].quote < 0:
                    end = self.ents.run_end(toks, seg_start, c)
                    if self._owner_then_name(toks, end, c):
                        end = c  # "The ACLU’s Keegan Medrano, …, said": the person
                    if end == c or (end > seg_start and seg_start == s and c - end <= 4):
                        m = self.phrase_mention(p, seg_start, end)
                        if m is not None and m.kind in ("name", "org"):
                            return m
                    elif (
                        c == k
                        and toks[c - 1].cap
                        and c - seg_start <= 10
                        and (
                            toks[seg_start].cap
                            or toks[seg_start].low in DEFINITE
                            or toks[seg_start].low in INDEFINITE
                            or self._is_role(toks[seg_start].low)
                        )
                    ):  # (not "…, chaired by Prime Minister Shehbaz Sharif, said": an agent)
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
            # "una portavoz comunitaria remarcó", "el responsable de la formación naranja
            # lamenta": the head noun before its adjectives and complement
            for b in range(k - 1, max(s - 1, k - 7), -1):
                u = toks[b]
                if not u.is_word or u.quote >= 0 or _clause_word(u.low) or u.cap:
                    break
                if self._is_role(u.low) or self.lex.orgs.has(u.low):
                    return self.mention_left(p, b + 1, s)
            # "the 74-year-old said", "el socialista sostuvo": a definite description
            for b in (k - 1, k - 2) if self.lex.lang != "de" else ():
                if (
                    b >= s
                    and toks[b].low in DEFINITE
                    and toks[b].is_word
                    and (
                        b == s
                        or not toks[b - 1].is_word
                        or toks[b - 1].low in FUNCTION_WORDS
                        or toks[b - 1].low in self.lex.complementizers
                    )
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
        german = self.lex.lang in ("de", "*")  # "von" is a preposition first ("von Borrell")
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
                or u.low in OF_WORDS
                or (u.low in PARTICLES and b - 1 > s and toks[b - 2].cap and not german)
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
            and (toks[b].low in OF_WORDS or toks[b].low in NOT_CLAUSE_START or not headed)
        ):
            b += 1
        m = self.phrase_mention(p, b, k + 1, head_last=True)
        if m is not None and m.kind in ("name", "org") and self._inside_opening_phrase(p, s, b):
            # "W należącym do siebie serwisie Truth Social podkreślił": the name closes a
            # prepositional phrase that opens the sentence; the subject is not written
            return None
        return m

    def _inside_opening_phrase(self, p: Paragraph, s: int, b: int) -> bool:
        """Whether toks[s:b] is a prepositional phrase with a lower-case word in it and no
        comma: the sentence opens with it and a name at b closes it."""
        toks = p.tokens
        if b <= s + 1 or toks[s].low not in self.lex.prepositions:
            return False
        inside = toks[s + 1 : b]
        return all(t.text not in ",;:" and t.quote < 0 for t in inside) and any(
            t.is_word and not t.cap and t.low not in DEFINITE and t.low not in INDEFINITE
            for t in inside
        )

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
        lead = i  # where the words before the name start (after a place and its role)
        while k < j:
            end = self.ents.run_end(toks, k, j)
            if end == k:
                k += 1
                continue
            if self._owner_then_name(toks, end, j):
                k = lead = end  # "The ACLU’s Keegan Medrano": the owner, then the person
                continue
            before = [t for t in toks[lead:k] if t.is_word]
            if end - k == 1 and (self._is_role(toks[k].low) or self.lex.orgs.has(toks[k].low)):
                break  # "Villagers", "Police": a capitalised common noun, not a name
            if (
                before
                and self._has_role(before)
                and (
                    toks[k - 1].low in OF_WORDS
                    or (k - 2 >= i and toks[k - 2].low in OF_WORDS and toks[k - 1].low in DEFINITE)
                )
            ):
                k = end  # "le ministre de la Défense": the run completes the role
                continue
            if (
                len(before) >= 2
                and toks[k - 1].low not in OF_WORDS
                and self.is_preposition(toks[k - 1].low)
                and (self._has_role(before) or before[0].low in DEFINITE)
            ):
                # "espetó el ingeniero de pista a Max Verstappen": the name after a
                # preposition is who was spoken to or about; the phrase before is the speaker
                return self.description(toks[i : k - 1]) or self._anaphor(toks[i : k - 1])
            if (
                len(before) >= 3
                and before[0].low in DEFINITE
                and not self._has_role(before)
                and not before[1].cap
                and not self.lex.orgs.has(before[1].low)
                and (
                    before[-1].low in OF_WORDS
                    or (before[-1].low in DEFINITE and before[-2].low in OF_WORDS)
                )
                and toks[k - 1] is before[-1]
                and not head_last
            ):
                return None  # "destacó el plan de la Liga Árabe": a thing of the body
            lead_ok = all(
                t.low in DEFINITE
                or t.low in INDEFINITE
                or self._is_role(t.low)
                or t.low in self.lex.honorifics
                or (
                    not t.cap
                    and (t.low not in FUNCTION_WORDS or t.low in OF_WORDS)
                    and not t.text[0].isdigit()
                )
                for t in before
            )  # "the mining lease was issued in 2014 to Mr Makama": a clause, not a title
            if not lead_ok:
                return None
            if (
                len(before) >= 3
                and before[0].low in DEFINITE
                and before[-1].low in OF_WORDS
                and toks[k - 1] is before[-1]
                and not self._has_role(before)
                and all(not t.cap for t in before[1:])
            ):
                # "abundó el team principal de Red Bull": a person described by an
                # organisation, not the organisation (nor its spokesperson); "el ministerio
                # de Exteriores de Egipto": the body itself
                return Mention(
                    "org" if self.lex.orgs.has(before[1].low) else "anaphor",
                    self.text[seg[0].start : toks[end - 1].end],
                    seg[0].start,
                    toks[end - 1].end,
                    name=self.text[before[1].start : toks[end - 1].end],
                )
            # "Kyiv resident Svitlana Onofryichuk": a place, a role, then the name
            nxt = end
            while (
                nxt < j and toks[nxt].is_word and not toks[nxt].cap and self._is_role(toks[nxt].low)
            ):
                nxt += 1
            if nxt > end and nxt < j and self.ents.run_end(toks, nxt, j) > nxt:
                k, lead = nxt, end
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
            if name and (self.lex.lang not in ("de", "*") or k - i > 6):
                return None
            # "der für die Bankenaufsicht zuständige Fed-Vizechef Michael Barr": a German
            # noun inside the phrase, the name comes later
            k = lead = end
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
                and all(t.cap or t.text[0].isdigit() for t in words[1:3])
            ):
                # "der Tessiner Ständerat", "der 51-Jährige"
                end = 1
                while end < min(4, len(words)) and (words[end].cap or words[end].text[0].isdigit()):
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
        if end + 1 < len(words) and words[end].low in OF_WORDS:
            e2 = end + 1
            while (
                e2 < len(words)
                and (words[e2].low in DEFINITE or words[e2].cap or lex.orgs.has(words[e2].low))
                and e2 - end < 5
            ):
                e2 += 1
            if e2 > end + 1 and (words[e2 - 1].cap or lex.orgs.has(words[e2 - 1].low)):
                end = e2
        elif (
            lex.lang in ROMANCE
            and 0 < len(words) - end <= 2
            and seg[-1] is words[-1]
            and all(not t.cap and t.low not in FUNCTION_WORDS for t in words[end:])
        ):
            end = len(words)  # "l'administration militaire régionale": adjectives follow
        ws = words[:end]
        # a clause word before the head ends whatever came earlier ("The letter described
        # how committee members …", "air bases and military …")
        start_i = max(
            (n + 1 for n in range(head) if _clause_word(words[n].low)),
            default=0,
        )
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
        lead = 0  # the articles in front go, the ones inside stay ("vice-président de la CENI")
        while lead < len(ws) - 1 and (ws[lead].low in DEFINITE or ws[lead].low in INDEFINITE):
            lead += 1
        bare = " ".join(t.text for t in ws[lead:])
        head_tok = words[head]
        if lex.spokes.has(head_tok.low):
            org = [
                t.text
                for t in ws
                if t is not head_tok
                and (t.cap or lex.orgs.has(t.low))
                and t.low not in DEFINITE
                and t.low not in INDEFINITE
            ]
            if org:
                return Mention(
                    "spokes", text, ws[0].start, ws[-1].end, name=bare, org=" ".join(org)
                )
        if self._is_role(head_tok.low):
            return Mention("role", text, ws[0].start, ws[-1].end, name=bare, role=head_tok.low)
        return Mention("org", text, ws[0].start, ws[-1].end, name=bare)

    def _anaphor(self, seg: list[Token]) -> Mention | None:
        """A definite description with no role word the lexicon knows ("el ingeniero de
        pista"): it points back to someone named before."""
        words = [t for t in seg if t.is_word]
        if len(words) < 2 or words[0].low not in DEFINITE:
            return None
        return Mention(
            "anaphor",
            self.text[words[0].start : words[-1].end],
            words[0].start,
            words[-1].end,
            name=" ".join(t.text for t in words[1:]),
        )

    def description_of(self, p: Paragraph, i: int, j: int) -> Mention:
        toks = p.tokens
        text = self.text[toks[i].start : toks[j - 1].end]
        return Mention("org", text, toks[i].start, toks[j - 1].end, name=self._full_org(text))

    def _full_org(self, text: str) -> str:
        """"Nepal's civil aviation authority" is the "Civil Aviation Authority of Nepal" when
        the article names it so."""
        owner, sep, rest = text.replace("’", "'").partition("'s ")
        if not sep or not rest.strip():
            return text
        pattern = r"\b" + r"\s+".join(map(re.escape, rest.split())) + r"\s+of\s+(?:the\s+)?"
        found = re.search(pattern + re.escape(owner) + r"\b", self.text, re.IGNORECASE)
        return found.group(0) if found and found.group(0)[0].isupper() else text

    def subject(self, p: Paragraph, s: int, limit: int) -> Mention | None:
        """The first mention of a sentence (its subject, in most word orders); after an
        opening prepositional phrase closed by a comma ("At her bail hearing, she …"), the
        first mention after that comma."""
        toks = p.tokens
        s = self._after_dateline(toks, s, limit)
        m = self._subject_from(p, s, limit)
        if (
            m is None
            and s < limit
            and toks[s].is_word
            and (self.is_preposition(toks[s].low) or toks[s].low in SUBORDINATORS)
        ):  # "At her bail hearing, she …", "When asked about it, Donna …"
            comma = next(
                (
                    k
                    for k in range(s + 2, min(limit, s + 10))
                    if toks[k].text in ",;:" or toks[k].quote >= 0
                ),
                -1,
            )
            if (
                comma > 0
                and toks[comma].text == ","
                and not any(
                    self.cue_at(toks, k, comma)[0]
                    and toks[k].low not in self.lex.adverbial_openers[0]
                    for k in range(s + 1, comma)
                )
            ):
                m = self._subject_from(p, comma + 1, limit)
        return m

    def _subject_from(self, p: Paragraph, s: int, limit: int) -> Mention | None:
        toks = p.tokens
        pronoun_only = False  # after an opening adverb: "Zugleich verteidigte sie …"
        for k in range(s, min(limit, s + 6)):
            t = toks[k]
            if t.quote >= 0:
                return None
            if t.is_word and t.low in self.lex.pronouns:
                return Mention("pronoun", t.text, t.start, t.end, gender=self.lex.pronouns[t.low])
            if pronoun_only:
                if k > s + 3 or not t.is_word:
                    return None
                continue
            end = self.ents.run_end(toks, k, limit)
            if end > k:
                if toks[end - 1].text.endswith(("'s", "’s")):
                    # "Nepal's civil aviation authority disputed …": owned by the name
                    for h in range(end, min(limit, end + 4)):
                        if not toks[h].is_word or toks[h].cap:
                            break
                        if self._is_role(toks[h].low) or self.lex.orgs.has(toks[h].low):
                            return self.description_of(p, k, h + 1)
                m = self.mention_right(p, k, limit)
                if m is not None and m.kind in ("name", "org", "spokes", "role"):
                    return m
                if k == s and end == k + 1 and self.lex.lang == "de":
                    pronoun_only = True  # German verb-second order: the subject follows
                    continue
                return None
            if t.is_word and (self._is_role(t.low) or self.lex.orgs.has(t.low)):
                return self.mention_right(
                    p, k - (1 if k > s and toks[k - 1].low in DEFINITE else 0), limit
                )
        return None

    @staticmethod
    def _after_dateline(toks: list[Token], s: int, limit: int) -> int:
        """Where a sentence starts after a dateline ("KATHMANDU, April 25 (Reuters) - …")."""
        first = toks[s] if s < limit else None
        if first is None or not (first.is_word and first.text.isupper() and len(first.text) > 2):
            return s
        for k in range(s + 1, min(limit, s + 12)):
            if toks[k].text in ("-", "–", "—") and k + 1 < limit:
                return k + 1
            if toks[k].quote >= 0:
                break
        return s

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

    def resolve(self, f: Found) -> str:
        return self.ents.base_form(self._resolve(f))

    def _resolve(self, f: Found) -> str:
        if f.mention is None:
            return ""
        m = f.mention
        if m.kind == "pronoun" or (m.kind == "anaphor" and m.name):
            # someone named earlier in the pronoun's own sentence comes first ("asked
            # Rutte to verify the reports, and he replied: …")
            near = self._named_in_sentence(f, m)
            if near:
                f.how = "sentence"
                return near
        if m.kind == "pronoun" and m.gender == "p":
            # "they": the last group or organisation that spoke, never one named person
            group = self._last_group(m.start)
            if group:
                f.how = "speaker"
                return group
        speakers = [(x.start, x.speaker) for x in self.found if x.speaker and x is not f]
        reported = [(x.start, x.end) for x in self.found if x.kind == "indirect" and x is not f]
        name = self.ents.resolve(m, speakers, (f.start, f.end), reported)
        f.how = self.ents.how
        return name

    def _last_group(self, pos: int) -> str:
        before = [x for x in self.found if x.speaker and x.start < pos and x.how]
        for x in sorted(before, key=lambda x: x.start, reverse=True)[:3]:
            if x.how in ("description", "org", "spokes"):
                return x.speaker
        return ""

    def _named_in_sentence(self, f: Found, m: Mention) -> str:
        p = self.paras[f.para]
        toks = p.tokens
        k = next((n for n, t in enumerate(toks) if t.start >= m.start), len(toks))
        s = next((a for a, b in p.sentences if a <= k < b), 0)
        best = ""
        i = s
        while i < k:
            end = self.ents.run_end(toks, i, k)
            if end == i:
                i += 1
                continue
            name, _r, gender, _si = self.ents.clean_run(toks, i, end, s)
            full = self.ents.canonical(name) if name else ""
            if (
                full
                and len(full.split()) >= 2
                and self.ents.person_like(full)
                and self.ents.agrees(full, m.gender)
            ):
                best = full
            i = end
        return best


def _clause_word(low: str) -> bool:
    """A conjunction, relative or question word (an article is none, whatever other
    languages use the same letters for)."""
    return (low in FUNCTION_WORDS or low in WH) and low not in DEFINITE and low not in INDEFINITE
