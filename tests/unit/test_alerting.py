"""The ledger, the notifier's digests and retries, and escaping in messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newswatch.alerting.channels import ChannelError
from newswatch.alerting.channels.email import EmailChannel
from newswatch.alerting.notifier import OutboxNotifier, RetryPolicy, digest_due
from newswatch.alerting.render import slack_payload
from newswatch.records import Alert, Delivery, alert_id, iso
from newswatch.storage.sqlite import SQLiteLedger

NOW = datetime(2026, 11, 24, 10, 20, tzinfo=UTC)


def make_alert(story: str, title: str = "Troops sent", due: datetime | None = None) -> Alert:
    return Alert(
        id=alert_id("nk", "article", story), topic="nk", kind="article", story_id=story,
        article_ids=[story], urls=[f"https://a.example/{story}"], outlets=["alpha"],
        title=title, created_at=iso(NOW),
        deliveries={"chat": Delivery("chat", next_attempt_at=iso(due))},
    )  # fmt: skip


class Recorder:
    """A channel that keeps what it was asked to send, failing the first `fail` sends."""

    name = "chat"

    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.sent: list[list[str]] = []

    def send(self, alerts: list[Alert], key: str) -> None:
        if self.fail:
            self.fail -= 1
            raise ChannelError("receiver down")
        self.sent.append([a.story_id for a in alerts])


def notifier(ledger: SQLiteLedger, channel: Recorder, digest: str | None) -> OutboxNotifier:
    policy = RetryPolicy(base=timedelta(seconds=10), max_attempts=3)
    return OutboxNotifier(ledger, {"chat": channel}, {"chat": policy}, {"nk": digest})


def test_record_is_create_if_absent_and_merges_outlets(tmp_path: Path) -> None:
    ledger = SQLiteLedger(str(tmp_path / "l.db"))
    assert ledger.record(make_alert("s1")) is True
    copy = make_alert("s1")
    copy.outlets, copy.urls = ["bravo"], ["https://b.example/s1"]
    assert ledger.record(copy) is False
    [stored] = list(ledger.alerts())
    assert stored.outlets == ["alpha", "bravo"]
    assert stored.deliveries["chat"].status == "pending"


def test_hourly_digest_sends_one_message_per_hour(tmp_path: Path) -> None:
    ledger = SQLiteLedger(str(tmp_path / "l.db"))
    due = digest_due("hourly", NOW)
    assert due == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    for story in ("s1", "s2"):
        ledger.record(make_alert(story, due=due))
    channel = Recorder()
    assert notifier(ledger, channel, "hourly").deliver_due(NOW).sent == 0
    report = notifier(ledger, channel, "hourly").deliver_due(due)
    assert report.sent == 2 and channel.sent == [["s1", "s2"]]
    assert notifier(ledger, channel, "hourly").deliver_due(due + timedelta(hours=2)).sent == 0


def test_retry_with_backoff_then_give_up(tmp_path: Path) -> None:
    ledger = SQLiteLedger(str(tmp_path / "l.db"))
    ledger.record(make_alert("s1"))
    channel = Recorder(fail=5)
    n = notifier(ledger, channel, None)
    assert n.deliver_due(NOW).retrying == 1
    assert n.deliver_due(NOW + timedelta(seconds=5)).retrying == 0  # not due yet
    assert n.deliver_due(NOW + timedelta(seconds=11)).retrying == 1
    assert n.deliver_due(NOW + timedelta(seconds=40)).failed == 1
    [alert] = list(ledger.alerts())
    assert alert.deliveries["chat"].status == "failed"
    assert alert.deliveries["chat"].attempts == 3
    assert alert.deliveries["chat"].last_error == "receiver down"


def test_one_run_tries_a_delivery_once_however_short_the_back_off(tmp_path: Path) -> None:
    ledger = SQLiteLedger(str(tmp_path / "l.db"))
    ledger.record(make_alert("s1"))
    channel = Recorder(fail=5)
    policies = {"chat": RetryPolicy(base=timedelta(0), max_attempts=5)}
    n = OutboxNotifier(ledger, {"chat": channel}, policies, {"nk": None})
    report = n.deliver_due()  # the real clock: the run's moment is fixed when it starts
    assert (report.retrying, report.failed) == (1, 0) and channel.fail == 4
    [alert] = list(ledger.alerts())
    assert alert.deliveries["chat"].attempts == 1
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert n.deliver_due(later).retrying == 1 and channel.fail == 3


def test_a_lost_lease_is_delivered_again(tmp_path: Path) -> None:
    ledger = SQLiteLedger(str(tmp_path / "l.db"))
    ledger.record(make_alert("s1"))
    assert len(ledger.claim_due(NOW)) == 1  # a notifier claims it, then dies
    assert ledger.claim_due(NOW + timedelta(minutes=1)) == []
    assert len(ledger.claim_due(NOW + timedelta(minutes=6))) == 1


def test_slack_payload_cannot_inject_mentions_or_links() -> None:
    alert = make_alert("s1", title="<!channel> read <https://evil.example|this> & more")
    text = json.dumps(slack_payload([alert]))
    assert "<!channel>" not in text and "<https://evil.example|this>" not in text
    assert "&lt;!channel&gt;" in text and "&amp; more" in text


def test_html_email_escapes_content() -> None:
    channel = EmailChannel("desk", "127.0.0.1", 25, "a@example.org", ("b@example.org",))
    message = channel.message([make_alert("s1", title="<script>alert(1)</script>")], "k1")
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    body = html.get_content()
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert message["Message-ID"] == "<k1@newswatch>"
