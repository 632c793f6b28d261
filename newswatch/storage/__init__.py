"""Storage backends behind one protocol each (`base`), opened by the URL scheme of the
`store:` setting. This is the one scheme registry: `sqlite://` -> `sqlite/`, `http(s)://`
-> `elasticsearch/`; each backend keeps the articles, the story signatures, the alert ledger
and outbox, the sources' state and the workers' leases."""

from newswatch.storage.base import Leases, Ledger, Reindexable, SourceStates, Store, StoreError

__all__ = [
    "Leases",
    "Ledger",
    "Reindexable",
    "SourceStates",
    "Store",
    "StoreError",
    "open_leases",
    "open_ledger",
    "open_source_states",
    "open_store",
]


def _scheme(url: str) -> str:
    scheme = url.split(":", 1)[0].lower()
    if scheme in ("sqlite", "http", "https"):
        return "sqlite" if scheme == "sqlite" else "elasticsearch"
    raise StoreError(
        f"unknown store URL scheme {scheme!r} in {url!r}: use sqlite:/// or http(s)://"
    )


def open_store(url: str) -> Store:
    """The articles (and story signatures) of the store named by the URL."""
    if _scheme(url) == "sqlite":
        from newswatch.storage.sqlite import SQLiteStore

        return SQLiteStore.from_url(url)
    from newswatch.storage.elasticsearch import ElasticsearchStore

    return ElasticsearchStore.from_url(url)


def open_ledger(url: str) -> Ledger:
    """The alert ledger and outbox that live in the store named by the URL."""
    if _scheme(url) == "sqlite":
        from newswatch.storage.sqlite import SQLiteLedger, SQLiteStore

        return SQLiteLedger(SQLiteStore.from_url(url).path)
    from newswatch.storage.elasticsearch.ledger import ElasticsearchLedger

    return ElasticsearchLedger.from_url(url)


def open_source_states(url: str) -> SourceStates:
    """The sources' state beside the articles of the store named by the URL."""
    if _scheme(url) == "sqlite":
        from newswatch.storage.sqlite import SQLiteSourceStates, SQLiteStore

        store = SQLiteStore.from_url(url)
        store.close()
        return SQLiteSourceStates(store.path)
    from newswatch.storage.elasticsearch.sources import ElasticsearchSourceStates

    return ElasticsearchSourceStates.from_url(url)


def open_leases(url: str) -> Leases:
    """The work leases of a pool of workers, kept in the store named by the URL."""
    if _scheme(url) == "sqlite":
        from newswatch.storage.sqlite import SQLiteLeases, SQLiteStore

        store = SQLiteStore.from_url(url)
        store.close()
        return SQLiteLeases(store.path)
    from newswatch.storage.elasticsearch.leases import ElasticsearchLeases

    return ElasticsearchLeases.from_url(url)
