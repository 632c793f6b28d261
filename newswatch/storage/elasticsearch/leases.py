"""Work leases in Elasticsearch (an `<index>-leases` index beside the articles), shared by
the workers of a pool on any number of machines: see `newswatch.storage.base.Leases`.

A claim reads the lease document and writes it back only if nobody changed it meanwhile:
`op_type=create` when there is none, else `if_seq_no`/`if_primary_term` of the version read
(optimistic concurrency, as Kibana's task manager claims its tasks). Of two workers claiming
at once, one write is refused with a version conflict and that worker does not crawl.

The version read is remembered (from `leases()`, which returns every lease with its version,
and from this object's own writes), so a claim or a renewal is one write, not a read and a
write; a write refused because the remembered version is old reads the lease again once. Writes do
not refresh the index (a claim is decided by reads by id, which are real time); `leases()`
refreshes it before it searches."""

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
        # key -> (document, seq_no, primary_term) as last read or written by this object
        self._known: dict[str, tuple[dict[str, Any], int, int]] = {}
        # Elasticsearch down: every use tries again (a worker waits for it, it does not die)
        with contextlib.suppress(StoreError):
            self._ensure()

    def _ensure(self) -> None:
        if self._ready:
            return
        try:
            ensure_side_index(self.client, self.index, _ES_MAPPINGS, self.where)
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
        from elasticsearch import ConflictError

        self._ensure()
        stamp = now.astimezone(UTC).isoformat()
        doc = {"key": key, "owner": owner, "expires_at": (now + ttl).astimezone(UTC).isoformat(),
               "claimed_at": stamp, "renewed_at": stamp}  # fmt: skip
        try:
            if key in self._known:
                try:  # one write, on the version this object knows
                    return self._write(key, doc, self._known[key], owner, now)
                except ConflictError:
                    self._known.pop(key, None)  # changed since: read it again
            return self._write(key, doc, self._read(key), owner, now)
        except ConflictError:  # another worker claimed it between our read and our write
            self._known.pop(key, None)
            return False
        except Exception as exc:
            raise self._fail(f"claim {key!r}", exc) from None

    def _read(self, key: str) -> tuple[dict[str, Any], int, int] | None:
        from elasticsearch import NotFoundError

        try:
            found = self.client.get(index=self.index, id=key)
        except NotFoundError:
            return None
        return found["_source"], found["_seq_no"], found["_primary_term"]

    def _write(
        self,
        key: str,
        doc: dict[str, Any],
        held: tuple[dict[str, Any], int, int] | None,
        owner: str,
        now: datetime,
    ) -> bool:
        doc = dict(doc)
        if held is None:
            response = self.client.index(index=self.index, id=key, document=doc,
                                         op_type="create")  # fmt: skip
        else:
            current, seq_no, primary_term = held
            expires = datetime.fromisoformat(current["expires_at"])
            if current.get("owner") != owner and expires > now:
                return False
            if current.get("owner") == owner:
                doc["claimed_at"] = current.get("claimed_at", doc["claimed_at"])
            response = self.client.index(
                index=self.index,
                id=key,
                document=doc,
                if_seq_no=seq_no,
                if_primary_term=primary_term,
            )
        self._known[key] = (doc, response["_seq_no"], response["_primary_term"])
        return True

    def release(self, key: str, owner: str) -> None:
        from elasticsearch import ConflictError, NotFoundError

        self._ensure()
        try:
            self._known.pop(key, None)
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
            self.client.indices.refresh(index=self.index)  # the writes since: no refresh each
            result = self.client.search(
                index=self.index,
                size=10_000,
                sort=[{"key": "asc"}],
                query={"match_all": {}},
                seq_no_primary_term=True,
                filter_path=["hits.hits._id", "hits.hits._source", "hits.hits._seq_no",
                             "hits.hits._primary_term"],
            )  # fmt: skip
        except Exception as exc:
            raise self._fail("read the leases", exc) from None
        hits = result.get("hits", {}).get("hits", [])  # filter_path drops an empty list
        self._known = {h["_id"]: (h["_source"], h["_seq_no"], h["_primary_term"]) for h in hits}
        docs = [hit["_source"] for hit in hits]
        return [
            Lease(d["key"], d["owner"], d["expires_at"], d.get("claimed_at", ""),
                  d.get("renewed_at", ""))  # fmt: skip
            for d in docs
        ]

    def close(self) -> None:
        self.client.close()
