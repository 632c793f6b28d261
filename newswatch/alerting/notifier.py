"""Drain the outbox: send every due delivery on its channel, record each attempt.

A channel that fails is retried with exponential back-off (per notifier: `retry_seconds`,
default 30, doubling up to an hour; `max_attempts`, default 8) and never blocks or repeats
the others. Deliveries of a digest topic come due at the next hour or day and go out as one
message per channel listing each story once.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from newswatch.alerting.channels import Channel, ChannelError, build_channel
from newswatch.config import Config, ConfigError
from newswatch.records import Alert, now_utc
from newswatch.storage import Ledger

logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


# The shortest back-off: a retry is always later than the attempt that failed, so one run
# of `deliver_due` tries each delivery once at most.
MIN_RETRY = timedelta(seconds=1)


@dataclass(frozen=True)
class RetryPolicy:
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)
    max_attempts: int = 8

    def next_attempt(self, attempts: int, now: datetime) -> datetime | None:
        if attempts >= self.max_attempts:
            return None
        delay = min(self.cap, self.base * (2 ** max(0, attempts - 1)))
        return now + max(MIN_RETRY, delay)


def digest_due(period: str | None, now: datetime) -> datetime | None:
    """When a digest collecting alerts created at `now` goes out (None: immediately)."""
    if period == "hourly":
        return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if period == "daily":
        return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return None


class OutboxNotifier:
    def __init__(
        self,
        ledger: Ledger,
        channels: Mapping[str, Channel],
        policies: Mapping[str, RetryPolicy],
        digests: Mapping[str, str | None],
    ) -> None:
        self.ledger = ledger
        self.channels = channels
        self.policies = policies
        self.digests = digests

    @classmethod
    def from_config(cls, config: Config, ledger: Ledger) -> OutboxNotifier:
        base_dir = os.path.dirname(os.path.abspath(config.path)) if config.path else None
        channels: dict[str, Channel] = {}
        for name, notifier in config.notifiers.items():
            try:
                channels[name] = build_channel(notifier, base_dir)
            except ValueError as exc:
                key, _, problem = str(exc).partition(": ")
                raise ConfigError(config.path, f"notifiers.{name}.{key}", problem) from None
        policies = {
            name: RetryPolicy(
                base=timedelta(seconds=float(n.options.get("retry_seconds", 30))),
                max_attempts=int(n.options.get("max_attempts", 8)),
            )
            for name, n in config.notifiers.items()
        }
        return cls(ledger, channels, policies, {t.name: t.digest for t in config.topics})

    def deliver_due(self, now: datetime | None = None) -> DeliveryReport:
        """Send everything due at `now` (default: the time of the call). One moment for the
        whole run: a delivery that fails is retried by a later run, never by this one, however
        short its back-off and however long the run takes."""
        report = DeliveryReport()
        moment = now or now_utc()
        while True:
            claimed = self.ledger.claim_due(moment)
            if not claimed:
                return report
            groups: dict[tuple[str, str], list[Alert]] = defaultdict(list)
            for alert, channel in claimed:
                if self.digests.get(alert.topic):
                    groups[(channel, "digest:" + alert.topic)].append(alert)
                else:
                    groups[(channel, alert.id)].append(alert)
            for (channel, _), alerts in groups.items():
                self._send(channel, alerts, moment, report)

    def _send(
        self, channel: str, alerts: list[Alert], now: datetime, report: DeliveryReport
    ) -> None:
        key = hashlib.sha256("|".join([channel, *sorted(a.id for a in alerts)]).encode())
        sender = self.channels.get(channel)
        policy = self.policies.get(channel, RetryPolicy())
        try:
            if sender is None:
                raise ChannelError(f"no notifier named {channel} in the config", permanent=True)
            sender.send(alerts, f"{key.hexdigest()[:32]}.{channel}")
        except ChannelError as exc:
            for alert in alerts:
                attempts = alert.deliveries[channel].attempts if channel in alert.deliveries else 1
                retry_at = None if exc.permanent else policy.next_attempt(attempts, now)
                self.ledger.mark_failed(alert.id, channel, str(exc), retry_at)
                if retry_at is None:
                    report.failed += 1
                else:
                    report.retrying += 1
            report.errors.append(str(exc))
            logger.warning(
                "alert delivery via %s failed (%s): %s",
                channel,
                "giving up" if exc.permanent else "will retry",
                exc,
            )
            return
        for alert in alerts:
            self.ledger.mark_sent(alert.id, channel, now)
            report.sent += 1
