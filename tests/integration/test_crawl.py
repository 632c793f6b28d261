"""`newswatch crawl` end to end against the fixture site, into SQLite and Elasticsearch.

Each crawl is a real `newswatch` process (a Twisted reactor runs once per process); the
assertions are on what the store holds and what the fixture site was asked for.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from newswatch.demo.site import NewsSite, config_yaml
from newswatch.storage import open_store
from tests.cli import drop_es_store, es_store_url, newswatch
from tests.site import expected_for, fixture_site

FIELDS = {
    "id", "url", "canonical_url", "source", "domain", "title", "body", "authors", "language",
    "published_at", "published_at_raw", "published_at_source", "modified_at", "fetched_at",
    "story_id", "duplicate_of", "content_hash", "statements", "topics", "quality",
}  # fmt: skip


@pytest.fixture(scope="module")
def site() -> Iterator[NewsSite]:
    with fixture_site(slow_seconds=2.0) as running:
        yield running


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)],
)
def crawled(request: pytest.FixtureRequest, site: NewsSite, tmp_path_factory) -> dict[str, Any]:
    """Two crawls of the whole fixture site into a fresh store; what they printed and stored."""
    workdir = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        store_url = f"sqlite:///{workdir / 'newswatch.db'}"
    else:
        es_url = request.getfixturevalue("es_url")
        store_url = es_store_url(es_url, "newswatch-crawl")
    config = workdir / "newswatch.yaml"
    config.write_text(config_yaml(site, store_url), encoding="utf-8")
    site.reset_hits()
    first = newswatch("crawl", "-c", str(config), "--json")
    first_article_hits = site.article_hits()
    site.reset_hits()
    second = newswatch("crawl", "-c", str(config), "--json")
    hits = site.hits
    stored_paths = {(t["publisher"], t["path"]) for t in expected_for(site)["articles"].values()
                    if t["stored"]}  # fmt: skip
    # Pages that failed (HTTP 500) are rightly tried again; stored articles must not be.
    second_article_hits = sum(n for key, n in hits.items() if key in stored_paths)
    exported = newswatch("export", "-c", str(config))
    result = {
        "config": config, "store_url": store_url, "first": first, "second": second,
        "first_article_hits": first_article_hits, "second_article_hits": second_article_hits,
        "records": [json.loads(line) for line in exported.stdout.splitlines()],
        "export": exported,
    }  # fmt: skip
    yield result
    if request.param == "elasticsearch":
        drop_es_store(request.getfixturevalue("es_url"), store_url)


def summaries(proc: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    return {row["source"]: row for row in rows}


def stored_by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["canonical_url"]: r for r in records}


def test_every_fixture_article_stored_exactly_once(crawled, site) -> None:
    truth = expected_for(site)
    records = crawled["records"]
    assert crawled["export"].returncode == 0, crawled["export"].stderr
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    urls = stored_by_url(records)
    wanted = {t["url"] for t in truth["articles"].values() if t["stored"]}
    missing = wanted - set(urls)
    assert not missing, f"not stored: {sorted(missing)}"
    unwanted = {t["url"] for t in truth["articles"].values() if not t["stored"]}
    assert not (unwanted & set(urls))
    # a page the feed lists is kept even when it is no article, flagged; a listing's is not
    flagged = {n["url"]: n["kept_as"] for n in truth["non_articles"] if n["kept_as"]}
    assert flagged and {url: urls[url]["quality"] for url in flagged} == flagged
    dropped = {n["url"] for n in truth["non_articles"] if not n["kept_as"]}
    assert dropped and not (dropped & set(urls))
    assert all(urls[url]["quality"] is None for url in wanted)
    assert len(records) == len(wanted) + len(flagged)
    assert summaries(crawled["first"]) and sum(
        s["new"] for s in summaries(crawled["first"]).values()
    ) == len(wanted) + len(flagged)


def test_second_crawl_fetches_no_article_and_stores_nothing(crawled) -> None:
    assert crawled["first_article_hits"] > 0
    assert crawled["second_article_hits"] == 0
    second = summaries(crawled["second"])
    assert sum(s["new"] for s in second.values()) == 0
    assert sum(s["existing"] for s in second.values()) == 0
    assert sum(s["known"] for s in second.values()) > 0


def test_records_have_the_contract_fields_and_the_published_content(crawled, site) -> None:
    truth = expected_for(site)
    urls = stored_by_url(crawled["records"])
    for t in truth["articles"].values():
        if not t["stored"]:
            continue
        record = urls[t["url"]]
        assert set(record) == FIELDS
        assert record["title"] == t["title"], t["key"]
        body = record["body"]
        for paragraph in t["paragraphs"]:
            assert paragraph in body, f"{t['key']}: paragraph missing from body"
        assert record["language"] == t["language"], t["key"]
        assert record["source"] == t["publisher"]
        datetime.fromisoformat(record["fetched_at"])


def test_machine_readable_dates_are_the_right_utc_instant(crawled, site) -> None:
    truth = expected_for(site)
    urls = stored_by_url(crawled["records"])
    checked = 0
    for t in truth["articles"].values():
        if not t["stored"] or t["date_markup"] not in ("jsonld", "meta"):
            continue
        record = urls[t["url"]]
        got = datetime.fromisoformat(record["published_at"])
        assert got.utcoffset().total_seconds() == 0
        assert got == datetime.fromisoformat(t["published_at"]), t["key"]
        assert record["published_at_source"] in ("jsonld", "meta")
        checked += 1
    assert checked >= 10


def test_hostile_cases_are_handled_and_named(crawled, site) -> None:
    first = crawled["first"]
    assert "Traceback" not in first.stderr
    hostile = summaries(first)["hostile"]
    assert hostile["finish_reason"] == "finished"
    assert hostile["robots_forbidden"] >= 1
    assert hostile["not_article"] >= 1 and hostile["flagged"] == 1
    assert hostile["errors"] >= 3  # 404, 500 and the malformed feed
    cases = expected_for(site)["hostile"]["cases"]
    urls = stored_by_url(crawled["records"])
    truth = expected_for(site)["articles"]
    for name in ("redirect", "slow", "cp1251", "huge"):
        assert truth[cases[name]["article"]]["url"] in urls, name
    cp1251 = urls[truth[cases["cp1251"]["article"]]["url"]]
    assert truth[cases["cp1251"]["article"]]["paragraphs"][0] in cp1251["body"]
    lines = first.stderr
    assert "HTTP 404" in lines and "HTTP 500" in lines and "malformed" in lines


def test_search_finds_stored_articles(crawled, site) -> None:
    truth = expected_for(site)
    planet = next(
        t for t in truth["articles"].values() if t["publisher"] == "planet" and t["stored"]
    )
    word = max(planet["title"].split(), key=len).strip(".,:;'\"")
    found = newswatch("search", "-c", str(crawled["config"]), word, "--json")
    assert found.returncode == 0, found.stderr
    assert planet["url"] in {
        json.loads(line)["canonical_url"] for line in found.stdout.splitlines()
    }


def test_store_counts_match_export(crawled) -> None:
    store = open_store(crawled["store_url"])
    try:
        assert store.count() == len(crawled["records"])
    finally:
        store.close()
