"""Properties of topic query parsing (newswatch.topics).

A topic query comes from a config file or `newswatch topics test QUERY`: any text either
parses into a query that can be matched against any article without raising, or is refused
with TopicQueryError carrying a position inside the text - never another exception.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newswatch.topics import TopicQuery, TopicQueryError
from tests.property.budget import tried

TOKENS = st.sampled_from([
    "AND", "OR", "NOT", "(", ")", '"', "~", "~5", "*", "?", "^2", ":", "+", "-", "\\", "/",
    "[", "]", "{", "}", " TO ", "title:", "body:", "speaker:", "source:", "domain:",
    "language:", "unknown:", "korea", "Korea-Utara", "troop*", "te?t", "\"north korea\"",
    "пасукан", "北朝鮮", "Ünïcödé", "&&", "||", "!", " ", "  ", "\t", "\n",
])  # fmt: skip
QUERY = st.one_of(
    st.lists(TOKENS, max_size=12).map("".join),
    st.lists(TOKENS, max_size=12).map(" ".join),
    st.text(max_size=60),
)
ARTICLE = st.fixed_dictionaries({
    "title": st.text(max_size=40),
    "body": st.text(max_size=200),
    "source": st.sampled_from(["antara", "planet", ""]),
    "language": st.sampled_from(["en", "id", None]),
    "domain": st.just("example.org"),
    "statements": st.lists(st.fixed_dictionaries({"speaker": st.text(max_size=10),
                                                  "quote": st.text(max_size=30)}),
                           max_size=2),
})  # fmt: skip


@given(QUERY, ARTICLE)
@example("", {"title": "", "body": ""})
@example('"unclosed', {"title": "", "body": ""})
@example("title:(body:x)", {"title": "", "body": ""})
@example("a~2", {"title": "", "body": ""})
@example("[a TO b]", {"title": "", "body": ""})
@example("/regex/", {"title": "", "body": ""})
@example("(" * 300 + "korea" + ")" * 300, {"title": "korea", "body": ""})
@example('"korea troops"~99999999999999999999', {"title": "korea troops", "body": ""})
def test_any_text_parses_or_is_refused_with_a_position(text: str, article: dict) -> None:
    tried("topics: TopicQuery.parse")
    try:
        query = TopicQuery.parse(text)
    except TopicQueryError as exc:
        assert isinstance(exc.position, int)
        assert 0 <= exc.position <= len(text)
        assert exc.column == exc.position + 1
        assert str(exc).startswith(f"column {exc.column}: ") and exc.problem
        return
    assert isinstance(query.matches(article), bool)


DEEP = ["(" * 1000 + "korea" + ")" * 1000, "NOT " * 2000 + "korea", "-" * 2000 + "korea"]


@pytest.mark.parametrize("text", DEEP, ids=["parentheses", "NOT", "minus"])
def test_deeply_nested_query_is_refused_with_a_position(text: str) -> None:
    try:
        TopicQuery.parse(text)
    except TopicQueryError as exc:
        assert 0 <= exc.position <= len(text)
