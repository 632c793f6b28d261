"""Work leases in the store (SQLite and the real Elasticsearch): one holder at a time, even
when workers claim at the same instant; an expired lease is taken over; and the pool built on
them gives each live worker its share, takes a dead worker's sources over and gives a worker
that joins its part."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from newswatch.records import WORKER_KEY
from newswatch.scheduler.pool import HEARTBEAT, HEARTBEAT_TTL, Pool
from newswatch.storage import Leases, open_leases

T0 = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
TTL = timedelta(seconds=30)




@pytest.fixture
def leases(store_url: str) -> Iterator[Leases]:
    opened = open_leases(store_url)
    try:
        yield opened
    finally:
        opened.close()


def test_one_holder_until_it_expires_or_is_released(leases: Leases) -> None:
    assert leases.claim("alpha", "w1", TTL, T0)
    assert not leases.claim("alpha", "w2", TTL, T0 + timedelta(seconds=5))
    assert leases.claim("alpha", "w1", TTL, T0 + timedelta(seconds=10))  # renewed
    assert not leases.claim("alpha", "w2", TTL, T0 + timedelta(seconds=35))  # still held
    [held] = leases.leases()
    assert (held.owner, held.claimed_at[:19]) == ("w1", "2026-12-02T12:00:00")
    assert leases.claim("alpha", "w2", TTL, T0 + timedelta(seconds=41))  # expired: taken
    leases.release("alpha", "w1")  # not its own any more: nothing happens
    assert [lease.owner for lease in leases.leases()] == ["w2"]
    leases.release("alpha", "w2")
    assert leases.leases() == []
    assert leases.claim("alpha", "w1", TTL, T0 + timedelta(seconds=42))


def test_workers_claiming_at_the_same_instant_get_one_winner_each_key(store_url: str) -> None:
    keys = [f"source-{n}" for n in range(20)]
    workers = [open_leases(store_url) for _ in range(3)]
    won: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(workers))

    def claim_all(index: int) -> None:
        start.wait()
        for key in keys:
            if workers[index].claim(key, f"w{index}", TTL, T0):
                with lock:
                    won[key] += 1

    threads = [threading.Thread(target=claim_all, args=(i,)) for i in range(len(workers))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert won == Counter(dict.fromkeys(keys, 1))
        owners = {lease.key: lease.owner for lease in workers[0].leases()}
        assert set(owners) == set(keys)
    finally:
        for opened in workers:
            opened.close()


def test_the_pool_shares_sources_takes_over_and_rebalances(leases: Leases) -> None:
    sources = [f"s{n}" for n in range(6)]
    pools = {name: Pool(leases, sources, name=f"host:{name}") for name in ("a", "b", "c")}

    def round_at(now: datetime, alive: list[str]) -> dict[str, int]:
        for name in alive:
            pools[name].heartbeat(now)
        for source in sources:
            for name in alive:
                pools[name].may_crawl(source, TTL, now)
        live = [lease for lease in leases.leases() if lease.live(now)]
        return dict(Counter(lease.owner[5:] for lease in live if not
                            lease.key.startswith(WORKER_KEY)))  # fmt: skip

    assert round_at(T0, ["a", "b", "c"]) == {"a": 2, "b": 2, "c": 2}
    # c dies: once its heartbeat and leases expire, a and b share its sources
    later = T0 + max(TTL, HEARTBEAT_TTL) + timedelta(seconds=1)
    assert round_at(later, ["a", "b"]) == {"a": 3, "b": 3}
    # c comes back: a and b see it once their picture of the pool is a heartbeat old, let
    # their surplus go, and c takes it over in the rounds after (a round per heartbeat)
    back = later + timedelta(seconds=5)
    rounds = [round_at(back + k * HEARTBEAT, ["a", "b", "c"]) for k in range(4)]
    assert rounds[0] == {"a": 3, "b": 3}  # nobody saw c yet: no source moves at once
    assert rounds[-1] == {"a": 2, "b": 2, "c": 2}


def test_a_worker_renews_what_it_is_crawling_and_learns_what_it_lost(leases: Leases) -> None:
    pool = Pool(leases, ["alpha", "beta"], name="host:1")
    assert pool.may_crawl("alpha", TTL, T0)
    # with most of its time left a lease is not written again (one write per half lease)
    assert pool.renew({"alpha": TTL}, T0 + timedelta(seconds=10)) == []
    assert [lease.renewed_at[:19] for lease in leases.leases()] == ["2026-12-02T12:00:00"]
    # a long crawl: renewed with the heartbeat, it outlives the first lease time
    assert pool.renew({"alpha": TTL}, T0 + timedelta(seconds=25)) == []
    assert not leases.claim("alpha", "host:2", TTL, T0 + timedelta(seconds=40))
    # not renewed in time: another worker took it, and the crawling worker is told
    assert leases.claim("alpha", "host:2", TTL, T0 + timedelta(seconds=60))
    assert pool.renew({"alpha": TTL}, T0 + timedelta(seconds=61)) == ["alpha"]


def test_a_lease_held_by_a_live_worker_that_does_not_crawl_is_stuck(leases: Leases) -> None:
    from newswatch.scheduler.pool import stuck_leases

    every = timedelta(minutes=5)
    hour = timedelta(hours=1)
    later = T0 + timedelta(minutes=20)
    leases.claim(WORKER_KEY + "host:1", "host:1", hour, later)  # alive
    leases.claim("alpha", "host:1", hour, T0)  # held, crawled 2 min ago: fine
    leases.claim("beta", "host:1", hour, T0)  # held, never crawled since: stuck
    leases.claim("gamma", "host:9", hour, T0)  # its worker is dead: it expires by itself
    stuck = stuck_leases(
        leases.leases(),
        {"alpha": later - timedelta(minutes=2), "beta": None, "gamma": None},
        {"alpha": every, "beta": every, "gamma": every},
        later,
    )
    assert list(stuck) == ["beta"]
    assert stuck["beta"] == "held by worker host:1 but not crawled for 20 min (every 5 min)"


def test_a_renewal_on_a_known_version_is_one_write_and_a_stale_one_reads_again(
    store_url: str,
) -> None:
    if not store_url.startswith("http"):
        pytest.skip("the version a claim writes on is Elasticsearch's")
    mine, other = open_leases(store_url), open_leases(store_url)
    try:
        gets: list[str] = []
        real_get = mine.client.get

        def counted_get(**kwargs):  # the real call, counted
            gets.append(kwargs["id"])
            return real_get(**kwargs)

        mine.client.get = counted_get
        assert mine.claim("alpha", "w1", TTL, T0)
        assert mine.claim("alpha", "w1", TTL, T0 + timedelta(seconds=10))  # renewal
        assert mine.claim("beta", "w1", TTL, T0)
        mine.leases()
        assert mine.claim("beta", "w1", TTL, T0 + timedelta(seconds=10))
        assert gets == ["alpha", "beta"]  # only the first claim of each key reads it
        # another worker takes alpha after it expired: mine's version is stale, its claim is
        # refused by the store, reads the lease again and sees it held
        assert other.claim("alpha", "w2", TTL, T0 + timedelta(seconds=45))
        assert not mine.claim("alpha", "w1", TTL, T0 + timedelta(seconds=50))
        assert gets == ["alpha", "beta", "alpha"]
        assert [(x.key, x.owner) for x in other.leases()] == [("alpha", "w2"), ("beta", "w1")]
    finally:
        mine.close()
        other.close()


def test_a_held_lease_is_written_again_only_once_half_its_time_is_gone(leases: Leases) -> None:
    pool = Pool(leases, ["alpha"], name="host:1")
    pool.heartbeat(T0)
    writes: list[datetime] = []
    real_claim = leases.claim

    def counted_claim(key, owner, ttl, now):  # the real claim, counted
        if key == "alpha":
            writes.append(now)
        return real_claim(key, owner, ttl, now)

    leases.claim = counted_claim  # type: ignore[method-assign]
    try:
        for seconds in (0, 10, 14, 16, 25):
            assert pool.may_crawl("alpha", TTL, T0 + timedelta(seconds=seconds))
    finally:
        del leases.claim
    # claimed at 0 until 30; renewed at 16 (14 s left, under half of 30) until 46
    assert writes == [T0, T0 + timedelta(seconds=16)]
    [held] = [x for x in leases.leases() if x.key == "alpha"]
    assert held.expires_at[:19] == "2026-12-02T12:00:46"
