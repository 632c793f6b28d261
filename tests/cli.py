"""Helpers for tests that run the real `newswatch` command and use a real store."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

# Indices an Elasticsearch store creates beside its article index.
SIDE_INDICES = ("-signatures", "-alerts", "-outbox", "-sources", "-leases")


def newswatch(*args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run `newswatch ARGS` in its own process (a Twisted reactor runs once per process)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "newswatch.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def es_store_url(es_url: str, prefix: str) -> str:
    """A store URL on a fresh index of its own."""
    return f"{es_url}?index={prefix}-{uuid.uuid4().hex[:10]}"


def drop_es_store(es_url: str, store_url: str) -> None:
    """Delete what an Elasticsearch store made: its index, side indices and template."""
    if "index=" not in store_url:
        return
    from newswatch.storage.elasticsearch import ElasticsearchStore

    index = store_url.split("index=")[1]
    store = ElasticsearchStore.from_url(f"{es_url}?index={index}")
    try:
        store.drop()  # its monthly indices, the side indices (SIDE_INDICES) and template
    finally:
        store.close()
