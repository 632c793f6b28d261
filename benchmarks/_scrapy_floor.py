"""Scrapy alone over the benchmark site: what fetching costs before newswatch does anything.

    python benchmarks/_scrapy_floor.py FEED_URL [FEED_URL ...]

benchmarks/throughput.py runs this as a subprocess beside `newswatch crawl` and measures its
CPU the same way. The spider reads each RSS feed, requests every `<link>` in it and keeps
nothing: no extraction, no pipelines, no store. It runs with newswatch's own politeness and
concurrency settings (robots.txt, AutoThrottle, requests per domain, timeouts, retries) so
the two crawls fetch alike. Prints one JSON line: {"pages": N}.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newswatch.crawler import settings as newswatch_settings

# the fetching part of newswatch's settings; its pipelines, extensions and middlewares are
# what the floor leaves out
KEPT = (
    "USER_AGENT", "ROBOTSTXT_OBEY", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "AUTOTHROTTLE_START_DELAY",
    "AUTOTHROTTLE_MAX_DELAY", "AUTOTHROTTLE_TARGET_CONCURRENCY", "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE", "RETRY_TIMES", "REDIRECT_MAX_TIMES", "COOKIES_ENABLED",
    "TELNETCONSOLE_ENABLED", "RETRY_HTTP_CODES",
)  # fmt: skip
LINK = re.compile(rb"<link>([^<]+)</link>")


class FetchOnly(scrapy.Spider):
    name = "fetch-only"

    def __init__(self, feeds: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.feeds = feeds
        self.pages = 0

    async def start(self):  # type: ignore[no-untyped-def]
        for url in self.feeds:
            yield scrapy.Request(url, callback=self.feed)

    def feed(self, response: scrapy.http.Response):  # type: ignore[no-untyped-def]
        for link in LINK.findall(response.body):
            url = link.decode().strip()
            if "/p/" in url:
                yield scrapy.Request(url, callback=self.page)

    def page(self, response: scrapy.http.Response) -> None:
        self.pages += 1


def main(feeds: list[str]) -> int:
    if not feeds:
        print(__doc__, file=sys.stderr)
        return 2
    settings = Settings()
    for key in KEPT:
        settings.set(key, getattr(newswatch_settings, key), priority="project")
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(FetchOnly)
    process.crawl(crawler, feeds=feeds)
    process.start()
    print(json.dumps({"pages": crawler.spider.pages if crawler.spider else 0}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
