"""Real servers on 127.0.0.1 that alert tests deliver to, and what they received.

- `SMTPServer`: aiosmtpd, optionally with STARTTLS, implicit TLS and AUTH; each message is
  kept with how it arrived (TLS version, authenticated user).
- `Receiver`: an HTTP server that records JSON POSTs (a Slack webhook, Apprise's json://),
  answering 500 to the first `fail` of them.
- `make_certificates`: a throwaway certificate authority and a server certificate for
  127.0.0.1 / localhost, written as PEM files (nothing is trusted but what the test passes).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# Seconds a server gets to come up: the machine may be busy with other jobs.
READY_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- HTTP --------------------------------------------------------------------------------------


@dataclass
class Post:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """Records JSON posts (`posts`: the decoded bodies; `requests`: path, headers, bytes);
    answers 500 to the first `fail` posts."""

    def __init__(self, fail: int = 0, path: str = "/services/T0/B0/secret") -> None:
        self.fail = fail
        self.posts: list[Any] = []
        self.requests: list[Post] = []
        self.failed = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    failing = receiver.failed < receiver.fail
                    if failing:
                        receiver.failed += 1
                    else:
                        receiver.requests.append(Post(self.path, dict(self.headers), body))
                        receiver.posts.append(json.loads(body))
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"no" if failing else b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- SMTP --------------------------------------------------------------------------------------


@dataclass
class Received:
    """One message as the SMTP server got it."""

    message: Message
    mail_from: str
    rcpt_tos: list[str]
    tls_version: str | None  # e.g. "TLSv1.3"; None over plain text
    user: str | None  # the authenticated login, None without AUTH


@dataclass
class Mailbox:
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (user, accepted)
    require_auth: bool = False

    @property
    def messages(self) -> list[Message]:
        return [r.message for r in self.received]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        ssl_object = server.transport.get_extra_info("ssl_object") if server.transport else None
        if self.require_auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        auth = session.auth_data if session.authenticated else None
        self.received.append(
            Received(
                message=message_from_bytes(envelope.content),
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                tls_version=ssl_object.version() if ssl_object is not None else None,
                user=auth.login.decode() if isinstance(auth, LoginPassword) else None,
            )
        )
        return "250 OK"


class SMTPServer:
    """aiosmtpd on 127.0.0.1. `tls`: None (plain), "starttls" (offered and required before
    anything else) or "implicit" (smtps); `users`: {login: password} to require AUTH."""

    def __init__(
        self,
        port: int | None = None,
        tls: str | None = None,
        certificates: Certificates | None = None,
        users: dict[str, str] | None = None,
    ) -> None:
        self.port = port or free_port()
        self.tls = tls
        self.certificates = certificates
        self.users = users
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword) or self.users is None:
            return AuthResult(success=False, handled=False)
        user, password = data.login.decode(), data.password.decode()
        ok = self.users.get(user) == password
        self.mailbox.logins.append((user, ok))
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

    def start(self) -> SMTPServer:
        kwargs: dict[str, Any] = {}
        if self.tls:
            assert self.certificates, "TLS needs certificates"
            context = self.certificates.server_context()
            if self.tls == "implicit":
                kwargs["ssl_context"] = context
            else:
                kwargs.update(tls_context=context, require_starttls=True)
        if self.users is not None:
            # aiosmtpd only counts STARTTLS as TLS for AUTH (and warns about requiring AUTH
            # without it); over implicit TLS every byte is encrypted already, so there AUTH is
            # offered from the start and the mailbox refuses messages sent without it.
            implicit = self.tls == "implicit"
            kwargs.update(
                authenticator=self._authenticate,
                auth_required=not implicit,
                auth_require_tls=not implicit,
            )
            self.mailbox.require_auth = True
        self.controller = Controller(
            self.mailbox,
            hostname="127.0.0.1",
            port=self.port,
            ready_timeout=READY_TIMEOUT,
            **kwargs,
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None


def subject_of(message: Message) -> str:
    """The Subject header decoded (non-ASCII subjects travel encoded)."""
    return str(make_header(decode_header(message["Subject"])))


def text_of(message: Message, subtype: str = "plain") -> str:
    parts = [message] if not message.is_multipart() else list(message.walk())
    return "".join(
        p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8")
        for p in parts
        if p.get_content_type() == f"text/{subtype}"
    )


# --- certificates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificates:
    ca_file: Path  # the authority's certificate: what a client is told to trust
    cert_file: Path  # the server's certificate (127.0.0.1, localhost), signed by the CA
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(self.cert_file), str(self.key_file))
        return context


def make_certificates(folder: Path, name: str = "newswatch test") -> Certificates:
    """A fresh CA and a server certificate it signed, valid for a day, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    folder.mkdir(parents=True, exist_ok=True)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    pem = serialization.Encoding.PEM
    files = Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    files.ca_file.write_bytes(ca.public_bytes(pem))
    files.cert_file.write_bytes(cert.public_bytes(pem))
    files.key_file.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return files
