"""Shared fixtures for the whole test suite."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from newswatch.storage.base import Store

# ============================================================================================
# Storage backends: `es_url` and the `store` fixture run one test on SQLite and Elasticsearch.
# ============================================================================================

ES_URL_VARIABLE = "NEWSWATCH_TEST_ES_URL"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def es_url() -> str:
    """The real Elasticsearch to test against. Skipped locally without it; in CI a failure."""
    url = os.environ.get(ES_URL_VARIABLE, "").strip()
    if not url:
        message = (
            f"{ES_URL_VARIABLE} is not set: run `scripts/elasticsearch.sh start` and export "
            f"{ES_URL_VARIABLE}=<the URL it prints>"
        )
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return url.rstrip("/")


def _open_sqlite(tmp_path: Path) -> Iterator[Store]:
    from newswatch.storage.sqlite import SQLiteStore

    store = SQLiteStore(str(tmp_path / "newswatch.db"))
    try:
        yield store
    finally:
        store.close()


def _open_elasticsearch(es_url: str) -> Iterator[Store]:
    from newswatch.storage.elasticsearch import ElasticsearchStore

    # A fresh alias (monthly indices, template) per test: tests never see each other's documents.
    index = f"newswatch-test-{uuid.uuid4().hex[:12]}"
    store = ElasticsearchStore.from_url(f"{es_url}?index={index}")
    try:
        store.setup()
        yield store
    finally:
        try:
            store.drop()  # its monthly indices, side indices and template
        finally:
            store.close()


@pytest.fixture(params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An opened store with its schema set up, empty; removed after the test."""
    if request.param == "sqlite":
        yield from _open_sqlite(tmp_path)
    else:
        yield from _open_elasticsearch(request.getfixturevalue("es_url"))


# ============================================================================================
# End of storage backends.
# ============================================================================================
