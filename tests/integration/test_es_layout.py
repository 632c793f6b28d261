"""Monthly indices behind one alias on the real Elasticsearch: where articles go, idempotent
writes, and `newswatch setup --reindex` (mapping upgrades, the old single-index layout)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newswatch.records import RECORD_FIELDS, Article
from newswatch.storage.base import StoreError
from newswatch.storage.elasticsearch import ElasticsearchStore, load_template
from tests.cli import newswatch

pytestmark = pytest.mark.elasticsearch


def article(key: str, published_at: str | None, **fields: Any) -> dict[str, Any]:
    record = Article(
        id=f"id-{key}",
        url=f"https://news.example.org/{key}",
        canonical_url=f"https://news.example.org/{key}",
        source="example",
        domain="news.example.org",
        title=f"Pasukan tiba {key}",
        body=f"Ribuan pasukannya dikirim, laporan {key}.",
    ).record()
    record.update(language="id", published_at=published_at, **fields)
    return record


@pytest.fixture
def es(es_url: str) -> Iterator[ElasticsearchStore]:
    store = ElasticsearchStore.from_url(f"{es_url}?index=newswatch-test-lay-{uuid.uuid4().hex[:8]}")
    try:
        yield store
    finally:
        store.drop()
        store.close()


def months(store: ElasticsearchStore) -> set[str]:
    return set(store.client.indices.get_alias(name=store.index))


def where(store: ElasticsearchStore) -> dict[str, str]:
    """article id -> the concrete index holding it (all copies, so a duplicate would show)."""
    hits = store.client.search(index=store.index, size=100, source=False)["hits"]["hits"]
    found: dict[str, str] = {}
    for hit in hits:
        assert hit["_id"] not in found, f"{hit['_id']} is stored twice"
        found[hit["_id"]] = hit["_index"]
    return found


def this_month() -> str:
    now = datetime.now(UTC)
    return f"{now.year:04d}.{now.month:02d}"


def test_the_alias_spans_monthly_indices_by_publication_date(es: ElasticsearchStore) -> None:
    es.setup()
    assert months(es) == {f"{es.index}-{this_month()}"}  # the alias exists before any write
    october = article("oct", "2024-10-31T23:30:00+00:00")
    november = article("nov", "2024-10-31T23:30:00-02:00")  # 01:30 on 1 November, UTC
    assert es.put_articles([october, november]) == 2
    es.flush()
    assert months(es) >= {f"{es.index}-2024.10", f"{es.index}-2024.11"}
    assert where(es) == {"id-oct": f"{es.index}-2024.10", "id-nov": f"{es.index}-2024.11"}
    # one alias for every read: count, export order, search, get
    assert es.count() == 2
    assert [r["id"] for r in es.iter_articles()] == ["id-oct", "id-nov"]
    assert {r["id"] for r in es.search("pasukan")} == {"id-oct", "id-nov"}
    assert es.get_article("id-nov") == november


def test_without_a_publication_date_fetched_at_then_the_write_month(es: ElasticsearchStore) -> None:
    es.setup()
    fetched = article("fetched", None, fetched_at="2023-05-02T10:00:00+00:00")
    undated = article("undated", None)
    es.put_articles([fetched, undated])
    es.flush()
    assert where(es) == {
        "id-fetched": f"{es.index}-2023.05",
        "id-undated": f"{es.index}-{this_month()}",
    }


def test_writes_are_idempotent_and_a_new_date_moves_the_article(
    es: ElasticsearchStore, es_url: str
) -> None:
    es.setup()
    record = article("a", "2024-10-16T08:30:00+00:00")
    assert es.put_articles([record]) == 1
    assert es.put_articles([record]) == 0  # not refreshed yet: still known, not new
    es.flush()
    assert where(es) == {"id-a": f"{es.index}-2024.10"}

    # Re-extracted with a corrected date: moved to November, not copied.
    moved = dict(record, published_at="2024-11-02T09:00:00+00:00", title="Corrected")
    assert es.put_articles([moved]) == 0
    es.flush()
    assert where(es) == {"id-a": f"{es.index}-2024.11"}
    assert es.get_article("id-a") == moved and es.count() == 1

    # Another process (its own store object, nothing in memory) finds it where it is.
    other = ElasticsearchStore.from_url(f"{es_url}?index={es.index}")
    try:
        back = dict(moved, published_at="2024-10-01T00:00:00+00:00")
        assert other.put_articles([back, article("b", "2024-10-02T00:00:00+00:00")]) == 1
        other.flush()
        assert where(other) == {"id-a": f"{es.index}-2024.10", "id-b": f"{es.index}-2024.10"}
    finally:
        other.close()
    # the same id twice in one batch: the last version wins, once
    twice = [dict(record, title="first"), dict(record, title="second", published_at=None)]
    es.put_articles(twice)
    es.flush()
    assert es.get_article("id-a")["title"] == "second" and es.count() == 2


def old_mappings(**changes: Any) -> dict[str, Any]:
    """The mapping before per-language fields (mapping version 1), with `changes`."""
    mappings = load_template()["template"]["mappings"]
    properties = {
        name: spec for name, spec in mappings["properties"].items() if name in RECORD_FIELDS
    }
    properties["statements"]["properties"]["speaker"].pop("copy_to")
    properties.update(changes)
    return {"dynamic": "strict", "properties": properties}


def config_file(tmp_path: Path, store_url: str) -> Path:
    path = tmp_path / "newswatch.yaml"
    path.write_text(
        f"store: '{store_url}'\nsources:\n  - name: example\n"
        "    feeds: [https://news.example.org/feed.xml]\n",
        "utf-8",
    )
    return path


def test_setup_reindex_moves_a_single_index_behind_the_alias(
    es: ElasticsearchStore, es_url: str, tmp_path: Path
) -> None:
    # A store written before monthly indices: one index named like the alias.
    records = [article(f"old{n}", f"2024-0{n}-10T10:00:00+00:00") for n in range(1, 4)]
    es.client.indices.create(index=es.index, mappings=old_mappings())
    for record in records:
        es.client.index(index=es.index, id=record["id"], document=record)
    es.client.indices.refresh(index=es.index)

    with pytest.raises(StoreError, match="newswatch setup --reindex"):
        es.setup()
    assert es.count() == 3  # reading still works meanwhile

    result = newswatch("setup", "--reindex", "-c", str(config_file(tmp_path, es.url)))
    assert result.returncode == 0, result.stderr
    assert "reindexed: 3 articles copied from 1 index(es) into 3 new one(s)" in result.stdout
    assert "language analyzers: built in" in result.stdout

    fresh = ElasticsearchStore.from_url(f"{es_url}?index={es.index}")
    try:
        assert es.client.indices.exists_alias(name=es.index)
        assert set(where(fresh).values()) == {
            f"{es.index}-g2-2024.01",
            f"{es.index}-g2-2024.02",
            f"{es.index}-g2-2024.03",
        }
        for record in records:
            assert fresh.get_article(record["id"]) == record
        # the copies have the new fields: stemmed Indonesian finds "pasukannya"
        query = {"match": {"body_id": "pasukan"}}
        assert es.client.count(index=es.index, query=query)["count"] == 3
        fresh.setup()  # and the store works normally from now on
        assert fresh.put_articles([article("new", "2024-02-20T00:00:00+00:00")]) == 1
        fresh.flush()
        assert where(fresh)["id-new"] == f"{es.index}-g2-2024.02"
    finally:
        fresh.close()


def test_reindex_upgrades_a_mapping_that_setup_cannot_change(es: ElasticsearchStore) -> None:
    # Months written by an older version whose mapping conflicts with today's (title_de was
    # a keyword there): setup cannot update them in place and says how to get out.
    conflicting = old_mappings(title_de={"type": "keyword"})
    records = [article("sep", "2024-09-05T00:00:00+00:00"), article("oct", "2024-10-05T00:00:00Z")]
    for record, month in zip(records, ("2024.09", "2024.10"), strict=True):
        name = f"{es.index}-{month}"
        es.client.indices.create(index=name, mappings=conflicting, aliases={es.index: {}})
        es.client.index(index=name, id=record["id"], document=record, refresh=True)
    with pytest.raises(StoreError, match="run `newswatch setup --reindex`"):
        es.setup()

    report = es.reindex()
    assert report.copied == 2 and report.generation == 2
    assert sorted(report.old_indices) == [f"{es.index}-2024.09", f"{es.index}-2024.10"]
    assert months(es) == {f"{es.index}-g2-2024.09", f"{es.index}-g2-2024.10"}
    for old in report.old_indices:
        assert not es.client.indices.exists(index=old)
    assert [r["id"] for r in es.iter_articles()] == ["id-sep", "id-oct"]
    assert es.get_article("id-oct") == records[1]
    mapping = es.client.indices.get_mapping(index=es.index)
    assert {m["mappings"]["properties"]["title_de"]["type"] for m in mapping.values()} == {"text"}
    es.setup()  # now it can
    es.put_articles([article("nov", "2024-11-05T00:00:00+00:00")])
    es.flush()
    assert where(es)["id-nov"] == f"{es.index}-g2-2024.11"


def test_a_failed_reindex_changes_nothing(es: ElasticsearchStore) -> None:
    # An old month holds a document today's mapping refuses (a date that is not a date).
    loose = old_mappings(published_at={"type": "keyword"})
    name = f"{es.index}-2024.10"
    es.client.indices.create(index=name, mappings=loose, aliases={es.index: {}})
    good = article("good", "2024-10-01T00:00:00+00:00")
    bad = article("bad", "2024-10-01T00:00:00+00:00")
    bad["published_at"] = "last Wednesday"
    for record in (good, bad):
        es.client.index(index=name, id=record["id"], document=record, refresh=True)

    with pytest.raises(StoreError, match="refused 1 article.*id-bad.*nothing was changed"):
        es.reindex()
    assert months(es) == {name}  # the alias is as it was
    leftovers = es.client.indices.get(index=f"{es.index}-g*", allow_no_indices=True)
    assert dict(leftovers) == {}  # the partial copy is gone
    settings = es.client.indices.get_settings(index=name)[name]["settings"]["index"]
    assert "blocks" not in settings or settings["blocks"].get("write") != "true"
    es.client.index(index=name, id="id-later", document=dict(good, id="id-later"))  # writable
    assert es._installed_generation() == 1  # new months still go to generation 1 names
