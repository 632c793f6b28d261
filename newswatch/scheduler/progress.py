"""One updating line on a terminal while `newswatch crawl` runs: sources done, discovery
documents read, pages fetched, articles stored, the storing rate and errors. Nothing at all
when the stream is not a terminal (a pipe, a log file, cron) or with `--json`."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, TextIO

from scrapy.crawler import Crawler

INTERVAL = 0.5  # seconds between redraws


def progress_line(stats: Sequence[dict[str, Any]], elapsed: float) -> str:
    """The line for the crawlers' stats so far (`SourceSummary` counts errors the same way)."""
    done = sum(1 for s in stats if "finish_reason" in s)
    read = sum(s.get("discovery/read", 0) + s.get("discovery/not_modified", 0) for s in stats)
    pages = sum(s.get("response_received_count", 0) for s in stats)
    stored = sum(s.get("store/new", 0) for s in stats)
    errors = sum(
        v
        for s in stats
        for k, v in s.items()
        if k.startswith(("errors/", "spider_exceptions/"))
        or k in ("discovery/errors", "discovery/damaged", "store/errors")
    )
    rate = stored / elapsed if elapsed > 0 else 0.0
    return (
        f"crawling: {done}/{len(stats)} sources done, {read} feeds/sitemaps/listings read, "
        f"{pages} pages, {stored} new articles ({rate:.1f}/s), {errors} errors"
    )


class Progress:
    """Redraws `progress_line` on `stream` every INTERVAL seconds of the reactor."""

    def __init__(self, crawlers: Sequence[Crawler], stream: TextIO) -> None:
        self.crawlers = crawlers
        self.stream = stream
        self.began = time.monotonic()
        self.width = 0
        self._loop: Any = None

    @classmethod
    def for_terminal(cls, crawlers: Sequence[Crawler], stream: TextIO | None) -> Progress | None:
        isatty = getattr(stream, "isatty", None)
        if stream is None or not callable(isatty) or not isatty():
            return None
        return cls(crawlers, stream)

    def start(self) -> None:
        from twisted.internet.task import LoopingCall

        self._loop = LoopingCall(self.draw)
        self._loop.start(INTERVAL, now=True)

    def draw(self) -> None:
        stats = [c.stats.get_stats() if c.stats else {} for c in self.crawlers]
        line = progress_line(stats, time.monotonic() - self.began)
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def stop(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")  # the summary comes next
            self.stream.flush()
