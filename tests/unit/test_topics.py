"""Topic queries: parsing, errors with their column, and every operator in Python."""

from __future__ import annotations

import pytest

from newswatch.config import Topic
from newswatch.topics import (
    And,
    Keyword,
    Not,
    Or,
    Text,
    TopicMatcher,
    TopicQuery,
    TopicQueryError,
    Wildcard,
    tokenize,
    topic_es_query,
)

ARTICLE = {
    "title": "North Korean troops deployed to Russia's Kursk region",
    "body": (
        "Seoul said on Monday that about 1,000 soldiers had arrived. The U.S. confirmed the "
        "report. Nordkorea’s Soldaten kämpfen."
    ),
    "source": "antara",
    "language": "en",
    "domain": "www.antaranews.com",
    "statements": [
        {"speaker": "Vladimir Putin", "quote": "We will respond."},
        {"speaker": "the Kremlin", "quote": "No comment on the troops."},
    ],
}


def matches(query: str, article: dict | None = None) -> bool:
    return TopicQuery.parse(query).matches(ARTICLE if article is None else article)


def test_tokenize_like_standard_analyzer() -> None:
    assert tokenize("U.S. 1,000 3.14 don't Korea-Utara 北朝 ÉCOLE foo_bar") == [
        "u.s", "1,000", "3.14", "don't", "korea", "utara", "北", "朝", "école", "foo_bar",
    ]  # fmt: skip


def test_parse_tree() -> None:
    root = TopicQuery.parse('("North Korea" OR Nordkorea) AND troop* -source:x').root
    assert isinstance(root, And)
    first, second = root.children
    assert isinstance(first, Or)
    assert first.children[0] == Text(None, "North Korea", ("north", "korea"))
    # `+x`/`-x` binds to the item before it (luqum): troop* AND NOT source:x
    assert second == And((Wildcard(None, "troop*"), Not(Keyword("source", "x"))))


def test_implicit_operator_is_and() -> None:
    assert matches("north troops")
    assert not matches("north pyongyang")
    # luqum precedence: the implicit operator binds loosest.
    assert TopicQuery.parse("a OR b c").root == And(
        (Or((Text(None, "a", ("a",)), Text(None, "b", ("b",)))), Text(None, "c", ("c",)))
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("troops AND kursk", True),
        ("russia", False),  # the token is "russia's", as in Elasticsearch
        ("troops AND pyongyang", False),
        ("troops OR pyongyang", True),
        ("pyongyang OR tokyo", False),
        ("NOT pyongyang", True),
        ("NOT troops", False),
        ("+troops -pyongyang", True),
        ("+troops -kursk", False),
        ("troops AND NOT (tokyo OR seoul)", False),
        ("(tokyo OR seoul) AND (troops OR pasukan)", True),
        ('"korean troops"', True),
        ('"troops korean"', False),
        ('"north troops"', False),
        ('"north troops"~1', True),
        ('"troops north"~2', False),  # reversed order costs more (Lucene slop)
        ('"troops north"~3', True),
        ('"seoul soldiers"~6', True),
        ('"seoul soldiers"~5', False),
        ("troop*", True),
        ("sold?ers", True),
        ("sold?er", False),
        ("*ursk", True),
        ("TROOPS", True),
        ("Korea-Utara", False),
        ("russia's", True),
        ("u.s.", True),
        ("1,000", True),
        ("nordkorea’s", True),
        ("title:troops", True),
        ("title:seoul", False),
        ("body:seoul", True),
        ("body:(seoul confirmed)", True),
        ("body:(seoul kursk)", False),
        ("source:antara", True),
        ("source:ANTARA", True),
        ("source:kompas", False),
        ("language:en", True),
        ("language:de", False),
        ("domain:www.antaranews.com", True),
        ("domain:*.antaranews.com", True),
        ('domain:"antaranews.com"', False),
        ("speaker:putin", True),
        ('speaker:"the kremlin"', True),
        ('speaker:"putin vladimir"', False),
        ("speaker:lavrov", False),
        ("speaker:putin AND speaker:kremlin", True),
        ("quote:respond", True),
        ("quote:troops AND NOT speaker:putin", False),  # each clause: any statement
        ("quote:troops AND speaker:putin", True),
        ("kremlin", False),  # statements are not searched by unfielded words
        ("troops^2", True),
    ],
)
def test_operators(query: str, expected: bool) -> None:
    assert matches(query) is expected


def test_missing_fields_do_not_match() -> None:
    assert not matches("troops", {"title": None})
    assert matches("NOT troops", {})
    assert not matches("speaker:putin", {"statements": None})


@pytest.mark.parametrize(
    ("query", "column", "fragment"),
    [
        ("troops AND", 11, "unexpected end"),
        ("(troops OR soldiers", 20, "unmatched parenthesis"),
        ("troops ) x", 8, "unexpected ')'"),
        ("troops AND OR x", 12, "unexpected 'OR'"),
        ('troops AND "north', 12, "unclosed quotation mark"),
        ("troops AND country:ru", 12, "unknown field 'country'"),
        ("title:source:x", 7, "field 'source' inside field 'title'"),
        ("troops~2", 1, "fuzzy"),
        ("x AND title:[a TO b]", 13, "ranges"),
        ("x OR /tro+ps/", 6, "regular expressions"),
        ('x OR "!!"', 6, "no words"),
        ("   ", 1, "empty query"),
    ],
)
def test_errors_give_column(query: str, column: int, fragment: str) -> None:
    with pytest.raises(TopicQueryError) as info:
        TopicQuery.parse(query)
    assert info.value.column == column
    assert fragment in str(info.value)
    assert str(info.value).startswith(f"column {column}: ")
    assert isinstance(info.value, ValueError)


def test_matcher_filters_and_order() -> None:
    topics = [
        Topic("troops", "troops"),
        Topic("german", "troops", languages=("de",)),
        Topic("other-source", "troops", sources=("kompas",)),
        Topic("antara", "troops", sources=("antara",), languages=("EN",)),
        Topic("absent", '"north korea" AND pyongyang'),
        Topic("negated", "NOT pyongyang"),
        Topic("wild", "kurs*"),
        Topic("speaker", "speaker:putin"),
    ]
    matcher = TopicMatcher(topics)
    assert matcher.match(ARTICLE) == ["troops", "antara", "negated", "wild", "speaker"]


def test_matcher_prefilter_skips_topics_without_their_terms() -> None:
    matcher = TopicMatcher([Topic("a", "pyongyang AND troops"), Topic("b", "NOT x")])
    from newswatch.topics import Document

    assert matcher.candidates(Document(ARTICLE)) == [1]


def test_matcher_error_names_topic() -> None:
    with pytest.raises(TopicQueryError, match=r"column 8: topic 'bad': unexpected 'OR'"):
        TopicMatcher([Topic("ok", "a"), Topic("bad", "a AND (OR b)")])


def test_a_topic_can_leave_out_pages_kept_flagged() -> None:
    strict = Topic("strict", "harbour", exclude_quality=("thin", "no_body"))
    lenient = Topic("lenient", "harbour")
    matcher = TopicMatcher([strict, lenient])
    article = {"title": "Harbour cranes sold", "body": "", "source": "a", "language": "en"}
    assert matcher.match(article) == ["strict", "lenient"]
    assert matcher.match({**article, "quality": "thin"}) == ["lenient"]
    assert matcher.match({**article, "quality": "not_article"}) == ["strict", "lenient"]
    query = topic_es_query(strict)
    assert {"bool": {"must_not": {"terms": {"quality": ["thin", "no_body"]}}}} in (
        query["bool"]["filter"]
    )
