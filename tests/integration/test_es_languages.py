"""Search in each article's own language, keyword filters and statements, on the real
Elasticsearch, through the shipped template (the way Kibana queries the alias).

The test server gets the built-in language analyzers from scripts/es-test-analysis (the
integ-test distribution lacks analysis-common); a real cluster has them natively.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from newswatch.records import Article
from newswatch.storage.elasticsearch import ElasticsearchStore

pytestmark = pytest.mark.elasticsearch


def article(key: str, language: str, title: str, body: str, **fields: Any) -> dict[str, Any]:
    record = Article(
        id=f"id-{key}",
        url=f"https://news.example.org/{key}",
        canonical_url=f"https://news.example.org/{key}",
        source=fields.pop("source", "example"),
        domain=fields.pop("domain", "news.example.org"),
        title=title,
        body=body,
    ).record()
    record.update(language=language, published_at="2024-10-16T08:30:00+00:00", **fields)
    return record


# Each article carries only the inflected form; the query uses another form of the word.
CORPUS = [
    article("id", "id", "Kiriman ke Kursk", "Ribuan pasukannya dikirim ke wilayah Kursk.",
            source="antara", domain="antaranews.com", story_id="s-troops", topics=["nk"]),
    article("de", "de", "Lage in Kursk", "Der verletzte Soldat wurde in Kursk behandelt.",
            source="dw", domain="dw.com", story_id="s-troops"),
    article("en", "en", "Deployment near Kursk", "The brigade deployed its armoured units.",
            source="reuters", domain="reuters.com", story_id="s-troops", topics=["nk"]),
    article("fr", "fr", "Front de Koursk", "Les soldats nord-coréens sont arrivés.",
            source="lemonde", domain="lemonde.fr"),
    article("es", "es", "Frente de Kursk", "Los soldados norcoreanos llegaron al frente.",
            source="elpais", domain="elpais.com"),
    article("ru", "ru", "Курский фронт", "Северокорейские солдаты прибыли на фронт.",
            source="tass", domain="tass.ru"),
    article("ar", "ar", "جبهة كورسك", "وصل الجنود الكوريون الشماليون إلى الجبهة.",
            source="aljazeera", domain="aljazeera.net"),
    article("de-at", "de-AT", "Wiener Bericht", "Die Soldaten kehrten heim.",
            source="derstandard", domain="derstandard.at"),
]  # fmt: skip

STEMMING = [
    # (query, the article it must find although the word form differs)
    ("pasukan", "id-id"),  # Indonesian: pasukannya -> pasukan
    ("Soldaten", "id-de"),  # German: Soldat
    ("deploying", "id-en"),  # English: deployed
    ("soldat", "id-fr"),  # French: soldats
    ("soldado", "id-es"),  # Spanish: soldados
    ("солдат", "id-ru"),  # Russian: солдаты
    ("جنود", "id-ar"),  # Arabic: الجنود (article prefix)
    ("Soldat", "id-de-at"),  # de-AT is German too
]


@pytest.fixture(scope="module")
def es(es_url: str) -> Iterator[ElasticsearchStore]:
    store = ElasticsearchStore.from_url(
        f"{es_url}?index=newswatch-test-lang-{uuid.uuid4().hex[:8]}"
    )
    try:
        store.setup()
        store.put_articles(CORPUS)
        store.flush()
        yield store
    finally:
        store.drop()
        store.close()


def ids(es: ElasticsearchStore, query: dict[str, Any], **extra: Any) -> set[str]:
    response = es.client.search(index=es.index, query=query, size=100, source=False, **extra)
    return {hit["_id"] for hit in response["hits"]["hits"]}


def test_the_test_server_has_the_language_analyzers(es: ElasticsearchStore) -> None:
    # Without them the stemming tests below would be testing nothing.
    assert es.analyzers == "language"
    tokens = es.client.indices.analyze(analyzer="indonesian", text="pasukannya")["tokens"]
    assert [t["token"] for t in tokens] == [
        t["token"]
        for t in es.client.indices.analyze(analyzer="indonesian", text="pasukan")["tokens"]
    ]


@pytest.mark.parametrize(("query", "expected"), STEMMING, ids=[q for q, _ in STEMMING])
def test_a_word_finds_other_forms_in_the_articles_own_language(
    es: ElasticsearchStore, query: str, expected: str
) -> None:
    # A bare query searches the index's default fields (what Kibana's search bar does):
    # title, body and every title_<lang>/body_<lang>.
    found = ids(es, {"query_string": {"query": query}})
    assert expected in found
    # The standard-analyzed fields alone do not find it: the match is the stemmer's.
    assert expected not in ids(es, {"query_string": {"query": query, "fields": ["title", "body"]}})


def test_language_fields_hold_only_their_language(es: ElasticsearchStore) -> None:
    assert ids(es, {"match": {"body_id": "pasukan"}}) == {"id-id"}
    assert ids(es, {"match": {"body_de": "Soldaten"}}) == {"id-de", "id-de-at"}
    assert ids(es, {"match": {"body_en": "Soldaten"}}) == set()
    assert ids(es, {"match": {"title_en": "deployments"}}) == {"id-en"}


def test_records_come_back_without_the_language_copies(es: ElasticsearchStore) -> None:
    source = es.client.search(index=es.index, query={"ids": {"values": ["id-de"]}})["hits"]
    assert set(source["hits"][0]["_source"]) == set(CORPUS[0])  # exactly the record fields
    assert es.get_article("id-de") == CORPUS[1]


def test_keyword_filters_are_exact(es: ElasticsearchStore) -> None:
    assert ids(es, {"term": {"source": "dw"}}) == {"id-de"}
    assert ids(es, {"term": {"source": "DW"}}) == set()  # exact: case matters
    assert ids(es, {"term": {"language": "de"}}) == {"id-de"}  # not de-AT
    assert ids(es, {"terms": {"domain": ["dw.com", "tass.ru"]}}) == {"id-de", "id-ru"}
    assert ids(es, {"term": {"story_id": "s-troops"}}) == {"id-id", "id-de", "id-en"}
    assert ids(es, {"term": {"topics": "nk"}}) == {"id-id", "id-en"}
    assert ids(es, {"term": {"title.keyword": "Lage in Kursk"}}) == {"id-de"}
    assert ids(es, {"term": {"title.keyword": "Lage"}}) == set()
    # a filter and a stemmed word together
    query = {"bool": {"must": {"query_string": {"query": "Soldaten"}},
                      "filter": {"term": {"domain": "derstandard.at"}}}}  # fmt: skip
    assert ids(es, query) == {"id-de-at"}


def test_keyword_aggregations_count_exactly(es: ElasticsearchStore) -> None:
    response = es.client.search(
        index=es.index, size=0, aggs={"by": {"terms": {"field": "story_id"}}}
    )
    buckets = {b["key"]: b["doc_count"] for b in response["aggregations"]["by"]["buckets"]}
    assert buckets == {"s-troops": 3}


# -- statements: speaker and quote of the same statement ------------------------------------

STATEMENTS = [
    {"speaker": "Mark Rutte", "quote": "We cannot confirm these reports.", "cue": "said",
     "language": "en", "kind": "direct"},
    {"speaker": "Kim Yong-hyun", "quote": "The troops are already in Kursk.", "cue": "told",
     "language": "en", "kind": "direct"},
]  # fmt: skip


@pytest.fixture(scope="module")
def quoted(es: ElasticsearchStore) -> ElasticsearchStore:
    es.put_articles(
        [
            article("quotes", "en", "NATO briefing", "Officials spoke.", statements=STATEMENTS),
            article("other", "en", "Seoul briefing", "No quotes here.", source="yonhap"),
        ]
    )
    es.flush()
    return es


def statement(speaker: str, quote: str) -> dict[str, Any]:
    return {
        "nested": {
            "path": "statements",
            "query": {
                "bool": {
                    "must": [
                        {"match": {"statements.speaker": speaker}},
                        {"match_phrase": {"statements.quote": quote}},
                    ]
                }
            },
        }
    }


def test_speaker_and_quote_match_within_one_statement(quoted: ElasticsearchStore) -> None:
    assert ids(quoted, statement("Kim", "troops")) == {"id-quotes"}
    assert ids(quoted, statement("Rutte", "cannot confirm")) == {"id-quotes"}
    # Rutte never said "troops": that word is in another statement of the same article.
    assert ids(quoted, statement("Rutte", "troops")) == set()
    assert ids(quoted, statement("Kim", "confirm")) == set()


def test_speakers_are_a_keyword_for_filters_and_aggregations(quoted: ElasticsearchStore) -> None:
    assert ids(quoted, {"term": {"speakers": "Mark Rutte"}}) == {"id-quotes"}
    response = quoted.client.search(
        index=quoted.index, size=0, aggs={"top": {"terms": {"field": "speakers"}}}
    )
    keys = {b["key"]: b["doc_count"] for b in response["aggregations"]["top"]["buckets"]}
    assert keys == {"Mark Rutte": 1, "Kim Yong-hyun": 1}


def test_without_language_analyzers_the_fields_fall_back_to_standard(es_url: str) -> None:
    """A cluster without analysis-common (probed at setup) gets the same template with the
    standard analyzer in the language fields: everything works, only without stemming."""
    store = ElasticsearchStore.from_url(f"{es_url}?index=newswatch-test-std-{uuid.uuid4().hex[:8]}")
    try:
        store.analyzers = "standard"  # what the probe finds on a bare integ-test node
        store.setup()
        store.put_articles(CORPUS[:2])
        store.flush()
        mapping = store.client.indices.get_mapping(index=store.index)
        assert len(mapping) == 2  # the month made by setup, and October 2024
        for index in mapping.values():
            assert index["mappings"]["properties"]["body_de"]["analyzer"] == "standard"
        assert ids(store, {"match": {"body_de": "Soldat"}}) == {"id-de"}
        assert ids(store, {"match": {"body_de": "Soldaten"}}) == set()  # no stemming
        assert store.describe()["analyzers"] == "standard"
    finally:
        store.drop()
        store.close()
