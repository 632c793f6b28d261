"""Run crawls in this process and summarise them per source (the wiring behind
`newswatch crawl` and `newswatch demo`)."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import asdict, dataclass
from typing import Any, TextIO

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from newswatch.config import Config, Source
from newswatch.crawler.spiders.news import NewsSpider
from newswatch.crawler.workers import shutdown_pools
from newswatch.scheduler.progress import Progress


@dataclass
class SourceSummary:
    source: str
    pages: int
    not_modified: int
    discovered: int
    known: int
    new: int
    existing: int
    not_article: int
    flagged: int
    robots_forbidden: int
    errors: int
    finish_reason: str

    @classmethod
    def from_stats(cls, source: str, stats: dict[str, Any]) -> SourceSummary:
        # Each failure once: errors/* (downloads, HTTP), spider_exceptions/* (bugs), broken
        # or damaged discovery documents, store refusals. Not log_count/ERROR: Scrapy's log
        # counter is shared by the crawlers of a process.
        errors = sum(v for k, v in stats.items() if k.startswith(("errors/", "spider_exceptions/")))
        for key in ("discovery/errors", "discovery/damaged", "store/errors"):
            errors += stats.get(key, 0)
        return cls(
            source=source,
            pages=stats.get("response_received_count", 0),
            not_modified=stats.get("discovery/not_modified", 0),
            discovered=stats.get("discovery/links", 0),
            known=stats.get("discovery/known", 0),
            new=stats.get("store/new", 0),
            existing=stats.get("store/existing", 0),
            not_article=stats.get("extract/not_article", 0) + stats.get("extract/not_html", 0),
            flagged=sum(v for k, v in stats.items() if k.startswith("extract/flagged/")),
            robots_forbidden=stats.get("robotstxt/forbidden", 0),
            errors=errors,
            finish_reason=str(stats.get("finish_reason", "not started")),
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def crawl_settings(
    config: Config, overrides: dict[str, Any] | None = None, log_level: str = "WARNING"
) -> Settings:
    settings = Settings()
    settings.setmodule("newswatch.crawler.settings", priority="project")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("LOG_FORMAT", "%(levelname)s %(message)s", priority="cmdline")
    settings.set("NEWSWATCH_CONFIG", config.path, priority="cmdline")
    settings.set("NEWSWATCH_CONFIG_OBJECT", config, priority="cmdline")
    settings.set("NEWSWATCH_STORE", config.store, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def chromium_path() -> str | None:
    """The browser for render_js sources: $NEWSWATCH_CHROMIUM, else Debian's chromium."""
    configured = os.environ.get("NEWSWATCH_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def source_settings(base: Settings, source: Source) -> Settings:
    """The crawl settings of one source: its politeness delay, and the headless browser
    (scrapy-playwright, bounded pages, a page timeout) when it renders JavaScript. A source
    with neither gets `base` itself: Scrapy's Crawler copies the settings it is given, and a
    second deep copy per crawl was a tenth of a busy worker's CPU."""
    if not source.delay and not source.render_js:
        return base
    settings = base.copy()
    if source.delay:
        settings.set("DOWNLOAD_DELAY", source.delay, priority="spider")
        settings.set("AUTOTHROTTLE_START_DELAY", source.delay, priority="spider")
    if source.render_js:
        handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
        settings.set("DOWNLOAD_HANDLERS", {"http": handler, "https": handler}, priority="spider")
        launch: dict[str, Any] = {"headless": True}
        browser = chromium_path()
        if browser:
            launch["executable_path"] = browser
        if os.geteuid() == 0:
            launch["args"] = ["--no-sandbox"]  # Chromium refuses to sandbox under root
        settings.set("PLAYWRIGHT_BROWSER_TYPE", "chromium", priority="spider")
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch, priority="spider")
        settings.set(
            "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT",
            base.getint("NEWSWATCH_BROWSER_PAGES", 4),
            priority="spider",
        )
        settings.set(
            "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT",
            base.getfloat("NEWSWATCH_BROWSER_TIMEOUT", 30) * 1000,
            priority="spider",
        )
    return settings


def run_crawls(
    config: Config,
    sources: list[Source],
    overrides: dict[str, Any] | None = None,
    log_level: str = "WARNING",
    progress: TextIO | None = None,
) -> list[SourceSummary]:
    """Crawl the sources concurrently in one reactor; return when all are done. A reactor
    runs once per process: call this once (the scheduler runs crawls in subprocesses).
    `progress`: a stream for one updating progress line, drawn only if it is a terminal."""
    settings = crawl_settings(config, overrides, log_level)
    process = CrawlerProcess(settings)
    _quiet_logging(log_level)
    crawlers: list[tuple[Source, Crawler]] = []
    for source in sources:
        # The first crawler installs the reactor, as CrawlerProcess.create_crawler would.
        crawler = Crawler(NewsSpider, source_settings(settings, source), init_reactor=not crawlers)
        crawlers.append((source, crawler))
        process.crawl(crawler, source=source)
    shown = Progress.for_terminal([crawler for _source, crawler in crawlers], progress)
    if shown is not None:
        from twisted.internet import reactor

        reactor.callWhenRunning(shown.start)  # type: ignore[attr-defined]
    try:
        process.start()
    finally:
        if shown is not None:
            shown.stop()
        shutdown_pools()
    return [
        SourceSummary.from_stats(source.name, crawler.stats.get_stats())
        for source, crawler in crawlers
    ]


def deliver_due(config: Config) -> Any:
    """Send what the outbox has due; None when no notifier is configured."""
    if not config.notifiers:
        return None
    from newswatch.alerting.notifier import OutboxNotifier
    from newswatch.storage import open_ledger

    ledger = open_ledger(config.store)
    try:
        return OutboxNotifier.from_config(config, ledger).deliver_due()
    finally:
        ledger.close()


class _OneLine(logging.Filter):
    """Fold a traceback into the end of its message: users get one line per problem."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            record.msg = f"{record.getMessage()}: {type(exc).__name__}: {exc}"[:500]
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def _quiet_logging(level: str) -> None:
    """After Scrapy installed its log handler: one line per problem, libraries quiet."""
    if level == "DEBUG":
        return
    for handler in logging.getLogger().handlers:
        handler.addFilter(_OneLine())
    for noisy in ("trafilatura", "htmldate", "elastic_transport", "urllib3", "py.warnings"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    # The spider's errback reports a request that failed for good, in one line of its own.
    logging.getLogger("scrapy.downloadermiddlewares.retry").setLevel(logging.CRITICAL)
