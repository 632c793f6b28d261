"""Per-source state kept in the store: HTTP validators for conditional GET, crawl history,
health and the adaptive polling interval.

One record per source, in the same store as the articles (a `source_state` table in SQLite,
an `<index>-sources` index in Elasticsearch), so `newswatch status` on any machine sees every
worker's sources. Each source is crawled by one worker at a time (`max_instances=1`, and
`--worker i/N` gives every source to exactly one worker), so a record has one writer.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Protocol

from newswatch.storage.base import StoreError

MAX_GONE = 2000


@dataclass
class SourceState:
    source: str
    # url -> {"etag": ..., "last_modified": ...} of feeds, sitemaps and listings
    validators: dict[str, dict[str, str]] = field(default_factory=dict)
    # article links that answered 404/410 -> when (not requested again)
    gone: dict[str, str] = field(default_factory=dict)
    crawls: int = 0
    last_crawl_at: str | None = None
    last_success_at: str | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    # the last crawl
    pages: int = 0
    links: int = 0
    not_modified: int = 0
    new_articles: int = 0
    articles_total: int = 0
    extracted: int = 0
    no_body: int = 0
    no_date: int = 0
    # articles extracted by the crawls that had article pages to fetch, all time
    extracted_total: int = 0
    # health: ok | failing | empty (extraction suddenly yields nothing)
    health: str = "ok"
    health_problem: str | None = None
    health_since: str | None = None
    # adaptive polling: the current interval in seconds (None: the configured one)
    interval_seconds: float | None = None

    def remember_gone(self, url: str, when: str) -> None:
        self.gone[url] = when
        while len(self.gone) > MAX_GONE:  # the oldest first (dicts keep insertion order)
            del self.gone[next(iter(self.gone))]

    def record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> SourceState:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class SourceStates(Protocol):
    def get(self, source: str) -> SourceState: ...

    def put(self, state: SourceState) -> None: ...

    def all(self) -> list[SourceState]: ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS source_state (
    source TEXT PRIMARY KEY,
    data TEXT NOT NULL
)
"""


class SQLiteSourceStates:
    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute(_SCHEMA)
            self._conn.commit()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open source state in {path!r}: {exc}") from exc

    def get(self, source: str) -> SourceState:
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM source_state WHERE source = ?", (source,)
            ).fetchone()
        return SourceState.from_record(json.loads(row[0])) if row else SourceState(source)

    def put(self, state: SourceState) -> None:
        try:
            with self._lock, self._conn:
                self._conn.execute(
                    "INSERT INTO source_state (source, data) VALUES (?, ?) "
                    "ON CONFLICT (source) DO UPDATE SET data = excluded.data",
                    (state.source, json.dumps(state.record())),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot save the state of source {state.source!r}: {exc}") from exc

    def all(self) -> list[SourceState]:
        with self._lock:
            rows = self._conn.execute("SELECT data FROM source_state ORDER BY source").fetchall()
        return [SourceState.from_record(json.loads(r[0])) for r in rows]

    def close(self) -> None:
        self._conn.close()


_ES_MAPPINGS = {
    "dynamic": False,
    "properties": {
        "source": {"type": "keyword"},
        "health": {"type": "keyword"},
        "last_crawl_at": {"type": "date"},
        "last_success_at": {"type": "date"},
        "consecutive_failures": {"type": "integer"},
    },
}


class ElasticsearchSourceStates:
    def __init__(self, client: Any, index: str, where: str) -> None:
        from elasticsearch import ApiError

        self.client = client
        self.index = f"{index}-sources"
        self.where = where
        try:
            try:
                if not client.indices.exists(index=self.index):
                    client.indices.create(
                        index=self.index,
                        mappings=_ES_MAPPINGS,
                        settings={"number_of_shards": 1, "number_of_replicas": 0},
                    )
            except ApiError as exc:  # created by another worker at the same moment: fine
                if "resource_already_exists" not in str(exc):
                    raise
            # Created just now, here or by another worker: its shard must be up to be read.
            client.cluster.health(index=self.index, wait_for_status="yellow", timeout="30s")
        except Exception as exc:  # an API error, or the server is down
            raise self._fail("create its index", exc) from None

    @classmethod
    def from_url(cls, url: str) -> ElasticsearchSourceStates:
        from newswatch.storage.elasticsearch import ElasticsearchStore

        store = ElasticsearchStore.from_url(url)
        return cls(store.client, store.index, store.url)

    def _fail(self, what: str, exc: Exception) -> StoreError:
        return StoreError(
            f"source state in Elasticsearch at {self.where}: cannot {what}: "
            f"{type(exc).__name__}: {exc}"[:400]
        )

    def get(self, source: str) -> SourceState:
        from elasticsearch import NotFoundError

        try:
            doc = self.client.get(index=self.index, id=source)
        except NotFoundError:
            return SourceState(source)
        except Exception as exc:
            raise self._fail(f"read source {source!r}", exc) from None
        return SourceState.from_record(doc["_source"])

    def put(self, state: SourceState) -> None:
        try:
            self.client.index(
                index=self.index, id=state.source, document=state.record(), refresh="wait_for"
            )
        except Exception as exc:
            raise self._fail(f"save source {state.source!r}", exc) from None

    def all(self) -> list[SourceState]:
        try:
            result = self.client.search(
                index=self.index, size=10_000, sort=[{"source": "asc"}], query={"match_all": {}}
            )
        except Exception as exc:
            raise self._fail("list sources", exc) from None
        return [SourceState.from_record(hit["_source"]) for hit in result["hits"]["hits"]]

    def close(self) -> None:
        self.client.close()


def open_source_states(store_url: str) -> SourceStates:
    """The source state beside the articles of the store named by the URL."""
    if store_url.split(":", 1)[0].lower() == "sqlite":
        from newswatch.storage.sqlite import SQLiteStore

        store = SQLiteStore.from_url(store_url)
        store.close()
        return SQLiteSourceStates(store.path)
    return ElasticsearchSourceStates.from_url(store_url)
