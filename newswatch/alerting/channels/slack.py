"""Slack incoming webhooks: a Block Kit message POSTed as JSON."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from newswatch.alerting.channels.base import ChannelError
from newswatch.alerting.render import slack_payload
from newswatch.config import Notifier
from newswatch.records import Alert


@dataclass(frozen=True)
class SlackChannel:
    name: str
    webhook_url: str
    timeout: float = 15.0

    @classmethod
    def from_notifier(cls, notifier: Notifier) -> SlackChannel:
        return cls(notifier.name, str(notifier.options["webhook_url"]))

    @property
    def where(self) -> str:
        """The webhook's host only: its path is the secret."""
        parts = urlsplit(self.webhook_url)
        return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/…"

    def send(self, alerts: list[Alert], key: str) -> None:
        body = json.dumps(slack_payload(alerts)).encode("utf-8")
        request = urllib.request.Request(
            self.webhook_url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "newswatch"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            permanent = 400 <= exc.code < 500 and exc.code not in (408, 429)
            raise ChannelError(
                f"Slack webhook {self.where} answered HTTP {exc.code}", permanent=permanent
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ChannelError(f"Slack webhook {self.where}: {reason}") from None
