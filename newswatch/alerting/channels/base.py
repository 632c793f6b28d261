"""What every channel is: `send(alerts, key)`, raising `ChannelError` when it could not."""

from __future__ import annotations

from typing import Protocol

from newswatch.records import Alert


class ChannelError(RuntimeError):
    """A send that failed; `permanent` when retrying cannot help (a bad address, a 4xx)."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel(Protocol):
    name: str

    def send(self, alerts: list[Alert], key: str) -> None:
        """Send one message; `key` is stable across retries (the email Message-ID)."""
