"""The Store contract, run on every backend (the `store` fixture: SQLite and Elasticsearch).

What one backend does, the other must do too: same records back, same idempotence, same
filters and order, same query language for the cases a user types.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newswatch.records import RECORD_FIELDS, Article
from newswatch.storage import Store, StoreError, open_store
from newswatch.storage.elasticsearch import ElasticsearchStore
from newswatch.storage.sqlite import SQLiteStore


def article(key: str, **fields: Any) -> dict[str, Any]:
    """A complete record; `fields` override the defaults."""
    record = Article(
        id=f"id-{key}",
        url=f"https://news.example.org/{key}?utm_source=feed",
        canonical_url=f"https://news.example.org/{key}",
        source="example",
        domain="news.example.org",
        title=f"Title {key}",
        body=f"Body of {key}.",
    ).record()
    record.update(fields)
    assert set(record) == set(RECORD_FIELDS)
    return record


STATEMENTS = [
    {
        "quote": 'We will "respond decisively" — and soon.',
        "speaker": "Yoon Suk Yeol",
        "cue": "said",
        "language": "en",
        "kind": "direct",
    },
    {
        "quote": "Pasukan itu tiba pekan lalu.",
        "speaker": "Juru bicara Kementerian",
        "cue": "kata",
        "language": "id",
        "kind": "indirect",
    },
]


def corpus() -> list[dict[str, Any]]:
    """Five articles in three languages; words chosen so the search cases are unambiguous."""
    return [
        article(
            "antara-1",
            source="antara",
            domain="antaranews.com",
            title="Pasukan Korea Utara tiba di Rusia",
            body="Ribuan pasukan dikirim ke wilayah Kursk, kata pejabat intelijen.",
            authors=["Andi Firdaus", "Rina Putri"],
            language="id",
            published_at="2024-10-16T08:30:00+00:00",
            published_at_raw="Rabu, 16 Oktober 2024 15:30 WIB",
            published_at_source="jsonld",
            modified_at="2024-10-16T09:00:00+00:00",
            fetched_at="2024-10-16T09:05:12+00:00",
            story_id="story-nk-troops",
            content_hash="c0ffee01",
            statements=copy.deepcopy(STATEMENTS),
            topics=["nk-troops"],
        ),
        article(
            "dw-1",
            source="dw",
            domain="dw.com",
            title="Nordkoreanische Soldaten in Russland",
            body="Die Regierung in Seoul bestätigt den Einsatz. Übersetzung folgt.",
            authors=["Jana Müller"],
            language="de",
            published_at="2024-10-17T10:00:00+00:00",
            published_at_source="meta",
            fetched_at="2024-10-17T10:02:00+00:00",
            story_id="story-nk-troops",
            duplicate_of=None,
            topics=["nk-troops"],
        ),
        article(
            "reuters-1",
            source="reuters",
            domain="reuters.com",
            title="North Korean troops deployed to Russia",
            body="Thousands of North Korean troops arrived in the Kursk region, officials said.",
            language="en",
            published_at="2024-10-15T06:00:00+00:00",
            published_at_source="feed",
            story_id="story-nk-troops",
        ),
        article(
            "reuters-2",
            source="reuters",
            domain="reuters.com",
            title="South Korea warns Pyongyang",
            body="South Korean officials said troops from the north were a grave threat.",
            language="en",
            published_at="2024-10-18T12:15:00+00:00",
            published_at_source="feed",
            story_id="story-warning",
        ),
        article(
            "undated",
            source="reuters",
            domain="reuters.com",
            title="Market report",
            body="Stocks rallied on Thursday as traders weighed the harvest outlook.",
            language="en",
            published_at=None,
            published_at_source=None,
        ),
    ]


def ids(records: Iterable[dict[str, Any]]) -> list[str]:
    return [record["id"] for record in records]


def load(store: Store, records: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    records = corpus() if records is None else records
    store.put_articles(copy.deepcopy(records))
    store.flush()
    return records


# -- writing and reading back --------------------------------------------------------------


def test_store_satisfies_protocol(store: Store) -> None:
    assert isinstance(store, Store)
    assert store.count() == 0


def test_put_get_roundtrip_keeps_every_field(store: Store) -> None:
    records = corpus()
    assert store.put_articles(copy.deepcopy(records)) == len(records)
    store.flush()

    for record in records:
        stored = store.get_article(record["id"])
        assert stored == record, record["id"]
        assert list(stored) == list(RECORD_FIELDS)
    assert store.get_article("id-missing") is None
    assert store.count() == len(records)


def test_missing_fields_come_back_as_empty_values(store: Store) -> None:
    minimal = {"id": "id-min", "url": "https://news.example.org/min", "title": "Minimal"}
    assert store.put_articles([minimal]) == 1
    store.flush()

    stored = store.get_article("id-min")
    assert stored is not None
    assert set(stored) == set(RECORD_FIELDS)
    assert stored["title"] == "Minimal"
    assert stored["authors"] == [] and stored["statements"] == [] and stored["topics"] == []
    assert stored["published_at"] is None and stored["canonical_url"] is None


def test_records_with_unknown_fields_or_no_id_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown fields"):
        store.put_articles([{**article("odd"), "hints": {"x": 1}}])
    with pytest.raises(StoreError, match="id"):
        store.put_articles([article("noid", id="")])
    store.flush()
    assert store.count() == 0


def test_values_json_cannot_carry_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="'id-set': topics is not JSON"):
        store.put_articles([article("ok"), article("set", topics={"not", "a list"})])
    when = datetime(2024, 10, 16, tzinfo=UTC)
    with pytest.raises(StoreError, match="'id-dt': published_at must be a string"):
        store.put_articles([article("dt", published_at=when)])
    store.flush()
    assert store.count() == 0


def test_writes_from_several_threads(store: Store) -> None:
    # The crawler writes from worker threads while other code reads.
    def write(worker: int) -> int:
        new = 0
        for batch in range(5):
            records = [article(f"t{worker}-{batch}-{n}") for n in range(20)]
            new += store.put_articles(records)
            store.known_urls([records[0]["url"]])
        return new

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(write, range(4)))
    store.flush()
    assert results == [100, 100, 100, 100]
    assert store.count() == 400


def test_reput_is_idempotent(store: Store) -> None:
    records = load(store)
    assert store.count() == len(records)

    assert store.put_articles(copy.deepcopy(records)) == 0
    store.flush()
    assert store.count() == len(records)

    # The same id twice in one batch is one new article.
    twice = [article("twice"), article("twice", title="Title twice, second version")]
    assert store.put_articles(twice) == 1
    store.flush()
    assert store.count() == len(records) + 1
    stored = store.get_article("id-twice")
    assert stored is not None and stored["title"] == "Title twice, second version"


def test_reput_replaces_the_record_and_its_search_text(store: Store) -> None:
    records = load(store)
    changed = copy.deepcopy(records[2])
    changed["title"] = "Kremlin denies deployment"
    changed["topics"] = []
    changed["statements"] = [dict(STATEMENTS[0])]

    assert store.put_articles([changed]) == 0
    store.flush()
    assert store.get_article(changed["id"]) == changed
    assert store.count() == len(records)
    assert ids(store.search("Kremlin")) == [changed["id"]]
    # The old title is gone from the index, its body words are still there.
    assert ids(store.search("deployed")) == []
    assert changed["id"] in ids(store.search("Thousands"))


def test_put_nothing(store: Store) -> None:
    assert store.put_articles([]) == 0
    assert store.count() == 0


def test_statements_roundtrip(store: Store) -> None:
    statements = copy.deepcopy(STATEMENTS) + [
        {"quote": "Кремль отрицает.", "speaker": None, "cue": None, "language": "ru", "kind": None}
    ]
    record = article("quotes", statements=statements)
    store.put_articles([copy.deepcopy(record)])
    store.flush()

    stored = store.get_article(record["id"])
    assert stored is not None and stored["statements"] == statements
    (listed,) = list(store.iter_articles())
    assert listed["statements"] == statements
    (found,) = store.search("Title quotes")
    assert found["statements"] == statements


# -- known URLs ----------------------------------------------------------------------------


def test_known_urls_matches_fetched_and_canonical_urls(store: Store) -> None:
    records = load(store)
    fetched = records[0]["url"]
    canonical = records[1]["canonical_url"]
    unknown = "https://news.example.org/never-seen"

    assert store.known_urls([fetched, canonical, unknown]) == {fetched, canonical}
    assert store.known_urls(iter([unknown])) == set()
    assert store.known_urls([]) == set()
    # Both forms of one stored article are known.
    assert store.known_urls([records[2]["url"], records[2]["canonical_url"]]) == {
        records[2]["url"],
        records[2]["canonical_url"],
    }


def test_known_urls_in_large_batches(store: Store) -> None:
    records = [article(f"bulk-{n:04d}") for n in range(1200)]
    assert store.put_articles(records) == 1200
    store.flush()

    asked = [record["canonical_url"] for record in records[::2]]
    asked += [f"https://elsewhere.example.net/{n}" for n in range(900)]
    assert store.known_urls(asked) == set(asked[:600])


# -- listing -------------------------------------------------------------------------------


def test_iter_articles_oldest_first_undated_last(store: Store) -> None:
    load(store)
    assert ids(store.iter_articles()) == [
        "id-reuters-1",
        "id-antara-1",
        "id-dw-1",
        "id-reuters-2",
        "id-undated",
    ]


def test_iter_articles_since_and_source(store: Store) -> None:
    load(store)
    since = datetime(2024, 10, 16, 8, 30, tzinfo=UTC)  # inclusive
    assert ids(store.iter_articles(since=since)) == ["id-antara-1", "id-dw-1", "id-reuters-2"]

    # The same instant written in another zone, and a naive datetime taken as UTC.
    jakarta = timezone(timedelta(hours=7))
    assert ids(store.iter_articles(since=datetime(2024, 10, 17, 17, 0, tzinfo=jakarta))) == [
        "id-dw-1",
        "id-reuters-2",
    ]
    assert ids(store.iter_articles(since=datetime(2024, 10, 17, 10, 0, 1))) == ["id-reuters-2"]

    assert ids(store.iter_articles(source="reuters")) == [
        "id-reuters-1",
        "id-reuters-2",
        "id-undated",
    ]
    assert ids(store.iter_articles(since=since, source="reuters")) == ["id-reuters-2"]
    assert list(store.iter_articles(source="nobody")) == []
    assert list(store.iter_articles(since=datetime(2030, 1, 1, tzinfo=UTC))) == []


def test_iter_articles_pages_through_everything_in_order(store: Store) -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    records = [
        # Three articles per minute: ties on published_at are broken by id.
        article(f"p-{n:04d}", published_at=(start + timedelta(minutes=n // 3)).isoformat())
        for n in range(1234)
    ]
    shuffled = records[::2] + records[1::2]
    assert store.put_articles(shuffled) == len(records)
    store.flush()

    listed = list(store.iter_articles())
    assert ids(listed) == ids(records)
    assert listed[-1] == records[-1]


def test_count_by_source(store: Store) -> None:
    load(store)
    assert store.count() == 5
    assert store.count(source="reuters") == 3
    assert store.count(source="antara") == 1
    assert store.count(source="nobody") == 0


# -- search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # words: all of them must occur, in title or body, in any order
        ("troops Kursk", {"id-reuters-1"}),
        ("troops", {"id-reuters-1", "id-reuters-2"}),
        ("kursk", {"id-reuters-1", "id-antara-1"}),
        # a phrase: adjacent, in this order
        ('"North Korean troops"', {"id-reuters-1"}),
        ('"troops North Korean"', set()),
        ('"officials said" Kursk', {"id-reuters-1"}),
        # OR
        ("Nordkoreanische OR pasukan", {"id-dw-1", "id-antara-1"}),
        ("(Soldaten OR pasukan) Russland", {"id-dw-1"}),
        # NOT and -
        ("troops NOT South", {"id-reuters-1"}),
        ("troops -Pyongyang", {"id-reuters-1"}),
        ("Korea* NOT Nordkoreanische", {"id-reuters-1", "id-reuters-2", "id-antara-1"}),
        # trailing * is a prefix
        ("Nordkorea*", {"id-dw-1"}),
        ("pyong*", {"id-reuters-2"}),
        ("harvest*", {"id-undated"}),
        # nothing matches
        ("submarine", set()),
    ],
)
def test_search_query_language(store: Store, query: str, expected: set[str]) -> None:
    load(store)
    assert set(ids(store.search(query))) == expected


def test_search_ranks_title_matches_first_and_returns_full_records(store: Store) -> None:
    records = load(store)
    found = store.search("Russia")
    # reuters-1 says Russia in its title; no other English article mentions it.
    assert ids(found) == ["id-reuters-1"]
    assert found[0] == records[2]

    extra = [
        article("title-hit", title="Harvest festival", body="A village celebrates."),
        article("body-hit", title="Village news", body="The harvest was late this year."),
    ]
    load(store, extra)
    assert ids(store.search("harvest"))[:1] == ["id-title-hit"]
    assert set(ids(store.search("harvest"))) == {"id-title-hit", "id-body-hit", "id-undated"}


def test_search_since_and_limit(store: Store) -> None:
    load(store)
    since = datetime(2024, 10, 16, tzinfo=UTC)
    assert set(ids(store.search("troops OR pasukan OR Soldaten", since=since))) == {
        "id-antara-1",
        "id-dw-1",
        "id-reuters-2",
    }
    assert len(store.search("troops OR pasukan OR Soldaten", limit=2)) == 2
    assert store.search("troops", limit=0) == []


HOSTILE_QUERIES = [
    '"unclosed',
    "AND OR (",
    "(((",
    "troops)",
    "NOT",
    "-",
    "*",
    "*troops",
    "a AND",
    "OR troops",
    "title:",
    "body:troops",
    "troops^",
    "troops~",
    "[a TO",
    "{}",
    "/regex",
    "\\",
    "'",
    "NEAR(troops Kursk)",
    "troops\x00Kursk",
    "\u200b",
    "(" * 200 + "troops",
    "troops " * 3000,
    "😀 troops",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_queries_give_results_or_store_error(store: Store, query: str) -> None:
    load(store)
    try:
        found = store.search(query)
    except StoreError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
    else:
        assert isinstance(found, list)
        assert all(set(record) == set(RECORD_FIELDS) for record in found)


def test_empty_query_is_a_store_error(store: Store) -> None:
    load(store)
    for query in ("", "   "):
        with pytest.raises(StoreError, match="empty"):
            store.search(query)


def test_setup_is_idempotent(store: Store) -> None:
    records = load(store)
    store.setup()
    store.setup()
    assert store.count() == len(records)
    assert store.get_article(records[0]["id"]) == records[0]


# -- backend specifics that the contract relies on -----------------------------------------


def test_unreachable_elasticsearch_is_one_clear_store_error() -> None:
    store = open_store("http://newswatch:s3cr3t-pw@127.0.0.1:1?index=nowhere")
    assert isinstance(store, ElasticsearchStore)
    assert "s3cr3t-pw" not in store.url and "s3cr3t-pw" not in repr(store)
    calls: list[Callable[[], object]] = [
        store.setup,
        store.count,
        store.flush,
        lambda: store.get_article("x"),
        lambda: store.put_articles([article("x")]),
        lambda: store.search("troops"),
        lambda: list(store.iter_articles()),
        lambda: store.known_urls(["https://news.example.org/x"]),
    ]
    try:
        for call in calls:
            with pytest.raises(StoreError) as caught:
                call()
            message = str(caught.value)
            assert message.startswith("Elasticsearch at http://127.0.0.1:1 is not reachable: ")
            assert "s3cr3t" not in message and "newswatch:" not in message
            assert "\n" not in message
    finally:
        store.close()


@pytest.mark.elasticsearch
def test_elasticsearch_rejected_document_names_the_id(es_url: str) -> None:
    index = "newswatch-test-rejects"
    store = ElasticsearchStore.from_url(f"{es_url}?index={index}")
    try:
        store.setup()
        good = article("good")
        bad = article("bad-date", published_at="last Wednesday")
        with pytest.raises(StoreError) as caught:
            store.put_articles([good, bad])
        message = str(caught.value)
        assert "id-bad-date" in message and "published_at" in message
        assert "id-good" not in message
        store.flush()
        assert store.get_article("id-good") == good
    finally:
        store.drop()
        store.close()


@pytest.mark.elasticsearch
def test_elasticsearch_index_follows_the_shipped_template(es_url: str) -> None:
    index = "newswatch-test-template"
    store = ElasticsearchStore.from_url(f"{es_url}?index={index}")
    try:
        store.setup()
        client = store._client
        # `index` is the alias over the monthly indices <index>-YYYY.MM (one exists from setup).
        (concrete,) = client.indices.get_alias(name=index)
        assert concrete.startswith(f"{index}-")
        settings = client.indices.get_settings(index=index)[concrete]["settings"]["index"]
        assert settings["number_of_shards"] == "1" and settings["number_of_replicas"] == "0"
        mapping = client.indices.get_mapping(index=index)[concrete]["mappings"]
        assert mapping["dynamic"] == "strict"
        assert mapping["properties"]["statements"]["type"] == "nested"
        # The record fields, plus per-language copies of title/body and `speakers`.
        extra = set(mapping["properties"]) - set(RECORD_FIELDS)
        assert set(RECORD_FIELDS) <= set(mapping["properties"])
        codes = store.describe()["languages"]
        assert extra - {"speakers"} == {f"{f}_{code}" for f in ("title", "body") for code in codes}
        assert client.cluster.health(index=index)["status"] == "green"
    finally:
        store.drop()
        store.close()


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite:///relative/news.db", "relative/news.db"),
        ("sqlite:////{tmp}/absolute.db", "/{tmp}/absolute.db"),
    ],
)
def test_sqlite_urls(url: str, path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = url.replace("{tmp}", str(tmp_path).lstrip("/"))
    path = path.replace("{tmp}", str(tmp_path).lstrip("/"))
    store = open_store(url)
    try:
        assert isinstance(store, SQLiteStore)
        assert store.path == path and store.url == url
        assert store.put_articles([article("u")]) == 1
        assert store.count() == 1
    finally:
        store.close()
    if path != ":memory:":
        assert (tmp_path / path).exists()  # an absolute path replaces tmp_path


def test_bad_store_urls_are_store_errors() -> None:
    for url in ("sqlite://", "sqlite:///", "ftp://x", "http://"):
        with pytest.raises(StoreError):
            open_store(url)


# -- story signatures (newswatch.dedupe): Store.put_signatures / find_signatures -----------


@pytest.fixture
def signed(store: Store) -> Iterator[Store]:
    """The `store`, and its Elasticsearch side index of signatures removed afterwards."""
    yield store
    if isinstance(store, ElasticsearchStore):
        store._client.indices.delete(index=store.signatures_index, ignore_unavailable=True)


def signature(key: str, **fields: Any) -> dict[str, Any]:
    entry = {
        "id": f"id-{key}",
        "story_id": f"id-{key}",
        "duplicate_of": None,
        "content_hash": f"hash-{key}",
        "size": 120,
        "signature": "AAAAAAEAAAA=",
        "bands": [f"00{key}", f"01{key}"],
        "seen_at": "2024-10-16T08:00:00+00:00",
    }
    entry.update(fields)
    return entry


def test_signatures_are_found_by_id_hash_and_shared_bands(signed: Store) -> None:
    assert signed.find_signatures(ids=["id-a"], content_hashes=["x"], bands=["00a"]) == []
    signed.put_signatures(
        [
            signature("a", bands=["b1", "b2", "b3"]),
            signature("b", bands=["b1", "b9"], seen_at="2024-10-15T08:00:00+00:00"),
            signature("c", bands=["b1", "b2"], story_id="id-a", duplicate_of="id-a"),
            signature("d", content_hash="hash-a", bands=[], signature=None, size=12),
        ]
    )
    signed.put_articles([article("unrelated")])  # articles and signatures do not mix
    signed.flush()
    assert signed.count() == 1
    assert len(list(signed.iter_articles())) == 1

    # Band matches oldest first (then by id); entries come back without their bands.
    found = signed.find_signatures(bands=["b1", "b2", "b3"])
    assert [e["id"] for e in found] == ["id-b", "id-a", "id-c"]
    expected = {k: v for k, v in signature("c", story_id="id-a", duplicate_of="id-a").items()}
    del expected["bands"]
    assert found[2] == expected
    # An id match first, then a content-hash match, then bands.
    found = signed.find_signatures(ids=["id-b"], content_hashes=["hash-a"], bands=["b2"])
    assert [e["id"] for e in found] == ["id-b", "id-a", "id-d", "id-c"]
    assert [e["id"] for e in signed.find_signatures(bands=["b1"], limit=2)] == ["id-b", "id-a"]
    assert signed.find_signatures(bands=["nothing"]) == []
    assert signed.find_signatures() == []


def test_put_signatures_replaces_the_entry_and_its_bands(signed: Store) -> None:
    signed.put_signatures([signature("a", bands=["old1", "old2"])])
    signed.put_signatures([signature("a", bands=["new1"], content_hash="hash-new")])
    signed.put_signatures([])
    signed.flush()
    assert signed.find_signatures(bands=["old1", "old2"]) == []
    (found,) = signed.find_signatures(bands=["new1"])
    assert found["content_hash"] == "hash-new"
    assert signed.find_signatures(content_hashes=["hash-a"]) == []


def test_signatures_with_unknown_fields_or_no_id_are_refused(signed: Store) -> None:
    with pytest.raises(StoreError, match="unknown fields"):
        signed.put_signatures([signature("a", title="x")])
    with pytest.raises(StoreError, match="id"):
        signed.put_signatures([signature("a", id="")])


def test_signatures_many_bands_at_once(signed: Store) -> None:
    signed.put_signatures([signature(f"n{n}", bands=[f"{b:02x}-{n % 50}" for b in range(32)])
                          for n in range(300)])  # fmt: skip
    signed.flush()
    found = signed.find_signatures(bands=[f"{b:02x}-7" for b in range(32)], limit=10)
    assert len(found) == 6 and all(int(e["id"][4:]) % 50 == 7 for e in found)


def test_a_sqlite_store_of_the_first_schema_gains_the_quality_column(tmp_path: Path) -> None:
    import sqlite3

    path = str(tmp_path / "old.db")
    store = SQLiteStore(path)
    store.put_articles([article("old")])
    store.close()
    with sqlite3.connect(path) as conn:  # as a store written before `quality` existed
        conn.execute("ALTER TABLE articles DROP COLUMN quality")
        conn.execute("PRAGMA user_version = 1")
    store = SQLiteStore(path)
    try:
        store.put_articles([article("new", quality="thin")])
        assert store.get_article(article("old")["id"])["quality"] is None
        assert store.get_article(article("new")["id"])["quality"] == "thin"
    finally:
        store.close()
