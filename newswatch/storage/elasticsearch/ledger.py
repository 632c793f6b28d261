"""The alert ledger in Elasticsearch: `<index>-alerts` (one document per alert) and
`<index>-outbox` (one document per alert and channel).

Create-if-absent is `op_type=create`; a notifier claims a delivery with optimistic
concurrency control (if_seq_no / if_primary_term), so several workers on one cluster never
send the same delivery at once. Outbox documents are written before their alert: a crash in
between leaves deliveries whose alert is written on the retry, never an alert without them;
such a delivery is put back by `ORPHAN_WAIT` whenever a notifier meets it, so any number of
them never holds up the deliveries due after them. Listings read every page of results.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, ConflictError, Elasticsearch

from newswatch.records import LEASE, Alert, Delivery, iso, merge_into
from newswatch.storage.base import StoreError
from newswatch.storage.elasticsearch.connection import Connection

_ALERTS = {
    "dynamic": False,
    "properties": {
        "id": {"type": "keyword"},
        "topic": {"type": "keyword"},
        "kind": {"type": "keyword"},
        "story_id": {"type": "keyword"},
        "created_at": {"type": "date"},
        "speaker": {"type": "keyword"},
        "outlets": {"type": "keyword"},
    },
}
_OUTBOX = {
    "dynamic": False,
    "properties": {
        "alert_id": {"type": "keyword"},
        "channel": {"type": "keyword"},
        "status": {"type": "keyword"},
        "attempts": {"type": "integer"},
        "next_attempt_at": {"type": "date"},
        "sent_at": {"type": "date"},
    },
}
_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}


def _due_query(stamp: str) -> dict[str, Any]:
    """Outbox documents due at `stamp`: pending (now or at their retry time), or leased to a
    notifier whose lease ran out (it died before marking the outcome)."""
    pending_due = {
        "bool": {
            "filter": [{"term": {"status": "pending"}}],
            "should": [
                {"bool": {"must_not": {"exists": {"field": "next_attempt_at"}}}},
                {"range": {"next_attempt_at": {"lte": stamp}}},
            ],
            "minimum_should_match": 1,
        }
    }
    lease_over = {
        "bool": {
            "filter": [
                {"term": {"status": "sending"}},
                {"range": {"next_attempt_at": {"lte": stamp}}},
            ]
        }
    }
    return {"bool": {"should": [pending_due, lease_over], "minimum_should_match": 1}}


PAGE = 1000  # hits per search request when reading everything
# How long a delivery whose alert document is missing waits before it is looked at again.
ORPHAN_WAIT = timedelta(minutes=1)


class ElasticsearchLedger:
    def __init__(self, client: Elasticsearch, index: str, where: str) -> None:
        self.client = client
        self.alerts_index = f"{index}-alerts"
        self.outbox_index = f"{index}-outbox"
        self.where = where
        self.setup()

    @classmethod
    def from_url(cls, url: str) -> ElasticsearchLedger:
        connection = Connection.from_url(url)  # the store's client, not its layout
        return cls(connection.client, connection.index, connection.url)

    def _fail(self, what: str, exc: Exception) -> StoreError:
        return StoreError(
            f"alert ledger in Elasticsearch at {self.where}: cannot {what}: "
            f"{type(exc).__name__}: {exc}"[:400]
        )

    def setup(self) -> None:
        for name, mappings in ((self.alerts_index, _ALERTS), (self.outbox_index, _OUTBOX)):
            try:
                if not self.client.indices.exists(index=name):
                    self.client.indices.create(index=name, mappings=mappings, settings=_SETTINGS)
            except ApiError as exc:
                if "resource_already_exists" not in str(exc):
                    raise self._fail("create its indices", exc) from None
            except TransportError as exc:
                raise self._fail("create its indices", exc) from None

    def record(self, alert: Alert) -> bool:
        data = alert.record()
        deliveries = data.pop("deliveries")
        try:
            for channel, delivery in deliveries.items():
                # A conflict: written by an earlier attempt or another worker.
                with contextlib.suppress(ConflictError):
                    self.client.create(
                        index=self.outbox_index,
                        id=f"{alert.id}:{channel}",
                        document={"alert_id": alert.id, **delivery},
                    )
            try:
                self.client.create(index=self.alerts_index, id=alert.id, document=data)
                return True
            except ConflictError:
                pass
            for _ in range(5):
                current = self.client.get(index=self.alerts_index, id=alert.id)
                existing = Alert.from_record({**current["_source"], "deliveries": {}})
                if not merge_into(existing, alert):
                    return False
                merged = existing.record()
                merged.pop("deliveries")
                try:
                    self.client.index(
                        index=self.alerts_index,
                        id=alert.id,
                        document=merged,
                        if_seq_no=current["_seq_no"],
                        if_primary_term=current["_primary_term"],
                    )
                    return False
                except ConflictError:
                    continue
            return False
        except (ApiError, TransportError) as exc:
            raise self._fail("record an alert", exc) from None

    def claim_due(self, now: datetime, limit: int = 50) -> list[tuple[Alert, str]]:
        try:
            while True:
                self.client.indices.refresh(index=self.outbox_index)
                hits = self.client.search(
                    index=self.outbox_index,
                    size=limit,
                    seq_no_primary_term=True,
                    sort=[
                        {"next_attempt_at": {"order": "asc", "missing": "_first"}},
                        {"alert_id": "asc"},
                        {"channel": "asc"},
                    ],
                    query=_due_query(iso(now)),
                )["hits"]["hits"]
                claimed, orphans = self._claim(hits, now)
                # Deferred orphans are no longer due: look again unless that was all.
                if claimed or not orphans:
                    return claimed
        except (ApiError, TransportError) as exc:
            raise self._fail("read the outbox", exc) from None

    def _claim(
        self, hits: list[dict[str, Any]], now: datetime
    ) -> tuple[list[tuple[Alert, str]], int]:
        """Lease each due delivery (optimistic concurrency: a conflict means another notifier
        has it). Returns what this caller leased and how many orphans it put back."""
        ids = sorted({hit["_source"]["alert_id"] for hit in hits})
        alerts = self._alerts_by_id(ids)
        claimed: list[tuple[Alert, str]] = []
        orphans = 0
        for hit in hits:
            source = hit["_source"]
            alert = alerts.get(source["alert_id"])
            if alert is None:
                # Its alert is not written yet (being recorded, or the recorder died in
                # between and the article is recorded again on its next crawl). Put it
                # back a little, so a page of such deliveries never starves the others.
                self._defer_orphan(hit, now)
                orphans += 1
                continue
            source.update(
                status="sending",
                attempts=source.get("attempts", 0) + 1,
                next_attempt_at=iso(now + LEASE),
            )
            try:
                self.client.index(
                    index=self.outbox_index,
                    id=hit["_id"],
                    document=source,
                    if_seq_no=hit["_seq_no"],
                    if_primary_term=hit["_primary_term"],
                )
            except ConflictError:
                continue  # another notifier claimed it first
            alert = copy.deepcopy(alert)  # one per delivery, as the SQLite ledger gives
            channel = source["channel"]
            fields = {k: v for k, v in source.items() if k != "alert_id"}
            alert.deliveries[channel] = Delivery(**fields)
            claimed.append((alert, channel))
        return claimed, orphans

    def _alerts_by_id(self, alert_ids: list[str]) -> dict[str, Alert]:
        """The alerts that exist among these ids, with their deliveries."""
        if not alert_ids:
            return {}
        docs = self.client.mget(index=self.alerts_index, ids=alert_ids)["docs"]
        found = [doc for doc in docs if doc.get("found")]
        deliveries = self._deliveries([doc["_id"] for doc in found])
        return {
            doc["_id"]: Alert.from_record(
                {**doc["_source"], "deliveries": deliveries.get(doc["_id"], {})}
            )
            for doc in found
        }

    def _defer_orphan(self, hit: dict[str, Any], now: datetime) -> None:
        with contextlib.suppress(ConflictError):  # someone else moved it: fine
            self.client.index(
                index=self.outbox_index,
                id=hit["_id"],
                document={**hit["_source"], "next_attempt_at": iso(now + ORPHAN_WAIT)},
                if_seq_no=hit["_seq_no"],
                if_primary_term=hit["_primary_term"],
            )

    def _deliveries(self, alert_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Every delivery of these alerts: {alert_id: {channel: fields}}."""
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(alert_ids), PAGE):
            query = {"terms": {"alert_id": alert_ids[start : start + PAGE]}}
            for hit in self._scan(self.outbox_index, query, ["alert_id", "channel"]):
                source = dict(hit["_source"])
                alert_id = source.pop("alert_id")
                out.setdefault(alert_id, {})[source["channel"]] = source
        return out

    def _scan(self, index: str, query: dict[str, Any], keys: list[str]) -> Iterator[dict]:
        """All hits of a query, in the order of `keys` (unique together), page by page."""
        after: list[Any] | None = None
        while True:
            page = self.client.search(
                index=index,
                size=PAGE,
                query=query,
                sort=[{key: "asc"} for key in keys],
                search_after=after,
            )["hits"]["hits"]
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1]["sort"]

    def _update_delivery(self, alert_id: str, channel: str, **fields: Any) -> None:
        try:
            self.client.update(index=self.outbox_index, id=f"{alert_id}:{channel}", doc=fields)
        except (ApiError, TransportError) as exc:
            raise self._fail("update a delivery", exc) from None

    def mark_sent(self, alert_id: str, channel: str, when: datetime) -> None:
        self._update_delivery(
            alert_id,
            channel,
            status="sent",
            sent_at=iso(when),
            last_error=None,
            next_attempt_at=None,
        )

    def mark_failed(
        self, alert_id: str, channel: str, error: str, retry_at: datetime | None
    ) -> None:
        self._update_delivery(
            alert_id,
            channel,
            status="pending" if retry_at else "failed",
            last_error=error[:500],
            next_attempt_at=iso(retry_at),
        )

    def alerts(self, since: datetime | None = None) -> Iterator[Alert]:
        try:
            self.client.indices.refresh(index=[self.alerts_index, self.outbox_index])
            query = {"range": {"created_at": {"gte": iso(since)}}} if since else {"match_all": {}}
            hits = list(self._scan(self.alerts_index, query, ["created_at", "id"]))
            deliveries = self._deliveries([h["_id"] for h in hits]) if hits else {}
        except (ApiError, TransportError) as exc:
            raise self._fail("list alerts", exc) from None
        for hit in hits:
            yield Alert.from_record(
                {**hit["_source"], "deliveries": deliveries.get(hit["_id"], {})}
            )

    def close(self) -> None:
        self.client.close()
