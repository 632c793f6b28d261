"""Topic queries: Lucene query syntax, parsed once, matched in Python or in Elasticsearch.

A topic's `query` is written in Lucene query syntax and parsed with luqum (a maintained Lucene
grammar with positions on every node, so a mistake can be reported by column instead of
re-implementing the grammar here). The parsed tree is turned into a small, closed set of nodes
(`And`, `Or`, `Not`, `Text`, `Wildcard`, `Keyword`) that both back-ends evaluate: `matches`
here, and `to_es_query` (below) for Elasticsearch. Because both walk the
same tree, a query means the same thing in SQLite and in Elasticsearch.

Syntax and meaning:

* `a AND b`, `a OR b`, `NOT a`, `+a` (required, the same as `a`), `-a` (the same as `NOT a`),
  parentheses for grouping.
* **The implicit operator is AND**: `north korea troops` means `north AND korea AND troops`.
  Precedence (luqum's): `AND` binds tighter than `OR`, and the implicit operator binds loosest,
  so `a OR b c` is `(a OR b) AND c`; a `+`/`-` item binds to the item before it, so
  `a OR b -c` is `a OR (b AND NOT c)` (Lucene's classic parser would read that differently).
  Use parentheses when in doubt. Anything that hands a raw
  topic string to Elasticsearch's `query_string` must set `default_operator: AND`; newswatch
  itself never does that, it translates the tree.
* `"a b"` is a phrase (consecutive words); `"a b"~5` allows a slop of 5 positions, as
  Elasticsearch's `match_phrase` slop (words out of order cost more: swapping two is 2).
* `troop*`, `te?t`: wildcards, matched against single words (`*` any run of characters, `?`
  one character).
* Fields: `title:`, `body:` (text), `speaker:`, `quote:` (a statement's speaker or quote; each
  clause may be satisfied by any statement of the article), `source:`, `language:`,
  `domain:` (exact values, case-insensitive, wildcards allowed). A field applies to every word
  inside a group: `title:(korea troops)` is `title:korea AND title:troops`.
* A word without a field is searched in `title` and `body`.
* Boosts (`a^2`) are accepted and ignored; fuzzy (`a~2`), ranges and regular expressions are
  errors.

Text is compared as Elasticsearch's `standard` analyzer indexes it: lowercased Unicode word
tokens split like the standard tokenizer (UAX #29 word boundaries, approximated by a regular
expression: letters, digits, marks and `_`; `.`/`'`/`’`/`:` inside a word between letters and
`.`/`,` between digits keep the word whole; each Han or Hiragana character is a word). A query
word that splits into several tokens (`Korea-Utara`) is a phrase of those tokens.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import regex
from luqum import tree as lt
from luqum.exceptions import ParseError
from luqum.parser import parser as _luqum_parser

if TYPE_CHECKING:
    from newswatch.config import Topic

TEXT_FIELDS = ("title", "body")
STATEMENT_FIELDS = ("speaker", "quote")
KEYWORD_FIELDS = ("source", "language", "domain")
FIELDS = TEXT_FIELDS + STATEMENT_FIELDS + KEYWORD_FIELDS

_IDEOGRAPH = r"[\p{Han}\p{Hiragana}]"
_WORD_CHAR = r"(?:(?![\p{Han}\p{Hiragana}])[\w\p{M}])"
_JOIN = r"(?:(?<=[\p{L}\p{M}])[.'’:·](?=\p{L})|(?<=\p{N})[.,;'’](?=\p{N}))"
_TOKEN = regex.compile(rf"{_IDEOGRAPH}|{_WORD_CHAR}+(?:{_JOIN}{_WORD_CHAR}+)*")
_POSITION = re.compile(r"at position (\d+)")
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


def tokenize(text: str | None) -> list[str]:
    """Lowercased word tokens of `text`, as Elasticsearch's `standard` analyzer makes them."""
    if not text:
        return []
    return [_lower(token) for token in _TOKEN.findall(text)]


def _lower(token: str) -> str:
    # Lucene lowercases code point by code point: a final capital sigma becomes σ, not ς.
    return token.lower() if "Σ" not in token else "".join(c.lower() for c in token)


class TopicQueryError(ValueError):
    """A malformed topic query: `column N: what is wrong`.

    `position` is 0-based into `query`, `column` 1-based; `problem` is the message alone.
    """

    def __init__(self, query: str, position: int, problem: str) -> None:
        self.query, self.position, self.problem = query, position, problem
        self.column = position + 1
        super().__init__(f"column {self.column}: {problem}")


# --------------------------------------------------------------------------------------------
# The query tree both back-ends evaluate.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Text:
    """Words in a text field: one token is a term, several a phrase (with `slop`).

    `field` is None for title-or-body; `text` is the query text as written (unescaped), which
    Elasticsearch analyzes itself; `tokens` is what `tokenize` makes of it.
    """

    field: str | None
    text: str
    tokens: tuple[str, ...]
    slop: int = 0


@dataclass(frozen=True)
class Wildcard:
    """A wildcard pattern (lowercased) matched against single tokens of a text field."""

    field: str | None
    pattern: str


@dataclass(frozen=True)
class Keyword:
    """An exact (case-insensitive) value, or a wildcard pattern, of a keyword field."""

    field: str
    value: str
    wildcard: bool = False


Node = And | Or | Not | Text | Wildcard | Keyword


def _has_wildcard(text: str) -> bool:
    return bool(re.search(r"(?<!\\)(?:\\\\)*[*?]", text))


@functools.lru_cache(maxsize=4096)
def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if char == "*" else "." if char == "?" else re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


class _Builder:
    """luqum tree -> our nodes, with positions for every error."""

    def __init__(self, text: str) -> None:
        self.text = text

    def fail(self, item: Any, problem: str) -> TopicQueryError:
        return TopicQueryError(self.text, getattr(item, "pos", None) or 0, problem)

    def build(self, item: Any, field: str | None) -> Node:
        if isinstance(item, lt.SearchField):
            name = item.name.lower()
            if field is not None:
                raise self.fail(item, f"field {item.name!r} inside field {field!r}")
            if name not in FIELDS:
                known = ", ".join(FIELDS)
                raise self.fail(item, f"unknown field {item.name!r} (known: {known})")
            return self.build(item.expr, name)
        if isinstance(item, lt.Group | lt.FieldGroup):
            return self.build(item.expr, field)
        if isinstance(item, lt.AndOperation | lt.UnknownOperation | lt.BoolOperation):
            return And(tuple(self.build(child, field) for child in item.children))
        if isinstance(item, lt.OrOperation):
            return Or(tuple(self.build(child, field) for child in item.children))
        if isinstance(item, lt.Not | lt.Prohibit):
            return Not(self.build(item.a, field))
        if isinstance(item, lt.Plus):
            return self.build(item.a, field)
        if isinstance(item, lt.Boost):
            return self.build(item.expr, field)
        if isinstance(item, lt.Proximity):
            if not isinstance(item.term, lt.Phrase):
                raise self.fail(item, "~ after a word is a fuzzy query, which is not supported")
            slop = item.degree
            if slop is None or int(float(slop)) != float(slop) or float(slop) < 0:
                raise self.fail(item, f"proximity {slop!r} is not a whole number")
            return self.phrase(item.term, field, int(float(slop)))
        if isinstance(item, lt.Phrase):
            return self.phrase(item, field, 0)
        if isinstance(item, lt.Word):
            return self.word(item, field)
        if isinstance(item, lt.Fuzzy):
            raise self.fail(item, "fuzzy queries (word~N) are not supported")
        if isinstance(item, lt.Range | lt.From | lt.To):
            raise self.fail(item, "ranges are not supported")
        if isinstance(item, lt.Regex):
            raise self.fail(item, "regular expressions are not supported")
        raise self.fail(item, f"{type(item).__name__} is not supported")

    def phrase(self, item: lt.Phrase, field: str | None, slop: int) -> Node:
        text = _UNESCAPE.sub(r"\1", item.value[1:-1])
        if field in KEYWORD_FIELDS:
            if not text.strip():
                raise self.fail(item, f"empty value for {field}:")
            return Keyword(field, text.lower())
        tokens = tuple(tokenize(text))
        if not tokens:
            raise self.fail(item, f"phrase {item.value} has no words to search for")
        return Text(field, text, tokens, slop if len(tokens) > 1 else 0)

    def word(self, item: lt.Word, field: str | None) -> Node:
        raw = item.value
        if field in KEYWORD_FIELDS:
            if _has_wildcard(raw):
                return Keyword(field, raw.lower(), wildcard=True)
            return Keyword(field, _UNESCAPE.sub(r"\1", raw).lower())
        if _has_wildcard(raw):
            return Wildcard(field, raw.lower())
        text = _UNESCAPE.sub(r"\1", raw)
        tokens = tuple(tokenize(text))
        if not tokens:
            raise self.fail(item, f"{raw!r} has no words to search for")
        return Text(field, text, tokens)


# --------------------------------------------------------------------------------------------
# Articles, tokenized once.
# --------------------------------------------------------------------------------------------


def _positions(text: str | None) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, token in enumerate(tokenize(text)):
        index.setdefault(token, []).append(position)
    return index


class Document:
    """An article record prepared for matching: every text field tokenized once."""

    __slots__ = ("fields", "keywords", "statements", "terms")

    def __init__(self, article: Mapping[str, Any]) -> None:
        self.fields = {name: _positions(article.get(name)) for name in TEXT_FIELDS}
        self.keywords = {name: str(article.get(name) or "").lower() for name in KEYWORD_FIELDS}
        self.statements = [
            {name: _positions((s or {}).get(name)) for name in STATEMENT_FIELDS}
            for s in article.get("statements") or ()
            if isinstance(s, Mapping)
        ]
        terms: set[str] = set()
        for index in self.fields.values():
            terms.update(index)
        for statement in self.statements:
            for index in statement.values():
                terms.update(index)
        for name, value in self.keywords.items():
            terms.add(f"{name}\x00{value}")
        self.terms = terms

    def indexes(self, field: str | None) -> Iterable[dict[str, list[int]]]:
        if field is None:
            return self.fields.values()
        if field in TEXT_FIELDS:
            return (self.fields[field],)
        return (statement[field] for statement in self.statements)


def _phrase_in(index: dict[str, list[int]], tokens: tuple[str, ...], slop: int) -> bool:
    lists = []
    for token in tokens:
        positions = index.get(token)
        if not positions:
            return False
        lists.append(positions)
    if len(tokens) == 1:
        return True
    if slop == 0:
        later = [set(p) for p in lists[1:]]
        return any(all(start + i + 1 in s for i, s in enumerate(later)) for start in lists[0])
    # Lucene's sloppy phrase: with each token's position shifted back by its offset in the
    # phrase, the spread (max - min) must be at most `slop`; repeated tokens need distinct
    # positions.
    shifted = [[p - offset for p in positions] for offset, positions in enumerate(lists)]
    return _within(shifted, lists, slop, 0, [], None, None)


def _within(
    shifted: list[list[int]],
    raw: list[list[int]],
    slop: int,
    i: int,
    used: list[int],
    low: int | None,
    high: int | None,
) -> bool:
    if i == len(shifted):
        return True
    for value, position in zip(shifted[i], raw[i], strict=True):
        if position in used:
            continue
        new_low = value if low is None else min(low, value)
        new_high = value if high is None else max(high, value)
        if new_high - new_low > slop:
            continue
        used.append(position)
        if _within(shifted, raw, slop, i + 1, used, new_low, new_high):
            used.pop()
            return True
        used.pop()
    return False


# --------------------------------------------------------------------------------------------
# Compiled queries.
# --------------------------------------------------------------------------------------------


def _evaluate(node: Node, doc: Document) -> bool:
    if isinstance(node, And):
        return all(_evaluate(child, doc) for child in node.children)
    if isinstance(node, Or):
        return any(_evaluate(child, doc) for child in node.children)
    if isinstance(node, Not):
        return not _evaluate(node.child, doc)
    if isinstance(node, Text):
        return any(_phrase_in(index, node.tokens, node.slop) for index in doc.indexes(node.field))
    if isinstance(node, Wildcard):
        pattern = _wildcard_regex(node.pattern)
        return any(pattern.fullmatch(token) for index in doc.indexes(node.field) for token in index)
    if isinstance(node, Keyword):
        value = doc.keywords[node.field]
        if node.wildcard:
            return bool(value) and bool(_wildcard_regex(node.value).fullmatch(value))
        return value == node.value
    raise TypeError(node)


def _anchor(node: Node) -> frozenset[str] | None:
    """Terms of which at least one must be in the document for `node` to match (None: any)."""
    if isinstance(node, Text):
        return frozenset({max(node.tokens, key=len)})
    if isinstance(node, Keyword):
        return None if node.wildcard else frozenset({f"{node.field}\x00{node.value}"})
    if isinstance(node, Or):
        anchors = [_anchor(child) for child in node.children]
        if any(a is None for a in anchors):
            return None
        return frozenset().union(*anchors)  # type: ignore[arg-type]
    if isinstance(node, And):
        found = [a for a in (_anchor(child) for child in node.children) if a is not None]
        return min(found, key=len) if found else None
    return None


class TopicQuery:
    """A parsed topic query. Build with `TopicQuery.parse(text)`."""

    __slots__ = ("text", "root", "anchor")

    def __init__(self, text: str, root: Node) -> None:
        self.text, self.root = text, root
        self.anchor = _anchor(root)

    @classmethod
    def parse(cls, text: str) -> TopicQuery:
        """Parse Lucene query syntax; a malformed query raises `TopicQueryError`."""
        if not isinstance(text, str) or not text.strip():
            raise TopicQueryError(str(text or ""), 0, "empty query")
        try:
            tree = _luqum_parser.parse(text)
        except ParseError as exc:
            message = str(exc)
            found = _POSITION.search(message)
            position = int(found.group(1)) if found else len(text)
            problem = re.sub(r"^Syntax error in input : ", "", message)
            problem = re.sub(r"\s*(at position \d+|at the end)!?\s*$", "", problem)
            problem = re.sub(r"\s+", " ", problem).strip()
            if not found:
                problem += " at the end of the query"
            elif problem.startswith("Illegal character '\""):
                problem = 'unclosed quotation mark (a phrase needs a closing ")'
            elif problem.startswith("Illegal character"):
                problem = problem.replace("Illegal character", "unexpected character", 1)
            raise TopicQueryError(text, position, problem) from None
        try:
            return cls(text, _Builder(text).build(tree, None))
        except RecursionError:
            raise TopicQueryError(text, 0, "the query is nested too deeply") from None

    def matches(self, article: Mapping[str, Any] | Document) -> bool:
        """Does the article record (title, body, source, language, domain, statements) match?"""
        doc = article if isinstance(article, Document) else Document(article)
        return _evaluate(self.root, doc)

    def __repr__(self) -> str:
        return f"TopicQuery({self.text!r})"


def topic_allows(topic: Topic, article: Mapping[str, Any]) -> bool:
    """The topic's `languages`, `sources` and `exclude_quality` filters (empty: no filter)."""
    if topic.exclude_quality and article.get("quality") in topic.exclude_quality:
        return False
    if topic.languages:
        language = str(article.get("language") or "").lower()
        if language not in {lang.lower() for lang in topic.languages}:
            return False
    return not topic.sources or article.get("source") in topic.sources


class TopicMatcher:
    """Many topics against one article at a time.

    Each article is tokenized once per `match`; an inverted index of each query's anchor terms
    skips the topics that cannot match, and only the rest are evaluated.
    """

    def __init__(self, topics: Sequence[Topic]) -> None:
        self.topics = tuple(topics)
        self.queries: list[TopicQuery] = []
        self._by_term: dict[str, list[int]] = {}
        self._always: list[int] = []
        for i, topic in enumerate(self.topics):
            try:
                query = TopicQuery.parse(topic.query)
            except TopicQueryError as exc:
                raise TopicQueryError(
                    exc.query, exc.position, f"topic {topic.name!r}: {exc.problem}"
                ) from None
            self.queries.append(query)
            if query.anchor is None:
                self._always.append(i)
            else:
                for term in query.anchor:
                    self._by_term.setdefault(term, []).append(i)

    def candidates(self, doc: Document) -> list[int]:
        found = set(self._always)
        by_term = self._by_term
        if len(doc.terms) < len(by_term):
            for term in doc.terms:
                hits = by_term.get(term)
                if hits:
                    found.update(hits)
        else:
            for term, hits in by_term.items():
                if term in doc.terms:
                    found.update(hits)
        return sorted(found)

    def match(self, article: Mapping[str, Any]) -> list[str]:
        """Names of the topics the article matches, in configuration order."""
        doc = Document(article)
        names = []
        for i in self.candidates(doc):
            topic = self.topics[i]
            if topic_allows(topic, article) and _evaluate(self.queries[i].root, doc):
                names.append(topic.name)
        return names


# --- the same queries in Elasticsearch's query DSL ----------------------------------------
# `to_es_query` walks the tree `TopicQuery.matches` evaluates, so both agree by construction:
# text is `match_phrase` (with `slop`; one word is a one-word phrase) on fields analyzed by the
# `standard` analyzer, wildcards are `wildcard` queries on the text fields, `source:`,
# `language:` and `domain:` are case-insensitive `term`/`wildcard` on keyword fields, and
# `speaker:`/`quote:` are `nested` queries on `statements`. Kibana's saved searches use it.


def _field_query(node: Text | Wildcard, field: str) -> dict[str, Any]:
    if isinstance(node, Wildcard):
        return {"wildcard": {field: {"value": node.pattern, "case_insensitive": True}}}
    body: dict[str, Any] = {"query": node.text}
    if node.slop:
        body["slop"] = node.slop
    return {"match_phrase": {field: body}}


def _node(node: Node) -> dict[str, Any]:
    if isinstance(node, And):
        return {"bool": {"filter": [_node(child) for child in node.children]}}
    if isinstance(node, Or):
        should = [_node(child) for child in node.children]
        return {"bool": {"should": should, "minimum_should_match": 1}}
    if isinstance(node, Not):
        return {"bool": {"must_not": [_node(node.child)]}}
    if isinstance(node, Keyword):
        kind = "wildcard" if node.wildcard else "term"
        return {kind: {node.field: {"value": node.value, "case_insensitive": True}}}
    if isinstance(node, Text | Wildcard):
        if node.field in STATEMENT_FIELDS:
            inner = _field_query(node, f"statements.{node.field}")
            return {"nested": {"path": "statements", "query": inner}}
        fields = TEXT_FIELDS if node.field is None else (node.field,)
        if len(fields) == 1:
            return _field_query(node, fields[0])
        should = [_field_query(node, field) for field in fields]
        return {"bool": {"should": should, "minimum_should_match": 1}}
    raise TypeError(node)


def to_es_query(query: TopicQuery) -> dict[str, Any]:
    """The Elasticsearch query DSL meaning what `query.matches` means."""
    return _node(query.root)


def topic_es_query(topic: Topic) -> dict[str, Any]:
    """A topic's query plus its `languages`, `sources` and `exclude_quality` filters."""
    filters = [to_es_query(TopicQuery.parse(topic.query))]
    if topic.languages:
        languages = [
            {"term": {"language": {"value": x, "case_insensitive": True}}} for x in topic.languages
        ]
        filters.append({"bool": {"should": languages, "minimum_should_match": 1}})
    if topic.sources:
        filters.append({"terms": {"source": list(topic.sources)}})
    if topic.exclude_quality:
        filters.append({"bool": {"must_not": {"terms": {"quality": list(topic.exclude_quality)}}}})
    return filters[0] if len(filters) == 1 else {"bool": {"filter": filters}}
