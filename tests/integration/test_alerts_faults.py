"""Faults around the outbox, on the SQLite ledger and on the Elasticsearch ledger.

A real SMTP server (aiosmtpd) and a real webhook receiver on 127.0.0.1; the ledger in a
SQLite file or in Elasticsearch indices of the test's own. The notifier is given the time
(`deliver_due(now)`), so back-offs and leases are passed without waiting. A "crash" is a
ledger closed without its notifier finishing, then a fresh ledger on the same store — what
a new process finds. Every test ends by checking nothing was lost and nothing sent twice.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newswatch.alerting.channels.email import EmailChannel
from newswatch.alerting.channels.slack import SlackChannel
from newswatch.alerting.notifier import OutboxNotifier, RetryPolicy
from newswatch.records import LEASE, Alert, Delivery, alert_id, iso
from newswatch.storage import Ledger, open_ledger
from tests.servers import Receiver, SMTPServer

NOW = datetime(2026, 11, 24, 10, 20, tzinfo=UTC)
POLICY = RetryPolicy(base=timedelta(seconds=10), max_attempts=6)
CHANNELS = ("desk", "newsroom")


def make_alert(n: int, channels: tuple[str, ...] = CHANNELS) -> Alert:
    story = f"story-{n}"
    return Alert(
        id=alert_id("nk", "article", story),
        topic="nk",
        kind="article",
        story_id=story,
        article_ids=[f"a{n}"],
        urls=[f"https://alpha.example/{story}"],
        outlets=["alpha"],
        title=f"Troops story number {n}",
        created_at=iso(NOW),
        deliveries={c: Delivery(c) for c in channels},
    )


class World:
    """The two receivers and a way to build a notifier (a process) on a ledger."""

    def __init__(self, ledger_url: str) -> None:
        self.ledger_url = ledger_url
        self.smtp = SMTPServer()
        self.hook = Receiver()
        self.ledgers: list[Ledger] = []

    def ledger(self) -> Ledger:
        opened = open_ledger(self.ledger_url)
        self.ledgers.append(opened)
        return opened

    def channels(self) -> dict[str, Any]:
        return {
            "desk": EmailChannel(
                "desk", "127.0.0.1", self.smtp.port, "watch@example.org", ("desk@example.org",)
            ),
            "newsroom": SlackChannel("newsroom", self.hook.url),
        }

    def notifier(self, ledger: Ledger, channels: dict[str, Any] | None = None) -> OutboxNotifier:
        channels = channels or self.channels()
        return OutboxNotifier(ledger, channels, dict.fromkeys(channels, POLICY), {"nk": None})

    def emails(self) -> Counter[str]:
        """Messages received per story title."""
        return Counter(m["Subject"].split(": ", 1)[1] for m in self.smtp.mailbox.messages)

    def posts(self) -> Counter[str]:
        return Counter(p["text"].split(": ", 1)[1] for p in self.hook.posts)

    def close(self) -> None:
        for ledger in self.ledgers:
            ledger.close()
        self.smtp.stop()
        self.hook.close()


@pytest.fixture
def world(ledger_url: str) -> Iterator[World]:
    made = World(ledger_url)
    yield made
    made.close()


def states(ledger: Ledger) -> dict[tuple[str, str], Delivery]:
    return {(a.title, c): d for a in ledger.alerts() for c, d in a.deliveries.items()}


def test_crash_between_recording_and_sending_delivers_once_after_restart(world: World) -> None:
    world.smtp.start()
    recorder = world.ledger()
    for n in range(3):
        assert recorder.record(make_alert(n)) is True
    recorder.close()  # the crawl process dies here: recorded, nothing sent
    world.ledgers.remove(recorder)
    assert not world.smtp.mailbox.messages and not world.hook.posts

    restarted = world.ledger()
    report = world.notifier(restarted).deliver_due(NOW)
    assert (report.sent, report.retrying, report.failed) == (6, 0, 0)
    titles = {f"Troops story number {n}" for n in range(3)}
    assert world.emails() == dict.fromkeys(titles, 1)
    assert world.posts() == dict.fromkeys(titles, 1)
    # a third process finds nothing left to send
    assert world.notifier(world.ledger()).deliver_due(NOW + timedelta(days=1)).sent == 0
    assert sum(world.emails().values()) == 3 and len(world.hook.posts) == 3
    assert all(d.status == "sent" and d.attempts == 1 for d in states(restarted).values())


class Crash(BaseException):
    """The process dying (not an Exception: nothing on the way catches it)."""


class CrashAfterSending:
    """The channel sends for real, then the process dies before the notifier marks it."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name = inner, inner.name

    def send(self, alerts: list[Alert], key: str) -> None:
        self.inner.send(alerts, key)
        raise Crash


def test_crash_after_claiming_waits_for_the_lease_then_sends_once_more(world: World) -> None:
    world.smtp.start()
    first = world.ledger()
    first.record(make_alert(1, channels=("desk",)))
    channels = world.channels()
    dying = world.notifier(first, {"desk": CrashAfterSending(channels["desk"])})
    with pytest.raises(Crash):
        dying.deliver_due(NOW)
    assert len(world.smtp.mailbox.messages) == 1  # sent, but never marked sent

    restarted = world.ledger()
    notifier = world.notifier(restarted, {"desk": channels["desk"]})
    # The lease of the dead process still holds: no second sender meanwhile.
    assert notifier.deliver_due(NOW + LEASE - timedelta(seconds=1)).sent == 0
    assert len(world.smtp.mailbox.messages) == 1
    assert notifier.deliver_due(NOW + LEASE).sent == 1
    # The one repeat a crash can cause, recognisable as the same message.
    first_copy, second_copy = world.smtp.mailbox.messages
    assert first_copy["Message-ID"] == second_copy["Message-ID"]
    assert notifier.deliver_due(NOW + timedelta(days=1)).sent == 0
    assert len(world.smtp.mailbox.messages) == 2
    [delivery] = states(restarted).values()
    assert delivery.status == "sent" and delivery.attempts == 2


def test_smtp_down_then_back_is_delivered_once_and_slack_not_repeated(world: World) -> None:
    ledger = world.ledger()
    ledger.record(make_alert(1))
    notifier = world.notifier(ledger)
    report = notifier.deliver_due(NOW)  # SMTP not running yet
    assert (report.sent, report.retrying) == (1, 1)
    assert "Connection refused" in report.errors[0]
    state = states(ledger)
    assert state[("Troops story number 1", "desk")].status == "pending"
    assert "Connection refused" in (state[("Troops story number 1", "desk")].last_error or "")
    assert state[("Troops story number 1", "newsroom")].status == "sent"

    world.smtp.start()
    assert notifier.deliver_due(NOW + timedelta(seconds=5)).sent == 0  # back-off not over
    assert notifier.deliver_due(NOW + timedelta(seconds=10)).sent == 1
    assert notifier.deliver_due(NOW + timedelta(hours=2)).sent == 0
    assert world.emails() == {"Troops story number 1": 1}
    assert world.posts() == {"Troops story number 1": 1}
    state = states(ledger)
    assert state[("Troops story number 1", "desk")].attempts == 2
    assert state[("Troops story number 1", "desk")].last_error is None
    assert state[("Troops story number 1", "newsroom")].attempts == 1


def test_a_failing_webhook_beside_working_email(world: World) -> None:
    world.smtp.start()
    world.hook.fail = 3
    ledger = world.ledger()
    ledger.record(make_alert(1))
    notifier = world.notifier(ledger)
    moment = NOW
    for _ in range(6):
        notifier.deliver_due(moment)
        moment += timedelta(minutes=5)  # past any back-off of this policy so far
    assert world.hook.failed == 3
    assert world.posts() == {"Troops story number 1": 1}
    assert world.emails() == {"Troops story number 1": 1}
    state = states(ledger)
    assert state[("Troops story number 1", "newsroom")].status == "sent"
    assert state[("Troops story number 1", "newsroom")].attempts == 4
    assert state[("Troops story number 1", "desk")].attempts == 1


def test_two_notifiers_at_once_send_each_delivery_once(world: World) -> None:
    world.smtp.start()
    ledger = world.ledger()
    for n in range(12):
        ledger.record(make_alert(n))
    notifiers = [world.notifier(world.ledger()) for _ in range(2)]
    errors: list[BaseException] = []

    def run(notifier: OutboxNotifier) -> None:
        try:
            notifier.deliver_due(NOW)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in notifiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    titles = {f"Troops story number {n}" for n in range(12)}
    assert world.emails() == dict.fromkeys(titles, 1)
    assert world.posts() == dict.fromkeys(titles, 1)
    assert all(d.status == "sent" and d.attempts == 1 for d in states(ledger).values())


def test_many_alerts_are_all_listed_and_all_delivered(world: World) -> None:
    """More deliveries than one search page returns (1,000) or one claim takes (50)."""
    world.smtp.start()
    ledger = world.ledger()
    count = 520
    for n in range(count):
        ledger.record(make_alert(n, channels=("newsroom", "pager")))
    listed = list(ledger.alerts())
    assert len(listed) == count
    assert all(set(a.deliveries) == {"newsroom", "pager"} for a in listed)
    channels = world.channels()
    pager = SlackChannel("pager", world.hook.url)
    report = world.notifier(ledger, {"newsroom": channels["newsroom"], "pager": pager}).deliver_due(
        NOW
    )
    assert report.sent == 2 * count
    assert len(world.hook.posts) == 2 * count
    assert set(world.posts().values()) == {2}
    assert all(d.status == "sent" for d in states(ledger).values())


@pytest.mark.parametrize(
    "ledger_url", [pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)], indirect=True
)
def test_deliveries_left_without_their_alert_do_not_block_the_others(world: World) -> None:
    """Elasticsearch writes a new alert's outbox documents, then the alert: a recorder killed
    in between leaves deliveries without an alert. More of them than one claim takes (50)
    must not hold back the alerts recorded after them, nor be lost once recorded again."""
    from dataclasses import asdict

    from newswatch.storage.elasticsearch.ledger import ORPHAN_WAIT, ElasticsearchLedger

    ledger = world.ledger()
    assert isinstance(ledger, ElasticsearchLedger)
    orphans = [make_alert(n, channels=("newsroom",)) for n in range(60)]
    for alert in orphans:  # what each killed recorder left behind
        ledger.client.create(
            index=ledger.outbox_index,
            id=f"{alert.id}:newsroom",
            document={"alert_id": alert.id, **asdict(alert.deliveries["newsroom"])},
        )
    ledger.record(make_alert(100, channels=("newsroom",)))
    notifier = world.notifier(ledger)
    assert notifier.deliver_due(NOW).sent == 1
    assert world.posts() == {"Troops story number 100": 1}

    # The next crawl records one of them again: it goes out once its short wait is over.
    assert ledger.record(orphans[7]) is True
    assert notifier.deliver_due(NOW + ORPHAN_WAIT).sent == 1
    assert world.posts() == {"Troops story number 100": 1, "Troops story number 7": 1}
    assert notifier.deliver_due(NOW + timedelta(days=1)).sent == 0
    listed = {a.title: a.deliveries["newsroom"].status for a in ledger.alerts()}
    assert listed == {"Troops story number 100": "sent", "Troops story number 7": "sent"}
