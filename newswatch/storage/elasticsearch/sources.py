"""A source's state in Elasticsearch (an `<index>-sources` index beside the articles): see
`newswatch.storage.base.SourceStates`."""

from __future__ import annotations

from typing import Any

from newswatch.records import SourceState
from newswatch.storage.base import StoreError
from newswatch.storage.elasticsearch.connection import Connection, ensure_side_index

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
        self.client = client
        self.index = f"{index}-sources"
        self.where = where
        try:
            ensure_side_index(client, self.index, _ES_MAPPINGS, where)
        except Exception as exc:  # an API error, or the server is down
            raise self._fail("create its index", exc) from None

    @classmethod
    def from_url(cls, url: str) -> ElasticsearchSourceStates:
        connection = Connection.from_url(url)  # the store's client, not its layout
        return cls(connection.client, connection.index, connection.url)

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
            # no refresh: `get` reads by id (real time); `all` refreshes before it searches.
            # A crawl must not wait for the next refresh (up to a second) as it closes.
            self.client.index(index=self.index, id=state.source, document=state.record())
        except Exception as exc:
            raise self._fail(f"save source {state.source!r}", exc) from None

    def all(self) -> list[SourceState]:
        try:
            self.client.indices.refresh(index=self.index)
            result = self.client.search(
                index=self.index, size=10_000, sort=[{"source": "asc"}], query={"match_all": {}}
            )
        except Exception as exc:
            raise self._fail("list sources", exc) from None
        return [SourceState.from_record(hit["_source"]) for hit in result["hits"]["hits"]]

    def close(self) -> None:
        self.client.close()
