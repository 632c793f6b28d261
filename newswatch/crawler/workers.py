"""Article extraction in worker processes, so a crawl uses every core.

Scrapy runs on one thread; extraction (lxml, trafilatura, htmldate) is CPU-bound and would
cap a crawl at one core. `ExtractorPool` sends each page to a process pool and awaits the
result on the reactor's asyncio loop. With NEWSWATCH_EXTRACT_WORKERS = 0 it extracts inline.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy.crawler import Crawler

from newswatch.crawler.extraction.article import Extracted, extract_article
from newswatch.dedupe import fingerprint
from newswatch.statements import extract_statements

logger = logging.getLogger(__name__)

_shared: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """One pool per process and size, shared by every crawler of that process (the CLI
    calls shutdown_pools when the last crawl ends; otherwise it ends at exit)."""
    if workers not in _shared:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(
            ["newswatch.crawler.extraction.article", "newswatch.statements"]
        )
        _shared[workers] = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=watch_parent,
            initargs=(os.getpid(),),
        )
    return _shared[workers]


def watch_parent(parent: int, interval: float = 1.0) -> None:
    """In each worker: exit as soon as the crawling process is gone, however it went (a
    SIGKILL, the OOM killer). Workers are children of the forkserver, not of the crawl, so
    nothing else tells them; a month of killed monitors would otherwise leave their pools
    running."""

    def watch() -> None:
        while True:
            time.sleep(interval)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid exists (taken by another user): still there
                pass

    threading.Thread(target=watch, name="newswatch-parent-watch", daemon=True).start()


def shutdown_pools(wait: bool = False) -> None:
    """Stop the extraction workers. `wait`: until they have exited — at the end of a
    process, so that the executor's own exit hook finds nothing left to wake (otherwise it
    may write to a closed pipe: "Exception ignored ... Bad file descriptor")."""
    for pool in _shared.values():
        pool.shutdown(wait=wait, cancel_futures=True)
    _shared.clear()


class ExtractorPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractorPool:
        setting = crawler.settings.get("NEWSWATCH_EXTRACT_WORKERS")
        workers = (os.cpu_count() or 1) if setting in (None, "") else int(setting)
        return cls(workers)

    async def extract(self, html: str, url: str, language: str | None = None) -> Extracted:
        """The page extracted, and its statements read (in the page's language, else
        `language`, the source's), in a worker process."""
        if self.workers <= 0:
            return extract_page(html, url, language)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                _pool(self.workers), extract_page, html, url, language
            )
        except BrokenProcessPool:
            # A worker died (out of memory on a hostile page, killed): start a new pool and
            # extract this page here, so the crawl goes on.
            logger.warning("extraction worker died on %s; restarting the pool", url)
            _shared.pop(self.workers, None)
            return extract_page(html, url, language)


def extract_page(html: str, url: str, language: str | None = None) -> Extracted:
    """`extract_article`, then the near-copy fingerprint and the statements of its body: all
    CPU-bound, all done where the crawl's reactor thread does not wait for them. A statement
    failure is left to the statements stage, which reads the body again and reports it."""
    extracted = extract_article(html, url)
    if extracted.body:
        extracted.fingerprint = (len(extracted.body), fingerprint(extracted.body))
        lang = extracted.language or language
        try:
            found = extract_statements(extracted.body, lang)
        except Exception:  # noqa: BLE001 - the statements stage tries again and logs it
            return extracted
        extracted.statements = (lang, len(extracted.body), found)
    return extracted
