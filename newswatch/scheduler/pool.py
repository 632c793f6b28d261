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
"""

from __future__ import annotations

import logging
import math
import os
import socket
from datetime import datetime, timedelta

from newswatch.records import WORKER_KEY
from newswatch.storage import Leases

logger = logging.getLogger(__name__)

HEARTBEAT = timedelta(seconds=10)  # how often a worker says it is alive
HEARTBEAT_TTL = timedelta(seconds=30)  # silent for this long: gone
LEASE_MARGIN = timedelta(seconds=30)  # a source's lease: two intervals and this


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
        let it go if this worker holds more than its share."""
        live = [lease for lease in self.leases.leases() if lease.live(now)]
        workers = {lease.owner for lease in live if lease.key.startswith(WORKER_KEY)}
        workers.add(self.name)
        share = math.ceil(len(self.sources) / len(workers))
        held = next((lease for lease in live if lease.key == source), None)
        if held is not None and held.owner != self.name:
            return False
        others = sum(
            1
            for lease in live
            if lease.owner == self.name
            and lease.key != source
            and not lease.key.startswith(WORKER_KEY)
        )
        if others >= share:  # more than its share: another worker takes this one
            if held is not None:
                self.leases.release(source, self.name)
            return False
        return self.leases.claim(source, self.name, ttl, now)

    def stop(self) -> None:
        """Release every lease this worker holds (a clean stop)."""
        for lease in self.leases.leases():
            if lease.owner == self.name:
                self.leases.release(lease.key, self.name)


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
