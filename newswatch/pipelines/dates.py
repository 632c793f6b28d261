"""The date stage: every article gets `published_at` as a UTC instant, the text it came from
(`published_at_raw`), where it came from (`published_at_source`) and `modified_at`, by
`newswatch.dates.DateResolver` from the candidates extraction and discovery found. Stats:
`dates/unparsed`, `dates/source/<source>`, `dates/check/<name>` (the resolver's checks).

Settings: NEWSWATCH_DATES_FUTURE_MINUTES, NEWSWATCH_DATES_ENTRY_GAP_HOURS (defaults in
`newswatch.crawler.settings`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.crawler import Crawler

from newswatch.crawler import settings as defaults  # every default lives there
from newswatch.dates import DateCandidate, DateResolver
from newswatch.records import Article


class DatesPipeline:
    def __init__(self, crawler: Crawler, resolver: DateResolver) -> None:
        self.crawler = crawler
        self.resolver = resolver

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DatesPipeline:
        settings = crawler.settings
        tolerance = timedelta(
            minutes=settings.getint(
                "NEWSWATCH_DATES_FUTURE_MINUTES", defaults.NEWSWATCH_DATES_FUTURE_MINUTES
            )
        )
        gap = timedelta(
            hours=settings.getint(
                "NEWSWATCH_DATES_ENTRY_GAP_HOURS", defaults.NEWSWATCH_DATES_ENTRY_GAP_HOURS
            )
        )
        return cls(crawler, DateResolver(tolerance, gap))

    def process_item(self, item: Article) -> Article:
        stats = self.crawler.stats
        fetched = datetime.fromisoformat(item.fetched_at) if item.fetched_at else datetime.now(UTC)
        if fetched.tzinfo is None:
            fetched = fetched.replace(tzinfo=UTC)
        candidates: list[Any] = list(item.hints.get("dates", []))
        entry = item.hints.get("entry")
        if entry is not None:
            via = getattr(entry, "via", "feed")
            source = "text" if via == "listing" else via
            if getattr(entry, "published", None):
                candidates.append(DateCandidate(source, entry.published, "published", via))
            if getattr(entry, "modified", None):
                candidates.append(DateCandidate(source, entry.modified, "modified", via))
        language = item.language or item.hints.get("source_language")
        tz = item.hints.get("source_timezone")
        result = self.resolver.resolve_detailed(candidates, language, tz, fetched)
        for check, count in result.checks.items():
            stats.inc_value(f"dates/check/{check}", count)
        published = result.published
        if published is None:
            stats.inc_value("dates/unparsed")
            stats.inc_value("dates/source/fetched")
            item.published_at = fetched.astimezone(UTC).isoformat()
            item.published_at_raw = None
            item.published_at_source = "fetched"
        else:
            stats.inc_value(f"dates/source/{published.source}")
            item.published_at = published.instant.isoformat()
            item.published_at_raw = published.raw
            item.published_at_source = published.source
        item.modified_at = result.modified.instant.isoformat() if result.modified else None
        return item
