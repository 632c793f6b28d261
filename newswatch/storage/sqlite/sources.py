"""A source's state in SQLite (a `source_state` table beside the articles): see
`newswatch.storage.base.SourceStates`."""

from __future__ import annotations

import json
import sqlite3
import threading

from newswatch.records import SourceState
from newswatch.storage.base import StoreError

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
