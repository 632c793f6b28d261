"""Alerting: the alert ledger and outbox, the notifier and its delivery channels."""

from __future__ import annotations

from newswatch.alerting.ledger import Ledger


def open_ledger(store_url: str) -> Ledger:
    """The ledger that lives in the store named by the URL (one per backend)."""
    scheme = store_url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        from newswatch.alerting.ledger import SQLiteLedger
        from newswatch.storage.sqlite import SQLiteStore

        return SQLiteLedger(SQLiteStore.from_url(store_url).path)
    from newswatch.alerting.ledger_es import ElasticsearchLedger

    return ElasticsearchLedger.from_url(store_url)
