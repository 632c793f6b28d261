"""The alert ledger in Elasticsearch: `<index>-alerts` (one document per alert) and
`<index>-outbox` (one document per alert and channel).

Create-if-absent is `op_type=create`; a notifier claims a delivery with optimistic
concurrency control (if_seq_no / if_primary_term), so several workers on one cluster never
send the same delivery at once. Outbox documents are written before their alert: a crash in
between leaves deliveries whose alert is written on the retry, never an alert without them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError, ConflictError, Elasticsearch, NotFoundError

from newswatch.alerting.ledger import LEASE, Alert, iso, merge_into
from newswatch.storage import StoreError
from newswatch.storage.elasticsearch import ElasticsearchStore

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


class ElasticsearchLedger:
    def __init__(self, client: Elasticsearch, index: str, where: str) -> None:
        self.client = client
        self.alerts_index = f"{index}-alerts"
        self.outbox_index = f"{index}-outbox"
        self.where = where
        self.setup()

    @classmethod
    def from_url(cls, url: str) -> ElasticsearchLedger:
        store = ElasticsearchStore.from_url(url)
        return cls(store.client, store.index, store.url)

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
        stamp = iso(now)
        try:
            self.client.indices.refresh(index=self.outbox_index)
            hits = self.client.search(
                index=self.outbox_index,
                size=limit,
                seq_no_primary_term=True,
                query={
                    "bool": {
                        "should": [
                            {
                                "bool": {
                                    "filter": [{"term": {"status": "pending"}}],
                                    "should": [
                                        {
                                            "bool": {
                                                "must_not": {"exists": {"field": "next_attempt_at"}}
                                            }
                                        },
                                        {"range": {"next_attempt_at": {"lte": stamp}}},
                                    ],
                                    "minimum_should_match": 1,
                                }
                            },
                            {
                                "bool": {
                                    "filter": [
                                        {"term": {"status": "sending"}},
                                        {"range": {"next_attempt_at": {"lte": stamp}}},
                                    ]
                                }
                            },
                        ],
                        "minimum_should_match": 1,
                    }
                },
            )["hits"]["hits"]
            claimed: list[tuple[Alert, str]] = []
            for hit in hits:
                source = hit["_source"]
                alert = self._get(source["alert_id"])
                if alert is None:
                    continue  # its alert document is not written yet
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
                if source["channel"] in alert.deliveries:
                    alert.deliveries[source["channel"]].attempts = source["attempts"]
                claimed.append((alert, source["channel"]))
            return claimed
        except (ApiError, TransportError) as exc:
            raise self._fail("read the outbox", exc) from None

    def _get(self, alert_id: str) -> Alert | None:
        try:
            doc = self.client.get(index=self.alerts_index, id=alert_id)
        except NotFoundError:
            return None
        deliveries = self._deliveries([alert_id]).get(alert_id, {})
        return Alert.from_record({**doc["_source"], "deliveries": deliveries})

    def _deliveries(self, alert_ids: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        hits = self.client.search(
            index=self.outbox_index, size=1000, query={"terms": {"alert_id": alert_ids}}
        )["hits"]["hits"]
        for hit in hits:
            source = dict(hit["_source"])
            alert_id = source.pop("alert_id")
            out.setdefault(alert_id, {})[source["channel"]] = source
        return out

    def _update_delivery(self, alert_id: str, channel: str, **fields: Any) -> None:
        try:
            self.client.update(
                index=self.outbox_index, id=f"{alert_id}:{channel}", doc=fields, refresh=True
            )
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
            hits = self.client.search(
                index=self.alerts_index,
                size=10_000,
                query=query,
                sort=[{"created_at": "asc"}, {"id": "asc"}],
            )["hits"]["hits"]
            deliveries = self._deliveries([h["_id"] for h in hits]) if hits else {}
        except (ApiError, TransportError) as exc:
            raise self._fail("list alerts", exc) from None
        for hit in hits:
            yield Alert.from_record(
                {**hit["_source"], "deliveries": deliveries.get(hit["_id"], {})}
            )

    def close(self) -> None:
        self.client.close()
