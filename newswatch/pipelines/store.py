"""The last stage: write articles to the store in batches, off the reactor thread.

Stats: store/new (ids the store did not have), store/existing (rewritten), store/errors.
A batch the store refuses is kept and tried again with the next batch and at close; what
still fails at close is reported in one line with its count.
"""

from __future__ import annotations

import asyncio
import logging

from scrapy.crawler import Crawler

from newswatch.crawler.configured import store_url
from newswatch.crawler.items import Article
from newswatch.storage import Store, StoreError, open_store

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, crawler: Crawler, store: Store, batch_size: int = 100) -> None:
        self.crawler = crawler
        self.store = store
        self.batch_size = batch_size
        self.pending: list[dict] = []
        self.lock = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        store = open_store(store_url(crawler.settings))
        return cls(crawler, store, crawler.settings.getint("NEWSWATCH_STORE_BATCH", 100))

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
            if not batch:
                return
            try:
                new = await asyncio.to_thread(self.store.put_articles, batch)
            except StoreError as exc:
                self.pending = batch + self.pending
                self.crawler.stats.inc_value("store/errors")
                logger.error("store: cannot write %d articles: %s", len(batch), exc)
                return
            self.crawler.stats.inc_value("store/new", new)
            self.crawler.stats.inc_value("store/existing", len(batch) - new)

    async def close_spider(self) -> None:
        await self._flush()
        try:
            self.store.flush()
        except StoreError as exc:
            logger.error("store: flush failed: %s", exc)
        if self.pending:
            logger.error("store: %d articles were not stored (the store kept refusing them)",
                         len(self.pending))  # fmt: skip
            self.crawler.stats.inc_value("store/lost", len(self.pending))
        self.store.close()
