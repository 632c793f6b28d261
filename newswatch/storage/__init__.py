"""Storage backends behind one protocol, opened by the URL scheme of the `store:` setting
(the one scheme registry: `sqlite://` -> sqlite.py, `http(s)://` -> elasticsearch.py)."""

from newswatch.storage.base import Reindexable, Store, StoreError

__all__ = ["Reindexable", "Store", "StoreError", "open_store"]


def open_store(url: str) -> Store:
    """Open the backend named by the URL scheme."""
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        from newswatch.storage.sqlite import SQLiteStore

        return SQLiteStore.from_url(url)
    if scheme in ("http", "https"):
        from newswatch.storage.elasticsearch import ElasticsearchStore

        return ElasticsearchStore.from_url(url)
    raise StoreError(
        f"unknown store URL scheme {scheme!r} in {url!r}: use sqlite:/// or http(s)://"
    )
