"""The email channel against a real SMTP server (aiosmtpd on 127.0.0.1) with TLS and AUTH.

Each test makes a throwaway certificate authority and a server certificate for 127.0.0.1;
the channel is told to trust that authority only (`ca_file`). Assertions are on what the
server received: over which TLS version, as which authenticated user, with which parts.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from newswatch.alerting.channels import ChannelError
from newswatch.alerting.channels.email import EmailChannel
from newswatch.alerting.notifier import OutboxNotifier
from newswatch.config import ConfigError, Notifier, load_config
from newswatch.records import Alert, Delivery, alert_id, iso
from newswatch.storage.sqlite import SQLiteLedger
from tests.cli import newswatch
from tests.servers import READY_TIMEOUT, Certificates, SMTPServer, make_certificates, text_of

USER, PASSWORD = "desk-bot", "c0rrect horse:battery@staple"
NOW = datetime.now(UTC).replace(microsecond=0)
TITLE = 'Seoul: <script>alert("x")</script> troops & "allies" at the border'
QUOTE = "We will <b>not</b> stand by & watch"


def hostile_alert(channel: str = "desk") -> Alert:
    """An alert whose text tries to inject HTML into the message."""
    return Alert(
        id=alert_id("nk", "article", "story-1"),
        topic="nk",
        kind="article",
        story_id="story-1",
        article_ids=["a1"],
        urls=["https://alpha.example/nk?a=1&b=2"],
        outlets=["Alpha <News>"],
        title=TITLE,
        statements=[{"speaker": "Choi Eun-young", "quote": QUOTE}],
        published_at=iso(NOW),
        created_at=iso(NOW),
        deliveries={channel: Delivery(channel)},
    )


@pytest.fixture
def certificates(tmp_path: Path) -> Certificates:
    return make_certificates(tmp_path / "tls")


@pytest.fixture
def servers() -> Iterator[list[SMTPServer]]:
    started: list[SMTPServer] = []
    yield started
    for server in started:
        server.stop()


def start(servers: list[SMTPServer], **kwargs: Any) -> SMTPServer:
    server = SMTPServer(**kwargs).start()
    servers.append(server)
    return server


def channel(smtp: str, **options: Any) -> EmailChannel:
    spec = {"smtp": smtp, "from": "watch@example.org", "to": ["desk@example.org"], **options}
    return EmailChannel.from_notifier(Notifier("desk", "email", spec))


def assert_hostile_content_escaped(received: Any) -> None:
    message = received.message
    assert message["Message-ID"] == "<k-1@newswatch>"
    assert message["Subject"].startswith("[newswatch] nk: Seoul:")
    text, html = text_of(message), text_of(message, "html")
    # the text part carries the words as written; the HTML part cannot run or inject them
    assert TITLE in text and QUOTE in text and "Choi Eun-young" in text
    assert "<script>" not in html and "<b>not</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;b&gt;not&lt;/b&gt; stand by &amp; watch" in html
    assert "Alpha &lt;News&gt;" in html and 'href="https://alpha.example/nk?a=1&amp;b=2"' in html


# --- STARTTLS + AUTH --------------------------------------------------------------------------


@pytest.mark.parametrize("credentials", ["url", "options"])
def test_starttls_and_auth_deliver_text_and_html_over_tls(
    servers: list[SMTPServer], certificates: Certificates, credentials: str
) -> None:
    smtp = start(servers, tls="starttls", certificates=certificates, users={USER: PASSWORD})
    if credentials == "url":
        quoted = PASSWORD.replace("%", "%25").replace(":", "%3A").replace("@", "%40")
        url = f"smtp://{USER}:{quoted.replace(' ', '%20')}@127.0.0.1:{smtp.port}"
        email = channel(url + "?starttls=required", ca_file=str(certificates.ca_file))
    else:
        email = channel(
            f"smtp://127.0.0.1:{smtp.port}",
            username=USER,
            password=PASSWORD,
            ca_file=str(certificates.ca_file),
        )
    assert PASSWORD not in repr(email)
    email.send([hostile_alert()], "k-1")

    [received] = smtp.mailbox.received
    assert received.tls_version in ("TLSv1.2", "TLSv1.3")
    assert received.user == USER
    assert smtp.mailbox.logins == [(USER, True)]
    assert received.mail_from == "watch@example.org"
    assert received.rcpt_tos == ["desk@example.org"]
    assert_hostile_content_escaped(received)


def test_implicit_tls_smtps_with_auth(
    servers: list[SMTPServer], certificates: Certificates
) -> None:
    smtp = start(servers, tls="implicit", certificates=certificates, users={USER: PASSWORD})
    email = channel(
        f"smtps://127.0.0.1:{smtp.port}",
        username=USER,
        password=PASSWORD,
        ca_file=str(certificates.ca_file),
    )
    assert email.implicit_tls
    email.send([hostile_alert()], "k-1")
    [received] = smtp.mailbox.received
    assert received.tls_version in ("TLSv1.2", "TLSv1.3") and received.user == USER
    assert_hostile_content_escaped(received)


def test_certificates_are_verified_by_default(
    servers: list[SMTPServer], certificates: Certificates, tmp_path: Path
) -> None:
    smtp = start(servers, tls="implicit", certificates=certificates, users={USER: PASSWORD})
    url = f"smtps://127.0.0.1:{smtp.port}"
    # Not the authority that signed the server's certificate: refused, password not sent.
    other = make_certificates(tmp_path / "other", name="someone else")
    for email in (
        channel(url, username=USER, password=PASSWORD),
        channel(url, username=USER, password=PASSWORD, ca_file=str(other.ca_file)),
    ):
        with pytest.raises(ChannelError) as failure:
            email.send([hostile_alert()], "k-1")
        message = str(failure.value)
        assert "TLS certificate not trusted" in message and "\n" not in message
        assert PASSWORD not in message and not failure.value.permanent
    assert not smtp.mailbox.received and not smtp.mailbox.logins


def test_starttls_required_but_not_offered_is_an_error(servers: list[SMTPServer]) -> None:
    smtp = start(servers)  # plain SMTP, no STARTTLS
    with pytest.raises(ChannelError, match="does not offer STARTTLS"):
        channel(f"smtp://127.0.0.1:{smtp.port}?starttls=required").send([hostile_alert()], "k")
    assert not smtp.mailbox.received
    # without the requirement, a local server without TLS still gets the message
    channel(f"smtp://127.0.0.1:{smtp.port}").send([hostile_alert()], "k-1")
    [received] = smtp.mailbox.received
    assert received.tls_version is None and received.user is None


def outward_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if not loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_no_password_in_clear_text_to_a_server_off_this_machine() -> None:
    address = outward_address()
    if address is None:
        pytest.skip("no network address besides loopback to listen on")
    # A server that would take AUTH without TLS (aiosmtpd allows it when told to).
    server = SMTPServer(users={USER: PASSWORD})
    server.controller = Controller(
        server.mailbox,
        hostname=address,
        port=server.port,
        ready_timeout=READY_TIMEOUT,
        authenticator=server._authenticate,
        auth_require_tls=False,
    )
    server.controller.start()
    try:
        email = channel(f"smtp://{address}:{server.port}", username=USER, password=PASSWORD)
        with pytest.raises(ChannelError) as failure:
            email.send([hostile_alert()], "k-1")
        assert "not sending the password for 'desk-bot' in clear text" in str(failure.value)
        assert PASSWORD not in str(failure.value)
        assert not server.mailbox.logins and not server.mailbox.received
    finally:
        server.stop()


def test_bad_email_settings_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="starttls='maybe'"):
        channel("smtp://127.0.0.1:25?starttls=maybe")
    with pytest.raises(ValueError, match="ca_file: .*no such file"):
        channel("smtp://127.0.0.1:25", ca_file="missing-ca.pem")
    config = tmp_path / "newswatch.yaml"
    config.write_text(
        "store: sqlite:///alerts.db\n"
        "sources: [{name: a, feeds: ['http://127.0.0.1:1/feed.xml']}]\n"
        "notifiers:\n"
        "  desk: {type: email, smtp: 'ftp://mail.example.org', from: a@example.org,"
        " to: b@example.org}\n",
        encoding="utf-8",
    )
    ledger = SQLiteLedger(str(tmp_path / "alerts.db"))
    try:
        with pytest.raises(ConfigError) as failure:
            OutboxNotifier.from_config(load_config(config), ledger)
    finally:
        ledger.close()
    assert str(failure.value).startswith(f"{config}: notifiers.desk.smtp: ftp scheme")


# --- a wrong password: one clear line, the delivery kept and retried ----------------------------


def write_config(tmp_path: Path, smtp: SMTPServer, certificates: Certificates) -> Path:
    config = tmp_path / "newswatch.yaml"
    config.write_text(
        f"""store: sqlite:///{tmp_path / "alerts.db"}
sources: [{{name: alpha, feeds: ["http://127.0.0.1:1/feed.xml"]}}]
notifiers:
  desk: {{type: email, smtp: "smtp://127.0.0.1:{smtp.port}?starttls=required",
         username: {USER}, password: "${{NEWSWATCH_TEST_SMTP_PASSWORD}}",
         ca_file: tls/{certificates.ca_file.name},
         from: watch@example.org, to: [desk@example.org], retry_seconds: 1}}
""",
        encoding="utf-8",
    )
    return config


def ledger_state(config: Path) -> dict[str, Any]:
    listed = newswatch("alerts", "-c", str(config), "--json")
    assert listed.returncode == 0, listed.stderr
    [alert] = [json.loads(line) for line in listed.stdout.splitlines()]
    return alert["deliveries"]["desk"]


def test_wrong_password_is_one_clear_line_and_the_alert_is_retried_not_lost(
    servers: list[SMTPServer],
    certificates: Certificates,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp = start(servers, tls="starttls", certificates=certificates, users={USER: PASSWORD})
    config = write_config(tmp_path, smtp, certificates)  # ca_file relative to the config
    ledger = SQLiteLedger(str(tmp_path / "alerts.db"))
    ledger.record(hostile_alert())
    ledger.close()

    wrong = "not-the-password"
    monkeypatch.setenv("NEWSWATCH_TEST_SMTP_PASSWORD", wrong)
    failed = newswatch("notify", "-c", str(config))
    assert failed.returncode == 0, failed.stderr
    assert "0 sent, 1 to retry, 0 failed" in failed.stdout
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1, failed.stderr
    assert f"refused the login as '{USER}'" in lines[0] and "535" in lines[0]
    assert "check the user name and password" in lines[0]
    assert wrong not in failed.stderr and PASSWORD not in failed.stderr
    # smtplib tries each mechanism the server offers (PLAIN, LOGIN): every one refused
    assert set(smtp.mailbox.logins) == {(USER, False)} and not smtp.mailbox.received

    state = ledger_state(config)
    assert state["status"] == "pending" and state["attempts"] == 1
    assert f"refused the login as '{USER}'" in state["last_error"]
    assert wrong not in state["last_error"]

    # The password is put right: the next run, once the retry is due, delivers it once.
    monkeypatch.setenv("NEWSWATCH_TEST_SMTP_PASSWORD", PASSWORD)
    deadline = time.monotonic() + 120
    while not smtp.mailbox.received and time.monotonic() < deadline:
        time.sleep(1.1)  # retry_seconds: 1
        done = newswatch("notify", "-c", str(config))
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    [received] = smtp.mailbox.received
    assert received.user == USER and received.tls_version in ("TLSv1.2", "TLSv1.3")
    state = ledger_state(config)
    assert state["status"] == "sent" and state["attempts"] == 2 and state["last_error"] is None
    again = newswatch("notify", "-c", str(config))
    assert "0 sent, 0 to retry" in again.stdout and len(smtp.mailbox.received) == 1


def test_wrong_password_gives_up_after_max_attempts_and_says_why(
    servers: list[SMTPServer], certificates: Certificates, tmp_path: Path
) -> None:
    from newswatch.alerting.notifier import RetryPolicy

    smtp = start(servers, tls="starttls", certificates=certificates, users={USER: PASSWORD})
    email = channel(
        f"smtp://127.0.0.1:{smtp.port}",
        username=USER,
        password="wrong",
        ca_file=str(certificates.ca_file),
    )
    ledger = SQLiteLedger(str(tmp_path / "alerts.db"))
    ledger.record(hostile_alert())
    policy = RetryPolicy(base=timedelta(seconds=10), max_attempts=2)
    notifier = OutboxNotifier(ledger, {"desk": email}, {"desk": policy}, {"nk": None})
    first = notifier.deliver_due(NOW)
    assert (first.sent, first.retrying, first.failed) == (0, 1, 0)
    assert notifier.deliver_due(NOW + timedelta(seconds=5)).retrying == 0  # not due yet
    second = notifier.deliver_due(NOW + timedelta(seconds=11))
    assert (second.sent, second.retrying, second.failed) == (0, 0, 1)
    [alert] = list(ledger.alerts())
    delivery = alert.deliveries["desk"]
    assert delivery.status == "failed" and delivery.attempts == 2
    assert "refused the login" in (delivery.last_error or "")
    assert set(smtp.mailbox.logins) == {(USER, False)} and not smtp.mailbox.received
    ledger.close()
