"""Fixtures shared by the integration tests: a store and the alert ledger on each backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newswatch.storage import Ledger, open_ledger
from tests.cli import drop_es_store, es_store_url


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store URL for an empty alert ledger: a SQLite file, or Elasticsearch indices of
    their own (deleted after the test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    es_url = request.getfixturevalue("es_url")
    url = es_store_url(es_url, "newswatch-ledger")
    try:
        yield url
    finally:
        drop_es_store(es_url, url)


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    opened = open_ledger(ledger_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store: a SQLite file, or Elasticsearch indices of their own
    (deleted after the test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    es_url = request.getfixturevalue("es_url")
    url = es_store_url(es_url, "newswatch-test")
    try:
        yield url
    finally:
        drop_es_store(es_url, url)
