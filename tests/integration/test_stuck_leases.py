"""A lease held by a live worker whose source nobody crawls is stuck: `newswatch status`
says so (text and JSON), and the pool's health alert for it is recorded once, however many
workers notice it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newswatch.config import load_config
from newswatch.crawler.extensions.health import HEALTH_TOPIC, raise_stuck_alert
from newswatch.records import WORKER_KEY
from newswatch.scheduler.monitor import Monitor
from newswatch.scheduler.pool import Pool
from newswatch.storage import open_leases, open_ledger
from tests.cli import newswatch


def test_a_stuck_lease_is_shown_and_alerted_once(tmp_path: Path) -> None:
    config = tmp_path / "nw.yaml"
    store = f"sqlite:///{tmp_path / 'nw.db'}"
    config.write_text(
        f"store: {store}\n"
        "notifiers:\n  ops: {type: slack, webhook_url: 'http://127.0.0.1:9/hook'}\n"
        "sources:\n"
        "  - {name: harbour, feeds: [https://harbour.example.org/rss], every: 5m}\n"
        "  - {name: valley, feeds: [https://valley.example.org/rss], every: 5m}\n",
        "utf-8",
    )
    now = datetime.now(UTC)
    leases = open_leases(store)
    try:
        leases.claim(WORKER_KEY + "host-a:41", "host-a:41", timedelta(minutes=1), now)
        # claimed 40 minutes ago and renewed since, but never crawled: stuck
        leases.claim("harbour", "host-a:41", timedelta(hours=1), now - timedelta(minutes=40))
        leases.claim("harbour", "host-a:41", timedelta(hours=1), now)
        leases.claim("valley", "host-a:41", timedelta(hours=1), now)  # just claimed: fine
    finally:
        leases.close()

    shown = newswatch("status", "-c", str(config), "--json")
    assert shown.returncode == 0, shown.stderr
    rows = {row["source"]: row for row in map(json.loads, shown.stdout.splitlines())}
    assert rows["valley"]["lease_stuck"] is None
    assert rows["harbour"]["lease_stuck"].startswith("held by worker host-a:41 but not crawled")
    human = newswatch("status", "-c", str(config)).stdout
    assert "STUCK: held by worker host-a:41 but not crawled for 40 min (every 5 min)" in human

    # a worker of the pool notices it (its heartbeat looks every minute), then another
    loaded = load_config(config)
    for name in ("host-b:7", "host-c:8"):
        leases = open_leases(store)
        try:
            monitor = Monitor(loaded, loaded.sources, None, pool=Pool(leases, [], name=name))
            monitor._check_stuck(datetime.now(UTC))
        finally:
            leases.close()
    why = rows["harbour"]["lease_stuck"]
    assert not raise_stuck_alert(loaded, "harbour", why, rows["harbour"]["held_since"])
    ledger = open_ledger(store)
    try:
        alerts = [a for a in ledger.alerts() if a.topic == HEALTH_TOPIC]
    finally:
        ledger.close()
    assert [a.title for a in alerts] == [f"source harbour is stuck: {why}"]
    assert list(alerts[0].deliveries) == ["ops"]
