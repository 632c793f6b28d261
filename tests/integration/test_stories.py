"""Stories end to end: `newswatch crawl` groups the copies of one story, in SQLite and
Elasticsearch, within one crawl and across crawls in separate processes.

Needs the dedupe stage in ITEM_PIPELINES (newswatch.pipelines.dedupe.DedupePipeline).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newswatch.demo.site import NewsSite, config_yaml
from tests.cli import drop_es_store, es_store_url, newswatch
from tests.site import expected_for, fixture_site

WIRE = "kursk-wire"


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    with fixture_site(slow_seconds=0.5) as running:
        yield running


def _store_url(request: pytest.FixtureRequest, backend: str, workdir: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{workdir / 'newswatch.db'}"
    es_url = request.getfixturevalue("es_url")
    return es_store_url(es_url, "newswatch-stories")


def _drop(request: pytest.FixtureRequest, store_url: str) -> None:
    if "index=" in store_url:
        drop_es_store(request.getfixturevalue("es_url"), store_url)


def _crawl(config: Path, *sources: str) -> None:
    proc = newswatch("crawl", "-c", str(config), "--json", *sources)
    assert proc.returncode == 0, proc.stderr


def _export(config: Path) -> dict[str, dict[str, Any]]:
    proc = newswatch("export", "-c", str(config))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    return {record["canonical_url"]: record for record in records}


BACKENDS = ["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)]


@pytest.fixture(scope="module", params=BACKENDS)
def crawled(
    request: pytest.FixtureRequest, site: NewsSite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, dict[str, Any]]]:
    """One crawl of the whole fixture site; the stored records by canonical URL."""
    workdir = tmp_path_factory.mktemp(f"stories-{request.param}")
    store_url = _store_url(request, request.param, workdir)
    config = workdir / "newswatch.yaml"
    config.write_text(config_yaml(site, store_url), encoding="utf-8")
    try:
        _crawl(config)
        yield _export(config)
    finally:
        _drop(request, store_url)


def test_copies_share_a_story_and_other_stories_do_not(crawled, site) -> None:
    truth = expected_for(site)
    wire_keys = truth["stories"][WIRE]
    assert len(wire_keys) == 3
    wire = [crawled[truth["articles"][key]["url"]] for key in wire_keys]
    (story,) = {record["story_id"] for record in wire}
    assert story
    # The first copy starts the story; the others point at an article of it.
    originals = [record for record in wire if record["duplicate_of"] is None]
    assert len(originals) == 1 and originals[0]["id"] == story
    for record in wire:
        if record is not originals[0]:
            assert record["duplicate_of"] in {r["id"] for r in wire}
    # Everything else (the unrelated story on the same topic, the same event written
    # separately in other languages, ...) is a story of its own.
    others = [r for url, r in crawled.items() if r["id"] not in {w["id"] for w in wire}]
    assert others and all(r["story_id"] != story for r in others)
    sanctions = [r for r in others if "sanctions" in r["canonical_url"]]
    assert sanctions and all(r["story_id"] == r["id"] for r in sanctions)
    assert all(r["story_id"] for r in crawled.values())


@pytest.mark.parametrize("backend", BACKENDS)
def test_copies_crawled_by_separate_processes_share_a_story(
    request: pytest.FixtureRequest, site: NewsSite, tmp_path: Path, backend: str
) -> None:
    truth = expected_for(site)
    wire = {truth["articles"][key]["publisher"]: truth["articles"][key]["url"]
            for key in truth["stories"][WIRE]}  # fmt: skip
    first, second = sorted(wire)[:2]
    store_url = _store_url(request, backend, tmp_path)
    configs = []
    for name in (first, second):
        config = tmp_path / f"{name}.yaml"
        config.write_text(config_yaml(site, store_url, sources=[name]), encoding="utf-8")
        configs.append(config)
    try:
        _crawl(configs[0])  # one process, then another: they share only the store
        _crawl(configs[1])
        records = _export(configs[0])
    finally:
        _drop(request, store_url)
    a, b = records[wire[first]], records[wire[second]]
    assert a["story_id"] == b["story_id"] == a["id"]
    assert b["duplicate_of"] == a["id"] and a["duplicate_of"] is None
