"""Alerts end to end: real crawls (`newswatch crawl` processes) of a site on 127.0.0.1, a real
SMTP server (aiosmtpd) and a local Slack webhook receiver; assertions on what they received.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newswatch.demo.site import NewsSite, Publisher, SiteArticle, config_yaml
from tests.cli import drop_es_store, es_store_url, newswatch
from tests.servers import Receiver, SMTPServer, free_port, text_of

NOW = datetime.now(UTC).replace(microsecond=0)
LEAD = (
    "North Korea has sent a second contingent of troops to Russia, lawmakers in Seoul were "
    "told on Tuesday in a closed briefing by the intelligence service."
)
PARAGRAPHS = [
    LEAD,
    "“We have confirmed the movement of about three thousand soldiers by sea and by air,” "
    "said Park Ji-won, the lawmaker who chairs the intelligence committee.",
    "The briefing described transport ships leaving the port of Chongjin over several nights "
    "and cargo flights landing at a military airfield near Vladivostok.",
    "“This is a grave threat to peace on the peninsula and in Europe alike,” said Choi "
    "Eun-young, a spokeswoman for the foreign ministry.",
    "Officials said the soldiers were expected to receive training before being sent toward "
    "the front, where the first contingent has suffered heavy losses in recent weeks.",
    "Analysts said the deployment deepened military cooperation between the two countries "
    "and would likely prompt new sanctions from Washington and Brussels.",
]
THIRD = (
    "“We are watching these movements very closely and will respond together with our "
    "allies,” said Hanna Lindqvist, the Swedish defence minister, on Wednesday."
)
TOPIC = '"North Korea" AND (troops OR soldiers)'


def story(publisher: str, title: str, paragraphs: list[str], hours_ago: float) -> SiteArticle:
    return SiteArticle(
        publisher=publisher,
        slug=f"nk-troops-{publisher}",
        title=title,
        body="\n\n".join(paragraphs),
        language="en",
        published_at=NOW - timedelta(hours=hours_ago),
    )


def write_config(site: NewsSite, store_url: str, smtp_port: int, hook: str, path: Path) -> Path:
    text = (
        config_yaml(site, store_url)
        + f"""
topics:
  - name: nk-troops
    query: '{TOPIC}'
    alert_on: [article, statement]
    notify: [desk, newsroom]
notifiers:
  desk: {{type: email, smtp: "smtp://127.0.0.1:{smtp_port}", from: watch@example.org,
         to: [desk@example.org], retry_seconds: 1}}
  newsroom: {{type: slack, webhook_url: "{hook}", retry_seconds: 1}}
"""
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    publishers = [Publisher(name, "en", "Europe/London") for name in ("alpha", "bravo", "charlie")]
    site = NewsSite(publishers, [story("alpha", "Seoul: North Korea sends more troops",
                                       PARAGRAPHS, 3)]).start()  # fmt: skip
    smtp = SMTPServer(free_port())
    receiver = Receiver(fail=getattr(request, "param", {}).get("fail", 0))
    backend = getattr(request, "param", {}).get("backend", "sqlite")
    if backend == "sqlite":
        store_url = f"sqlite:///{tmp_path / 'alerts.db'}"
    else:
        es = request.getfixturevalue("es_url")
        store_url = es_store_url(es, "newswatch-alerts")
    config = write_config(site, store_url, smtp.port, receiver.url, tmp_path / "newswatch.yaml")
    yield {"site": site, "smtp": smtp, "receiver": receiver, "config": str(config)}
    smtp.stop()
    receiver.close()
    site.close()
    if backend != "sqlite":
        drop_es_store(request.getfixturevalue("es_url"), store_url)


def crawl(world: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    done = newswatch("crawl", "-c", world["config"])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def backends(**param: Any) -> list[Any]:
    """`world` parameters: the same test on the SQLite store and on Elasticsearch."""
    return [
        pytest.param({**param, "backend": "sqlite"}, id="sqlite"),
        pytest.param(
            {**param, "backend": "elasticsearch"},
            marks=pytest.mark.elasticsearch,
            id="elasticsearch",
        ),
    ]


@pytest.mark.parametrize("world", backends(), indirect=True)
def test_one_alert_per_story_and_one_per_new_statement(world: dict[str, Any]) -> None:
    site, smtp, receiver = world["site"], world["smtp"], world["receiver"]
    smtp.start()
    crawl(world)
    assert len(smtp.mailbox.messages) == 1 and len(receiver.posts) == 1
    mail = text_of(smtp.mailbox.messages[0])
    slack = json.dumps(receiver.posts[0], ensure_ascii=False)
    for needle in ("Park Ji-won", "Choi Eun-young", "three thousand soldiers", "grave threat"):
        assert needle in mail and needle in slack, needle

    # Two more outlets carry the story under their own headlines: nothing new to tell.
    site.publish(story("bravo", "Pyongyang dispatches second wave of soldiers", PARAGRAPHS, 2))
    site.publish(story("charlie", "More North Korean troops head to Russia", PARAGRAPHS[:5], 2))
    crawl(world)
    assert len(smtp.mailbox.messages) == 1 and len(receiver.posts) == 1

    # One outlet adds a statement by a third speaker: one statement alert.
    updated = [*PARAGRAPHS[:4], THIRD, *PARAGRAPHS[4:]]
    charlie_late = story("charlie", "Allies react to North Korean deployment", updated, 1)
    charlie_late.slug = "nk-troops-charlie-reaction"
    site.publish(charlie_late)
    crawl(world)
    assert len(smtp.mailbox.messages) == 2 and len(receiver.posts) == 2
    second = text_of(smtp.mailbox.messages[1])
    assert "Hanna Lindqvist" in second and "watching these movements" in second
    assert "Park Ji-won" not in second
    assert "Hanna Lindqvist" in json.dumps(receiver.posts[1], ensure_ascii=False)
    ids = {m["Message-ID"] for m in smtp.mailbox.messages}
    assert len(ids) == 2

    listed = newswatch("alerts", "-c", world["config"], "--json")
    alerts = [json.loads(line) for line in listed.stdout.splitlines()]
    article_alerts = [a for a in alerts if a["kind"] == "article"]
    assert len(article_alerts) == 1 and len(article_alerts[0]["outlets"]) >= 3
    sent = [a for a in alerts if any(d["status"] == "sent" for d in a["deliveries"].values())]
    assert len(sent) == 2


@pytest.mark.parametrize("world", backends(), indirect=True)
def test_smtp_down_then_up_delivers_once(world: dict[str, Any]) -> None:
    smtp, receiver = world["smtp"], world["receiver"]
    done = crawl(world)  # SMTP is not running
    assert "1 to retry" in done.stdout
    assert len(receiver.posts) == 1 and not smtp.mailbox.messages
    smtp.start()
    time.sleep(1.2)
    notified = newswatch("notify", "-c", world["config"])
    assert notified.returncode == 0, notified.stderr
    assert "1 sent" in notified.stdout
    assert len(smtp.mailbox.messages) == 1 and len(receiver.posts) == 1
    again = newswatch("notify", "-c", world["config"])
    assert "0 sent" in again.stdout and len(smtp.mailbox.messages) == 1


@pytest.mark.parametrize("world", backends(fail=3), indirect=True)
def test_webhook_failing_three_times_is_retried_and_email_not_resent(world) -> None:
    smtp, receiver = world["smtp"], world["receiver"]
    smtp.start()
    crawl(world)
    assert len(smtp.mailbox.messages) == 1 and receiver.failed == 1 and not receiver.posts
    for _ in range(20):
        if receiver.posts:
            break
        time.sleep(1.1)
        assert newswatch("notify", "-c", world["config"]).returncode == 0
    assert receiver.failed == 3 and len(receiver.posts) == 1
    assert len(smtp.mailbox.messages) == 1
    alerts = [
        json.loads(x)
        for x in newswatch("alerts", "-c", world["config"], "--json").stdout.splitlines()
    ]
    slack = [a["deliveries"]["newsroom"] for a in alerts if a["kind"] == "article"][0]
    assert slack["status"] == "sent" and slack["attempts"] == 4


@pytest.mark.parametrize("world", backends(), indirect=True)
def test_killed_between_recording_and_sending_delivers_once_after_restart(world) -> None:
    site, smtp, receiver = world["site"], world["smtp"], world["receiver"]
    smtp.start()

    def slow(request: Any) -> tuple[int, dict[str, str], bytes]:
        time.sleep(8)
        return 404, {"Content-Type": "text/html"}, b"gone"

    # A feed link that keeps the crawl busy after the alert is recorded.
    site.add_link("alpha", "/news/slow.html", "A slow page", NOW - timedelta(hours=4))
    site.add_route("alpha", "/news/slow.html", slow)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen([sys.executable, "-m", "newswatch.cli", "crawl", "-c",
                             world["config"]], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        listed = newswatch("alerts", "-c", world["config"], "--json").stdout
        if listed.strip():
            break
        time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not smtp.mailbox.messages and not receiver.posts
    notified = newswatch("notify", "-c", world["config"])
    assert "2 sent" in notified.stdout, notified.stdout + notified.stderr
    assert len(smtp.mailbox.messages) == 1 and len(receiver.posts) == 1
    assert "2 sent" not in newswatch("notify", "-c", world["config"]).stdout
    assert len(smtp.mailbox.messages) == 1 and len(receiver.posts) == 1
