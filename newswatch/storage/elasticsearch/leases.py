"""Work leases in Elasticsearch (an `<index>-leases` index beside the articles), shared by
the workers of a pool on any number of machines: see `newswatch.storage.base.Leases`.

A claim reads the lease document and writes it back only if nobody changed it meanwhile:
`op_type=create` when there is none, else `if_seq_no`/`if_primary_term` of the version read
(optimistic concurrency, as Kibana's task manager claims its tasks). Of two workers claiming
at once, one write is refused with a version conflict and that worker does not crawl."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from newswatch.records import Lease
from newswatch.storage.base import StoreError
from newswatch.storage.elasticsearch.connection import Connection, ensure_side_index

_ES_MAPPINGS = {
    "dynamic": False,
    "properties": {
        "key": {"type": "keyword"},
        "owner": {"type": "keyword"},
        "expires_at": {"type": "date"},
        "renewed_at": {"type": "date"},
    },
}


class ElasticsearchLeases:
    def __init__(self, client: Any, index: str, where: str) -> None:
        self.client = client
        self.index = f"{index}-leases"
        self.where = where
        self._ready = False
        # Elasticsearch down: every use tries again (a worker waits for it, it does not die)
        with contextlib.suppress(StoreError):
            self._ensure()

    def _ensure(self) -> None:
        if self._ready:
            return
        try:
            ensure_side_index(self.client, self.index, _ES_MAPPINGS)
        except Exception as exc:
            raise self._fail("create its index", exc) from None
        self._ready = True

    @classmethod
    def from_url(cls, url: str) -> ElasticsearchLeases:
        connection = Connection.from_url(url)
        return cls(connection.client, connection.index, connection.url)

    def _fail(self, what: str, exc: Exception) -> StoreError:
        return StoreError(
            f"leases in Elasticsearch at {self.where}: cannot {what}: "
            f"{type(exc).__name__}: {exc}"[:400]
        )

    def claim(self, key: str, owner: str, ttl: timedelta, now: datetime) -> bool:
        from elasticsearch import ConflictError, NotFoundError

        self._ensure()
        stamp = now.astimezone(UTC).isoformat()
        doc = {"key": key, "owner": owner, "expires_at": (now + ttl).astimezone(UTC).isoformat(),
               "claimed_at": stamp, "renewed_at": stamp}  # fmt: skip
        try:
            try:
                found = self.client.get(index=self.index, id=key)
            except NotFoundError:
                self.client.index(index=self.index, id=key, document=doc, op_type="create",
                                  refresh=True)  # fmt: skip
                return True
            held = found["_source"]
            if held.get("owner") != owner and datetime.fromisoformat(held["expires_at"]) > now:
                return False
            if held.get("owner") == owner:
                doc["claimed_at"] = held.get("claimed_at", stamp)
            self.client.index(
                index=self.index,
                id=key,
                document=doc,
                if_seq_no=found["_seq_no"],
                if_primary_term=found["_primary_term"],
                refresh=True,
            )
            return True
        except ConflictError:  # another worker claimed it between our read and our write
            return False
        except Exception as exc:
            raise self._fail(f"claim {key!r}", exc) from None

    def release(self, key: str, owner: str) -> None:
        from elasticsearch import ConflictError, NotFoundError

        self._ensure()
        try:
            found = self.client.get(index=self.index, id=key)
            if found["_source"].get("owner") != owner:
                return
            self.client.delete(
                index=self.index,
                id=key,
                if_seq_no=found["_seq_no"],
                if_primary_term=found["_primary_term"],
                refresh=True,
            )
        except (NotFoundError, ConflictError):
            return  # gone already, or claimed by another worker since
        except Exception as exc:
            raise self._fail(f"release {key!r}", exc) from None

    def leases(self) -> list[Lease]:
        self._ensure()
        try:
            result = self.client.search(index=self.index, size=10_000, sort=[{"key": "asc"}],
                                        query={"match_all": {}})  # fmt: skip
        except Exception as exc:
            raise self._fail("read the leases", exc) from None
        docs = [hit["_source"] for hit in result["hits"]["hits"]]
        return [
            Lease(d["key"], d["owner"], d["expires_at"], d.get("claimed_at", ""),
                  d.get("renewed_at", ""))  # fmt: skip
            for d in docs
        ]

    def close(self) -> None:
        self.client.close()
