"""Any notification service Apprise knows (Telegram, Teams, Discord, ntfy, ...), by URL."""

from __future__ import annotations

from dataclasses import dataclass

from newswatch.alerting.channels import ChannelError
from newswatch.alerting.ledger import Alert
from newswatch.alerting.render import render, subject
from newswatch.scheduler.config import Notifier


@dataclass(frozen=True)
class AppriseChannel:
    name: str
    url: str

    @classmethod
    def from_notifier(cls, notifier: Notifier) -> AppriseChannel:
        return cls(notifier.name, str(notifier.options["url"]))

    def send(self, alerts: list[Alert], key: str) -> None:
        import apprise

        client = apprise.Apprise()
        if not client.add(self.url):
            raise ChannelError(
                f"notifier {self.name}: Apprise does not understand its URL", permanent=True
            )
        if not client.notify(title=subject(alerts), body=render("alert.txt.j2", alerts)):
            raise ChannelError(f"notifier {self.name}: Apprise could not deliver")
