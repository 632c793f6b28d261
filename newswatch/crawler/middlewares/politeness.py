"""Politeness beyond Scrapy's defaults: robots.txt's Crawl-delay, and a server's Retry-After.

Scrapy's RobotsTxtMiddleware obeys Allow/Disallow only, and its RetryMiddleware retries a
429 or 503 at once. Both hints here slow down the whole host (its downloader slot) for the
rest of the crawl, and the slot is kept out of AutoThrottle's hands, which would shrink the
delay again on the next fast response.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Response
from scrapy.robotstxt import RobotParser

from newswatch.crawler import settings as defaults  # every default lives there

logger = logging.getLogger(__name__)


def slow_down(crawler: Crawler, request: Request, delay: float) -> bool:
    """At least `delay` seconds between requests to the request's host from now on;
    True if that raised the host's delay."""
    downloader = crawler.engine.downloader if crawler.engine else None
    if downloader is None:
        return False
    key = downloader.get_slot_key(request)
    settings = downloader.per_slot_settings.setdefault(key, {})
    raised = delay > settings.get("delay", 0)
    if raised:
        # The site's number is a floor: no random shortening (Scrapy's jitter is +-50%).
        settings.update(delay=delay, jitter=0.0, throttle=False)
    slot = downloader.slots.get(key)
    if slot is not None and slot.delay < delay:
        slot.delay, slot.jitter = delay, 0.0
        raised = True
    return raised


class CrawlDelayRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with Crawl-delay honoured (capped by
    NEWSWATCH_MAX_CRAWL_DELAY)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_delay = crawler.settings.getfloat(
            "NEWSWATCH_MAX_CRAWL_DELAY", defaults.NEWSWATCH_MAX_CRAWL_DELAY
        )

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        super().process_request_2(rp, request)
        if rp is None:
            return
        agent = self._robotstxt_useragent or request.headers.get(
            b"User-Agent", self._default_useragent
        )
        delay = rp.crawl_delay(agent)
        if delay and delay > 0:
            request.meta["autothrottle_dont_adjust_delay"] = True
            if slow_down(self.crawler, request, min(float(delay), self.max_delay)):
                self._stats.inc_value("politeness/crawl_delay")
                logger.info("robots.txt asks for %.1f s between requests to %s", delay,
                            request.url.split("/")[2])  # fmt: skip


class RetryAfterMiddleware:
    """On 429 or 503 with Retry-After, space the host's requests by that long (capped by
    NEWSWATCH_MAX_RETRY_AFTER) before RetryMiddleware tries again."""

    def __init__(self, crawler: Crawler, max_wait: float) -> None:
        self.crawler = crawler
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(
            crawler,
            crawler.settings.getfloat(
                "NEWSWATCH_MAX_RETRY_AFTER", defaults.NEWSWATCH_MAX_RETRY_AFTER
            ),
        )

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Any:
        if response.status not in (429, 503):
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None:
            return response
        wait = min(wait, self.max_wait)
        request.meta["autothrottle_dont_adjust_delay"] = True
        if slow_down(self.crawler, request, wait):
            self.crawler.stats.inc_value("politeness/retry_after")
            logger.info("%s answered %d: waiting %.0f s between its requests",
                        request.url.split("/")[2], response.status, wait)  # fmt: skip
        return response


def retry_after_seconds(value: bytes | None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or odd."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
