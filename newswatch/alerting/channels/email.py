"""Email over SMTP, with TLS and authentication.

    desk: {type: email, smtp: "smtp://user:${SMTP_PASSWORD}@mail.example.org:587",
           from: watch@example.org, to: [desk@example.org]}

- `smtp://host[:port]` (port 25 by default) uses STARTTLS when the server offers it;
  `?starttls=required` refuses to go on without it, `?starttls=off` never asks for it.
- `smtps://host[:port]` (port 465 by default) is TLS from the first byte (implicit TLS).
- Authentication: the user and password in the URL (percent-encoded), or the options
  `username` and `password` (which win; write `password: ${SMTP_PASSWORD}` to keep the
  secret in the environment). A password is only ever sent over TLS, or to a server on
  the loopback interface.
- Certificates are always verified, against the system's authorities or, with the option
  `ca_file` (a PEM file; relative to the config file's folder), against that file only.

Each message has a text and an HTML part (the HTML is escaped) and a deterministic
Message-ID, so a resend after a crash is recognisable as the same message. Errors are one
line naming the server (never the password) and are retried by the notifier, except a
message the server refuses for good (a rejected recipient or content).
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from newswatch.alerting.channels.base import ChannelError
from newswatch.alerting.render import render, subject
from newswatch.config import Notifier
from newswatch.records import Alert

STARTTLS_MODES = ("auto", "required", "off")


@dataclass(frozen=True)
class EmailChannel:
    name: str
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    implicit_tls: bool = False
    starttls: str = "auto"  # auto | required | off
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # never in logs or tracebacks
    ca_file: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_notifier(cls, notifier: Notifier, base_dir: str | None = None) -> EmailChannel:
        """Raises ValueError("key: problem") for a setting that cannot work."""
        options = notifier.options
        parts = urlsplit(str(options["smtp"]))
        scheme = parts.scheme.lower()
        if scheme not in ("smtp", "smtps"):
            raise ValueError(f"smtp: {scheme or 'no'} scheme: use smtp:// or smtps://")
        if not parts.hostname:
            raise ValueError("smtp: no host in the URL")
        try:
            port = parts.port
        except ValueError:
            raise ValueError("smtp: the port is not a number from 1 to 65535") from None
        query = parse_qs(parts.query)
        implicit = scheme == "smtps"
        starttls = query.get("starttls", ["auto"])[-1].lower()
        if starttls not in STARTTLS_MODES:
            raise ValueError(f"smtp: starttls={starttls!r}: use auto, required or off")
        username = options.get("username")
        username = str(username) if username else unquote(parts.username or "") or None
        password = options.get("password")
        password = str(password) if password else unquote(parts.password or "") or None
        if password and not username:
            raise ValueError("password: given without a user name")
        ca_file = options.get("ca_file")
        if ca_file:
            path = Path(str(ca_file)).expanduser()
            if not path.is_absolute() and base_dir:
                path = Path(base_dir) / path
            if not path.is_file():
                raise ValueError(f"ca_file: {path}: no such file")
            ca_file = str(path)
        recipients = options["to"] if isinstance(options["to"], list) else [options["to"]]
        return cls(
            name=notifier.name,
            host=parts.hostname,
            port=port or (465 if implicit else 25),
            sender=str(options["from"]),
            recipients=tuple(str(r) for r in recipients),
            implicit_tls=implicit,
            starttls=starttls,
            username=username,
            password=password,
            ca_file=ca_file or None,
            timeout=float(options.get("timeout", 30.0)),
        )

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'smtps' if self.implicit_tls else 'smtp'}://{host}:{self.port}"

    def message(self, alerts: list[Alert], key: str) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = subject(alerts)
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.recipients)
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = f"<{key}@newswatch>"
        msg.set_content(render("alert.txt.j2", alerts))
        msg.add_alternative(render("alert.html.j2", alerts), subtype="html")
        return msg

    def tls_context(self) -> ssl.SSLContext:
        """Verifies the server's certificate and name: against `ca_file` alone when given."""
        context = ssl.create_default_context(cafile=self.ca_file)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def _loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def send(self, alerts: list[Alert], key: str) -> None:
        msg = self.message(alerts, key)
        try:
            context = self.tls_context()
        except (OSError, ssl.SSLError) as exc:
            raise ChannelError(
                f"SMTP {self.where}: cannot load ca_file {self.ca_file}: {exc}"
            ) from None
        try:
            if self.implicit_tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                encrypted = self.implicit_tls
                smtp.ehlo()
                if not self.implicit_tls and self.starttls != "off":
                    if smtp.has_extn("starttls"):
                        smtp.starttls(context=context)
                        smtp.ehlo()
                        encrypted = True
                    elif self.starttls == "required":
                        raise ChannelError(
                            f"SMTP {self.where} does not offer STARTTLS (starttls=required)"
                        )
                if self.username:
                    self._login(smtp, encrypted)
                smtp.send_message(msg)
        except ChannelError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise ChannelError(
                f"SMTP {self.where} refused the login as {self.username!r} "
                f"({_reply(exc)}): check the user name and password"
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            refused = ", ".join(f"{r} ({_reply(e)})" for r, e in exc.recipients.items())
            raise ChannelError(
                f"SMTP {self.where} refused every recipient: {refused}", permanent=True
            ) from None
        except smtplib.SMTPDataError as exc:
            raise ChannelError(
                f"SMTP {self.where} refused the message ({_reply(exc)})",
                permanent=500 <= exc.smtp_code < 600,
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise ChannelError(f"SMTP {self.where} answered {_reply(exc)}") from None
        except ssl.SSLCertVerificationError as exc:
            hint = "" if self.ca_file else " (give its authority's certificate with ca_file)"
            raise ChannelError(
                f"SMTP {self.where}: TLS certificate not trusted: "
                f"{exc.verify_message or exc.reason}{hint}"
            ) from None
        except ssl.SSLError as exc:
            raise ChannelError(f"SMTP {self.where}: TLS failed: {exc.reason or exc}") from None
        except smtplib.SMTPServerDisconnected as exc:
            raise ChannelError(f"SMTP {self.where}: disconnected: {exc}") from None
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise ChannelError(f"SMTP {self.where}: {type(exc).__name__}: {reason}") from None

    def _login(self, smtp: smtplib.SMTP, encrypted: bool) -> None:
        if not encrypted and not self._loopback():
            raise ChannelError(
                f"SMTP {self.where} offers no TLS: not sending the password for "
                f"{self.username!r} in clear text (use smtps:// or a server with STARTTLS)"
            )
        if not smtp.has_extn("auth"):
            raise ChannelError(
                f"SMTP {self.where} does not offer AUTH, but a user name is configured"
            )
        smtp.login(self.username or "", self.password or "")


def _reply(exc: smtplib.SMTPResponseException) -> str:
    """`535 5.7.8 Authentication credentials invalid` on one line."""
    text = exc.smtp_error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(f"{exc.smtp_code} {text}".split())[:200]
