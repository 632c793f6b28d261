"""Alert channels: email (SMTP), Slack incoming webhooks, and any Apprise URL.

A channel sends one message for one or more alerts and raises `ChannelError` when it could
not; the notifier records the attempt and retries later. Channels never log secrets.
"""

from __future__ import annotations

from newswatch.alerting.channels.base import Channel, ChannelError
from newswatch.config import Notifier

__all__ = ["Channel", "ChannelError", "build_channel"]


def build_channel(notifier: Notifier, base_dir: str | None = None) -> Channel:
    """The channel of a configured notifier; `base_dir` (the config file's folder) anchors
    relative paths. Raises ValueError("key: problem") for a setting that cannot work."""
    if notifier.type == "email":
        from newswatch.alerting.channels.email import EmailChannel

        return EmailChannel.from_notifier(notifier, base_dir)
    if notifier.type == "slack":
        from newswatch.alerting.channels.slack import SlackChannel

        return SlackChannel.from_notifier(notifier)
    from newswatch.alerting.channels.apprise import AppriseChannel

    return AppriseChannel.from_notifier(notifier)
