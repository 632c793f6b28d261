"""Group copies of one story: set `story_id` and `duplicate_of` (just before the store stage).

Exact copies share the content hash of the normalised body (copies under one canonical URL
already share the `id`); near copies share an LSH band of their MinHash signature and are
confirmed by the estimated Jaccard similarity (newswatch.dedupe). Signatures are kept in the
store beside the articles (Store.put_signatures / find_signatures), so copies are grouped
across runs, processes and machines; the ones seen in this process are also kept in a bounded
in-memory index shared by its crawlers, because signatures are written in small batches
(NEWSWATCH_DEDUPE_BATCH, default 10; Elasticsearch shows them to other processes after its
refresh interval, 1 s).

Two workers that store exact copies of a new story in the same moment (neither signature
written yet) cannot both start a story: a new story is claimed in the store under its
content hash (create-if-absent, Store.claim_story), and the second claimant joins the first
one's story (dedupe/claim_joined). A new story also claims each of its LSH bands the same
way, so near copies (other words) racing in the same moment end in one story too
(dedupe/band_joined; dedupe.stories.settle_bands).

An article fetched again with a changed body is a revision: it keeps its story and
`duplicate_of`, and gets `modified_at` (its own, or the fetch time) when it had none.

Stats: dedupe/exact, dedupe/near, dedupe/new_story, dedupe/revision, dedupe/claim_joined and
dedupe/band_joined (a race lost to another worker), dedupe/short (texts too
short for near-duplicate matching), dedupe/errors (store lookups that failed: the article
starts a new story rather than being lost).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from scrapy.crawler import Crawler

from newswatch.crawler import settings as defaults  # every default lives there
from newswatch.crawler.configured import store_url
from newswatch.dedupe import Fingerprint, fingerprint
from newswatch.dedupe.stories import (
    EXACT,
    NEAR,
    NEW,
    REVISION,
    SAME,
    Assignment,
    MemoryIndex,
    assign,
    join_claim,
    settle_bands,
)
from newswatch.pipelines.validate import content_hash as hash_body
from newswatch.records import Article
from newswatch.storage import Store, StoreError, open_store

logger = logging.getLogger(__name__)

CANDIDATES = 20
BAND_CLAIMS_KEPT = timedelta(days=1)
PRUNE_EVERY = timedelta(hours=1)
_PRUNED: dict[str, datetime] = {}  # store URL -> when this process last pruned band claims

# One crawl of several sources runs one crawler (and one pipeline instance) per source in
# the same process: they share the in-memory index and the lock, per store.
_SHARED: dict[str, tuple[MemoryIndex, asyncio.Lock]] = {}


def _shared(url: str) -> tuple[MemoryIndex, asyncio.Lock]:
    if url not in _SHARED:
        _SHARED[url] = (MemoryIndex(), asyncio.Lock())
    return _SHARED[url]


class DedupePipeline:
    def __init__(self, crawler: Crawler, store: Store, batch_size: int = 10) -> None:
        self.crawler = crawler
        self.store = store
        self.batch_size = batch_size
        self.pending: list[dict] = []
        self.stored = False  # signatures written by this crawl (a flush makes them visible)
        # One article at a time: two copies processed concurrently must see each other.
        self.memory, self.lock = _shared(store.url)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        store = open_store(store_url(crawler.settings))
        return cls(
            crawler,
            store,
            crawler.settings.getint("NEWSWATCH_DEDUPE_BATCH", defaults.NEWSWATCH_DEDUPE_BATCH),
        )

    async def process_item(self, item: Article) -> Article:
        stats = self.crawler.stats
        if not item.body.strip():  # a page kept without a body: nothing to be a copy of
            stats.inc_value("dedupe/no_body")
            item.story_id = item.story_id or item.id
            return item
        early = item.hints.get("fingerprint")
        if early is not None and early[0] == len(item.body):
            fp = early[1]  # computed in the extraction worker, on this body
        else:
            fp = fingerprint(item.body)
        if fp.short:
            stats.inc_value("dedupe/short")
        content_hash = item.content_hash or hash_body(item.body)
        async with self.lock:
            try:
                stored = await asyncio.to_thread(
                    self.store.find_signatures,
                    ids=[item.id],
                    content_hashes=[content_hash],
                    bands=fp.bands,
                    limit=CANDIDATES,
                )
            except StoreError as exc:
                stats.inc_value("dedupe/errors")
                logger.error("dedupe: cannot look up copies of %s: %s", item.url, exc)
                stored = []
            recent = self.memory.find([item.id], [content_hash], fp.bands)
            candidates = {entry["id"]: entry for entry in stored}
            candidates.update((entry["id"], entry) for entry in recent)  # newer than the store
            now = datetime.now(UTC).isoformat()
            result = assign(item.id, content_hash, fp, candidates.values(), now)
            if result.kind == NEW:
                result = await self._claim(item, result)
            if result.kind == NEW and fp.signature is not None:
                result = await self._claim_bands(item, fp, result)
            self.memory.add(result.entry)
            self.pending.append(result.entry)
        item.story_id = result.story_id
        item.duplicate_of = result.duplicate_of
        if result.kind == EXACT or result.kind == SAME:
            stats.inc_value("dedupe/exact")
        elif result.kind == NEAR:
            stats.inc_value("dedupe/near")
        elif result.kind == NEW:
            stats.inc_value("dedupe/new_story")
        elif result.kind == REVISION:
            stats.inc_value("dedupe/revision")
            if item.modified_at is None:
                item.modified_at = item.fetched_at or now
        if len(self.pending) >= self.batch_size:
            await self._flush()
        return item

    async def _claim(self, item: Article, result: Assignment) -> Assignment:
        """A new story is claimed in the store under its content hash, atomically: when a
        worker elsewhere stored an exact copy in the same moment (its signature not yet
        written), the one that claimed second joins the first one's story."""
        try:
            winner = await asyncio.to_thread(self.store.claim_story, result.entry)
        except StoreError as exc:  # kept as a new story: at worst a second story id
            self.crawler.stats.inc_value("dedupe/errors")
            logger.error("dedupe: cannot claim the story of %s: %s", item.url, exc)
            return result
        if winner.get("id") in (None, item.id):
            return result
        self.crawler.stats.inc_value("dedupe/claim_joined")
        return join_claim(result, winner)

    async def _claim_bands(self, item: Article, fp: Fingerprint, result: Assignment) -> Assignment:
        """A new story also claims its LSH bands: a near copy that another worker stored in
        the same moment (other words, so another content hash) holds some of them, and one
        of the two joins the other's story (dedupe.stories.settle_bands)."""
        try:
            won, rivals = await asyncio.to_thread(self.store.claim_bands, result.entry)
        except StoreError as exc:  # kept as a new story: at worst a second story id
            self.crawler.stats.inc_value("dedupe/errors")
            logger.error("dedupe: cannot claim the bands of %s: %s", item.url, exc)
            return result
        settled = settle_bands(result, fp, won, rivals)
        if settled is result:
            return result
        self.crawler.stats.inc_value("dedupe/band_joined")
        try:  # exact copies that claim this text later join the same story
            await asyncio.to_thread(self.store.update_claim, settled.entry)
        except StoreError as exc:
            self.crawler.stats.inc_value("dedupe/errors")
            logger.error("dedupe: cannot update the story claim of %s: %s", item.url, exc)
        return settled

    async def _prune(self) -> None:
        """At most once an hour per process: forget band claims older than a day (they
        settle races of seconds; kept, they would outgrow the signatures)."""
        now = datetime.now(UTC)
        if _PRUNED.get(self.store.url, datetime.min.replace(tzinfo=UTC)) > now - PRUNE_EVERY:
            return
        _PRUNED[self.store.url] = now
        try:
            cutoff = (now - BAND_CLAIMS_KEPT).isoformat()
            await asyncio.to_thread(self.store.prune_band_claims, cutoff)
        except StoreError as exc:
            logger.error("dedupe: cannot prune old band claims: %s", exc)

    async def _flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        try:
            await asyncio.to_thread(self.store.put_signatures, batch)
            self.stored = True
        except StoreError as exc:
            self.pending = batch + self.pending
            self.crawler.stats.inc_value("dedupe/errors")
            logger.error("dedupe: cannot store %d signatures: %s", len(batch), exc)

    async def close_spider(self) -> None:
        await self._flush()
        await self._prune()
        if self.pending:
            logger.error("dedupe: %d signatures were not stored", len(self.pending))
        if self.stored:  # nothing written, nothing to make visible
            try:
                self.store.flush()
            except StoreError as exc:
                logger.error("dedupe: flush failed: %s", exc)
        self.store.close()
