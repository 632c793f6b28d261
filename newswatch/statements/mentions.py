"""Mentions of people and organisations, and what they point to within one article.

A speaker is first found as a *mention* next to a cue: a name ("Anna Berg", "Berg"), a
pronoun ("she", "-nya"), a role ("the minister", "Menkes"), an organisation ("the Kremlin"),
a spokesperson of one ("a GE spokesman"), or a description ("rebel sources"). `Entities`
reads the whole article once and resolves a mention to the fullest name the article gives:

* names: the longest capitalised run the article has for a surname or first name, with
  titles, honorifics and role words dropped ("Verkehrsministerin Anna Berg" -> "Anna Berg");
* roles: appositions teach the article's own role-to-name map ("Verkehrsministerin Anna
  Berg", "Menteri Kesehatan (Menkes) Budi Santoso", "Joe Biden, the president, ...");
* pronouns and definite descriptions ("er", "der Tessiner Ständerat"): the last speaker, else
  the subject of the nearest sentence before that names a person;
* a spokesperson of a named organisation: the organisation.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from newswatch.statements.lexicon import Lexicon
from newswatch.statements.text import TERMINAL, Paragraph, Token

# Articles and determiners: language data that every language shares the shape of.
DEFINITE = {
    "the", "der", "die", "das", "des", "dem", "den", "le", "la", "les", "l'", "el", "los",
    "las", "il", "lo", "gli", "o", "a", "os", "as", "this", "diese", "dieser", "ce", "cette",
    "este", "esta", "questo", "questa", "tersebut", "itu", "bu",
}  # fmt: skip
# a preposition and the definite article in one word ("del", "du", "della", "vom")
CONTRACTED = {
    "del", "al", "du", "au", "aux", "della", "dello", "degli", "delle", "dei", "alla", "allo",
    "do", "da", "dos", "das", "no", "na", "vom", "zum", "zur", "beim",
}  # fmt: skip
INDEFINITE = {
    "a", "an", "ein", "eine", "einer", "eines", "einem", "einen", "un", "une", "uno", "una",
    "um", "uma", "seorang", "sebuah", "bir", "some", "several", "two", "three",
}  # fmt: skip
PARTICLES = {
    "von",
    "van",
    "der",
    "de",
    "da",
    "del",
    "della",
    "di",
    "du",
    "bin",
    "binti",
    "ibn",
    "al",
    "el",
    "ter",
    "den",
    "dos",
    "das",
    "le",
    "la",
    "y",
    "e",
}
_POSSESSIVE_S = re.compile(r"['’]s$")
_CASE_ENDING = re.compile(r"['’][^\W\d_]{1,5}$")
ARTICLE_PARTICLES = {"der", "den", "das", "le", "la", "el"}
# "former", "ehemaliger", "ancien", …: the role's holder named in the article is somebody else
_FORMER = {
    "former", "ex", "ehemalige", "ehemaliger", "ehemaligen", "frühere", "früherer", "ancien",
    "ancienne", "antiguo", "antigua", "ex-presidente", "ex-ministro", "były", "była", "бывший",
    "бывшая", "eski", "mantan", "ex-ministre", "ex-président", "ehemals",
}  # fmt: skip

# particles that are no preposition of the languages read here: a name stays a name with them
_NAME_ONLY_PARTICLES = {"bin", "binti", "bint", "ibn", "al", "van", "ter", "ten"}
GAP_WORDS = {
    "also", "earlier", "later", "then", "once", "again", "previously", "recently", "has",
    "had", "have", "juga", "pun", "sebelumnya", "telah", "sudah", "kemudian",
    "pernah", "lalu", "kembali", "auch", "zuvor", "hat", "habe", "haben", "hatte", "später",
    "dann", "bereits", "noch", "ebenfalls", "a", "avait", "aussi", "ont", "encore", "ha",
    "había", "también", "ya", "luego", "aveva", "anche", "poi", "já", "também",
    "tinha", "ранее", "также", "уже", "тоже", "затем", "już", "także", "też",
    "również", "wcześniej", "da", "de", "ayrıca", "daha", "önce", "kini", "lagi",
    "further", "publicly", "repeatedly", "today", "yesterday", "only", "just", "simply",
    "bluntly", "flatly", "quickly", "firmly", "told", "wrote", "baru-baru", "ini",
}  # fmt: skip
# adverbs between a verb and the subject after it ("berichtete beispielsweise ein Vertreter",
# "warnte etwa der Verfassungsschutz", "dijo también el ministro")
INVERSION_ADVERBS = {
    "beispielsweise", "etwa", "nun", "jetzt", "zudem", "außerdem", "auch", "ebenfalls",
    "zuvor", "bereits", "noch", "dann", "später", "también", "además", "luego", "aussi",
    "encore", "anche", "poi", "inoltre",
}  # fmt: skip
NOT_SPEAKER_WORDS = {
    "i", "we", "you", "it", "this", "that", "these", "those", "there", "here", "what", "who",
    "ich", "wir", "es", "je", "nous", "yo", "nosotros", "я", "мы", "это", "saya", "kami",
    "kita", "aku", "ben", "biz", "io", "noi", "eu", "nós", "ja", "my", "man", "on",
}  # fmt: skip
_OF = {"of", "for", "de", "des", "du", "del", "della", "di", "do", "da", "der"}
PREPOSITIONS = {
    "with", "by", "to", "from", "for", "avec", "par", "pour", "à", "mit", "von", "bei", "für",
    "con", "por", "para", "com", "per", "da", "с", "со", "у", "к", "от", "для", "при", "z",
    "ze", "od", "do", "dla", "przez", "ile", "dengan", "oleh", "kepada", "untuk", "bersama",
}  # fmt: skip
PLURAL_ARTICLES = {
    "fr": {"les", "des"}, "es": {"los", "las", "unos", "unas"}, "pt": {"os", "as", "uns", "umas"},
    "it": {"gli", "i", "le"},
}  # fmt: skip
# endings that make a plural of a role word ("villager" -> "villagers", "Sprecher" -> …)
PLURAL_ENDINGS = {"s", "es", "x", "en", "n", "innen"}
GENDERED_ARTICLES = {
    "le": "m", "la": "f", "il": "m", "lo": "m", "el": "m", "un": "m", "une": "f", "una": "f",
    "uno": "m", "der": "m", "o": "m", "um": "m", "uma": "f",
}  # fmt: skip
HONORIFIC_GENDER = {
    "mr": "m", "mrs": "f", "ms": "f", "miss": "f", "herr": "m", "frau": "f", "m": "m",
    "mme": "f", "mlle": "f", "sr": "m", "sra": "f", "srta": "f", "pak": "m", "bu": "f",
    "bapak": "m", "ibu": "f", "sig": "m", "sig.ra": "f", "pan": "m", "pani": "f",
    "господин": "m", "госпожа": "f", "bay": "m", "bayan": "f",
}  # fmt: skip


@dataclass
class Mention:
    kind: str  # name | pronoun | role | org | spokes | desc | anaphor
    text: str  # as written (speaker_in_text)
    start: int
    end: int
    name: str = ""  # name: the cleaned name; org/desc: the phrase without its article
    role: str = ""  # a role word in the mention (folded)
    org: str = ""  # spokes: the organisation it speaks for
    gender: str = ""


@dataclass
class Person:
    name: str  # "" for a role that stands for its holder ("the minister")
    pos: int
    para: int
    subject: bool
    gender: str = ""
    role: str = ""
    oblique: bool = False  # after a preposition ("with the mayor, X"): not a subject
    titled: bool = False  # one name after an honorific ("Mr Pin"): a person
    phrase: str = ""  # a role never named: the role and what it is of ("vice-président de la CENI")


@dataclass
class Entities:
    text: str
    lex: Lexicon
    paras: list[Paragraph]
    full: dict[str, str] = field(default_factory=dict)  # name word -> fullest name
    roles: dict[str, str] = field(default_factory=dict)  # role word -> name
    acronyms: dict[str, str] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    lower_words: set[str] = field(default_factory=set)  # words the text writes in lower case
    genders: dict[str, str] = field(default_factory=dict)
    how: str = ""  # how the last mention was resolved (for the statement's confidence)
    _clean_memo: dict[tuple[int, int, int, int], tuple[str, str, str, bool]] = field(
        default_factory=dict
    )
    _person_memo: dict[str, bool] = field(default_factory=dict)
    _role_memo: dict[str, bool] = field(default_factory=dict)
    runs_of: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    article_nouns: set[str] = field(default_factory=set)  # capitalised words after "der", "die"
    midcaps: set[str] = field(default_factory=set)  # capitalised words inside a sentence
    forms: dict[str, int] = field(default_factory=dict)  # declining languages: runs as written

    # --- reading the article ------------------------------------------------------------

    def read(self) -> None:
        lower_add, mid_add, noun_add = (
            self.lower_words.add,
            self.midcaps.add,
            self.article_nouns.add,
        )
        determiners = DEFINITE | INDEFINITE
        if self.lex.lang in ("de", "*"):
            # German capitalises nouns: after these too a capitalised word is one ("zum Thema
            # Kinder", "diesen Unternehmen", "seine Rückkehr")
            determiners = determiners | CONTRACTED | _GERMAN_POSSESSIVES | _GERMAN_DETERMINERS
        pronouns, roles_has, runs_of = self.lex.pronouns, self.lex.roles.has, self.runs_of
        runs: list[tuple[Paragraph, int, int, int, bool]] = []
        gendered: list[tuple[int, int, int, str]] = []  # (paragraph, sentence, position, gender)
        for p in self.paras:
            toks = p.tokens
            if _heading(p):
                continue  # "Negative Folgen": a title's capitals teach no names
            # the words the text writes in lower case, capitalises inside a sentence, or
            # puts after an article or a number ("ein sinkendes Niveau": a noun)
            starts = {s for s, _e in p.sentences}
            determined = 0
            prev = None
            sentence = -1
            for n, t in enumerate(toks):
                if n in starts:
                    determined, prev = 0, None
                    sentence += 1
                if not t.is_word:
                    determined = 0
                    prev = t
                    continue
                low = t.low
                if low in pronouns and t.quote < 0 and pronouns[low] in ("m", "f"):
                    gendered.append((p.index, sentence, t.start, pronouns[low]))
                if t.cap:
                    if prev is not None and prev.mark != "open" and prev.text not in ":—–-":
                        mid_add(low)
                    if low in determiners:
                        determined = 3
                    elif determined:
                        noun_add(low)
                        determined = 0
                else:
                    lower_add(low)
                    if low in determiners:
                        determined = 3
                    elif determined:
                        determined -= 1
                if t.text[0].isdigit():
                    determined = 3
                prev = t
            # capitalised runs (names, and nouns in German) and roles in subject position
            for s, e in p.sentences:
                pronoun_before = False
                i = s
                while i < e:
                    t = toks[i]
                    if not (t.cap and t.is_word and t.quote < 0):
                        if t.is_word and t.low in pronouns:
                            pronoun_before = True
                        elif (
                            t.is_word
                            and i - s <= 4
                            and not pronoun_before
                            and t.quote < 0
                            and roles_has(t.low)
                        ):
                            # "Накануне министр осмотрел …": a role holds the subject
                            runs.append((p, s, i, -1, False))
                            pronoun_before = True
                        i += 1
                        continue
                    j = self.run_end(toks, i, e)
                    if j == i:
                        i += 1
                        continue
                    run = tuple(x.low for x in toks[i:j] if x.is_word)
                    if i == s and len(run) > 1 and self._opener(run[0]):
                        run = run[1:]  # "Menurut Hendra, …": Hendra alone
                    if self.lex.declines:
                        form = " ".join(x.text for x in toks[i:j] if x.is_word)
                        # a form opening a sentence or before a speech verb is the subject's,
                        # the nominative: it counts three times ("Donald Trump napisał" over
                        # the "Donalda Trumpa" of the other cases)
                        nominative = i == s or (j < e and self.lex.verbs.has(toks[j].low))
                        self.forms[form] = self.forms.get(form, 0) + (3 if nominative else 1)
                    for w in run:
                        runs_of.setdefault(w, []).append(run)
                    runs.append((p, s, i, j, pronoun_before))
                    i = j
        self._learn_genders(runs)
        seen_full: dict[str, list[str]] = {}
        named_in: tuple[int, int] | None = None  # the sentence whose subject is known
        for p, s, i, j, pronoun_before in runs:
            if j < 0:
                self.people.append(
                    Person(
                        "",
                        p.tokens[i].start,
                        p.index,
                        True,
                        gender=self.lex.role_genders.get(p.tokens[i].low)
                        or self._role_gender(p.tokens, i),
                        role=p.tokens[i].low,
                        phrase=self._role_phrase(p.tokens, i),
                    )
                )
                named_in = (p.index, s)
                continue
            name, role, gender, sentence_initial = self.clean_run(p.tokens, i, j, s)
            if not name or self._complement(p.tokens, i, s):
                continue
            words = name.split()
            self._learn_role(p, i, j, name, role)
            titled = len(words) == 1 and p.tokens[i].low.rstrip(".") in HONORIFIC_GENDER
            # a surname alone once the article gave the full name ("Hannawald hingegen hat
            # sein Urteil gefällt") stands for that person
            named_before = len(words) == 1 and words[0].lower() in seen_full
            personal = (len(words) >= 2 or titled or named_before) and self.person_like(name)
            oblique = self._oblique(p.tokens, i, s)
            subject = (
                named_in != (p.index, s)
                and not pronoun_before
                and not oblique
                and (i - s <= 8 or (i - s <= 20 and p.tokens[i - 1].text == ","))
                and personal
            )  # "Horas antes de que …, Mohammed Ben Sulayem, presidente de la FIA, replicó"
            if personal:
                named_in = (p.index, s)
            if not (len(words) == 1 and sentence_initial and words[0].lower() in self.lower_words):
                self.people.append(
                    Person(
                        name,
                        p.tokens[i].start,
                        p.index,
                        subject,
                        gender,
                        oblique=oblique,
                        titled=titled or named_before,
                    )
                )
                if gender:
                    self.genders.setdefault(name, gender)
            if len(words) >= 2 and not self._org_like(words):
                for w in (words[-1], words[0]):
                    best = seen_full.get(w.lower())
                    if best is None or len(words) > len(best):
                        seen_full[w.lower()] = words
        self.full = {k: " ".join(v) for k, v in seen_full.items()}
        # a gender learned for a short form also holds for the full name
        for name, g in list(self.genders.items()):
            self.genders.setdefault(self.canonical(name), g)
        self._vote_genders(gendered)

    def _vote_genders(self, gendered: list[tuple[int, int, int, str]]) -> None:
        """A gendered pronoun votes for the person it can only mean: the one person named
        before it in its sentence, else the one named in the sentence before. Two votes or
        more, four in five agreeing, tell the person's gender ("Zuma-Sambudla pleaded not
        guilty when she appeared …": a later "he" is somebody else)."""
        if not gendered:
            return
        starts: list[int] = []
        keys: list[tuple[int, int]] = []
        for p in self.paras:
            for n, (s, _e) in enumerate(p.sentences):
                if s < len(p.tokens):
                    starts.append(p.tokens[s].start)
                    keys.append((p.index, n))
        named: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for person in self.people:
            name = self.canonical(person.name) if person.name else ""
            if len(name.split()) < 2 or not self.person_like(name):
                continue
            at = bisect.bisect_right(starts, person.pos) - 1
            if at >= 0:
                named.setdefault(keys[at], []).append((person.pos, name))
        order = {key: n for n, key in enumerate(keys)}
        votes: dict[str, list[str]] = {}
        for para, sentence, pos, g in gendered:
            here = named.get((para, sentence), [])
            at = order.get((para, sentence), 0)
            before = named.get(keys[at - 1], []) if at > 0 else []
            window = {name for p, name in here if p < pos} or {name for _p, name in before}
            if len(window) == 1:
                votes.setdefault(window.pop(), []).append(g)
        for name, vs in votes.items():
            for g in ("m", "f"):
                if len(vs) >= 2 and vs.count(g) * 5 >= len(vs) * 4:
                    self.genders.setdefault(name, g)

    def _role_phrase(self, toks: list[Token], i: int) -> str:
        """The role at toks[i] with its "of the X" complement ("vice-président de la CENI")."""
        end = i + 1
        if end < len(toks) and toks[end].low in _OF:
            k = end + 1
            while k < len(toks) and toks[k].low in DEFINITE and k - end < 3:
                k += 1
            run = k
            while run < len(toks) and toks[run].cap and toks[run].is_word and run - k < 6:
                run += 1
            if run > k:
                end = run
        return self.text[toks[i].start : toks[end - 1].end]

    def _opener(self, low: str) -> bool:
        """A word that opens a sentence without being part of the name after it (an
        attribution marker or speech verb, a word the text writes in lower case)."""
        lex = self.lex
        return (
            low in self.lower_words
            or low in lex.not_names
            or lex.markers_before.has(low)
            or lex.verbs.has(low)
        )

    def _org_like(self, words: list[str]) -> bool:
        return any(self.lex.orgs.has(w.lower()) for w in words)

    def is_namelike(self, tok: Token) -> bool:
        return (
            tok.is_word
            and tok.cap
            and tok.quote < 0
            and not tok.text.isdigit()
            and tok.low not in self.lex.pronouns
        )

    def run_end(self, toks: list[Token], i: int, limit: int) -> int:
        """End of the capitalised run starting at i (i when none starts there)."""
        if not self.is_namelike(toks[i]):
            return i
        j = i + 1
        while j < limit:
            t = toks[j]
            if (
                toks[j - 1].text.endswith(("’s", "'s"))
                and len(toks[j - 1].text) > 3
                and not self._owned_org(toks, j, limit)
            ):
                break  # "Pakistan’s Geo news channel": the owner, then what it owns
            if self.is_namelike(t) and t.start - toks[j - 1].end <= 1:
                j += 1
            elif (
                t.low in PARTICLES
                and j + 1 < limit
                and self.is_namelike(toks[j + 1])
                and t.text[0].islower()
                # an article joins a name only after a particle ("von der Leyen", "de la
                # Cruz"): "sagte Weiß der Zeitung" is a name and its hearer
                and (t.low not in ARTICLE_PARTICLES or toks[j - 1].low in PARTICLES)
                # a preposition of the language is not a particle ("kata Budi di Jakarta")
                and t.low not in self.lex.prepositions
                # nor after a German noun ("der Ausschluss von Thilo Sarrazin")
                and not (self.lex.lang == "de" and toks[j - 1].low in self.article_nouns)
            ):
                j += 2
            elif (
                t.low in PARTICLES
                and t.text[0].islower()
                and j + 2 < limit
                and toks[j + 1].low in ARTICLE_PARTICLES
                and toks[j + 1].text[0].islower()
                and self.is_namelike(toks[j + 2])
                and t.low not in self.lex.prepositions
                and (
                    (j - i == 1 and self.lex.lang not in ("de", "*"))
                    or any(self.lex.orgs.has(u.low) for u in toks[i:j])
                )
            ):
                # "Ursula von der Leyen", "Instituto … de la Salud"; not "Prüß von der
                # Charité" (German gives a person's institution so)
                j += 3
            elif (
                t.text == "."
                and len(toks[j - 1].text) == 1
                and j + 1 < limit
                and self.is_namelike(toks[j + 1])
            ):
                j += 1  # an initial: "George W. Bush"
            else:
                break
        return j

    def _owned_org(self, toks: list[Token], j: int, limit: int) -> bool:
        """Whether the capitalised words from toks[j] name a body ("Russia’s Defense
        Ministry", "Ukraine’s Air Force"): then the owner belongs to the name."""
        k = j
        while k < limit and self.is_namelike(toks[k]) and k - j < 5:
            k += 1
        lows = [t.low for t in toks[j:k]]
        return any(self.lex.orgs.match(lows, n) for n in range(len(lows)))

    def clean_run(
        self, toks: list[Token], i: int, j: int, sent_start: int
    ) -> tuple[str, str, str, bool]:
        """(name, role, gender, sentence_initial) of a capitalised run: articles, titles,
        honorifics, role words, acronyms and places in front are dropped (the role and the
        gender they tell are kept)."""
        key = (id(toks), i, j, sent_start)
        hit = self._clean_memo.get(key)
        if hit is None:
            hit = self._clean_memo[key] = self._clean_run(toks, i, j, sent_start)
        return hit

    def _clean_run(
        self, toks: list[Token], i: int, j: int, sent_start: int
    ) -> tuple[str, str, str, bool]:
        words = [t for t in toks[i:j] if t.text != "."]
        role, gender = "", ""
        if j < len(toks) and toks[j].text[0].isdigit() and j - i == 1:
            return "", "", "", i == sent_start  # "May 22"
        # a role word in lower case right before the run ("la ministre Claire Vasseur")
        role_before = False
        k = i - 1
        while k >= max(sent_start, i - 6):
            t = toks[k]
            if t.is_word and self._is_role(t.low):
                role, role_before = t.low, True
                break
            if not t.is_word or t.quote >= 0 or self.lex.verbs.has(t.low):
                break  # "prosecutors announced the arrests of two New Yorkers": a clause
            if (
                self.lex.lang == "de"
                and t.low in self.lex.prepositions
                and (j - i <= 2 or any(self.lex.orgs.has(w.low) for w in toks[i:j]))
            ):
                break  # "Expertin … bei der Unternehmensberatung Capco", "Vertreter … zu
                # CORRECTIV": the role is held by someone else than the body after it (not
                # "US-Botschafter in Deutschland John Kornblum")
            k -= 1
        sentence_initial = i == sent_start
        lows = [t.low.rstrip(".") for t in words]
        keep_from = 0
        n = 0
        while n < len(words):
            low = lows[n]
            r = self.lex.roles.match(lows, n) or (1 if self.lex.spokes.has(low) else 0)
            if low in self.lex.honorifics or low in HONORIFIC_GENDER:
                gender = HONORIFIC_GENDER.get(low, gender)
                keep_from = n + 1
            elif r:
                role = " ".join(lows[n : n + r])
                keep_from = n + r
                n += r
                continue
            elif ((low in DEFINITE or low in INDEFINITE) and n == keep_from) or (
                low in self.lex.not_names and (words[n].cap or n == keep_from)
            ):
                # an article opens the run ("The", "El"); inside a name it is a particle
                # ("Kim Jong Un", "Bruno Le Maire", "Secretaría de la Defensa")
                keep_from = n + 1
            elif n == 0 and sentence_initial and low in self.lower_words and len(words) > 1:
                keep_from = 1
            n += 1
        rest = words[keep_from:]
        if self.lex.lang in ("de", "*") and keep_from == 0:
            prev = toks[i - 1].low if i > sent_start else ""
            compound = "-" in words[0].text.strip("-") and len(words) >= 3
            if (
                prev in DEFINITE or prev in INDEFINITE or prev in _GERMAN_POSSESSIVES or compound
            ) and not role:
                # German capitalises nouns: "die Verkehrsdezernentin Sabine Kröger" is a role
                # and a name, "der Tessiner Ständerat" only a noun phrase
                tail = [
                    t
                    for t in words[1:]
                    if t.low not in self.article_nouns and t.low not in self.lower_words
                ]
                if (
                    len(words) >= 3
                    and len(tail) == len(words) - 1
                    or (len(words) == 2 and words[1].low in self.full)
                ):
                    role, rest = words[0].low, words[1:]
                    role_before = True
                else:
                    return "", "", "", sentence_initial
        # an organisation's acronym before the name ("Pusat Gempa BMKG Rahmat Hidayat")
        acr = [n for n, t in enumerate(rest[:-1]) if len(t.text) > 1 and t.text.isupper()]
        if acr and len(rest) - acr[-1] - 1 >= 1:
            rest = rest[acr[-1] + 1 :]
        # words the article also uses without this person (places, departments, roles it
        # writes in lower case) in front of a name of three words or more
        last = rest[-1].low if rest else ""
        while len(rest) >= 3 and not self.lex.orgs.has(rest[0].low) and (
            self._independent(rest[0].low, last)
            or (
                (role or role_before)
                and not self._alone(rest[0].low)
                and (any(self._alone(t.low) for t in rest[1:]) or len(rest[0].text) >= 8)
            )
        ):
            rest = rest[1:]
            while len(rest) >= 2 and not rest[0].cap:
                rest = rest[1:]  # "Von der Leyen": a particle opens what is left
        if (role or role_before) and len(rest) >= 4 and all(t.cap for t in rest):
            rest = rest[-2:]  # "Gubernur Jawa Tengah Sri Handayani": a place between
        if not rest:
            return "", role, gender, sentence_initial
        name = " ".join(t.text for t in rest)
        if self.lex.lang == "tr" or "'" in name or "’" in name:
            name = _POSSESSIVE_S.sub("", name)
            # Turkish case endings after an apostrophe: "Erdoğan'ın" -> "Erdoğan"
            name = _without_case_endings(name)
        return name, role, gender, sentence_initial

    def person_like(self, name: str) -> bool:
        """A name that can be the person a pronoun points to (not "Millionen Euro")."""
        hit = self._person_memo.get(name)
        if hit is None:
            hit = self._person_memo[name] = self._person_like(name)
        return hit

    def _person_like(self, name: str) -> bool:
        german = self.lex.lang in ("de", "*")
        return not any(
            w in self.lower_words
            or w in self.lex.not_names
            or self.lex.orgs.has(w)
            or (german and w in self.article_nouns)
            for w in (
                x.lower()
                for x in name.split()
                if x not in _NAME_ONLY_PARTICLES  # "Abdullah bin Zayed"
            )
        )

    def name_ok(self, name: str) -> bool:
        """Whether a name found next to a cue can be a speaker's name (not a German noun, a
        sentence-initial word or a date)."""
        words = name.split()
        if not words:
            return False
        lows = [w.lower() for w in words]
        if lows[0] in NOT_SPEAKER_WORDS or all(w in self.lower_words for w in lows):
            return False
        if len(words) >= 2:
            return True
        w = lows[0]
        if w in self.full or w in self.acronyms or self.lex.orgs.has(w):
            return True
        if len(name) > 1 and name.isupper():
            return True
        if self.lex.lang == "de":
            return False  # a German word alone, capitalised, is a noun unless named in full
        if len(w) < 2 or w in self.lex.not_names or w in self.lower_words or w not in self.midcaps:
            return False
        return not (self.lex.lang in ("de", "*") and w in self.article_nouns)

    def _learn_genders(self, runs: list[tuple[Paragraph, int, int, int, bool]]) -> None:
        """A sentence that opens with "she"/"er"/"elle" right after one whose subject is a
        named person tells that person's gender (so a later "he" skips her)."""
        subject_of: dict[tuple[int, int], str] = {}
        for p, s, i, j, _pron in runs:
            key = (p.index, s)
            if j - i >= 2 and i - s < 6 and key not in subject_of:
                name, _r, gender, _i = self.clean_run(p.tokens, i, j, s)
                if len(name.split()) >= 2:
                    subject_of[key] = name
                    if gender:
                        self.genders.setdefault(name, gender)
        last_subject = ""
        for p in self.paras:
            toks = p.tokens
            for s, e in p.sentences:
                opener = next((t for t in toks[s : min(e, s + 3)] if t.is_word), None)
                if opener is not None and last_subject:
                    g = self.lex.pronouns.get(opener.low, "")
                    if g in ("m", "f"):
                        self.genders.setdefault(last_subject, g)
                last_subject = subject_of.get((p.index, s), "")

    def _oblique(self, toks: list[Token], i: int, s: int) -> bool:
        """A name governed by a preposition, perhaps through its role ("вместе с главой
        Озёрска Семёном Вайнером", "met with the mayor, Ana Ruiz"), or the hearer of a
        verb of telling ("told Fox News Digital")."""
        if i - 1 >= s and toks[i - 1].low in self.lex.addressee_verbs:
            return True
        for k in range(i - 1, max(s - 1, i - 5), -1):
            t = toks[k]
            if not t.is_word:
                if t.text != ",":
                    return False
                continue
            if t.low in PREPOSITIONS or t.low in self.lex.prepositions:
                return True
            if t.cap and k < i - 1 and not self._is_role(t.low):
                return False
        return False

    def _role_gender(self, toks: list[Token], k: int) -> str:
        """The gender an article or a feminine ending gives a role word ("la ministre",
        "le maire", "Ministerin")."""
        low = toks[k].low
        if k > 0 and toks[k - 1].low in GENDERED_ARTICLES:
            return GENDERED_ARTICLES[toks[k - 1].low]
        if low.endswith("in") and self.lex.roles.has(low[:-2]):
            return "f"
        return ""

    def _complement(self, toks: list[Token], i: int, s: int) -> bool:
        """A run that completes a role ("ministre de la Transition", "Minister of Health")
        is a department or a place, not a person."""
        k = i - 1
        if k >= s and toks[k].low in DEFINITE:
            k -= 1
        if k < s or toks[k].low not in _OF:
            return False
        return any(t.is_word and self._is_role(t.low) for t in toks[max(s, k - 3) : k])

    def _alone(self, low: str) -> bool:
        """Whether the article also uses this word as a name on its own ("Kim", "Rutte")."""
        return any(len(run) == 1 for run in self.runs_of.get(low, ()))

    def _independent(self, low: str, last: str) -> bool:
        if low in self.lower_words:
            return True
        return any(last not in run for run in self.runs_of.get(low, ()))

    def _is_role(self, low: str) -> bool:
        hit = self._role_memo.get(low)
        if hit is None:
            hit = self._role_memo[low] = self.lex.roles.has(low) or self.lex.spokes.has(low)
        return hit

    def _set_role(self, role: str, name: str) -> None:
        """Remember who holds a role; a full name beats a single word (a place or a
        department caught next to the role)."""
        if (
            not self.lex.spokes.has(role)
            and not role.endswith("s")
            and any(self.lex.orgs.has(w) for w in name.lower().split())
        ):
            return  # "el ministro … la reunión del Grupo de Madrid": a body holds no one
            # person's office (a group's may be: "lawmakers" of the Select Committee)
        old = self.roles.get(role)
        if old is None or (len(old.split()) == 1 and len(name.split()) >= 2):
            self.roles[role] = name

    def _learn_role(self, p: Paragraph, i: int, j: int, name: str, role: str) -> None:
        toks = p.tokens
        for k in range(max(0, i - 6), i):
            if toks[k].is_word and self._is_role(toks[k].low) and self._role_gender(toks, k):
                self.genders.setdefault(name, self._role_gender(toks, k))
        if len(name.split()) < 2 and (
            not role or not self.name_ok(name) or self.genitive_place(name)
        ):
            return  # "UN-Gesandter konkretere Schritte": a German noun, not a name;
            # "Prezydent USA": whose president, not who
        if role:
            self._set_role(role, name)
        # "Name, the role of X," -> role
        if j + 1 < len(toks) and toks[j].text == ",":
            for t in toks[j + 1 : j + 6]:
                if t.text in ",.;:" or t.quote >= 0:
                    break
                if t.is_word and self._is_role(t.low):
                    self._set_role(t.low, name)
                    break
        # "The role of X, Name, ..." -> role (not "According to federal prosecutors,
        # China's Ministry …": a source and the clause it reports)
        if i >= 2 and toks[i - 1].text == "," and len(name.split()) >= 2:
            segment = []
            for t in reversed(toks[max(0, i - 9) : i - 1]):
                if t.text in ",.;:" or t.quote >= 0:
                    break
                segment.append(t)
            lows = [t.low for t in reversed(segment)]
            if not any(self.lex.markers_before.match(lows, n) for n in range(len(lows))):
                for t in segment:
                    if t.is_word and self._is_role(t.low):
                        self._set_role(t.low, name)
                        break
        # "Role Words (ACR) Name": the acronym stands for the person
        if i >= 3 and toks[i - 1].text == ")" and toks[i - 3].text == "(":
            acr = toks[i - 2]
            if acr.is_word and acr.cap:
                self.acronyms.setdefault(acr.low, name)

    # --- resolving ----------------------------------------------------------------------

    def canonical(self, name: str) -> str:
        words = name.split()
        if not words:
            return name
        if len(words) == 1:
            w = words[0].lower()
            if w in self.acronyms:
                return self.acronyms[w]
            return self.full.get(w, name)
        longer = self.full.get(words[-1].lower())
        if longer and longer.endswith(name) and len(longer.split()) > len(words):
            return longer
        return name

    def most_named(self) -> str:
        """The person the article names most often (three times at least), in the fullest
        form it gives: in an interview, the one who answers."""
        counts: dict[str, int] = {}
        for person in self.people:
            if person.name:
                name = self.canonical(person.name)
                if len(name.split()) >= 2:
                    counts[name] = counts.get(name, 0) + 1
        counts = {n: c for n, c in counts.items() if self.person_like(n)}
        best = max(counts.items(), key=lambda kv: kv[1], default=("", 0))
        return best[0] if best[1] >= 3 else ""

    def agrees(self, name: str, gender: str) -> bool:
        """Whether a pronoun of `gender` can mean `name` (no gender known for either, or the
        same one; a neuter "it" can mean anybody the article did not gender)."""
        return not gender or self.genders.get(name, gender) in (gender, "n")

    def base_form(self, name: str) -> str:
        """In a language that declines names, the form the article uses most for the same
        words ("Białego Domu" -> "Biały Dom", "Bakanlığının" -> "Bakanlığı"): every word
        shares its stem with the other form's word."""
        words = name.split()
        if not self.lex.declines or not words:
            return name
        if self.lex.lang == "tr" and ("'" in name or "’" in name):
            # "İçişleri Bakanlığı'ndan": the case ending after the apostrophe
            return _without_case_endings(name)
        last = words[-1].lower()
        for ending in self.lex.case_endings:
            stem = last[: len(last) - len(ending)]
            if last.endswith(ending) and len(stem) >= 4 and self.lex.orgs.has(stem):
                # "Milli Savunma Bakanlığının" -> "… Bakanlığı": an organisation noun
                # declined, whether or not the article writes it undeclined too
                return " ".join([*words[:-1], words[-1][: len(stem)]])

        def same_stem(a: str, b: str) -> bool:
            a, b = a.lower(), b.lower()
            n = 0
            while n < min(len(a), len(b)) and a[n] == b[n]:
                n += 1
            return n >= 3 and n >= min(len(a), len(b)) - 3

        best, best_count = name, self.forms.get(name, 0)
        tr = self.lex.lang == "tr"
        for form, count in self.forms.items():
            other = form.split()
            if len(other) != len(words) or form == name or (tr and ("'" in form or "’" in form)):
                continue  # (a Turkish form with its case ending after an apostrophe)
            if all(same_stem(a, b) for a, b in zip(words, other, strict=True)) and (
                count > best_count or (count == best_count and len(form) < len(best))
            ):
                best, best_count = form, count
        return best

    def role_name(self, role: str) -> str:
        """The person the article names with this role (also a near spelling of it)."""
        if not role:
            return ""
        if role in self.roles:
            return self.roles[role]
        for known, name in self.roles.items():
            if role.startswith(known) and role[len(known) :] in PLURAL_ENDINGS:
                continue  # "villagers" are not the one villager the article named
            n = min(len(known), len(role))
            if n >= 6 and known[: n - 2] == role[: n - 2] and abs(len(known) - len(role)) <= 2:
                return name
        return ""

    def _named_since(
        self,
        best: str,
        same_para: bool,
        best_pos: int,
        last_speaker: tuple[int | None, str],
        reported: list[tuple[int, int]] | None,
    ) -> bool:
        """Whether `best`, named in the pronoun's paragraph after the last speaker's
        statement began, outside reported clauses and not in that speaker's attribution,
        is the one who speaks ("… si è detto Matteo Salvini. «…», ha scritto")."""
        start, sp = last_speaker
        return bool(
            best
            and same_para
            and start is not None
            and best_pos > start
            and best != self.canonical(sp)
            and not self._named_between(sp, start, best_pos)
            and not any(a <= best_pos < b for a, b in reported or ())
        )

    def _named_between(self, name: str, start: int, end: int) -> bool:
        """Whether the article names `name` after `start` in the sentence of `end` (the
        attribution of its own statement: "…," kata Rina Kartika, warga Perumahan Bumi
        Asri)."""
        full = self.canonical(name)
        sentence = self._sentence_at(end)
        return any(
            start <= pp.pos < end
            and pp.name
            and self.canonical(pp.name) == full
            and self._sentence_at(pp.pos) == sentence
            for pp in self.people
        )

    def _sentence_at(self, pos: int) -> tuple[int, int]:
        for p in self.paras:
            if p.start <= pos < p.end + 1:
                toks = p.tokens
                for n, (a, b) in enumerate(p.sentences):
                    if a < len(toks) and toks[a].start <= pos <= toks[min(b, len(toks)) - 1].end:
                        return p.index, n
                return p.index, -1
        return -1, -1

    def _group(self, m: Mention) -> bool:
        """A role in the plural ("the villagers", "the residents"): several people, never
        the one person named before."""
        head = (m.role or "").split()[-1] if m.role else ""
        if len(head) < 5 or not head.endswith("s"):
            return False
        return any(self.lex.roles.has(head[:-k]) for k in (1, 2))

    def _plural(self, text: str) -> bool:
        """A description of several people, opened by a plural article of the language
        (English `the` says nothing of number: "the officials" often are the ones named)."""
        words = text.lower().split()
        return len(words) >= 2 and words[0] in PLURAL_ARTICLES.get(self.lex.lang, ())

    def antecedent(
        self,
        pos: int,
        gender: str = "",
        role: str = "",
        speakers: list[tuple[int, str]] | None = None,
        span: tuple[int, int] = (0, 0),
        reported: list[tuple[int, int]] | None = None,
    ) -> str:
        """The person a pronoun or definite description at `pos` points to; `self.how`
        says by which rule (a role the article named, the last speaker, the subject of a
        sentence before, or only the last person named)."""
        if role and self.role_name(role):
            self.how = "role"
            return self.role_name(role)
        best, best_para, best_pos = "", -1, 0
        here = self._sentence_at(pos)[0]
        last_speaker = max(((p, s) for p, s in (speakers or []) if p < pos), default=(None, ""))
        cands = [
            pp
            for pp in self.people
            if pp.pos < pos
            and (
                self.person_like(pp.name) if pp.name else bool(self.role_name(pp.role) or pp.phrase)
            )
        ]
        # the subject of the nearest sentence that names someone, else the last speaker;
        # "-clear" when nobody else (of that gender) was named in between
        # a pronoun never means a person its own statement names ("He said Mr Makama later
        # subleased it": he is not Makama)
        inside = {
            self.canonical(pp.name) for pp in self.people if pp.name and span[0] <= pp.pos < span[1]
        }
        others: set[str] = set()
        for person in reversed(cands[-40:]):
            if span[0] <= person.pos < span[1]:
                continue  # "Certains habitants … ont pu retourner, a-t-il précisé": in the words
            name = self.canonical(person.name) if person.name else self.role_name(person.role)
            if not name:
                # a role the article never names ("le vice-président de la CENI a indiqué
                # …"): the role speaks, if it is the subject nearest before and nobody
                # spoke since
                if (
                    person.subject
                    and not others
                    and not (last_speaker[0] is not None and last_speaker[0] > person.pos)
                    and not (gender in ("m", "f") and person.gender not in ("", gender))
                ):
                    self.how = "description"
                    return person.phrase
                continue
            if name in inside:
                continue
            if not self.agrees(name, gender):
                continue
            if last_speaker[0] is not None and last_speaker[0] > person.pos:
                sp = last_speaker[1]
                if self._named_since(best, best_para == here, best_pos, last_speaker, reported):
                    self.how = "subject"
                    return best
                if sp not in inside and self.agrees(sp, gender):
                    self.how = "speaker" if others - {sp} else "speaker-clear"
                    return sp
            # the subject of a clause somebody else reported is not the sentence's subject
            embedded = any(a <= person.pos < b for a, b in reported or ())
            if person.subject and not embedded and (len(name.split()) >= 2 or person.titled):
                self.how = "subject" if others - {name} else "subject-clear"
                return name
            if not best and not person.oblique and len(name.split()) >= 2:
                # a hearer ("told …") is not a speaker
                best, best_para, best_pos = name, person.para, person.pos
            if person.subject or (len(name.split()) >= 2 and not person.oblique):
                others.add(name)
        sp = last_speaker[1]
        if sp in inside or not self.agrees(sp, gender):
            sp = ""  # "he" after a woman spoke: somebody else
        if sp and self._named_since(best, best_para == here, best_pos, last_speaker, reported):
            self.how = "subject"
            return best
        self.how = "speaker" if sp else "last"
        return sp or best

    def _of_place(self, m: Mention) -> bool:
        """A role followed by the country or body it serves, in the genitive of a language
        without articles ("Prezydent USA", "Премьер-министр Малайзии"): the phrase points to
        a person, as "the president of the US" does."""
        words = m.text.split()
        return len(words) >= 2 and self.genitive_place(words[-1])

    def genitive_place(self, word: str) -> bool:
        """A single capitalised word that names a place or body in the genitive (an acronym,
        or a genitive ending no person's name has in the nominative), where names decline."""
        if not self.lex.declines or self.canonical(word) != word:
            return False  # the short form of someone the article names in full
        return (word.isupper() and len(word) >= 2) or word.lower().endswith(
            self.lex.genitive_endings
        )

    def resolve(
        self,
        m: Mention,
        speakers: list[tuple[int, str]],
        span: tuple[int, int] = (0, 0),
        reported: list[tuple[int, int]] | None = None,
    ) -> str:
        self.how = m.kind
        if m.kind == "name":
            return self.canonical(m.name)
        if m.kind in ("anaphor", "role") and m.name and self._plural(m.text):
            # "des experts", "les autorités locales": a group speaks, not the person named
            # before
            self.how = "description"
            return m.name
        if (
            m.kind == "role"
            and m.name
            and m.text.split()[0].lower() in INDEFINITE
            and not self.lex.spokes.has(m.role)  # ("a bureau spokesperson": the FBI's)
        ):
            # "an expert has claimed", "a royal expert who countered": somebody new, not a
            # person named before nor whoever the article gave that role
            self.how = "description"
            return m.name
        if m.kind in ("pronoun", "anaphor"):
            return self.antecedent(m.start, m.gender, m.role, speakers, span, reported)
        if m.kind == "role":
            former = any(w.lower() in _FORMER for w in m.text.split())
            if self.role_name(m.role) and not former:
                # (not "Luxemburgs ehemaliger Außenminister": whoever held it before)
                self.how = "role"
                return self.role_name(m.role)
            first = m.text.split()[0].lower()
            of_place = self._of_place(m)
            # without articles, a role alone is a definite description too ("то есть
            # премьер-министр дал понять": the prime minister named before)
            bare = self.lex.declines and m.name == m.text and not self._plural(m.text)
            if (first in DEFINITE or first in CONTRACTED or of_place or bare) and not self._group(
                m
            ):
                found = self.antecedent(m.start, m.gender, m.role, speakers)
                if found:
                    return found
            self.how = "description"
            return m.text if of_place else m.name
        if m.kind == "spokes":
            return self.canonical(m.org) if m.org else m.name
        first = m.text.split()[0].lower() if m.text else ""
        if m.kind == "org" and m.name and " " not in m.name and first in DEFINITE:
            named = self._body_named(m.name.lower(), m.start)
            if named:
                self.how = "org"
                return named
        return m.name

    def _body_named(self, noun: str, before: int) -> str:
        """The body "the ministry" or "the bureau" points to: the last name before it with
        that noun in it ("Australia’s Bureau of Meteorology", "Ministerio de Sanidad")."""
        best = ""
        for p in self.paras:
            if p.start >= before:
                break
            toks = p.tokens
            for k, t in enumerate(toks):
                if t.start >= before:
                    break
                if not (t.cap and t.is_word and t.quote < 0 and t.low == noun):
                    continue
                a = k
                while (
                    a > 0
                    and toks[a - 1].is_word
                    and toks[a - 1].cap
                    and toks[a - 1].quote < 0
                    and toks[a - 1].low not in DEFINITE
                    and toks[a - 1].low not in self.lex.prepositions  # "At North York …"
                ):
                    a -= 1
                b = k + 1
                while b + 1 < len(toks) and toks[b].low in _OF:
                    c = b + 1
                    while c < len(toks) and toks[c].low in DEFINITE:
                        c += 1
                    if not (c < len(toks) and toks[c].cap and toks[c].is_word):
                        break
                    b = c + 1
                    while b < len(toks) and toks[b].cap and toks[b].is_word:
                        b += 1
                if b - a >= 2:
                    best = self.text[toks[a].start : toks[b - 1].end]
        return best


# "seine Partnerin Kate Moss": a German noun after a possessive, as after an article
_GERMAN_POSSESSIVES = {
    "sein", "seine", "seiner", "seinem", "seinen", "seines", "ihr", "ihre", "ihrer", "ihrem",
    "ihren", "ihres", "unser", "unsere", "unserem", "unseren", "unserer", "deren", "dessen",
}  # fmt: skip


_GERMAN_DETERMINERS = {
    "im", "am", "ins", "ans", "aufs", "diese", "dieser", "diesem", "diesen", "dieses", "jede",
    "jeder", "jedes", "jedem", "jeden", "alle", "allen", "aller", "viele", "vielen", "keine",
    "keinen", "keinem", "keiner", "kein", "mehrere", "mehreren", "beide", "beiden", "solche",
    "solchen", "welche", "welchen", "manche", "manchen", "einige", "einigen", "wenige",
}  # fmt: skip


def _without_case_endings(name: str) -> str:
    """Turkish case endings after an apostrophe dropped: "Erdoğan'ın" -> "Erdoğan"."""
    return " ".join(_CASE_ENDING.sub("", w) for w in name.split())


def _heading(p: Paragraph) -> bool:
    """A short line with no sentence end and no quotation: a title or subheading, where
    words are capitalised for show."""
    toks = p.tokens
    if not toks or len(p.sentences) > 1 or toks[-1].text in TERMINAL + ":" or p.quotes:
        return False
    return sum(1 for t in toks if t.is_word) <= 8
