"""Speech cues: the verbs and markers that attribute words to someone, found in the tokens.

A cue is a listed speech verb ("said", "a-t-elle ajouté", "hat … gesagt", "teilte … mit",
"katanya", "diye konuştu"), an attribution marker ("according to", "laut", "по его словам",
"göre"), or, right after a quote and its comma, any word in a verb's place
(`"…", rememoró Horner`). `CueFinder` holds the state every attribution step shares: the text,
its paragraphs, the language data and the article's entities.
"""

from __future__ import annotations

from newswatch.statements.lexicon import Lexicon
from newswatch.statements.mentions import (
    DEFINITE,
    GAP_WORDS,
    INDEFINITE,
    Entities,
    Mention,
)
from newswatch.statements.text import Paragraph, Token

_CUE_MEMO: dict[str, dict[str, bool]] = {}  # per language: can this word start a cue

PLURAL_S = {"en", "fr", "es", "pt", "*"}

CONJUNCTIONS = {
    "and", "but", "und", "aber", "sondern", "et", "mais", "y", "pero", "e", "ma", "i", "a",
    "ale", "и", "а", "но", "ve", "ama", "dan", "tetapi", "namun", "lalu", "serta",
}  # fmt: skip

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
    "although", "because", "since", "though", "obwohl", "weil", "dass", "quoique",
    "parce", "puisque", "aunque", "porque", "mientras", "sebbene", "perché", "mentre",
    "embora", "хотя", "потому", "chociaż", "bo", "ponieważ", "çünkü", "karena",
    "meskipun", "walaupun",
}  # fmt: skip

OF_WORDS = {
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

NOT_CLAUSE_START = {
    "on", "in", "at", "to", "for", "with", "by", "from", "of", "about", "after", "before",
    "during", "while", "when", "as", "last", "this", "yesterday", "today", "tomorrow",
    "earlier", "later", "nothing", "so", "yes", "no", "it", "him", "her", "them", "us",
    "me", "reporters", "journalists", "pada", "kepada", "dalam", "di", "saat", "ketika",
    "dengan", "soal", "terkait", "tentang", "usai", "seusai", "kemarin", "hari", "and", "but",
    "or", "goodbye", "thanks", "sorry", "what", "how", "why", "where", "who",
}  # fmt: skip
# after "said it": the finite verb that makes "it" the subject of a reported clause
IT_CLAUSE_VERBS = {
    "would", "will", "was", "is", "had", "has", "could", "can", "should", "may", "might",
    "must", "did", "does", "were", "expects", "plans", "intends", "remains", "wanted",
}  # fmt: skip


class CueFinder:
    """Finds cues; the base of the attribution steps (see `attribution.Attributor`)."""

    text: str
    lex: Lexicon
    paras: list[Paragraph]
    ents: Entities

    def _init_memos(self) -> None:
        self._cue_memo = _CUE_MEMO.setdefault(self.lex.lang, {})
        self._marker_memo = _CUE_MEMO.setdefault(self.lex.lang + "/markers", {})
        if len(self._cue_memo) > 200_000:
            self._cue_memo.clear()
            self._marker_memo.clear()

    def _source_after(self, toks: list[Token], k: int, e: int) -> Mention | None:
        """ "… de sources diplomatiques", "… auprès de l'entourage du ministre": the source
        phrase within a few words after an impersonal cue."""
        for j in range(k, min(e, k + 4)):
            t = toks[j]
            if t.quote >= 0 or t.text in ".;:!?":
                return None
            if t.low in ("de", "d'", "d’", "auprès"):
                words = []
                for u in toks[j + 1 : min(e, j + 8)]:
                    if u.quote >= 0 or not (u.is_word or u.text in "'’-"):
                        break
                    words.append(u)
                while words and words[0].low in ("de", "d'", "d’", "la", "le", "les", "l'"):
                    words = words[1:]
                if not words or words[0].low in ("même", "mêmes"):
                    return None  # "de même source": the source named before, said elsewhere
                text = self.text[words[0].start : words[-1].end]
                return Mention("org", text, words[0].start, words[-1].end, name=text)
        return None

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
            prev = toks[i - 1] if i > 0 else None
            if prev is not None and prev.is_word and (
                prev.low in lex.determiners
                or prev.low in lex.infinitive_markers  # "the right to respond": no act
                or prev.text.isdigit()
                or prev.low in lex.reflexives
                or prev.text.endswith(("'s", "’s"))
                or (t.cap and prev.quote < 0)
            ):
                # "in the states that matter", "its reports", "Madumere's remark", "seven
                # states", "2 reports": a noun;
                # "a lo que se añaden": impersonal; "the United States", "Söder Explains
                # Bavarian …" (capitalised after a word): a name or a headline, no verb
                return 0, None
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
                n = 0
                if lex.verbs.has(base) or lex.participles.has(base):
                    n = 1
                elif base in lex.auxiliaries and i + 1 < e and lex.participles.has(toks[i + 1].low):
                    n = 2
                if n and pron in lex.impersonal:
                    # "a-t-on appris de sources diplomatiques": nobody in particular; the
                    # speaker is the source named after the verb, if any
                    m = self._source_after(toks, i + n, e) or Mention("org", t.text, t.start,
                                                                     t.end, name="")  # fmt: skip
                if n:
                    return n, m
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
            maybe = self._marker_memo[low] = (
                self.lex.markers_before.starts(low)
                or self.lex.markers_after.starts(low)
                or low in self.lex.as_words
            )
        if not maybe:
            return 0, ""
        if low in self.lex.as_words and i + 1 < e:
            # "jak podaje agencja IRNA, …", "как сообщает ТАСС", "según informó el Consejo":
            # "as" and a speech verb, the source after it
            n, _carried = self.cue_at(toks, i + 1, e)
            if n:
                return 1 + n, "before"
        words = [x.low for x in toks[i : min(e, i + 4)]]
        n = self.lex.markers_before.match(words, 0)
        if n and not (
            n == 1 and low in self.lex.preposition_markers and not self._could_name(toks, i + 1, e)
        ):
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

    def _could_name(self, toks: list[Token], k: int, e: int) -> bool:
        """Whether the word after a marker that is also a plain preposition ("pour",
        "para") opens whom it names: a name, an article, a pronoun or a role ("pour protéger
        les infrastructures" names nobody)."""
        if k >= e:
            return False
        t = toks[k]
        low = t.low
        lex = self.lex
        return (
            t.cap
            or not t.is_word
            or low in DEFINITE
            or low in INDEFINITE
            or low in lex.pronouns
            or low in lex.possessives
            or lex.roles.starts(low)
            or lex.spokes.starts(low)
            or lex.orgs.starts(low)
        )

    def _maybe(self, t: Token) -> bool:
        low = t.low
        maybe = self._cue_memo.get(low)
        if maybe is None:
            maybe = self._cue_memo[low] = self._could_cue(low)
        if maybe:
            return True
        hit = self._marker_memo.get(low)
        if hit is None:
            hit = self._marker_memo[low] = (
                self.lex.markers_before.starts(low)
                or self.lex.markers_after.starts(low)
                or low in self.lex.as_words
            )
        return hit

    def _verb_slot(self, toks: list[Token], qb: int, right: int, k: int, e: int) -> bool:
        t = toks[k]
        if not t.is_word or t.cap or t.quote >= 0 or len(t.text) < 3:
            return False
        # the comma may close the quote itself, and a dash quote's ",—" stays inside it
        comma = any(x.text == "," for x in toks[max(0, qb - 2) : qb]) or any(
            x.text in ",—–" for x in toks[right:k]
        )
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
            or low in OF_WORDS
            or low in NOT_CLAUSE_START
            or low in GAP_WORDS
            or lex.markers_before.has(low)
            or self._is_role(low)
            or lex.orgs.has(low)
        )

    def _is_role(self, low: str) -> bool:
        if self.lex.roles.has(low) or self.lex.spokes.has(low):
            return True
        # plurals: "villagers", "residentes", "analystes"
        return (
            len(low) > 4
            and low[-1] == "s"
            and self.lex.lang in PLURAL_S
            and (self.lex.roles.has(low[:-1]) or self.lex.roles.has(low[:-2]))
        )

    def _has_role(self, words: list[Token], spokes_only: bool = False) -> bool:
        """Whether a role (or spokesperson) noun, of one word or several, is in `words`."""
        lows = [t.low for t in words]
        for n in range(len(lows)):
            if self.lex.spokes.match(lows, n) or (
                not spokes_only and self.lex.roles.match(lows, n)
            ):
                return True
        return False
