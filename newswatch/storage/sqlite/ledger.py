"""The alert ledger and outbox in SQLite (`alerts` and `deliveries` tables beside the
articles): see `newswatch.storage.base.Ledger`."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime

from newswatch.records import LEASE, Alert, iso, merge_into
from newswatch.storage.base import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_created_at ON alerts (created_at);
CREATE TABLE IF NOT EXISTS deliveries (
    alert_id TEXT NOT NULL REFERENCES alerts (id),
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TEXT,
    next_attempt_at TEXT,
    PRIMARY KEY (alert_id, channel)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at);
"""


class SQLiteLedger:
    """The ledger in the SQLite store's database file (tables alerts, deliveries)."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the alert ledger in {path}: {exc}") from None
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._lock = threading.Lock()
        self.setup()

    def setup(self) -> None:
        with self._lock:
            self._conn.executescript(_SCHEMA)

    def record(self, alert: Alert) -> bool:
        with self._lock, self._conn:
            # BEGIN IMMEDIATE: two processes recording the same alert cannot both create it.
            self._conn.execute("BEGIN IMMEDIATE")
            row = self._conn.execute("SELECT data FROM alerts WHERE id = ?", (alert.id,)).fetchone()
            if row is None:
                data = alert.record()
                deliveries = data.pop("deliveries")
                self._conn.execute(
                    "INSERT INTO alerts (id, topic, created_at, data) VALUES (?, ?, ?, ?)",
                    (alert.id, alert.topic, alert.created_at, json.dumps(data)),
                )
                self._conn.executemany(
                    "INSERT INTO deliveries (alert_id, channel, status, attempts, "
                    "next_attempt_at) VALUES (?, ?, ?, 0, ?)",
                    [
                        (alert.id, n, d["status"], d["next_attempt_at"])
                        for n, d in deliveries.items()
                    ],
                )
                return True
            existing = json.loads(row[0])
            current = Alert.from_record({**existing, "deliveries": {}})
            if merge_into(current, alert):
                data = current.record()
                data.pop("deliveries")
                self._conn.execute(
                    "UPDATE alerts SET data = ? WHERE id = ?", (json.dumps(data), alert.id)
                )
            return False

    def claim_due(self, now: datetime, limit: int = 50) -> list[tuple[Alert, str]]:
        stamp = iso(now)
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            rows = self._conn.execute(
                "SELECT alert_id, channel FROM deliveries WHERE "
                "(status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)) OR "
                "(status = 'sending' AND next_attempt_at <= ?) "
                "ORDER BY next_attempt_at LIMIT ?",
                (stamp, stamp, limit),
            ).fetchall()
            lease_until = iso(now + LEASE)
            self._conn.executemany(
                "UPDATE deliveries SET status = 'sending', attempts = attempts + 1, "
                "next_attempt_at = ? WHERE alert_id = ? AND channel = ?",
                [(lease_until, a, c) for a, c in rows],
            )
        return [(self._get(alert_id), channel) for alert_id, channel in rows]

    def _get(self, alert_id: str) -> Alert:
        with self._lock:
            row = self._conn.execute("SELECT data FROM alerts WHERE id = ?", (alert_id,)).fetchone()
            deliveries = self._conn.execute(
                "SELECT channel, status, attempts, last_error, sent_at, next_attempt_at "
                "FROM deliveries WHERE alert_id = ?",
                (alert_id,),
            ).fetchall()
        data = json.loads(row[0])
        data["deliveries"] = {
            d[0]: dict(
                zip(
                    ("channel", "status", "attempts", "last_error", "sent_at", "next_attempt_at"),
                    d,
                    strict=True,
                )
            )
            for d in deliveries
        }
        return Alert.from_record(data)

    def mark_sent(self, alert_id: str, channel: str, when: datetime) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "UPDATE deliveries SET status = 'sent', sent_at = ?, last_error = NULL, "
                "next_attempt_at = NULL WHERE alert_id = ? AND channel = ?",
                (iso(when), alert_id, channel),
            )

    def mark_failed(
        self, alert_id: str, channel: str, error: str, retry_at: datetime | None
    ) -> None:
        status = "pending" if retry_at else "failed"
        with self._lock, self._conn:
            self._conn.execute(
                "UPDATE deliveries SET status = ?, last_error = ?, next_attempt_at = ? "
                "WHERE alert_id = ? AND channel = ?",
                (status, error[:500], iso(retry_at), alert_id, channel),
            )

    def alerts(self, since: datetime | None = None) -> Iterator[Alert]:
        with self._lock:
            ids = [
                r[0]
                for r in self._conn.execute(
                    "SELECT id FROM alerts WHERE created_at >= ? ORDER BY created_at, id",
                    (iso(since) or "",),
                )
            ]
        for alert_id in ids:
            yield self._get(alert_id)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
