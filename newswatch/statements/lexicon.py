"""Language data for attribution: speech verbs, source markers, pronouns, roles, ...

One YAML file per language in `lexicon/` (data, not code: adding a language is adding a file).
`lexicon(lang)` gives the compiled `Lexicon` for a language code; an unknown or missing code
gets the union of all languages, so a page whose language was not detected still works.

Entries are lower case. A trailing `*` matches any ending (`заяви*`), a leading `*` any
beginning (`*minister` for German compounds), `a ... b` a head word with its particle later in
the sentence (`teilte ... mit`), and spaces separate the words of a phrase (`according to`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_DIR = Path(__file__).with_name("lexicon")
MEMO_LIMIT = 200_000  # words remembered per word list (a long crawl sees many)


# Words as the text model cuts them. Elided articles and conjunctions (French, Italian) are
# words of their own: "qu’en" is "qu’" + "en", "l’armée" is "l’" + "armée".
SOFT_HYPHEN = "\u00ad"  # a line-break hint inside a word ("Bundes\u00adregierung")
_WORD_RE = re.compile(r"[^\W_]+(?:[-'’." + SOFT_HYPHEN + r"][^\W_]+)*|\S")
_GLUED_RE = re.compile(r"(?<=[^\W\d_]{2})\.(?=[^\W\d_]{2})")
_ELISION_RE = re.compile(
    r"(?:[ldjnmstc]|qu|jusqu|lorsqu|puisqu|quoiqu|dell|all|nell|dall|sull|quell|un)['’]"
    r"(?=[^\W\d_])",
    re.IGNORECASE,
)


def token_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each word and punctuation mark of text[start:end]."""
    spans: list[tuple[int, int]] = []
    add = spans.append
    for m in _WORD_RE.finditer(text, start, len(text) if end is None else end):
        a, b = m.span()
        if b - a > 4 and text.find(".", a + 2, b - 2) >= 0:
            # "Monzani.Sementara": two sentences glued (text scraped without its spaces)
            for dot in _GLUED_RE.finditer(m.group()):
                k = m.start() + dot.start()
                glued = text[k - 1].islower() and text[k + 1].isupper()
                if glued and text[k + 2 : k + 3].islower():
                    add((a, k))
                    add((k, k + 1))
                    a = k + 1
        if b - a > 2 and (text.find("'", a, b) >= 0 or text.find("’", a, b) >= 0):
            el = _ELISION_RE.match(text, a, b)
            if el:
                add((a, el.end()))
                a = el.end()
        add((a, b))
    return spans


def fold(word: str) -> str:
    """Lower case for matching (Turkish dotted capital I folds to a plain i)."""
    low = word.lower()
    if "’" in low or "̇" in low or SOFT_HYPHEN in low:
        low = low.replace("i̇", "i").replace("’", "'").replace(SOFT_HYPHEN, "")
    return low


@dataclass
class Phrases:
    """Word sequences with `*` wildcards, matched against folded tokens."""

    exact: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    stems: list[tuple[str, ...]] = field(default_factory=list)  # phrases opening with a stem
    words: set[str] = field(default_factory=set)  # one-word exact entries
    single_stems: list[str] = field(default_factory=list)  # one-word entries with `*`
    _memo: dict[str, bool] = field(default_factory=dict)

    def add(self, phrase: str) -> None:
        parts = tuple(
            fold(w)
            for p in phrase.split()
            if p != "..."
            for w in ([p] if "*" in p else [p[a:b] for a, b in token_spans(p)])
        )
        if not parts:
            return
        first = parts[0]
        if len(parts) == 1:
            if "*" in first:
                self.single_stems.append(first)
            else:
                self.words.add(first)
        elif "*" in first:
            self.stems.append(parts)
        else:
            lst = self.exact.setdefault(first, [])
            lst.append(parts)
            lst.sort(key=len, reverse=True)
        self._memo.clear()

    @staticmethod
    def _word_ok(pattern: str, word: str) -> bool:
        if pattern.endswith("*") and pattern.startswith("*"):
            return pattern[1:-1] in word
        if pattern.endswith("*"):
            return word.startswith(pattern[:-1]) and len(word) > len(pattern) - 1
        if pattern.startswith("*"):
            return word.endswith(pattern[1:]) and len(word) > len(pattern) + 1
        return word == pattern

    def _seq_ok(self, parts: tuple[str, ...], words: list[str], i: int) -> bool:
        if i + len(parts) > len(words):
            return False
        return all(self._word_ok(p, words[i + k]) for k, p in enumerate(parts))

    def has(self, word: str) -> bool:
        """Whether `word` alone is an entry (memoised: called for every token)."""
        hit = self._memo.get(word)
        if hit is None:
            if len(self._memo) > MEMO_LIMIT:
                self._memo.clear()
            hit = word in self.words or any(self._word_ok(p, word) for p in self.single_stems)
            self._memo[word] = hit
        return hit

    def starts(self, word: str) -> bool:
        """Whether some entry can start with `word` (a cheap test before `match`)."""
        key = "\x00" + word
        hit = self._memo.get(key)
        if hit is None:
            hit = (
                word in self.exact
                or self.has(word)
                or any(self._word_ok(parts[0], word) for parts in self.stems)
            )
            self._memo[key] = hit
        return hit

    def match(self, words: list[str], i: int) -> int:
        """Length (in words) of the longest entry starting at words[i], or 0."""
        w = words[i]
        if not self.starts(w):
            return 0
        for parts in self.exact.get(w, ()):
            if self._seq_ok(parts, words, i):
                return len(parts)
        best = 1 if self.has(w) else 0
        for parts in self.stems:
            if len(parts) > best and self._seq_ok(parts, words, i):
                best = len(parts)
        return best


@dataclass
class Lexicon:
    lang: str
    verbs: Phrases
    separable: dict[str, set[str]]  # head -> particles that complete it later
    inversion_suffixes: tuple[str, ...]
    participles: Phrases
    markers_before: Phrases
    markers_after: Phrases
    preposition_markers: set[str]  # "pour", "para": a source only before a name or article
    as_words: set[str]  # "jak podaje X", "как сообщает X": "as", a speech verb, the source
    complementizers: set[str]
    pronouns: dict[str, str]  # pronoun -> gender (m, f, n, p)
    role_genders: dict[str, str]  # "husband" -> m, "daughter" -> f: a pronoun must agree
    possessives: dict[str, str]  # "по его словам": possessive -> gender
    auxiliaries: set[str]  # "a déclaré", "hat gesagt": auxiliary + participle
    quotatives: set[str]  # Turkish "diye", "şeklinde": quote marker before the verb
    determiners: set[str]  # "the states", "its reports": the word after one is a noun
    relatives: set[str]  # "X, who said …": the speaker is the phrase before the comma
    reflexives: set[str]  # "a lo que se añaden": a verb after one is impersonal, no cue
    # "Speaking to People at the summit, X said": a clause opening so is an adverbial, not
    # what X said (words, and "-ing"-style suffixes)
    adverbial_openers: tuple[set[str], tuple[str, ...]]
    # "À lire aussi : « … »", "Read more: “…”": a quote after one is a headline, no statement
    read_also: tuple[str, ...]
    impersonal_verbs: set[str]  # "сообщается", "poinformowano": a report with no speaker
    dash_dialogue: bool  # "— Текст, — сказал он": a paragraph opening with a dash is speech
    enclitic: str
    roles: Phrases
    spokes: Phrases
    honorifics: set[str]
    orgs: Phrases
    not_names: set[str]
    abbreviations: set[str]
    addressee_verbs: set[str]  # "told Reuters": the name after the verb is the hearer
    object_verbs: set[str]  # "posted a photo": a thing follows, a clause only after "that"
    infinitive_markers: set[str]  # "to respond", "declined to say": no speech act
    prepositions: set[str]  # open a phrase between a cue and its speaker ("sur Facebook")
    naming: Phrases  # "called it", "bezeichnete … als": a quoted fragment is the subject's words
    infinitives: set[str]  # "affirme avoir", "dijo haber": a non-finite complement opens
    impersonal: set[str]  # "a-t-on appris": a pronoun that names nobody
    sov: bool  # subject-object-verb order: the speaker opens the sentence, the verb ends it
    declines: bool  # names take case endings ("Białego Domu"): speakers in their usual form
    case_endings: tuple[str, ...]  # "Bakanlığının": endings an organisation noun sheds
    genitive_endings: tuple[str, ...]  # "Francji", "Малайзии": a place named in the genitive


def _lines(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, dict):
        return [str(k) for k in value]
    return [str(v) for v in value]


def inflect(entry: str, groups: list[list[str]]) -> list[str]:
    """The entry and the other forms its first word takes in its ending group: with
    `[ł, ła, li, ły]`, "podkreślił" also gives "podkreśliła", "podkreślili", "podkreśliły"
    (a verb listed in one person or number is found in the others)."""
    first, _, rest = entry.partition(" ")
    forms = [entry]
    for group in groups:
        for ending in sorted(group, key=len, reverse=True):
            stem = first[: len(first) - len(ending)]
            if first.endswith(ending) and len(stem) >= 3:
                forms += [" ".join(filter(None, (stem + other, rest))) for other in group]
                break
    return list(dict.fromkeys(forms))


def _build(lang: str, datas: list[dict[str, Any]]) -> Lexicon:
    def phrases(key: str) -> Phrases:
        ph = Phrases()
        for d in datas:
            for entry in _lines(d, key):
                ph.add(entry)
        return ph

    def words(key: str) -> set[str]:
        return {
            fold(e).rstrip(".") if key == "abbreviations" else fold(e)
            for d in datas
            for e in _lines(d, key)
        }

    verbs = Phrases()
    separable: dict[str, set[str]] = {}
    groups = [[fold(str(e)) for e in g] for g in (datas[0].get("verb_endings") or [])]
    for d in datas:
        for entry in _lines(d, "speech_verbs"):
            if " ... " in entry:
                head, particle = entry.split(" ... ", 1)
                separable.setdefault(fold(head), set()).add(fold(particle))
            else:
                for form in inflect(entry, groups if d is datas[0] else []):
                    verbs.add(form)
    pronouns: dict[str, str] = {}
    possessives: dict[str, str] = {}
    for d in datas:
        for k, v in (d.get("pronouns") or {}).items():
            pronouns.setdefault(fold(str(k)), str(v))
        for k, v in (d.get("possessive_pronouns") or {}).items():
            possessives.setdefault(fold(str(k)), str(v))
    suffixes = sorted(
        {fold(s) for d in datas for s in _lines(d, "inversion_suffixes")}, key=len, reverse=True
    )
    enclitic = next((str(d["enclitic_pronoun"]) for d in datas if d.get("enclitic_pronoun")), "")
    return Lexicon(
        lang=lang,
        verbs=verbs,
        separable=separable,
        inversion_suffixes=tuple(suffixes),
        participles=phrases("participles"),
        markers_before=phrases("markers_before"),
        markers_after=phrases("markers_after"),
        preposition_markers=words("preposition_markers"),
        as_words=words("as_words"),
        complementizers=words("complementizers"),
        pronouns=pronouns,
        role_genders={str(k): str(v) for k, v in (datas[0].get("role_genders") or {}).items()}
        if lang != "*"
        else {},
        possessives=possessives,
        auxiliaries=words("auxiliaries"),
        quotatives=words("quotatives"),
        determiners=words("determiners"),
        relatives=words("relative_pronouns"),
        reflexives=words("reflexives"),
        read_also=tuple(_lines(datas[0], "read_also")) if lang != "*" else (),
        impersonal_verbs=words("impersonal_verbs"),
        dash_dialogue=bool(datas[0].get("dash_dialogue", True)) if lang != "*" else True,
        adverbial_openers=(
            {w for w in words("adverbial_openers") if not w.startswith("-")},
            tuple(w[1:] for w in words("adverbial_openers") if w.startswith("-")),
        ),
        enclitic=enclitic,
        roles=phrases("role_nouns"),
        spokes=phrases("spokesperson_nouns"),
        honorifics={h.rstrip(".") for h in words("honorifics")},
        orgs=phrases("org_nouns"),
        not_names=words("not_names"),
        abbreviations=words("abbreviations"),
        addressee_verbs=words("addressee_verbs"),
        object_verbs=words("object_verbs"),
        infinitive_markers=words("infinitive_markers"),
        prepositions=words("prepositions"),
        naming=phrases("naming_verbs"),
        infinitives=words("infinitive_openers"),
        impersonal=words("impersonal_pronouns"),
        sov=bool(datas[0].get("word_order") == "sov") if lang != "*" else False,
        declines=bool(datas[0].get("declines")) if lang != "*" else False,
        case_endings=tuple(
            sorted({fold(e) for e in _lines(datas[0], "case_endings")}, key=len, reverse=True)
        )
        if lang != "*"
        else (),
        genitive_endings=tuple(_lines(datas[0], "genitive_place_endings")) if lang != "*" else (),
    )


# libyaml's loader when PyYAML was built with it (ten times faster), else the pure-Python one
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FLAGS = {"declines", "dash_dialogue"}  # keys that hold true or false, not words


@cache
def _load(code: str) -> dict[str, Any]:
    """One language's lexicon file, read once per process (callers do not change it)."""
    path = LEXICON_DIR / f"{code}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: not a mapping")
    for key, value in data.items():
        if key in FLAGS:
            if not isinstance(value, bool):
                raise ValueError(f"{path.name}: {key}: true or false, not {value!r}")
            continue
        entries = list(value.items()) if isinstance(value, dict) else value
        for entry in entries if isinstance(entries, list) else [entries]:
            for item in entry if isinstance(entry, tuple) else (entry,):
                if isinstance(item, bool):  # YAML 1.1 reads on/off/yes/no as booleans
                    raise ValueError(f"{path.name}: {key}: a word read as {item}: quote it")
    return data


@lru_cache(maxsize=1)
def languages() -> list[str]:
    return sorted(p.stem for p in LEXICON_DIR.glob("*.yaml"))


def lexicon(lang: str | None) -> Lexicon:
    """The lexicon of `lang` (e.g. "de", "pt-BR"); all languages together when unknown."""
    return _lexicon((lang or "").split("-")[0].split("_")[0].lower())


@lru_cache(maxsize=64)
def _lexicon(code: str) -> Lexicon:
    if code in languages():
        datas = [_load(code)]
        if code != "en":
            # English attribution inside another language's text (wire copy, quotes left
            # untranslated): its speech verbs, roles and titles are a
            # fallback everywhere
            en = _load("en")
            datas.append({k: en.get(k, []) for k in ("speech_verbs", "role_nouns", "honorifics")})
        return _build(code, datas)
    return _build("*", [_load(c) for c in languages()])
