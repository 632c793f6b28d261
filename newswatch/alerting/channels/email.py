"""Email over SMTP: `smtp://[user:pass@]host[:port]` (STARTTLS when the server offers it,
or always with `?starttls=required`), `smtps://` for implicit TLS. Text and HTML parts; a
deterministic Message-ID so a resend after a crash is recognisable as the same message."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import parse_qs, unquote, urlsplit

from newswatch.alerting.channels import ChannelError
from newswatch.alerting.ledger import Alert
from newswatch.alerting.render import render, subject
from newswatch.scheduler.config import Notifier


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
    password: str | None = None
    timeout: float = 20.0

    @classmethod
    def from_notifier(cls, notifier: Notifier) -> EmailChannel:
        options = notifier.options
        parts = urlsplit(str(options["smtp"]))
        query = parse_qs(parts.query)
        implicit = parts.scheme == "smtps"
        recipients = options["to"] if isinstance(options["to"], list) else [options["to"]]
        return cls(
            name=notifier.name,
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (465 if implicit else 25),
            sender=str(options["from"]),
            recipients=tuple(recipients),
            implicit_tls=implicit,
            starttls=query.get("starttls", ["auto"])[-1],
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

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

    def send(self, alerts: list[Alert], key: str) -> None:
        msg = self.message(alerts, key)
        context = ssl.create_default_context()
        try:
            if self.implicit_tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                smtp.ehlo()
                if not self.implicit_tls and self.starttls != "off":
                    if smtp.has_extn("starttls"):
                        smtp.starttls(context=context)
                        smtp.ehlo()
                    elif self.starttls == "required":
                        raise ChannelError(
                            f"{self.host}:{self.port} does not offer STARTTLS", permanent=True
                        )
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(msg)
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600
            raise ChannelError(
                f"SMTP {self.host}:{self.port} answered {exc.smtp_code}", permanent=permanent
            ) from None
        except smtplib.SMTPRecipientsRefused:
            raise ChannelError("SMTP server refused every recipient", permanent=True) from None
        except (TimeoutError, OSError, smtplib.SMTPException) as exc:
            raise ChannelError(
                f"SMTP {self.host}:{self.port}: {type(exc).__name__}: {exc}"
            ) from None
