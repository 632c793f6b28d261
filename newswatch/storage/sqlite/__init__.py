"""The SQLite backend (the embedded default): articles with full-text search, story
signatures, the alert ledger and outbox, the sources' state and the workers' leases, in one database
file."""

from newswatch.storage.sqlite.articles import SQLiteStore
from newswatch.storage.sqlite.leases import SQLiteLeases
from newswatch.storage.sqlite.ledger import SQLiteLedger
from newswatch.storage.sqlite.sources import SQLiteSourceStates

__all__ = ["SQLiteLeases", "SQLiteLedger", "SQLiteSourceStates", "SQLiteStore"]
