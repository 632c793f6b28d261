"""The Apprise channel for real: Apprise's JSON notifier (`json://host:port/path`) posts to an
HTTP receiver on 127.0.0.1; assertions on the body it received, and on the ledger when the
receiver fails. Runs on the SQLite and the Elasticsearch ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newswatch.alerting.channels import build_channel
from newswatch.alerting.notifier import OutboxNotifier, RetryPolicy
from newswatch.config import Notifier, load_config
from newswatch.records import Alert, Delivery, alert_id, iso
from newswatch.storage import Ledger, open_ledger
from tests.cli import newswatch
from tests.servers import Receiver, free_port

# Apprise's e-mail plugin, loaded with the others on first use, imports the stdlib's imghdr.
pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")

NOW = datetime(2026, 11, 24, 10, 20, tzinfo=UTC)
SPEAKER = "Hanna Lindqvist"
QUOTE = "We are watching these movements very closely & will respond with our allies"
URL = "https://charlie.example/world/nk-troops-reaction?ref=feed"


def statement_alert(channel: str = "phone") -> Alert:
    return Alert(
        id=alert_id("nk-troops", "statement", "fp-1"),
        topic="nk-troops",
        kind="statement",
        story_id="story-1",
        article_ids=["a3"],
        urls=[URL],
        outlets=["charlie"],
        title="Allies react to North Korean deployment",
        speaker=SPEAKER,
        quote=QUOTE,
        published_at=iso(NOW),
        created_at=iso(NOW),
        deliveries={channel: Delivery(channel)},
    )


def apprise_notifier(ledger: Ledger, url: str, policy: RetryPolicy) -> OutboxNotifier:
    channel = build_channel(Notifier("phone", "apprise", {"url": url}))
    return OutboxNotifier(ledger, {"phone": channel}, {"phone": policy}, {"nk-troops": None})


def delivery(ledger: Ledger) -> Delivery:
    [alert] = list(ledger.alerts())
    return alert.deliveries["phone"]


def test_apprise_json_url_posts_title_quote_and_link(tmp_path: Path) -> None:
    receiver = Receiver(path="/hooks/newswatch")
    try:
        config = tmp_path / "newswatch.yaml"
        config.write_text(
            f"store: sqlite:///{tmp_path / 'alerts.db'}\n"
            "sources: [{name: charlie, feeds: ['http://127.0.0.1:1/feed.xml']}]\n"
            "notifiers:\n"
            f"  phone: {{type: apprise, url: 'json://127.0.0.1:{receiver.port}/hooks/newswatch'}}\n",
            encoding="utf-8",
        )
        ledger = open_ledger(load_config(config).store)
        ledger.record(statement_alert())
        ledger.close()

        done = newswatch("notify", "-c", str(config))
        assert done.returncode == 0, done.stderr
        assert "1 sent, 0 to retry, 0 failed" in done.stdout
        [post] = receiver.requests
        assert post.path == "/hooks/newswatch"
        assert post.headers["Content-Type"] == "application/json"
        body = post.json()
        assert body["title"].startswith("[newswatch] nk-troops: Hanna Lindqvist: We are watching")
        assert f'{SPEAKER}: "{QUOTE}"' in body["message"]  # the text template, unescaped
        assert URL in body["message"] and "charlie" in body["message"]
        assert body["type"] == "info"

        again = newswatch("notify", "-c", str(config))
        assert "0 sent" in again.stdout and len(receiver.requests) == 1
    finally:
        receiver.close()


def test_apprise_failure_is_recorded_and_retried_per_the_policy(ledger: Ledger) -> None:
    receiver = Receiver(fail=2, path="/hook")
    try:
        ledger.record(statement_alert())
        policy = RetryPolicy(base=timedelta(seconds=10), max_attempts=5)
        notifier = apprise_notifier(ledger, f"json://127.0.0.1:{receiver.port}/hook", policy)

        first = notifier.deliver_due(NOW)
        assert (first.sent, first.retrying, first.failed) == (0, 1, 0)
        state = delivery(ledger)
        assert state.status == "pending" and state.attempts == 1
        assert state.last_error == (
            "Apprise json:// could not deliver: Failed to send JSON POST notification: "
            "Internal server error., error=500."
        )
        assert state.next_attempt_at == iso(NOW + timedelta(seconds=10))

        # not due before the back-off has passed: nothing is posted
        assert notifier.deliver_due(NOW + timedelta(seconds=9)).retrying == 0
        assert receiver.failed == 1
        assert notifier.deliver_due(NOW + timedelta(seconds=10)).retrying == 1
        assert receiver.failed == 2
        state = delivery(ledger)
        assert state.attempts == 2
        assert state.next_attempt_at == iso(NOW + timedelta(seconds=30))  # doubled: 20 s
        assert notifier.deliver_due(NOW + timedelta(seconds=29)).sent == 0
        assert notifier.deliver_due(NOW + timedelta(seconds=30)).sent == 1

        [body] = receiver.posts
        assert QUOTE in body["message"] and SPEAKER in body["title"]
        state = delivery(ledger)
        assert state.status == "sent" and state.attempts == 3 and state.last_error is None
        assert notifier.deliver_due(NOW + timedelta(hours=3)).sent == 0
        assert len(receiver.posts) == 1
    finally:
        receiver.close()


def test_apprise_unreachable_gives_up_after_max_attempts_without_leaking_the_url(
    ledger: Ledger,
) -> None:
    ledger.record(statement_alert())
    policy = RetryPolicy(base=timedelta(seconds=10), max_attempts=2)
    url = f"json://watch:t0ken-s3cret@127.0.0.1:{free_port()}/hook"  # nothing listens there
    notifier = apprise_notifier(ledger, url, policy)
    assert notifier.deliver_due(NOW).retrying == 1
    report = notifier.deliver_due(NOW + timedelta(seconds=10))
    assert (report.sent, report.retrying, report.failed) == (0, 0, 1)
    state = delivery(ledger)
    assert state.status == "failed" and state.attempts == 2
    assert state.last_error is not None
    assert state.last_error.startswith("Apprise json:// could not deliver: A Connection error")
    assert "t0ken-s3cret" not in state.last_error and "t0ken-s3cret" not in report.errors[0]
    assert notifier.deliver_due(NOW + timedelta(days=1)).failed == 0  # given up: not retried


def test_an_apprise_url_it_does_not_know_fails_for_good_at_once(ledger: Ledger) -> None:
    ledger.record(statement_alert())
    notifier = apprise_notifier(ledger, "nosuchservice://t0ken-s3cret", RetryPolicy())
    report = notifier.deliver_due(NOW)
    assert (report.sent, report.retrying, report.failed) == (0, 0, 1)
    state = delivery(ledger)
    assert state.status == "failed" and state.attempts == 1
    assert state.last_error == (
        "Apprise does not understand the nosuchservice:// URL of notifier phone"
    )


def test_a_failing_apprise_channel_does_not_hold_back_a_working_one(ledger: Ledger) -> None:
    """A working Apprise channel is not held back, nor repeated, by a failing one."""
    good, bad = Receiver(path="/good"), Receiver(fail=100, path="/bad")
    try:
        alert = statement_alert()
        alert.deliveries = {"phone": Delivery("phone"), "pager": Delivery("pager")}
        ledger.record(alert)
        channels = {
            "phone": build_channel(
                Notifier("phone", "apprise", {"url": f"json://127.0.0.1:{good.port}/good"})
            ),
            "pager": build_channel(
                Notifier("pager", "apprise", {"url": f"json://127.0.0.1:{bad.port}/bad"})
            ),
        }
        policy = RetryPolicy(base=timedelta(seconds=10), max_attempts=3)
        notifier = OutboxNotifier(
            ledger, channels, {"phone": policy, "pager": policy}, {"nk-troops": None}
        )
        for step in range(4):
            notifier.deliver_due(NOW + timedelta(minutes=step))
        assert len(good.posts) == 1 and bad.failed == 3 and not bad.posts
        [stored] = list(ledger.alerts())
        assert stored.deliveries["phone"].status == "sent"
        assert stored.deliveries["phone"].attempts == 1
        assert stored.deliveries["pager"].status == "failed"
        assert stored.deliveries["pager"].attempts == 3
        assert "error=500" in (stored.deliveries["pager"].last_error or "")
    finally:
        good.close()
        bad.close()
