"""Any notification service Apprise knows (Telegram, Teams, Discord, ntfy, json://, ...), by URL.

Apprise reports a failed send only as False and a log line; the channel captures Apprise's
warnings during the send and raises them as one `ChannelError` line, which the notifier
records as the delivery's last error and retries. The URL itself (it often holds a token)
never appears in an error: only its scheme.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from newswatch.alerting.channels.base import ChannelError
from newswatch.alerting.render import render, subject
from newswatch.config import Notifier
from newswatch.records import Alert

# At most this much of Apprise's warnings is kept as the error.
_MAX_ERROR = 300


@dataclass(frozen=True)
class AppriseChannel:
    name: str
    url: str = field(repr=False)  # a secret, as a rule

    @classmethod
    def from_notifier(cls, notifier: Notifier) -> AppriseChannel:
        return cls(notifier.name, str(notifier.options["url"]))

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0] if "://" in self.url else "?"

    def send(self, alerts: list[Alert], key: str) -> None:
        import apprise

        client = apprise.Apprise()
        if not client.add(self.url):
            raise ChannelError(
                f"Apprise does not understand the {self.scheme}:// URL of notifier {self.name}",
                permanent=True,
            )
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
            delivered = client.notify(
                title=subject(alerts),
                body=render("alert.txt.j2", alerts),
                body_format=apprise.NotifyFormat.TEXT,
            )
            log = captured.getvalue()
        if not delivered:
            reasons = [line.strip() for line in log.splitlines() if line.strip()]
            reason = " ".join(" / ".join(reasons).split()) or "no reason given"
            raise ChannelError(f"Apprise {self.scheme}:// could not deliver: {reason}"[:_MAX_ERROR])
