"""A stop that reaches `newswatch run` while a crawl is still opening (its source's state
being read, its pipelines starting) stops that crawl: Scrapy itself drops a stop that
arrives before the engine runs, and the crawl would then run to its end.

The monitor runs in a child process (a fresh Twisted reactor); an extension of this module
holds the crawl in its opening for two seconds, and the stop arrives in the middle of it.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from newswatch.demo.site import NewsSite, Publisher, config_yaml
from tests.site.stream import on_topic

OPENING = 2.0  # seconds the crawl is held in its opening
ROOT = Path(__file__).resolve().parents[2]


class SlowOpening:
    """Holds the crawl in `spider_opened` for OPENING seconds; prints how it closed."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> SlowOpening:
        from scrapy import signals

        ext = cls()
        ext.crawler = crawler
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    async def opened(self, spider: Any) -> None:
        await asyncio.sleep(OPENING)

    def closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        print(json.dumps({"reason": reason, "responses": stats.get("response_received_count", 0),
                          "stored": stats.get("store/new", 0)}), flush=True)  # fmt: skip


def _drive(config_path: str) -> None:
    """In the child: one crawl of `alpha`, and a stop while it opens."""
    from scrapy.utils.reactor import install_reactor

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import reactor

    from newswatch.config import load_config
    from newswatch.crawler import settings as defaults
    from newswatch.scheduler.crawling import crawl_settings
    from newswatch.scheduler.monitor import Monitor

    config = load_config(config_path)
    monitor = Monitor(config, list(config.sources), Path(config_path).with_suffix(".jobs"))
    extensions = {**defaults.EXTENSIONS, f"{__name__}.SlowOpening": 900}
    monitor.base_settings = crawl_settings(
        config, {"EXTENSIONS": extensions, "NEWSWATCH_EXTRACT_WORKERS": 0}
    )

    async def main() -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        crawl = asyncio.ensure_future(monitor.crawl("alpha"))
        await asyncio.sleep(OPENING / 4)
        await monitor._stop_crawl("alpha")
        await crawl
        print(json.dumps({"seconds": loop.time() - started}), flush=True)

    def run() -> None:
        asyncio.ensure_future(main()).add_done_callback(lambda _: reactor.stop())

    reactor.callWhenRunning(run)
    reactor.run(installSignalHandlers=False)


def test_a_stop_while_the_crawl_opens_stops_it(tmp_path: Path) -> None:
    site = NewsSite([Publisher("alpha", "en", "UTC")]).start()
    try:
        for n in (1, 2, 3):
            site.publish(on_topic("alpha", n, hours_ago=n))
        config = tmp_path / "newswatch.yaml"
        config.write_text(config_yaml(site, f"sqlite:///{tmp_path / 'nw.db'}"), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "tests.integration.test_stop_while_opening", str(config)],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        site.close()
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    closed, finished = lines[0], lines[-1]
    # Stopped as soon as its engine ran (the requests already sent complete), not run to its
    # end: the three articles were not stored.
    assert closed["reason"] == "shutdown" and closed["stored"] == 0, closed
    assert "seconds" in finished, finished  # and the monitor came back


if __name__ == "__main__":
    _drive(sys.argv[1])
