"""`newswatch run`: crawl each source on its own schedule until SIGTERM/SIGINT.

APScheduler 3 (AsyncIOScheduler on the asyncio loop under Twisted's reactor) keeps one job
per source in a persistent SQLite job store, so a restart resumes the schedule: a run missed
while the monitor was down runs once (coalesced) at start. Jobs have jitter,
`max_instances=1` (a slow crawl is never overlapped by the next run of its source) and a
misfire grace time. An in-memory job sends what the outbox has due (retries, digests).

Crawls run in this process on the one reactor (`inprocess`, the default: no start-up cost,
the extraction worker pool is reused) or as a `newswatch crawl` subprocess each
(`subprocess`: isolation, memory returned after every crawl). benchmarks/latency.py measures
both. A source's crawl is followed by the delivery of its alerts, so an alert goes out
seconds after its article is fetched.

Without `--worker`, a monitor is a worker of a pool (`newswatch.scheduler.pool`): any
number of monitors on one store share the sources through leases in the store, take over the
sources of a worker that dies when its leases expire, and give some up to a worker that
joins; their schedules are kept in memory (the leases are the shared state). `--worker i/N`
instead takes the sources whose name hashes to i of N (a fixed share, persistent schedule).
The store and the alert ledger keep articles and alerts single even if two crawls overlap.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from newswatch.config import Config, Source
from newswatch.scheduler.crawling import SourceSummary
from newswatch.scheduler.pool import HEARTBEAT, Pool, lease_time, stuck_sources
from newswatch.storage import StoreError

logger = logging.getLogger("newswatch.run")

MODES = ("inprocess", "subprocess")
MISFIRE_GRACE = timedelta(days=1)
DEFAULT_INTERVAL = timedelta(minutes=15)  # a source without `every` (or with a cron)
NOTIFY_EVERY = timedelta(seconds=30)
STUCK_CHECK = 6  # heartbeats between two looks for stuck leases (a minute)

# The monitor of this process: persistent jobs name a module-level function, not an object.
_current: Monitor | None = None


async def crawl_job(source_name: str) -> None:
    if _current is not None:
        await _current.crawl(source_name)


def worker_share(sources: Sequence[Source], worker: int, workers: int) -> list[Source]:
    """The sources of worker `worker` (1-based) of `workers`: a stable hash of the name, so
    every machine with the same config agrees, and adding a source moves no other."""
    return [s for s in sources if zlib.crc32(s.name.encode()) % workers == worker - 1]


def first_run_offset(i: int, count: int, source: Source) -> timedelta:
    """When the i-th of `count` sources first runs: 0.3 s apart, but all of them within
    one polling interval (5,000 sources every 5 minutes start in 5 minutes, not 25)."""
    spread = min(0.3 * count, (source.every or DEFAULT_INTERVAL).total_seconds())
    return timedelta(seconds=spread * i / max(1, count))


def jitter_for(interval: timedelta) -> int:
    """Up to a tenth of the interval, at most a minute: sources scheduled alike spread out."""
    return int(min(60.0, interval.total_seconds() / 10))


class Monitor:
    def __init__(
        self,
        config: Config,
        sources: list[Source],
        jobs_path: Path | None,
        *,
        mode: str = "inprocess",
        out: TextIO | None = None,
        as_json: bool = False,
        log_level: str = "WARNING",
        overrides: dict[str, Any] | None = None,
        pool: Pool | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.config = config
        self.sources = {s.name: s for s in sources}
        self.jobs_path = jobs_path
        self.mode = mode
        self.out = out or sys.stdout
        self.as_json = as_json
        self.log_level = log_level
        self.overrides = overrides or {}
        self.pool = pool  # None: this monitor crawls every source it was given
        self._heartbeats = 0
        self._due: dict[str, datetime] = {}  # source -> when its running job was due
        self.scheduler: Any = None
        self.stopping = False
        self.failed = False
        self._active: dict[str, Any] = {}  # source -> Crawler or subprocess
        self._busy: set[str] = set()  # sources whose job (crawl, then delivery) runs
        self._deliver_lock = asyncio.Lock()
        self._done: asyncio.Future[None] | None = None

    # -- life cycle --------------------------------------------------------------------
    def run(self) -> int:
        """Block until SIGTERM/SIGINT; then stop the crawls cleanly (their items are
        stored, their alerts recorded and sent) and return 0."""
        global _current
        from scrapy.utils.reactor import install_reactor

        install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
        from twisted.internet import reactor

        if self.mode == "inprocess":
            from scrapy.utils.log import configure_logging

            from newswatch.scheduler.crawling import _quiet_logging, crawl_settings

            self.base_settings = crawl_settings(self.config, self.overrides, self.log_level)
            configure_logging(self.base_settings)
            _quiet_logging(self.log_level)
        # "skipped: maximum number of running instances reached" is the point of
        # max_instances=1, not news; job failures are logged here in one line.
        logging.getLogger("apscheduler").setLevel(logging.ERROR)
        _current = self
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        reactor.callWhenRunning(self._start_soon)
        reactor.run(installSignalHandlers=False)
        _current = None
        return 1 if self.failed else 0

    def _start_soon(self) -> None:
        asyncio.ensure_future(self._main())

    async def _main(self) -> None:
        from twisted.internet import reactor

        self._done = asyncio.get_running_loop().create_future()
        try:
            await self._start_scheduler()
            self._event("started", sources=sorted(self.sources), mode=self.mode)
            await self._done
        except Exception as exc:  # the scheduler could not start: say why, exit 1
            logger.error("newswatch run: cannot start: %s: %s", type(exc).__name__, exc)
            self.failed = True
        finally:
            await self._shutdown()
            reactor.stop()

    def _on_signal(self, signum: int, frame: Any) -> None:
        from twisted.internet import reactor

        if self.stopping:  # a second signal: stop now
            reactor.callFromThread(reactor.stop)
            return
        self.stopping = True
        reactor.callFromThread(self._request_stop, signal.Signals(signum).name)

    def _request_stop(self, name: str) -> None:
        self._event("stopping", signal=name, crawling=sorted(self._active))
        if self._done is not None and not self._done.done():
            self._done.set_result(None)

    async def _shutdown(self) -> None:
        running = self.scheduler is not None and self.scheduler.running
        if running:
            self.scheduler.pause()  # no new runs; the running jobs finish below
        await asyncio.gather(*(self._stop_crawl(n) for n in list(self._active)))
        while self._busy:  # the jobs finish their bookkeeping and deliveries
            await asyncio.sleep(0.1)
        if running:
            self.scheduler.shutdown(wait=False)
        await self._deliver()
        if self.pool is not None:
            try:
                await asyncio.to_thread(self.pool.stop)
            except StoreError as exc:  # they expire by themselves
                logger.error("newswatch run: cannot release the leases: %s", exc)
        if self.mode == "inprocess":
            from newswatch.crawler.workers import shutdown_pools

            await asyncio.to_thread(shutdown_pools, True)
        self._event("stopped")

    # -- scheduling --------------------------------------------------------------------
    async def _start_scheduler(self) -> None:
        from apscheduler.jobstores.memory import MemoryJobStore
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        if self.jobs_path is None:  # a pool worker: the leases in the store are the state
            default: Any = MemoryJobStore()
        else:
            self.jobs_path.parent.mkdir(parents=True, exist_ok=True)
            default = SQLAlchemyJobStore(url=f"sqlite:///{self.jobs_path}")
        if self.pool is not None:
            try:
                await asyncio.to_thread(self.pool.start, datetime.now(UTC))
            except StoreError as exc:  # the store is down: the heartbeat says hello later
                logger.error("newswatch run: cannot join the pool yet: %s", exc)
        self.scheduler = AsyncIOScheduler(
            event_loop=asyncio.get_running_loop(),
            jobstores={"default": default, "memory": MemoryJobStore()},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
            },
            timezone=UTC,
        )
        from apscheduler.events import EVENT_JOB_SUBMITTED

        self.scheduler.add_listener(self._submitted, EVENT_JOB_SUBMITTED)
        self.scheduler.start(paused=True)
        intervals = await asyncio.to_thread(self._saved_intervals)
        now = datetime.now(UTC)
        for job in self.scheduler.get_jobs(jobstore="default"):
            if job.id not in self.sources:
                job.remove()  # a source removed from the config or given to another worker
        for i, source in enumerate(self.sources.values()):
            trigger = self._trigger(source, intervals.get(source.name))
            job = self.scheduler.get_job(source.name, jobstore="default")
            if job is not None and str(job.trigger) == str(trigger):
                continue  # resume: keep its next run time (a missed run runs now, once)
            if job is not None:
                job.reschedule(trigger)
                continue
            self.scheduler.add_job(
                crawl_job,
                trigger,
                args=[source.name],
                id=source.name,
                name=f"crawl {source.name}",
                jobstore="default",
                next_run_time=now + first_run_offset(i, len(self.sources), source),
            )
        if self.pool is not None:
            self.scheduler.add_job(
                self._heartbeat,
                "interval",
                seconds=HEARTBEAT.total_seconds(),
                id="heartbeat",
                jobstore="memory",
            )
        if self.config.notifiers:
            self.scheduler.add_job(
                self._deliver,
                "interval",
                seconds=NOTIFY_EVERY.total_seconds(),
                id="notify",
                jobstore="memory",
            )
        self.scheduler.resume()

    def _trigger(self, source: Source, adapted: float | None) -> Any:
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        if source.cron:
            return CronTrigger.from_crontab(source.cron, timezone=UTC)
        interval = source.every or DEFAULT_INTERVAL
        if source.adaptive and adapted:
            interval = timedelta(seconds=adapted)
        return IntervalTrigger(seconds=interval.total_seconds(), jitter=jitter_for(interval))

    def _saved_intervals(self) -> dict[str, float]:
        from newswatch.storage import open_source_states

        try:
            states = open_source_states(self.config.store)
            try:
                return {s.source: s.interval_seconds for s in states.all() if s.interval_seconds}
            finally:
                states.close()
        except StoreError as exc:  # the store is down: configured intervals for now
            logger.error("newswatch run: %s", exc)
            return {}

    def _submitted(self, event: Any) -> None:
        """When a source's run was due (for the schedule lag of its `crawled` event)."""
        if event.scheduled_run_times:
            self._due[event.job_id] = event.scheduled_run_times[-1]

    # -- one crawl ---------------------------------------------------------------------
    async def crawl(self, name: str) -> None:
        source = self.sources.get(name)
        due = self._due.pop(name, None)
        if source is None or self.stopping:
            return
        if self.pool is not None and not await self._claim(source):
            return  # another worker of the pool holds it
        started = datetime.now(UTC)
        self._active[name] = None
        self._busy.add(name)
        try:
            lag = (started - due).total_seconds() if due is not None else None
            await self._crawl_and_deliver(source, started, lag)
        finally:
            self._busy.discard(name)

    async def _claim(self, source: Source) -> bool:
        assert self.pool is not None
        ttl = lease_time(source.every or DEFAULT_INTERVAL)
        try:
            return await asyncio.to_thread(self.pool.may_crawl, source.name, ttl,
                                           datetime.now(UTC))  # fmt: skip
        except StoreError as exc:  # the store is down: no lease, no crawl (it is retried)
            logger.error("source %s: cannot claim it: %s", source.name, exc)
            return False

    async def _heartbeat(self) -> None:
        """Say this worker is alive, renew the leases of the sources it is crawling (a
        crawl longer than the lease time keeps its source) and, every `STUCK_CHECK`
        heartbeats, look for stuck leases in the pool."""
        assert self.pool is not None
        now = datetime.now(UTC)
        crawling = {
            name: lease_time(self.sources[name].every or DEFAULT_INTERVAL)
            for name in self._busy
            if name in self.sources
        }
        try:
            await asyncio.to_thread(self.pool.heartbeat, now)
            lost = await asyncio.to_thread(self.pool.renew, crawling, now)
        except StoreError as exc:
            logger.error("newswatch run: cannot renew this worker's heartbeat: %s", exc)
            return
        for name in lost:
            logger.error("source %s: its lease went to another worker during the crawl", name)
        self._heartbeats += 1
        if self._heartbeats % STUCK_CHECK == 0:
            await asyncio.to_thread(self._check_stuck, now)

    def _check_stuck(self, now: datetime) -> None:
        """A health alert for every stuck lease of the pool (once per lease: the ledger
        keeps the first worker's)."""
        from newswatch.crawler.extensions.health import raise_stuck_alert
        from newswatch.storage import open_source_states

        assert self.pool is not None
        try:
            leases = self.pool.leases.leases()
            states = open_source_states(self.config.store)
            try:
                saved = states.all()
            finally:
                states.close()
            stuck = stuck_sources(self.config.sources, leases, saved, now, DEFAULT_INTERVAL)
            claimed = {lease.key: lease.claimed_at for lease in leases}
            for source, why in stuck.items():
                if raise_stuck_alert(self.config, source, why, claimed[source]):
                    logger.error("source %s is stuck: %s", source, why)
        except StoreError as exc:
            logger.error("newswatch run: cannot look for stuck leases: %s", exc)

    async def _crawl_and_deliver(
        self, source: Source, started: datetime, lag: float | None = None
    ) -> None:
        name = source.name
        try:
            if self.mode == "inprocess":
                summary = await self._crawl_inprocess(source)
            else:
                summary = await self._crawl_subprocess(source)
        except Exception as exc:
            logger.error("source %s: the crawl failed: %s: %s", name, type(exc).__name__, exc)
            summary = None
        finally:
            self._active.pop(name, None)
        report = await self._deliver()
        next_in = await self._adapt(source)
        seconds = (datetime.now(UTC) - started).total_seconds()
        fields: dict[str, Any] = {"source": name, "seconds": round(seconds, 2)}
        if lag is not None:
            fields["lag"] = round(max(0.0, lag), 2)  # from when it was due to the crawl
        if summary is not None:
            fields.update(summary.as_dict())
        if report is not None:
            fields["alerts_sent"] = report.sent
        if next_in is not None:
            fields["next_in"] = next_in
        self._event("crawled", **fields)

    async def _crawl_inprocess(self, source: Source) -> SourceSummary:
        from scrapy.crawler import Crawler
        from scrapy.utils.defer import maybe_deferred_to_future

        from newswatch.crawler.spiders.news import NewsSpider
        from newswatch.scheduler.crawling import source_settings

        crawler = Crawler(NewsSpider, source_settings(self.base_settings, source))
        self._active[source.name] = crawler
        await maybe_deferred_to_future(crawler.crawl(source=source))
        return SourceSummary.from_stats(source.name, crawler.stats.get_stats())

    async def _crawl_subprocess(self, source: Source) -> SourceSummary | None:
        argv = [sys.executable, "-m", "newswatch", "crawl", source.name, "--json"]
        argv += ["-c", self.config.path]
        if "NEWSWATCH_EXTRACT_WORKERS" in self.overrides:
            argv += ["--workers", str(self.overrides["NEWSWATCH_EXTRACT_WORKERS"])]
        proc = await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE)
        self._active[source.name] = proc
        stdout, _ = await proc.communicate()
        if proc.returncode != 0:
            logger.error("source %s: newswatch crawl exited with %s", source.name,
                         proc.returncode)  # fmt: skip
        for line in stdout.decode("utf-8", "replace").splitlines():
            data = json.loads(line) if line.startswith("{") else {}
            if data.get("source") == source.name:
                return SourceSummary(**data)
        return None

    async def _stop_crawl(self, name: str) -> None:
        running = self._active.get(name)
        if running is None:
            return
        if self.mode == "inprocess":
            await self._stop_inprocess(name, running)
        elif running.returncode is None:
            running.send_signal(signal.SIGTERM)  # `newswatch crawl` stops cleanly on it

    async def _stop_inprocess(self, name: str, crawler: Any) -> None:
        """Scrapy drops a stop that arrives while a crawl is still opening (its engine not
        yet running): wait until the engine runs, then stop it; a crawl that ends first
        needs nothing."""
        while self._active.get(name) is crawler:
            engine = getattr(crawler, "_engine", None)  # None until the crawl builds it
            if engine is not None and engine.running:
                try:
                    await crawler.stop_async()
                except RuntimeError as exc:  # the engine closed in the meantime
                    logger.warning("source %s: stopping its crawl: %s", name, exc)
                return
            await asyncio.sleep(0.05)

    async def _adapt(self, source: Source) -> float | None:
        """Adaptive polling: the source's next interval from its last crawl."""
        if not source.adaptive or source.every is None or self.stopping:
            return None
        from apscheduler.triggers.interval import IntervalTrigger

        from newswatch.crawler.extensions.health import next_interval
        from newswatch.storage import open_source_states

        def decide() -> timedelta:
            states = open_source_states(self.config.store)
            try:
                state = states.get(source.name)
                interval = next_interval(state, source.every, *source.adaptive)
                if state.interval_seconds != interval.total_seconds():
                    state.interval_seconds = interval.total_seconds()
                    states.put(state)
                return interval
            finally:
                states.close()

        try:
            interval = await asyncio.to_thread(decide)
        except StoreError as exc:  # the store is down: the schedule stays as it is
            logger.error("source %s: %s", source.name, exc)
            return None
        trigger = IntervalTrigger(seconds=interval.total_seconds(), jitter=jitter_for(interval))
        job = self.scheduler.get_job(source.name, jobstore="default")
        if job is not None and str(job.trigger) != str(trigger):
            self.scheduler.reschedule_job(source.name, jobstore="default", trigger=trigger)
        return interval.total_seconds()

    async def _deliver(self) -> Any:
        if not self.config.notifiers:
            return None
        from newswatch.scheduler.crawling import deliver_due

        async with self._deliver_lock:
            try:
                return await asyncio.to_thread(deliver_due, self.config)
            except Exception as exc:  # the store is down: the outbox keeps them for later
                logger.error("alerts: cannot deliver now: %s: %s", type(exc).__name__, exc)
                return None

    # -- output ------------------------------------------------------------------------
    def _event(self, event: str, **fields: Any) -> None:
        stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
        if self.as_json:
            self.out.write(json.dumps({"at": stamp, "event": event, **fields}) + "\n")
        else:
            self.out.write(f"{stamp[11:19]} {_describe(event, fields)}\n")
        self.out.flush()


def _describe(event: str, f: dict[str, Any]) -> str:
    if event == "started":
        return f"watching {len(f['sources'])} source(s): {', '.join(f['sources'])} ({f['mode']})"
    if event == "stopping":
        busy = f", finishing {', '.join(f['crawling'])}" if f["crawling"] else ""
        return f"{f['signal']}: stopping{busy}"
    if event == "stopped":
        return "stopped"
    parts = [f"{f['source']}: {f.get('new', '?')} new"]
    for key, label in (("known", "known"), ("errors", "errors")):
        if f.get(key):
            parts.append(f"{f[key]} {label}")
    if "alerts_sent" in f and f["alerts_sent"]:
        parts.append(f"{f['alerts_sent']} alert(s) sent")
    line = ", ".join(parts) + f" in {f['seconds']:.1f} s"
    if f.get("next_in"):
        line += f"; next in {_human(f['next_in'])}"
    return line


def _human(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def jobs_path_for(config: Config, worker: tuple[int, int] | None) -> Path:
    """The job store: beside the config file, one per worker."""
    suffix = f"-worker{worker[0]}of{worker[1]}" if worker else ""
    return Path(config.path).resolve().parent / f".newswatch-schedule{suffix}.db"
