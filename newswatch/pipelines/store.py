"""The last stage: write articles to the store in batches, off the reactor thread, through a
durable on-disk spool (newswatch.storage.spool) so that nothing is lost while the store is
down, slow, overloaded or locked.

A batch the store cannot take now is spooled (fsync'd JSON Lines) and replayed in order when
the store answers again: at a later batch, when the spider closes, and when the next crawl
starts. A record the store refuses for what it contains is kept aside in the spool's
dead-letter file and reported in one line; it never blocks the rest.

The spool lives in NEWSWATCH_SPOOL_DIR (setting or environment variable), else in
`.newswatch-spool/` beside the config file; one folder per store.

Stats: store/new (ids the store did not have), store/existing (rewritten), store/errors
(writes that failed), store/spooled (records put in the spool), store/replayed (records
written from the spool), store/dead_letter (records refused), store/spool_left (records still
spooled when the spider closed: written by the next crawl), store/lost (records neither
stored nor spooled: the spool itself could not be written).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newswatch.crawler import settings as defaults  # every default lives there
from newswatch.crawler.configured import crawl_config, store_url
from newswatch.records import Article
from newswatch.storage import Store, StoreError, open_store
from newswatch.storage.spool import Outcome, Spool, SpooledWriter, spool_dir, spool_folder

logger = logging.getLogger(__name__)

CLOSE_WAIT = 30.0  # seconds to wait at close for another crawler replaying the same spool


def spool_base(settings: BaseSettings) -> Path:
    """Where spools live: NEWSWATCH_SPOOL_DIR (setting, then environment), else beside the
    config file."""
    return spool_folder(crawl_config(settings).path, settings.get("NEWSWATCH_SPOOL_DIR"))


class StorePipeline:
    def __init__(self, crawler: Crawler, store: Store, spool: Spool, batch_size: int = 100) -> None:
        self.crawler = crawler
        self.store = store
        self.spool = spool
        self.writer = SpooledWriter(store, spool)
        self.batch_size = batch_size
        self.pending: list[dict] = []
        self.lock = asyncio.Lock()
        self._outage_reported = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        url = store_url(crawler.settings)
        spool = Spool(spool_dir(spool_base(crawler.settings), url), url)
        store = open_store(url)
        return cls(
            crawler,
            store,
            spool,
            crawler.settings.getint("NEWSWATCH_STORE_BATCH", defaults.NEWSWATCH_STORE_BATCH),
        )

    async def open_spider(self) -> None:
        # What an earlier crawl left in the spool goes in first, before discovery asks the
        # store which URLs it knows.
        if not self.spool.files():
            return
        async with self.lock:
            await self._run(self.writer.replay, CLOSE_WAIT, True)
            try:  # visible to the known-URL lookups (Elasticsearch: a refresh)
                await asyncio.to_thread(self.store.flush)
            except StoreError as exc:
                logger.error("store: flush failed: %s", exc)

    async def process_item(self, item: Article) -> Article:
        if item.story_id is None:
            item.story_id = item.id
        self.pending.append(item.record())
        if len(self.pending) >= self.batch_size:
            await self._flush()
        return item

    async def _flush(self) -> None:
        async with self.lock:
            batch, self.pending = self.pending, []
            if batch and not await self._run(self.writer.write, batch):
                # Neither the store nor the spool took them: keep them in memory for the
                # next try (counted as lost if they are still here at close).
                self.pending = batch + self.pending

    async def _run(self, method: Callable[..., Outcome], *args: Any) -> bool:
        """Call a writer method in a thread and account for what it did; False when the
        spool itself could not be written."""
        try:
            outcome = await asyncio.to_thread(method, *args)
        except OSError as exc:  # SpoolError, or the spool folder misbehaving
            self.crawler.stats.inc_value("store/errors")
            logger.error("store: cannot spool articles: %s", exc)
            return False
        self._account(outcome)
        return True

    def _account(self, outcome: Outcome) -> None:
        stats = self.crawler.stats
        for key, value in (
            ("store/new", outcome.new),
            ("store/existing", outcome.existing),
            ("store/spooled", outcome.spooled),
            ("store/replayed", outcome.replayed),
            ("store/dead_letter", outcome.dead),
        ):
            if value:
                stats.inc_value(key, value)
        if outcome.error:
            stats.inc_value("store/errors")
            if not self._outage_reported:
                self._outage_reported = True
                logger.error(
                    "store: %s; articles go to the spool %s and are written when it answers",
                    outcome.error,
                    self.spool.directory,
                )
        elif outcome.replayed:
            logger.warning("store: %d spooled articles written to the store", outcome.replayed)
            self._outage_reported = False

    async def close_spider(self) -> None:
        await self._flush()
        async with self.lock:
            if self.spool.files():
                await self._run(self.writer.replay, CLOSE_WAIT, True)
        stats = self.crawler.stats
        if any(stats.get_value(k) for k in ("store/new", "store/existing", "store/replayed")):
            try:  # a crawl that wrote nothing (every feed unchanged) has nothing to show
                self.store.flush()
            except StoreError as exc:
                logger.error("store: flush failed: %s", exc)
        left = self.spool.count()
        if left:
            self.crawler.stats.set_value("store/spool_left", left)
            logger.error(
                "store: %d articles wait in the spool %s (the store did not answer: %s); "
                "the next crawl writes them",
                left,
                self.spool.directory,
                self.writer.last_error or "busy",
            )
        if self.pending:
            logger.error("store: %d articles were not stored (the store kept refusing them)",
                         len(self.pending))  # fmt: skip
            self.crawler.stats.inc_value("store/lost", len(self.pending))
        self.store.close()
