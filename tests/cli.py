"""Helpers for tests that run the real `newswatch` command and use a real store."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

# Indices an Elasticsearch store creates beside its article index.
SIDE_INDICES = ("-signatures", "-alerts", "-outbox")


def newswatch(*args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """Run `newswatch ARGS` in its own process (a Twisted reactor runs once per process)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "newswatch.scheduler.cli", *args],
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
    from elasticsearch import Elasticsearch

    index = store_url.split("index=")[1]
    client = Elasticsearch(es_url)
    try:
        for name in (index, *(index + suffix for suffix in SIDE_INDICES)):
            client.indices.delete(index=name, ignore_unavailable=True)
        client.options(ignore_status=404).indices.delete_index_template(name=index)
    finally:
        client.close()
