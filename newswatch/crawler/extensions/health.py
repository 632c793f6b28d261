"""Source health: what one crawl says about a source, folded into its state; a source that
breaks raises one health alert per episode through the configured channels.

`SourceHealth` is the Scrapy extension that does it at the end of each crawl (on
`spider_closed`); the functions below are the pure rules, also used by `newswatch run` and
`newswatch status`.

A crawl *fails* when none of the source's feeds, sitemaps or listings could be read. A source
is `failing` after `health.failures` failed crawls in a row, and `empty` when pages were
fetched but extraction suddenly yields no article from a source that used to yield some (a
site redesign). Both return to `ok` on the next good crawl.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newswatch.config import Config
from newswatch.crawler.configured import crawl_config, store_url
from newswatch.records import SourceState
from newswatch.storage import StoreError, open_source_states

HEALTH_TOPIC = "source-health"
# Fewer article pages than this in a crawl say nothing about extraction.
EMPTY_MIN_PAGES = 3


@dataclass(frozen=True)
class CrawlFacts:
    """The figures of one crawl of one source (from the crawl's stats)."""

    discovery_urls: int
    discovery_read: int
    not_modified: int
    pages: int
    links: int
    new_articles: int
    extracted: int
    not_article: int
    no_date: int
    last_error: str | None = None
    flagged: int = 0

    @classmethod
    def from_stats(
        cls, stats: dict[str, Any], discovery_urls: int, last_error: str | None
    ) -> CrawlFacts:
        return cls(
            discovery_urls=discovery_urls,
            discovery_read=stats.get("discovery/read", 0),
            not_modified=stats.get("discovery/not_modified", 0),
            pages=stats.get("response_received_count", 0),
            links=stats.get("discovery/links", 0),
            new_articles=stats.get("store/new", 0),
            extracted=stats.get("extract/articles", 0),
            not_article=stats.get("extract/not_article", 0) + stats.get("extract/not_html", 0),
            no_date=stats.get("dates/unparsed", 0),
            last_error=last_error,
            flagged=sum(v for k, v in stats.items() if k.startswith("extract/flagged/")),
        )

    @property
    def failed(self) -> bool:
        return self.discovery_urls > 0 and self.discovery_read + self.not_modified == 0


def apply_crawl(
    state: SourceState, facts: CrawlFacts, now: datetime, failures_to_alert: int = 3
) -> str | None:
    """Fold one crawl into the state; return the problem to alert on when the source just
    became unhealthy (once per episode), else None."""
    stamp = now.astimezone(UTC).replace(microsecond=0).isoformat()
    state.crawls += 1
    state.last_crawl_at = stamp
    state.pages = facts.pages
    state.links = facts.links
    state.not_modified = facts.not_modified
    state.new_articles = facts.new_articles
    state.articles_total += facts.new_articles
    state.extracted = facts.extracted
    state.no_body = facts.not_article
    state.no_date = facts.no_date
    state.flagged = facts.flagged
    state.flagged_total += facts.flagged
    if facts.failed:
        state.consecutive_failures += 1
        state.last_error = facts.last_error or "no feed, sitemap or listing could be read"
        if state.consecutive_failures >= failures_to_alert and state.health != "failing":
            return _turn(
                state,
                "failing",
                f"{state.consecutive_failures} crawls in a row failed: {state.last_error}",
                stamp,
            )
        return None
    state.consecutive_failures = 0
    state.last_success_at = stamp
    article_pages = facts.extracted + facts.not_article
    if (
        article_pages >= EMPTY_MIN_PAGES
        and facts.extracted == 0
        and state.extracted_total > 0
        and state.health != "empty"
    ):
        return _turn(
            state,
            "empty",
            f"extraction yields nothing: {article_pages} pages fetched, 0 articles "
            f"(it found {state.extracted_total} before)",
            stamp,
        )
    state.extracted_total += facts.extracted
    if facts.extracted > 0 or state.health == "failing":
        state.health, state.health_problem, state.health_since = "ok", None, None
    return None


def _turn(state: SourceState, health: str, problem: str, stamp: str) -> str:
    state.health, state.health_problem, state.health_since = health, problem, stamp
    return problem


def next_interval(
    state: SourceState, base: timedelta, lower: timedelta, upper: timedelta
) -> timedelta:
    """Adaptive polling by the share of new items (as Media Cloud's rss-fetcher): a crawl
    that found nothing new stretches the interval by half; one where most of what the feeds
    list was new (items may have scrolled off unseen) halves it; within [lower, upper]."""
    current = timedelta(seconds=state.interval_seconds) if state.interval_seconds else base
    if state.consecutive_failures:
        return current
    if state.new_articles == 0:
        current = current * 1.5
    elif state.new_articles >= 0.5 * max(1, state.links):
        current = current / 2
    return max(lower, min(upper, current))


def health_alert_key(source: str, since: str | None) -> str:
    """One alert per source and episode (the moment it turned unhealthy)."""
    return hashlib.sha256(f"{source}\x1f{since}".encode()).hexdigest()[:24]


def raise_health_alert(config: Config, state: SourceState) -> bool:
    """Record a health alert for the source's current episode in the ledger (the notifier
    sends it like any other alert); False if there is nowhere to send it or it exists."""
    return _record(
        config,
        state.source,
        health_alert_key(state.source, state.health_since),
        f"source {state.source} is {state.health}: {state.health_problem}",
    )


def raise_stuck_alert(config: Config, source: str, why: str, claimed_at: str) -> bool:
    """A health alert for a source whose lease is stuck (`newswatch.scheduler.pool`): one
    per lease, whichever worker of the pool notices it first."""
    return _record(
        config,
        source,
        health_alert_key(source, f"lease {claimed_at}"),
        f"source {source} is stuck: {why}",
    )


def _record(config: Config, name: str, alert_id: str, title: str) -> bool:
    from newswatch.records import Alert, Delivery, now_utc
    from newswatch.storage import open_ledger

    channels = config.health.notify or tuple(config.notifiers)
    if not channels:
        return False
    source = config.source(name)
    alert = Alert(
        id=alert_id,
        topic=HEALTH_TOPIC,
        kind="health",
        story_id="",
        article_ids=[],
        urls=list(source.start_urls[:3]),
        outlets=[source.name] * min(3, len(source.start_urls)),
        title=title,
        created_at=now_utc().isoformat(),
        deliveries={name: Delivery(name) for name in channels},
    )
    ledger = open_ledger(config.store)
    try:
        return ledger.record(alert)
    finally:
        ledger.close()


class SourceHealth:
    """The source's state across crawls. When the crawl opens (`spider_opened`, before the
    spider's first request) it reads the state into `spider.state` (the conditional-GET
    validators and the links gone that discovery needs); when it closes it folds the crawl's
    figures in (health, articles, validators), saves the state, and raises a health alert
    when the source turns unhealthy."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state: SourceState | None = None  # None until read: nothing to save

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceHealth:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        source = getattr(spider, "source", None)
        if source is None:  # not a newswatch spider
            return
        try:
            states = open_source_states(store_url(self.crawler.settings))
            try:
                self.state = states.get(source.name)
            finally:
                states.close()
        except StoreError as exc:  # the crawl goes on with an empty state
            spider.logger.error("source %s: cannot read its state: %s", source.name, exc)
            self.state = SourceState(source.name)
        spider.state = self.state

    def spider_closed(self, spider: Spider, reason: str) -> None:
        state = self.state
        if state is None:
            return
        stats = self.crawler.stats.get_stats()
        interrupted = reason != "finished"
        if (
            interrupted
            or getattr(spider, "article_failures", 0)
            or stats.get("store/errors")
            or stats.get("store/lost")
            or stats.get("alerts/errors")
        ):
            # Some links were not stored: the next crawl must list them again, not get a 304.
            state.validators = {}
        config = crawl_config(self.crawler.settings)
        problem = None
        if interrupted:  # (shutdown) says nothing of the source's health
            state.articles_total += stats.get("store/new", 0)
        else:
            source = config.source(state.source)
            facts = CrawlFacts.from_stats(
                stats, len(source.start_urls), getattr(spider, "last_error", None)
            )
            problem = apply_crawl(state, facts, datetime.now(UTC), config.health.failures)
        try:
            states = open_source_states(store_url(self.crawler.settings))
            try:
                states.put(state)
            finally:
                states.close()
            if problem:
                spider.logger.error("source %s is %s: %s", state.source, state.health, problem)
                raise_health_alert(config, state)
        except StoreError as exc:
            spider.logger.error("source %s: cannot save its state: %s", state.source, exc)
