"""The alert stage: match the article against the topics, record alerts in the ledger.

Runs after the story stage (an alert is per topic and story) and before the store: an alert
is recorded before its article is stored, so a crash in between re-fetches the article next
time and finds the alert already there (create-if-absent) instead of losing it.

Per matched topic: an `article` alert keyed by topic + story (a copy from another outlet adds
its URL to the alert, nothing is sent again); a `statement` alert per direct quote keyed by
topic + statement fingerprint. Quotes that arrive with the story's first article are in that
article's alert, so they are recorded as covered, not sent twice.
Stats: alerts/queued, alerts/merged, alerts/statements_queued, topics/matched, alerts/errors
(the ledger could not be written: the article is dropped, not stored, and fetched again by
the next crawl).
"""

from __future__ import annotations

import asyncio
import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from newswatch.alerting.notifier import digest_due
from newswatch.config import Topic
from newswatch.crawler.configured import crawl_config, store_url
from newswatch.records import Alert, Article, Delivery, alert_id, iso, now_utc
from newswatch.statements import alert_statements, statement_fingerprint
from newswatch.storage import Ledger, StoreError, open_ledger
from newswatch.topics import TopicMatcher

logger = logging.getLogger(__name__)


class AlertsPipeline:
    def __init__(self, crawler: Crawler, topics: list[Topic], ledger: Ledger) -> None:
        self.crawler = crawler
        self.topics = {t.name: t for t in topics}
        self.matcher = TopicMatcher(topics)
        self.ledger = ledger

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AlertsPipeline:
        config = crawl_config(crawler.settings)
        if not config.topics:
            raise NotConfigured  # no topics: nothing to match (no message: no log line)
        return cls(crawler, list(config.topics), open_ledger(store_url(crawler.settings)))

    async def process_item(self, item: Article) -> Article:
        record = item.record()
        names = self.matcher.match(record)
        item.topics = names
        if names:
            self.crawler.stats.inc_value("topics/matched")
            try:
                await asyncio.to_thread(self._record_alerts, item, names)
            except StoreError as exc:
                # Not stored either: the next crawl fetches it again and records its alerts.
                self.crawler.stats.inc_value("alerts/errors")
                raise DropItem(
                    f"alert ledger unavailable, kept for the next crawl: {exc}"
                ) from None
        return item

    def _record_alerts(self, item: Article, names: list[str]) -> None:
        stats = self.crawler.stats
        now = now_utc()
        story = item.story_id or item.id
        direct = [
            s
            for s in alert_statements(item.statements)
            if s.get("kind", "direct") == "direct" and s.get("speaker") and s.get("quote")
        ]
        for name in names:
            topic = self.topics[name]
            due = iso(digest_due(topic.digest, now))

            def deliveries(
                status: str = "pending",
                due: str | None = due,
                channels: tuple[str, ...] = topic.notify,
            ) -> dict[str, Delivery]:
                return {c: Delivery(c, status=status, next_attempt_at=due) for c in channels}

            base = {
                "topic": name,
                "story_id": story,
                "article_ids": [item.id],
                "urls": [item.canonical_url],
                "outlets": [item.source],
                "title": item.title,
                "published_at": item.published_at,
                "created_at": iso(now),
            }
            story_is_new = False
            if "article" in topic.alert_on:
                alert = Alert(
                    id=alert_id(name, "article", story),
                    kind="article",
                    statements=direct,
                    deliveries=deliveries(),
                    **base,
                )
                story_is_new = self.ledger.record(alert)
                stats.inc_value("alerts/queued" if story_is_new else "alerts/merged")
            if "statement" in topic.alert_on:
                for statement in direct:
                    fingerprint = statement_fingerprint(statement["quote"], statement["speaker"])
                    alert = Alert(
                        id=alert_id(name, "statement", fingerprint),
                        kind="statement",
                        speaker=statement["speaker"],
                        quote=statement["quote"],
                        deliveries=deliveries("covered" if story_is_new else "pending"),
                        **base,
                    )
                    if self.ledger.record(alert) and not story_is_new:
                        stats.inc_value("alerts/statements_queued")

    def close_spider(self) -> None:
        self.ledger.close()
