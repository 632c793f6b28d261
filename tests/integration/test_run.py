"""`newswatch run` as a subprocess against a site that publishes while it runs: every new
article on the topic is stored once and alerted once (email and Slack, real servers);
SIGTERM in the middle of a crawl, then a restart, loses and repeats nothing; a JS-only
publisher is rendered by Chromium; two workers on one Elasticsearch split the sources.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from newswatch.config import load_config
from newswatch.demo.site import NewsSite, Publisher, RouteRequest, config_yaml
from newswatch.scheduler.monitor import worker_share
from tests.cli import drop_es_store, es_store_url, newswatch
from tests.servers import Receiver, SMTPServer, free_port
from tests.site import JS_PUBLISHER, expected_for
from tests.site.content import fixture_articles
from tests.site.stream import on_topic, syndicated

TOPIC = '"North Korea" AND troops'
WAIT = 90.0  # seconds for anything to happen on a busy machine


def wait_for(what: str, check: Callable[[], Any], timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


class Monitor:
    """A `newswatch run` process; its JSON events are read from a file."""

    def __init__(self, config: Path, log: Path, *args: str) -> None:
        self.log = log
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        self.out = log.open("a", encoding="utf-8")
        self.err = log.with_suffix(".err").open("a", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newswatch", "run", "-c", str(config), "--json", *args],
            stdout=self.out,
            stderr=self.err,
            env=env,
        )

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        lines = self.log.read_text(encoding="utf-8").splitlines()
        events = [json.loads(line) for line in lines if line.startswith("{")]
        return [e for e in events if kind is None or e["event"] == kind]

    def crawled(self, source: str) -> int:
        return sum(1 for e in self.events("crawled") if e["source"] == source)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=WAIT)
        finally:
            self.out.close()
            self.err.close()

    def stderr(self) -> str:
        return self.log.with_suffix(".err").read_text(encoding="utf-8")


def write_config(site: NewsSite, store_url: str, smtp: int, hook: str, path: Path) -> Path:
    text = config_yaml(site, store_url)
    # Every source polls every 2 s (the JS-only one hourly: it is rendered once).
    text = text.replace("    language: en\n", "    language: en\n    every: 2s\n")
    text = text.replace("    render_js: true\n", "    render_js: true\n    every: 1h\n")
    text += f"""
topics:
  - name: nk-troops
    query: '{TOPIC}'
    alert_on: [article]
    notify: [desk, newsroom]
notifiers:
  desk: {{type: email, smtp: "smtp://127.0.0.1:{smtp}", from: watch@example.org,
         to: [desk@example.org], retry_seconds: 1}}
  newsroom: {{type: slack, webhook_url: "{hook}", retry_seconds: 1}}
"""
    path.write_text(text, encoding="utf-8")
    return path


def exported(config: Path) -> list[dict[str, Any]]:
    done = newswatch("export", "-c", str(config))
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def subjects(smtp: SMTPServer) -> list[str]:
    return [str(m["Subject"]) for m in smtp.mailbox.messages]


@pytest.fixture
def servers() -> Iterator[tuple[SMTPServer, Receiver]]:
    smtp = SMTPServer(free_port()).start()
    receiver = Receiver()
    yield smtp, receiver
    smtp.stop()
    receiver.close()


def test_run_alerts_each_new_story_once_across_a_restart(
    tmp_path: Path, servers: tuple[SMTPServer, Receiver]
) -> None:
    smtp, receiver = servers
    js_pages = [a for a in fixture_articles(include_js=True) if a.publisher == JS_PUBLISHER.name]
    publishers = [Publisher("alpha", "en", "Europe/London"), Publisher("bravo", "en", "UTC")]
    site = NewsSite([*publishers, JS_PUBLISHER], js_pages).start()
    config = write_config(
        site, f"sqlite:///{tmp_path / 'run.db'}", smtp.port, receiver.url, tmp_path / "nw.yaml"
    )
    truth = expected_for(site)["articles"]
    log = tmp_path / "run.jsonl"
    monitor = Monitor(config, log)
    try:
        wait_for("a first crawl of every source", lambda: all(
            monitor.crawled(s) for s in ("alpha", "bravo", "jsonly")))  # fmt: skip

        # 1. A new story on alpha: one email, one Slack post.
        first = on_topic("alpha", 1)
        site.publish(first)
        wait_for("the first alert", lambda: len(smtp.mailbox.messages) >= 1)
        wait_for("the first Slack post", lambda: len(receiver.posts) >= 1)

        # 2. Its copy on bravo (no alert) and a second story on bravo (one alert).
        site.publish(syndicated(first, "bravo"))
        site.publish(on_topic("bravo", 2))
        wait_for("the second alert", lambda: len(smtp.mailbox.messages) >= 2)

        # 3. SIGTERM while a crawl waits for a slow article page.
        third = on_topic("alpha", 3)
        third_path = site.path(third)
        slow_hits: list[float] = []

        def slow(request: RouteRequest) -> tuple[int, dict[str, str], bytes]:
            slow_hits.append(time.monotonic())
            if len(slow_hits) == 1:
                time.sleep(4)
            return site.default_response("alpha", request.path)

        site.add_route("alpha", third_path, slow)
        site.publish(third)
        wait_for("the crawl to reach the slow page", lambda: slow_hits)
        assert monitor.stop() == 0, monitor.stderr()
        assert "alpha" in monitor.events("stopping")[-1]["crawling"], "not mid-crawl"
        assert monitor.events("stopped"), "no clean stop"
        # The in-flight article was finished (stored, alerted) or handed back to the next run.
        assert len(smtp.mailbox.messages) in (2, 3)

        # 4. Restart: an interrupted article is fetched again, stored and alerted once.
        monitor = Monitor(config, log)
        wait_for("the third alert", lambda: len(smtp.mailbox.messages) >= 3)
        site.publish(on_topic("bravo", 4))
        wait_for("the fourth alert", lambda: len(smtp.mailbox.messages) >= 4)
        time.sleep(5)  # a few more polls: nothing more may arrive
    finally:
        code = monitor.stop()
        site.close()
    assert code == 0, monitor.stderr()
    assert "Traceback" not in monitor.stderr()

    records = exported(config)
    urls = sorted(r["url"] for r in records)
    assert len(urls) == len(set(urls)), "an article stored twice"
    titles = {r["title"] for r in records}
    for n in (1, 2, 3, 4):
        assert f"North Korean troops: update {n} on the deployment" in titles
    assert "Wire: North Korean troops: update 1 on the deployment" in titles
    # Stories, not outlets: the copy shares its original's story.
    story = {r["title"]: r["story_id"] for r in records}
    assert (
        story["Wire: North Korean troops: update 1 on the deployment"]
        == story["North Korean troops: update 1 on the deployment"]
    )

    mails = subjects(smtp)
    assert len(mails) == 4, mails
    assert len(set(mails)) == 4, f"an alert repeated: {mails}"
    assert len({m["Message-ID"] for m in smtp.mailbox.messages}) == 4
    assert len(receiver.posts) == 4
    for n in (1, 2, 3, 4):
        assert sum(f"update {n} " in s for s in mails) == 1, mails

    # The JS-only publisher's articles, with the text its script renders.
    rendered = {r["title"]: r["body"] for r in records if r["source"] == "jsonly"}
    for item in truth.values():
        if item["publisher"] != JS_PUBLISHER.name:
            continue
        assert item["title"] in rendered, f"JS article not stored: {item['title']}"
        for paragraph in item["paragraphs"]:
            assert paragraph in rendered[item["title"]]

    status = newswatch("status", "-c", str(config), "--json")
    rows = {row["source"]: row for row in map(json.loads, status.stdout.splitlines())}
    assert {rows[s]["health"] for s in ("alpha", "bravo", "jsonly")} == {"ok"}
    assert rows["alpha"]["articles"] == 2 and rows["bravo"]["articles"] == 3


def test_unchanged_feed_is_answered_304_and_no_article_fetched_again(tmp_path: Path) -> None:
    publishers = [Publisher("alpha", "en", "Europe/London")]
    site = NewsSite(publishers, [on_topic("alpha", n, hours_ago=n) for n in (1, 2, 3)]).start()
    try:
        config = tmp_path / "nw.yaml"
        config.write_text(config_yaml(site, f"sqlite:///{tmp_path / 'c.db'}"), encoding="utf-8")
        first = newswatch("crawl", "-c", str(config), "--json")
        assert first.returncode == 0, first.stderr
        site.reset_hits()
        second = newswatch("crawl", "-c", str(config), "--json")
        assert second.returncode == 0, second.stderr
        summary = json.loads(second.stdout.splitlines()[0])
        assert summary["not_modified"] == 1
        assert summary["new"] == 0
        assert site.article_hits() == 0
        feed = site.feed_urls("alpha")[0].split("/", 3)[3]
        assert site.hits[("alpha", "/" + feed)] == 1

        # A changed feed is read again and only the new article is fetched.
        site.publish(on_topic("alpha", 9))
        site.reset_hits()
        third = newswatch("crawl", "-c", str(config), "--json")
        summary = json.loads(third.stdout.splitlines()[0])
        assert summary["not_modified"] == 0 and summary["new"] == 1
        assert site.article_hits() == 1
    finally:
        site.close()


@pytest.mark.elasticsearch
def test_two_workers_on_one_elasticsearch_store_and_alert_once(
    tmp_path: Path, es_url: str, servers: tuple[SMTPServer, Receiver]
) -> None:
    smtp, receiver = servers
    names = ("alpha", "bravo", "charlie", "delta")
    site = NewsSite([Publisher(n, "en", "UTC") for n in names]).start()
    store = es_store_url(es_url, "newswatch-run")
    config = write_config(site, store, smtp.port, receiver.url, tmp_path / "nw.yaml")
    sources = load_config(config).sources
    shares = [{s.name for s in worker_share(sources, i, 2)} for i in (1, 2)]
    assert shares[0] and shares[1] and not shares[0] & shares[1]
    assert shares[0] | shares[1] == set(names)
    one, two = sorted(shares[0])[0], sorted(shares[1])[0]
    workers = [
        Monitor(config, tmp_path / f"w{i}.jsonl", "--worker", f"{i}/2", "--workers", "1")
        for i in (1, 2)
    ]
    try:
        pairs = list(zip(workers, shares, strict=True))
        wait_for("both workers' first crawls", lambda: all(
            w.crawled(s) for w, share in pairs for s in share))  # fmt: skip
        original = on_topic(one, 1)
        site.publish(original)
        site.publish(on_topic(two, 2))
        wait_for("two alerts", lambda: len(smtp.mailbox.messages) >= 2)
        # The first story's copy, crawled by the other worker: no alert.
        site.publish(syndicated(original, two))
        site.publish(on_topic(one, 3))
        wait_for("the third alert", lambda: len(smtp.mailbox.messages) >= 3)
        wait_for("the copy stored", lambda: any(
            r["title"].startswith("Wire:") for r in exported(config)))  # fmt: skip
        time.sleep(5)
    finally:
        codes = [w.stop() for w in workers]
        site.close()
    try:
        assert codes == [0, 0], [w.stderr() for w in workers]
        for w, share in zip(workers, shares, strict=True):
            assert {e["source"] for e in w.events("crawled")} == share
        records = exported(config)
        assert len(records) == 4
        assert len({r["id"] for r in records}) == 4
        mails = subjects(smtp)
        assert len(mails) == 3 and len(set(mails)) == 3, mails
        assert len(receiver.posts) == 3
    finally:
        drop_es_store(es_url, store)


@pytest.mark.elasticsearch
def test_a_pool_of_three_workers_takes_over_from_a_killed_one_and_alerts_once(
    tmp_path: Path, es_url: str, servers: tuple[SMTPServer, Receiver]
) -> None:
    from newswatch.scheduler.pool import lease_time

    smtp, receiver = servers
    names = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
    site = NewsSite([Publisher(n, "en", "UTC") for n in names]).start()
    store = es_store_url(es_url, "newswatch-pool")
    config = write_config(site, store, smtp.port, receiver.url, tmp_path / "nw.yaml")
    every = timedelta(seconds=2)  # write_config's polling interval
    takeover = 2 * every + lease_time(every)  # two polls and the lease time
    workers = [Monitor(config, tmp_path / f"w{i}.jsonl", "--workers", "1") for i in range(3)]
    published: list[str] = []

    def publish(source: str, n: int) -> None:
        article = on_topic(source, n)
        site.publish(article)
        published.append(article.title)

    restarted = None
    try:
        wait_for("every source crawled", lambda: all(
            any(w.crawled(s) for w in workers) for s in names))  # fmt: skip
        for n, name in enumerate(names, 1):
            publish(name, n)
        wait_for("six alerts", lambda: len(smtp.mailbox.messages) >= 6)
        # Each worker holds its share; kill the one that holds the most.
        victim = max(range(3), key=lambda i: len({e["source"] for e in workers[i].events(
            "crawled")}))  # fmt: skip
        held = {e["source"] for e in workers[victim].events("crawled")}
        # every crawl says how late it started after it was due (the schedule lag)
        lags = [e["lag"] for w in workers for e in w.events("crawled")]
        assert lags and all(lag >= 0 for lag in lags), lags
        workers[victim].proc.kill()
        killed_at = time.time()
        for n, name in enumerate(sorted(held), 7):
            publish(name, n)
        wait_for(
            "the killed worker's new stories alerted by the others",
            lambda: len(smtp.mailbox.messages) >= 6 + len(held),
            timeout=takeover.total_seconds() + WAIT,
        )
        took = time.time() - killed_at
        survivors = [w for i, w in enumerate(workers) if i != victim]
        restarted = Monitor(config, tmp_path / "restarted.jsonl", "--workers", "1")
        wait_for("the restarted worker crawls its share again", lambda: restarted.events(
            "crawled"), timeout=takeover.total_seconds() + WAIT)  # fmt: skip
        publish(names[0], 99)
        # on both channels: each is delivered on its own, so mail first is no sign of Slack
        wait_for("the last alert", lambda: len(smtp.mailbox.messages) >= 7 + len(held)
                 and len(receiver.posts) >= 7 + len(held))  # fmt: skip
        time.sleep(3)
    finally:
        codes = [w.stop() for i, w in enumerate(workers) if i != victim]
        if restarted is not None:
            codes.append(restarted.stop())
        workers[victim].stop()
        site.close()
    try:
        assert codes == [0, 0, 0], [w.stderr() for w in survivors]
        assert took <= takeover.total_seconds() + 30, took
        records = exported(config)
        assert sorted(r["title"] for r in records) == sorted(published)  # each stored once
        mails = subjects(smtp)
        assert len(mails) == len(published) and len(set(mails)) == len(mails), mails
        assert len(receiver.posts) == len(published)
        for source in held:
            assert any(w.crawled(source) for w in survivors), source
    finally:
        drop_es_store(es_url, store)


def test_a_pool_worker_started_while_elasticsearch_is_down_waits_for_it(tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}?index=nw-down"  # nothing listens there
    config = tmp_path / "nw.yaml"
    config.write_text(
        f"store: {down}\nsources:\n"
        "  - {name: harbour, feeds: ['http://127.0.0.1:9/rss'], every: 5s}\n",
        encoding="utf-8",
    )
    monitor = Monitor(config, tmp_path / "run.jsonl")
    try:
        wait_for("a claim refused for the store", lambda: "cannot claim it" in monitor.stderr())
        assert monitor.proc.poll() is None, monitor.stderr()  # still running, not dead
    finally:
        code = monitor.stop()
    assert code == 0, monitor.stderr()
    err = monitor.stderr()
    assert "cannot join the pool yet" in err and "Traceback" not in err
