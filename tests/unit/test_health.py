"""Source health, adaptive polling and the worker split (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newswatch.config import Source
from newswatch.crawler.extensions.health import CrawlFacts, apply_crawl, next_interval
from newswatch.crawler.middlewares.politeness import retry_after_seconds
from newswatch.records import SourceState
from newswatch.scheduler.monitor import jitter_for, worker_share

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def facts(**values: int | str | None) -> CrawlFacts:
    base = dict(
        discovery_urls=1,
        discovery_read=1,
        not_modified=0,
        pages=5,
        links=4,
        new_articles=4,
        extracted=4,
        not_article=0,
        no_date=0,
        last_error=None,
    )
    base.update(values)
    return CrawlFacts(**base)  # type: ignore[arg-type]


def test_failing_after_n_failed_crawls_alerts_once_and_recovers() -> None:
    state = SourceState("planet")
    failed = facts(discovery_read=0, pages=1, new_articles=0, extracted=0,
                   last_error="feed http://x/feed.xml: HTTP 500")  # fmt: skip
    assert apply_crawl(state, failed, NOW, failures_to_alert=3) is None
    assert apply_crawl(state, failed, NOW, failures_to_alert=3) is None
    problem = apply_crawl(state, failed, NOW, failures_to_alert=3)
    assert problem is not None and "3 crawls in a row" in problem and "HTTP 500" in problem
    assert state.health == "failing" and state.health_since
    # The fourth failure is the same episode: no second alert.
    assert apply_crawl(state, failed, NOW, failures_to_alert=3) is None
    assert state.consecutive_failures == 4
    assert apply_crawl(state, facts(), NOW) is None
    assert state.health == "ok" and state.consecutive_failures == 0
    assert state.last_success_at == NOW.isoformat()


def test_a_304_is_a_successful_crawl() -> None:
    state = SourceState("planet")
    unchanged = facts(discovery_read=0, not_modified=1, pages=2, links=0, new_articles=0,
                      extracted=0)  # fmt: skip
    assert apply_crawl(state, unchanged, NOW) is None
    assert state.consecutive_failures == 0 and state.health == "ok"


def test_extraction_suddenly_empty_is_reported_once() -> None:
    state = SourceState("planet")
    apply_crawl(state, facts(), NOW)
    redesign = facts(new_articles=0, extracted=0, not_article=5)
    problem = apply_crawl(state, redesign, NOW)
    assert problem is not None and "extraction yields nothing" in problem
    assert state.health == "empty"
    assert apply_crawl(state, redesign, NOW) is None
    apply_crawl(state, facts(), NOW)
    assert state.health == "ok"


def test_a_new_source_without_articles_is_not_empty() -> None:
    state = SourceState("planet")
    assert apply_crawl(state, facts(new_articles=0, extracted=0, not_article=5), NOW) is None
    assert state.health == "ok"


def test_adaptive_interval_stretches_when_idle_and_shrinks_when_busy() -> None:
    base, low, high = timedelta(minutes=10), timedelta(minutes=2), timedelta(minutes=30)
    state = SourceState("planet", new_articles=0, links=20)
    assert next_interval(state, base, low, high) == timedelta(minutes=15)
    state.interval_seconds = 25 * 60
    assert next_interval(state, base, low, high) == high  # capped
    state = SourceState("planet", new_articles=15, links=20, interval_seconds=600)
    assert next_interval(state, base, low, high) == timedelta(minutes=5)
    state.interval_seconds = 150
    assert next_interval(state, base, low, high) == low  # floored
    state = SourceState("planet", new_articles=3, links=20, interval_seconds=600)
    assert next_interval(state, base, low, high) == timedelta(minutes=10)  # steady


def test_worker_shares_cover_every_source_once() -> None:
    sources = [Source(f"source-{i}", feeds=(f"http://h{i}/feed",)) for i in range(40)]
    for n in (1, 2, 3, 5):
        shares = [worker_share(sources, i, n) for i in range(1, n + 1)]
        names = [s.name for share in shares for s in share]
        assert sorted(names) == sorted(s.name for s in sources)
        assert all(shares), f"an empty share among {n} workers of 40 sources"
    # Adding a source moves no other.
    before = {s.name for s in worker_share(sources, 1, 3)}
    after = {s.name for s in worker_share([*sources, Source("new", feeds=("http://n/",))], 1, 3)}
    assert before <= after


def test_jitter_is_a_tenth_of_the_interval_at_most_a_minute() -> None:
    assert jitter_for(timedelta(seconds=30)) == 3
    assert jitter_for(timedelta(hours=2)) == 60


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds(b"soon") is None
    later = (datetime.now(UTC) + timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    wait = retry_after_seconds(later.encode())
    assert wait is not None and 80 <= wait <= 91
    assert retry_after_seconds(b"Mon, 01 Jan 2001 00:00:00 GMT") == 0.0
