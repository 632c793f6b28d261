"""Storage backends behind one protocol, chosen by the URL scheme of the `store:` setting."""

from newswatch.storage.base import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]
