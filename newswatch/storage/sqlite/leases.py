"""Work leases in SQLite (a `leases` table beside the articles), for workers on one machine
sharing a SQLite store: see `newswatch.storage.base.Leases`. A claim is one `BEGIN
IMMEDIATE` transaction, so two processes claiming at once are serialised by SQLite."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta

from newswatch.records import Lease
from newswatch.storage.base import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS leases (
    key TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    renewed_at TEXT NOT NULL
)
"""


class SQLiteLeases:
    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(
                path, timeout=30, check_same_thread=False, isolation_level=None
            )
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the leases in {path!r}: {exc}") from exc

    def claim(self, key: str, owner: str, ttl: timedelta, now: datetime) -> bool:
        stamp, expires = _iso(now), _iso(now + ttl)
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    row = self._conn.execute(
                        "SELECT owner, expires_at, claimed_at FROM leases WHERE key = ?", (key,)
                    ).fetchone()
                    if row is not None and row[0] != owner and row[1] > stamp:
                        self._conn.execute("ROLLBACK")
                        return False
                    claimed = row[2] if row is not None and row[0] == owner else stamp
                    self._conn.execute(
                        "INSERT INTO leases (key, owner, expires_at, claimed_at, renewed_at) "
                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET owner = "
                        "excluded.owner, expires_at = excluded.expires_at, claimed_at = "
                        "excluded.claimed_at, renewed_at = excluded.renewed_at",
                        (key, owner, expires, claimed, stamp),
                    )
                    self._conn.execute("COMMIT")
                    return True
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StoreError(f"cannot claim {key!r} in {self.path!r}: {exc}") from exc

    def release(self, key: str, owner: str) -> None:
        with self._lock:
            try:
                self._conn.execute("DELETE FROM leases WHERE key = ? AND owner = ?", (key, owner))
            except sqlite3.Error as exc:
                raise StoreError(f"cannot release {key!r} in {self.path!r}: {exc}") from exc

    def leases(self) -> list[Lease]:
        with self._lock:
            try:
                rows = self._conn.execute(
                    "SELECT key, owner, expires_at, claimed_at, renewed_at FROM leases "
                    "ORDER BY key"
                ).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the leases in {self.path!r}: {exc}") from exc
        return [Lease(*row) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _iso(moment: datetime) -> str:
    # one fixed-width form, so that comparing the strings compares the instants
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
