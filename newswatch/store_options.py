"""Connection options of an Elasticsearch store, read from its URL (no client import here).

One store URL carries everything, so every component that opens the store (crawl pipelines,
the alert ledger, the CLI) gets the same connection from the config's one `store` string:

    https://user:password@es1.example.org:9200,es2.example.org:9200/?index=news&ca_certs=/etc/ca.pem

Several hosts are comma-separated in the authority part (each may carry its port; all share
the scheme and path). Query parameters (`OPTIONS`) give the index name and the client
options; `${NAME}` in the config has already put secrets in. The config may instead give a
mapping (`store: {hosts: [...], api_key: ..., cloud_id: ...}`), which `url_from_mapping`
turns into such a URL: `cloud_id` becomes the cluster's https address.

A mistake raises `StoreOptionError(key, problem)`; the config loader reports it as
`file: store.<key>: problem`, the store as a StoreError.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote, unquote, urlsplit

DEFAULT_INDEX = "newswatch-articles"
# Index names: Elasticsearch's rules (lowercase, no \ / * ? " < > | , # : or space, not
# starting with - _ +), kept short enough for the monthly suffix.
_INDEX = re.compile(r"^(?![-_+])[^A-Z\\/*?\"<>|,# :]{1,200}$")
_INTERVAL = re.compile(r"^\s*(\d+)\s*([hdw])\s*$")
_USERINFO = re.compile(r"(?<=//)[^/@\s]+@")
SECRET_OPTIONS = ("api_key", "password")


class StoreOptionError(ValueError):
    """A bad store option: `key` is the option (or "" for the URL itself). The config
    loader reports it as a config error; opening a store, as a StoreError."""

    def __init__(self, key: str, problem: str) -> None:
        self.key, self.problem = key, problem
        super().__init__(f"store option {key}: {problem}" if key else problem)


def _flag(key: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise StoreOptionError(key, f"{text!r} is not true or false")


def _seconds(key: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise StoreOptionError(key, f"{text!r} is not a number of seconds") from None
    if not value > 0:
        raise StoreOptionError(key, f"{text!r}: must be more than 0 seconds")
    return value


def _count(key: str, text: str) -> int:
    if not text.strip().isdigit():
        raise StoreOptionError(key, f"{text!r} is not a whole number >= 0")
    return int(text)


def _file(key: str, text: str) -> str:
    path = os.path.expanduser(text)
    if not os.path.isfile(path):
        raise StoreOptionError(key, f"{text!r}: no such file")
    return path


def _verbatim(key: str, text: str) -> str:
    return text


def _text(key: str, text: str) -> str:
    if not text:
        raise StoreOptionError(key, "is empty")
    return text


def _retention(key: str, text: str) -> timedelta:
    match = _INTERVAL.match(text)
    if not match or int(match.group(1)) == 0:
        raise StoreOptionError(key, f"{text!r} is not a period (use e.g. 90d, 52w)")
    unit = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
    return int(match.group(1)) * unit[match.group(2)]


# Query parameter -> (parser, what it means). Everything but `index`, `sniff`, `username`,
# `password` and `retention` is an argument of elasticsearch.Elasticsearch under that name.
OPTIONS: dict[str, tuple[Callable[[str, str], Any], str]] = {
    "index": (_text, "the alias the articles are read through (default newswatch-articles)"),
    "api_key": (_text, "API key (the encoded form, or id:key)"),
    "username": (_text, "user for basic auth (or user:password@ in the URL)"),
    "password": (_verbatim, "password for basic auth"),
    "ca_certs": (_file, "CA certificate file (PEM) to verify the server with"),
    "verify_certs": (_flag, "verify the server's certificate (default true)"),
    "ssl_assert_fingerprint": (_text, "SHA-256 fingerprint the server certificate must have"),
    "client_cert": (_file, "client certificate file (PEM) for mutual TLS"),
    "client_key": (_file, "client private key file (PEM) for mutual TLS"),
    "request_timeout": (_seconds, "seconds before a request times out (default 30)"),
    "max_retries": (_count, "retries of a failed request on another node (default 2)"),
    "retry_on_timeout": (_flag, "retry a request that timed out (default true)"),
    "http_compress": (_flag, "gzip request bodies (default false)"),
    "sniff": (_flag, "discover the cluster's other nodes (default false)"),
    "retention": (_retention, "with ILM: delete a month's index this long after it ends"),
}


@dataclass
class Connection:
    """What a store URL means: nodes, index alias, client options and store settings."""

    hosts: list[str]
    index: str = DEFAULT_INDEX
    client_options: dict[str, Any] = field(default_factory=dict)
    retention: timedelta | None = None

    @property
    def display(self) -> str:
        """The URL without secrets: for messages, logs and `store.url`."""
        shown = ",".join(urlsplit(host).netloc for host in self.hosts)
        first = urlsplit(self.hosts[0])
        url = f"{first.scheme}://{shown}{first.path}"
        return url if self.index == DEFAULT_INDEX else f"{url}?index={self.index}"


def redact(url: str) -> str:
    """The URL without user:password@ and without secret query parameters."""
    url = _USERINFO.sub("", url)
    for name in SECRET_OPTIONS:
        url = re.sub(rf"([?&]{name}=)[^&]*", r"\1***", url)
    return url


def _split_query(query: str) -> list[tuple[str, str]]:
    # Not parse_qs: it turns "+" into a space, which would corrupt a base64 API key.
    pairs = []
    for part in query.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return pairs


def parse_url(url: str) -> Connection:
    """`http(s)://[user:password@]host[:port][,host[:port]...][/path][?option=value&...]`.

    Without a port, http means 9200 (Elasticsearch's own) and https 443 (a proxy or a hosted
    service).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise StoreOptionError("", f"bad Elasticsearch URL {redact(url)!r}: expected http(s)://")
    netloc = parts.netloc
    userinfo, _, hostlist = netloc.rpartition("@")
    hosts: list[str] = []
    default_port = 9200 if parts.scheme == "http" else 443
    for item in hostlist.split(","):
        try:
            host = urlsplit(f"//{item.strip()}")
            name, port = host.hostname, host.port or default_port
        except ValueError as exc:
            raise StoreOptionError("", f"bad Elasticsearch URL {redact(url)!r}: {exc}") from None
        if not name:
            raise StoreOptionError(
                "", f"bad Elasticsearch URL {redact(url)!r}: expected http(s)://host:port"
            )
        name = f"[{name}]" if ":" in name else name
        hosts.append(f"{parts.scheme}://{name}:{port}{parts.path.rstrip('/')}")
    connection = Connection(hosts)
    options = connection.client_options
    if userinfo:
        user, _, secret = userinfo.partition(":")
        options["basic_auth"] = (unquote(user), unquote(secret))
    username: str | None = None
    password: str | None = None
    for name, value in _split_query(parts.query):
        if name not in OPTIONS:
            allowed = ", ".join(sorted(OPTIONS))
            raise StoreOptionError(name, f"unknown option (allowed: {allowed})")
        parsed = OPTIONS[name][0](name, value)
        if name == "index":
            if not _INDEX.match(parsed):
                raise StoreOptionError(name, f"{parsed!r} is not a valid index name")
            connection.index = parsed
        elif name == "username":
            username = parsed
        elif name == "password":
            password = parsed
        elif name == "retention":
            connection.retention = parsed
        elif name == "sniff":
            if parsed:
                options.update(
                    sniff_on_start=True, sniff_on_node_failure=True,
                    min_delay_between_sniffing=60,
                )  # fmt: skip
        else:
            options[name] = parsed
    if password is not None and username is None and "basic_auth" not in options:
        raise StoreOptionError("password", "given without a username")
    if username is not None:
        if "basic_auth" in options:
            raise StoreOptionError("username", "given twice (in the URL and as an option)")
        options["basic_auth"] = (username, password or "")
    if "basic_auth" in options and "api_key" in options:
        raise StoreOptionError("api_key", "give either an API key or a user and password")
    if ("client_cert" in options) != ("client_key" in options):
        raise StoreOptionError("client_key", "client_cert and client_key go together")
    if parts.scheme == "http" and any(
        name in options for name in ("ca_certs", "ssl_assert_fingerprint", "client_cert")
    ):
        raise StoreOptionError("ca_certs", "TLS options need an https:// URL")
    return connection


def decode_cloud_id(cloud_id: str) -> str:
    """The https address of the Elasticsearch of an Elastic Cloud deployment."""
    _, _, encoded = cloud_id.rpartition(":")
    try:
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        host, es_uuid, *_ = decoded.decode("utf-8").split("$")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise StoreOptionError("cloud_id", "is not an Elastic Cloud id") from None
    if not host or not es_uuid:
        raise StoreOptionError("cloud_id", "is not an Elastic Cloud id")
    name, _, port = host.partition(":")
    return f"https://{es_uuid}.{name}:{port or 443}"


def url_from_mapping(options: Mapping[str, Any]) -> str:
    """The store URL for the config's mapping form: `hosts` (a list of URLs) or `cloud_id`,
    plus any of `OPTIONS`. Values are validated as `parse_url` would."""
    options = dict(options)
    hosts, cloud_id = options.pop("hosts", None), options.pop("cloud_id", None)
    if (hosts is None) == (cloud_id is None):
        raise StoreOptionError("hosts", "give either hosts (a list of URLs) or cloud_id")
    if cloud_id is not None:
        if not isinstance(cloud_id, str):
            raise StoreOptionError("cloud_id", "expected a string")
        hosts = [decode_cloud_id(cloud_id)]
    if isinstance(hosts, str):
        hosts = [hosts]
    if isinstance(hosts, tuple):
        hosts = list(hosts)
    if not isinstance(hosts, list) or not hosts:
        raise StoreOptionError("hosts", "expected a list of http(s)://host:port URLs")
    schemes, paths, netlocs = set(), set(), []
    for i, host in enumerate(hosts):
        parts = urlsplit(str(host))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreOptionError(f"hosts[{i}]", f"{host!r} is not an http(s)://host:port URL")
        if parts.query or "@" in parts.netloc:
            raise StoreOptionError(
                f"hosts[{i}]", "give credentials and options as keys of store, not in the URL"
            )
        schemes.add(parts.scheme)
        paths.add(parts.path.rstrip("/"))
        netlocs.append(parts.netloc)
    if len(schemes) > 1 or len(paths) > 1:
        raise StoreOptionError("hosts", "all hosts need the same scheme and path")
    query = []
    for name, value in options.items():
        if name not in OPTIONS:
            allowed = ", ".join(sorted({*OPTIONS, "hosts", "cloud_id"}))
            raise StoreOptionError(name, f"unknown key (allowed: {allowed})")
        if isinstance(value, bool):
            value = "true" if value else "false"
        if value is None or isinstance(value, dict | list):
            raise StoreOptionError(name, "expected a single value")
        query.append(f"{name}={quote(str(value), safe='')}")
    url = f"{schemes.pop()}://{','.join(netlocs)}{paths.pop() or '/'}"
    if query:
        url += "?" + "&".join(query)
    parse_url(url)  # the same checks as for a URL written by hand
    return url
