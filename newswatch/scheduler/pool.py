"""A pool of `newswatch run` workers sharing their sources through leases in the store.

Every worker schedules every source; before a crawl it asks `Pool.may_crawl`, which claims
the source's lease (atomic in the store: `newswatch.storage.base.Leases`). A worker crawls
only what it holds, and holds at most its fair share: the sources divided by the workers
alive (each worker renews a heartbeat lease), so a worker that joins gets work as the others
let their surplus go, and the sources of a worker that dies are taken over when its leases
expire. A clean stop releases everything at once.

Worker names are `host:pid`; a worker that starts on a host releases the leases of that
host's workers whose process is gone (a monitor restarted after a crash gets its sources
back at once, not after the lease time).

A worker reads the pool's leases at most once a heartbeat (`SNAPSHOT_AGE`), not before each
source it schedules: the share it holds is its own count, the others' leases may be a few
seconds old, and a claim on a stale picture is refused by the store's atomic claim.

A worker renews the leases of the sources it is crawling with its heartbeat, so a crawl that
runs longer than the lease time keeps its source. A lease that is held but whose source
nobody has crawled for `STUCK_AFTER` intervals (a crawl that hangs, a worker whose scheduler
stopped while its heartbeat goes on) is *stuck*: `stuck_leases` finds them, `newswatch status`
shows them and the workers of the pool raise a health alert for them.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import threading
from datetime import UTC, datetime, timedelta

from newswatch.config import Source
from newswatch.records import WORKER_KEY, Lease, SourceState
from newswatch.storage import Leases

logger = logging.getLogger(__name__)

HEARTBEAT = timedelta(seconds=10)  # how often a worker says it is alive
HEARTBEAT_TTL = timedelta(seconds=30)  # silent for this long: gone
LEASE_MARGIN = timedelta(seconds=30)  # a source's lease: two intervals and this
SNAPSHOT_AGE = HEARTBEAT  # how old the picture of the others' leases may be
STUCK_AFTER = 3  # intervals a held source may go uncrawled before its lease is stuck


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_time(interval: timedelta) -> timedelta:
    """How long a source stays with a worker that stopped renewing it."""
    return 2 * interval + LEASE_MARGIN


class Pool:
    def __init__(self, leases: Leases, sources: list[str], name: str | None = None) -> None:
        self.leases = leases
        self.sources = list(sources)
        self.name = name or worker_name()
        self._expires: dict[str, datetime] = {}  # what this worker last claimed, until when
        self._snapshot: dict[str, Lease] = {}  # the pool's leases as last read
        self._snapshot_at: datetime | None = None
        self._alive: set[str] = set()  # the workers alive in that picture
        self._reading = threading.Lock()

    def start(self, now: datetime) -> None:
        """Take back what dead workers of this host held; say this one is alive."""
        host = self.name.rsplit(":", 1)[0]
        for lease in self.leases.leases():
            owner_host, _, pid = lease.owner.rpartition(":")
            if owner_host == host and lease.owner != self.name and not _alive(pid):
                self.leases.release(lease.key, lease.owner)
        self.heartbeat(now)

    def heartbeat(self, now: datetime) -> None:
        self.leases.claim(WORKER_KEY + self.name, self.name, HEARTBEAT_TTL, now)

    def may_crawl(self, source: str, ttl: timedelta, now: datetime) -> bool:
        """Claim (or renew) the source's lease if it is free and within this worker's share;
        let it go if this worker holds more than its share. A lease this worker holds with
        more than half its time left is not written again (an unchanged source polled every
        interval renews its lease every other poll)."""
        workers = self._workers(now) | {self.name}
        share = math.ceil(len(self.sources) / len(workers))
        held = self._snapshot.get(source)
        if held is not None and held.owner != self.name and held.live(now):
            return False
        others = sum(1 for key, until in self._expires.items() if key != source and until > now)
        if others >= share:  # more than its share: another worker takes this one
            if source in self._expires:
                self._expires.pop(source)
                self._snapshot.pop(source, None)
                self.leases.release(source, self.name)
            return False
        if self._expires.get(source, now) - now >= ttl / 2:
            return True  # held, with more than half its time left: no write needed yet
        return self._claim(source, ttl, now)

    def _workers(self, now: datetime) -> set[str]:
        """The workers alive in the pool's leases, read again once the picture is
        `SNAPSHOT_AGE` old (a few thousand leases are not parsed for every source)."""
        with self._reading:  # the crawls' threads read it once between them, not each
            at = self._snapshot_at
            if at is None or not at <= now < at + SNAPSHOT_AGE:
                self._snapshot = {lease.key: lease for lease in self.leases.leases()}
                self._snapshot_at = now
                self._alive = {
                    lease.owner
                    for lease in self._snapshot.values()
                    if lease.key.startswith(WORKER_KEY) and lease.live(now)
                }
            return self._alive

    def _claim(self, source: str, ttl: timedelta, now: datetime) -> bool:
        if self.leases.claim(source, self.name, ttl, now):
            self._expires[source] = now + ttl
            stamp = now.astimezone(UTC).isoformat()
            self._snapshot[source] = Lease(
                source, self.name, (now + ttl).astimezone(UTC).isoformat(), stamp, stamp
            )
            return True
        self._expires.pop(source, None)
        self._snapshot.pop(source, None)
        return False

    def renew(self, crawling: dict[str, timedelta], now: datetime) -> list[str]:
        """Renew the leases of the sources this worker is crawling ({source: lease time})
        once less than half their time is left (one write per source and half lease, not
        one per heartbeat); the ones it no longer holds (taken over after an expiry) are
        returned."""
        due = {
            source: ttl
            for source, ttl in crawling.items()
            if self._expires.get(source, now) - now < ttl / 2
        }
        return [source for source, ttl in due.items() if not self._claim(source, ttl, now)]

    def stop(self) -> None:
        """Release every lease this worker holds (a clean stop)."""
        for lease in self.leases.leases():
            if lease.owner == self.name:
                self.leases.release(lease.key, self.name)


def stuck_leases(
    leases: list[Lease],
    last_crawls: dict[str, datetime | None],
    intervals: dict[str, timedelta],
    now: datetime,
) -> dict[str, str]:
    """{source: why} for the live source leases whose source has not been crawled for
    `STUCK_AFTER` of its intervals since it was claimed. A lease whose worker died is not
    stuck: it expires by itself."""
    live = [lease for lease in leases if lease.live(now)]
    workers = {lease.owner for lease in live if lease.key.startswith(WORKER_KEY)}
    out: dict[str, str] = {}
    for lease in live:
        interval = intervals.get(lease.key)
        if interval is None or lease.owner not in workers:
            continue
        since = datetime.fromisoformat(lease.claimed_at)
        last = last_crawls.get(lease.key)
        if last is not None and last > since:
            since = last
        if now - since > STUCK_AFTER * interval:
            minutes = int((now - since).total_seconds() // 60)
            out[lease.key] = (
                f"held by worker {lease.owner} but not crawled for {minutes} min "
                f"(every {int(interval.total_seconds() // 60)} min)"
            )
    return out


def stuck_sources(
    sources: list[Source],
    leases: list[Lease],
    states: list[SourceState],
    now: datetime,
    default_interval: timedelta,
) -> dict[str, str]:
    """`stuck_leases` for configured sources and their saved states (the interval is the
    longer of the configured and the adapted one)."""
    known = {s.source: s for s in states}
    intervals: dict[str, timedelta] = {}
    last_crawls: dict[str, datetime | None] = {}
    for source in sources:
        state = known.get(source.name)
        interval = source.every or default_interval
        if state is not None and state.interval_seconds:
            interval = max(interval, timedelta(seconds=state.interval_seconds))
        intervals[source.name] = interval
        last = state.last_crawl_at if state is not None else None
        last_crawls[source.name] = datetime.fromisoformat(last) if last else None
    return stuck_leases(leases, last_crawls, intervals, now)


def _alive(pid: str) -> bool:
    if not pid.isdigit():
        return True  # not a name this module made: leave it to expire
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
