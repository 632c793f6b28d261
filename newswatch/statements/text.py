"""The text model attribution works on: paragraphs, tokens, quoted spans and sentences.

Quoted spans follow every common convention: “…” ‘…’ "…" „…“ „…” ‚…‘ «…» »…« ‹…› 「…」 『…』,
quotation marks nested inside a quote (kept inside it, not spans of their own), a quote that
runs to the end of its paragraph without a closing mark (each paragraph its own span), French
padding spaces (left out of the span), and dialogue dashes (`— Текст, — сказал он. — Текст`):
the speech between the dashes is a span, the inserted attribution is not.

Sentences are cut at . ! ? … outside quotation marks before a capital, a digit, a quotation
mark or a dash, never after a known abbreviation or an initial.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from newswatch.statements.lexicon import SOFT_HYPHEN, Lexicon, fold, token_spans

OPENERS = {
    "“": "”“", "„": "“”", "«": "»", "»": "«", "‹": "›", "›": "‹", '"': '"',
    "「": "」", "『": "』", "‚": "‘’", "‘": "’", "”": "”",
}  # fmt: skip
QUOTE_CHARS = '“”„‟"«»‹›‘’‚‛「」『』'
_MARK_RE = re.compile("[" + re.escape(QUOTE_CHARS) + "]")
DASHES = "—–"
SPACES = " \u00a0\u202f\u2009\t"
TERMINAL = ".!?…"


@dataclass
class Quote:
    start: int  # first character inside the marks (padding left out)
    end: int
    open_at: int  # position of the opening mark (or dash)
    close_at: int  # position after the closing mark (== end when unclosed)
    closed: bool
    dash: bool = False  # dialogue dash speech


class Token:
    """A word or a punctuation mark of a paragraph, with its place in the text."""

    __slots__ = ("start", "end", "text", "low", "quote", "mark", "is_word", "cap")

    def __init__(
        self, start: int, end: int, text: str, low: str, quote: int = -1, mark: str = ""
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.low = low
        self.quote = quote  # index of the quote this token is inside, or -1
        self.mark = mark  # "open" / "close": the quotation mark (or dash) of a quote
        self.is_word = text[0].isalnum()
        self.cap = text[0].isupper()

    def __repr__(self) -> str:
        return f"Token({self.text!r}@{self.start})"


@dataclass
class Paragraph:
    start: int
    end: int
    index: int
    tokens: list[Token] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # token index ranges


def paragraphs(text: str, max_len: int = 5000) -> list[tuple[int, int]]:
    """Line-based paragraphs; an overlong one is cut at sentence ends (bounded work)."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        if not m.group().strip():
            continue
        start, end = m.start(), m.end()
        while end - start > max_len:
            cut = text.rfind(". ", start, start + max_len)
            cut = cut + 1 if cut > start else start + max_len
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out


def _opens(text: str, i: int, start: int, end: int) -> bool:
    """Whether the mark at i can open a quote (not an apostrophe or an inch sign)."""
    ch = text[i]
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    if nxt in SPACES and ch not in "«»‹›":
        return False
    after = text[i + 1 : min(end, i + 4)].lstrip(SPACES)[:1]
    if after and after in ",.;:!?)":
        return False  # "… de vote « , a indiqué": a closing mark typed the wrong way round
    if ch in '"‘‚”':
        return not prev.isalnum()
    if ch in "»›":
        return not prev.isalnum() and nxt not in SPACES
    return True


def find_quotes(
    text: str, start: int, end: int, reversed_guillemets: bool, dash_dialogue: bool = True
) -> list[Quote]:
    """The quotes of one paragraph; a paragraph opening with a dash is dialogue where the
    language writes speech so (`dash_dialogue`: Russian, French, Spanish, ...), and a list
    item elsewhere ("– 30: Jessye Norman died aged 74.")."""
    quotes: list[Quote] = []
    stripped = text[start:end].lstrip(SPACES)
    lead = end - start - len(stripped)
    if dash_dialogue and stripped[:1] in DASHES and stripped[1:2] in SPACES:
        return _dash_quotes(text, start + lead, end)
    i = start
    while i < end:
        nxt_mark = _MARK_RE.search(text, i, end)
        if nxt_mark is None:
            break
        i = nxt_mark.start()
        ch = text[i]
        if (
            ch not in OPENERS
            or (ch in "»›" and not reversed_guillemets)
            or (ch in "«‹" and reversed_guillemets)
            or not _opens(text, i, start, end)
        ):
            i += 1
            continue
        closers = OPENERS[ch]
        j = i + 1
        depth: list[str] = []
        close = -1
        stray = -1  # a straight mark closing a curly quote ("„Mimo że … trudny" – pisze")
        while j < end:
            m = _MARK_RE.search(text, j, end)
            if m is None:
                break
            j = m.start()
            c = text[j]
            if (
                depth
                and c in depth[-1]
                and not (c in "’'" and j + 1 < end and text[j + 1].isalnum())
            ):
                depth.pop()
            elif (
                c in closers
                and not (c == "’" and j + 1 < end and text[j + 1].isalnum())
                and not (
                    c == '"' and j + 1 < end and text[j + 1].isalnum() and text[j - 1] in SPACES
                )
            ):
                close = j
                break
            elif (
                c in OPENERS
                and c not in closers
                and c not in "’"
                and _opens(text, j, start, end)
                and (c not in "»›" or reversed_guillemets)
                and not (c in "«‹" and reversed_guillemets)
            ):
                depth.append(OPENERS[c])
            elif c == '"' and stray < 0 and not depth and not _opens(text, j, start, end):
                stray = j
            j += 1
        if close < 0 and stray >= 0:
            close = stray
        if close < 0:
            if ch in "‘‚":  # an apostrophe, most likely: a single quote must close
                i += 1
                continue
            # unclosed: the quote runs to the end of the paragraph
            s, e = _inside(text, i + 1, end)
            if e > s:
                quotes.append(Quote(s, e, i, end, closed=False))
            break
        s, e = _inside(text, i + 1, close)
        if e > s:
            quotes.append(Quote(s, e, i, close + 1, closed=True))
        i = close + 1
    return quotes


def _inside(text: str, s: int, e: int) -> tuple[int, int]:
    """The span between the marks without its padding spaces (French « … »)."""
    while s < e and text[s] in SPACES:
        s += 1
    while e > s and text[e - 1] in SPACES:
        e -= 1
    return s, e


_DASH_ATTR = re.compile(r"[,.!?…]?\s*[—–]\s*(?=[^\W\d_])")
_DASH_RESUME = re.compile(r"[.,:]\s*[—–]\s+")


def _dash_quotes(text: str, start: int, end: int) -> list[Quote]:
    """`— Speech, — said X. — More speech` -> the speech parts."""
    out: list[Quote] = []
    pos = start + 1
    while pos < end:
        while pos < end and text[pos] in SPACES:
            pos += 1
        m = _DASH_ATTR.search(text, pos, end)
        # the attribution starts with a lower-case word after the dash
        while m and not text[m.end()].islower():
            m = _DASH_ATTR.search(text, m.end(), end)
        speech_end = m.start() if m else end
        s, e = pos, speech_end
        if m and text[m.start()] in ",.!?…":
            e = m.start() + (1 if text[m.start()] in "!?…" else 0)
        while e > s and text[e - 1] in SPACES:
            e -= 1
        if e > s:
            out.append(Quote(s, e, pos - 1, m.end() if m else end, closed=bool(m), dash=True))
        if not m:
            break
        r = _DASH_RESUME.search(text, m.end(), end)
        if not r:
            break
        pos = r.end()
    return out


def _lows(words: list[str]) -> list[str]:
    lows = [w.lower() for w in words]
    if any("’" in w or "̇" in w or SOFT_HYPHEN in w for w in lows):
        lows = [fold(w) for w in words]
    return lows


def tokenize(text: str, start: int, end: int, quotes: list[Quote]) -> list[Token]:
    spans = token_spans(text, start, end)
    words = [text[a:b] for a, b in spans]
    starts = [a for a, _b in spans]
    toks = list(map(Token, starts, [b for _a, b in spans], words, _lows(words)))
    if quotes:
        for qi, q in enumerate(quotes):
            k = bisect_left(starts, q.open_at)
            if k < len(toks) and toks[k].start == q.open_at:
                toks[k].mark = "open"  # the opening mark itself stands outside
                k += 1
            inner_end = q.close_at - 1 if q.closed and not q.dash else q.close_at
            while k < len(toks) and toks[k].start < inner_end:
                toks[k].quote = qi
                k += 1
            if inner_end < q.close_at and k < len(toks) and toks[k].start == inner_end:
                toks[k].mark = "close"
    return toks


def sentences(para: Paragraph, text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Token ranges [i, j) of the paragraph's sentences (quotes never cut)."""
    toks = para.tokens
    out: list[tuple[int, int]] = []
    begin = 0
    for i, tok in enumerate(toks):
        if tok.quote >= 0 or i + 1 >= len(toks):
            continue
        nxt = toks[i + 1]
        if tok.text in TERMINAL:
            prev = toks[i - 1] if i > 0 else None
            if (
                prev is not None
                and prev.is_word
                and (prev.low in lex.abbreviations or (len(prev.text) == 1 and prev.cap))
            ):
                continue
        elif tok.mark == "close" and i > 0 and toks[i - 1].text in TERMINAL:
            pass  # a quote that ends its sentence: “… .” Next
        else:
            continue
        if (
            nxt.text[0].isupper()
            or nxt.text[0].isdigit()
            or (nxt.text in QUOTE_CHARS or nxt.text in DASHES)
        ):
            # a closing quote right after the stop belongs to this sentence
            if nxt.mark == "close" and tok.text in TERMINAL:
                continue
            out.append((begin, i + 1))
            begin = i + 1
    if begin < len(toks):
        out.append((begin, len(toks)))
    return out


def build(text: str, reversed_guillemets: bool, lex: Lexicon) -> list[Paragraph]:
    paras: list[Paragraph] = []
    prev_colon = False
    for n, (s, e) in enumerate(paragraphs(text)):
        p = Paragraph(s, e, n)
        # where speech is not written after dashes, a dash still opens it after a line that
        # ends with a colon ("Anwar Ibrahim gestand:")
        dialogue = lex.dash_dialogue or prev_colon
        p.quotes = find_quotes(text, s, e, reversed_guillemets, dialogue)
        prev_colon = text[s:e].rstrip().endswith(":")
        p.tokens = tokenize(text, s, e, p.quotes)
        p.sentences = sentences(p, text, lex)
        paras.append(p)
    return paras


def uses_reversed_guillemets(text: str) -> bool:
    """German and Scandinavian »…«: the first guillemet of the text opens with »."""
    i, j = text.find("«"), text.find("»")
    return j >= 0 and (i < 0 or j < i) and j + 1 < len(text) and text[j + 1] not in SPACES
