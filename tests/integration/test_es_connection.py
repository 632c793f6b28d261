"""Connection options for real clusters: several hosts, basic auth, API key, TLS with a CA file
or a fingerprint, timeouts; and their validation in the config (file, key, problem).

The TLS and header cases put a small proxy of our own between the store and the real
Elasticsearch: it terminates TLS with a throwaway certificate authority's certificate (the
test server itself speaks plain HTTP) and records the requests it forwards.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newswatch.config import ConfigError, load_config
from newswatch.records import Article
from newswatch.storage.base import StoreError
from newswatch.storage.elasticsearch import ElasticsearchStore
from newswatch.store_options import StoreOptionError, parse_url, url_from_mapping
from tests.servers import make_certificates


class Proxy:
    """Forwards TCP connections to Elasticsearch; optionally terminates TLS, delays each
    connection's first request, and keeps every byte the client sent."""

    def __init__(self, upstream: str, tls: ssl.SSLContext | None = None, delay: float = 0.0):
        parts = urlsplit(upstream)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 9200)
        self.tls, self.delay = tls, delay
        self.sent = bytearray()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            if self.tls is not None:
                client = self.tls.wrap_socket(client, server_side=True)
            upstream = socket.create_connection(self.target)
        except (OSError, ssl.SSLError):
            client.close()
            return
        if self.delay:
            time.sleep(self.delay)
        threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()
        self._pump(client, upstream, True)

    def _pump(self, source: socket.socket, target: socket.socket, record: bool) -> None:
        try:
            while data := source.recv(65536):
                if record:
                    with self._lock:
                        self.sent.extend(data)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.close()

    def headers(self) -> str:
        with self._lock:
            return self.sent.decode("latin-1").lower()

    def close(self) -> None:
        self._closed = True
        self._listener.close()


def record(key: str) -> dict:
    return Article(
        id=f"id-{key}",
        url=f"https://news.example.org/{key}",
        canonical_url=f"https://news.example.org/{key}",
        source="example",
        domain="news.example.org",
        title=f"Title {key}",
        body=f"Body {key}.",
    ).record()


def use(url: str) -> ElasticsearchStore:
    """Open, write one article, read it back; the caller drops the store."""
    store = ElasticsearchStore.from_url(url)
    store.setup()
    assert store.put_articles([record("one")]) == 1
    store.flush()
    assert store.count() == 1 and store.get_article("id-one") == record("one")
    return store


@pytest.fixture
def index() -> str:
    return f"newswatch-test-conn-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def dropper(es_url: str, index: str) -> Iterator[None]:
    yield
    store = ElasticsearchStore.from_url(f"{es_url}?index={index}")
    try:
        store.drop()
    finally:
        store.close()


@pytest.mark.elasticsearch
def test_https_with_a_ca_file(es_url: str, index: str, dropper: None, tmp_path: Path) -> None:
    certificates = make_certificates(tmp_path)
    proxy = Proxy(es_url, tls=certificates.server_context())
    url = f"https://127.0.0.1:{proxy.port}?index={index}"
    try:
        use(f"{url}&ca_certs={certificates.ca_file}").close()
        # The same server without the CA to trust: refused, in one line naming the server.
        untrusting = ElasticsearchStore.from_url(url)
        with pytest.raises(StoreError) as caught:
            untrusting.count()
        message = str(caught.value)
        assert message.startswith(f"Elasticsearch at https://127.0.0.1:{proxy.port} is not ")
        assert "certificate verify failed" in message.lower() and "\n" not in message
        untrusting.close()
        # Or pin the server certificate's SHA-256 fingerprint instead of trusting a CA.
        der = ssl.PEM_cert_to_DER_cert(certificates.cert_file.read_text())
        fingerprint = hashlib.sha256(der).hexdigest()
        pinned = ElasticsearchStore.from_url(f"{url}&ssl_assert_fingerprint={fingerprint}")
        assert pinned.count() == 1
        pinned.close()
    finally:
        proxy.close()


@pytest.mark.elasticsearch
def test_basic_auth_and_api_key_are_sent(es_url: str, index: str, dropper: None) -> None:
    # The test server runs without security, so it accepts any credentials; the proxy shows
    # what the client sent.
    proxy = Proxy(es_url)
    try:
        use(f"http://reader:p%40ss%3Aword@127.0.0.1:{proxy.port}?index={index}").close()
        basic = base64.b64encode(b"reader:p@ss:word").decode()
        assert f"authorization: basic {basic.lower()}" in proxy.headers()
        proxy.sent.clear()
        store = ElasticsearchStore.from_url(
            f"http://127.0.0.1:{proxy.port}?index={index}&api_key=aWQ6a2V5+/="
        )
        assert store.count() == 1
        assert "authorization: apikey awq6a2v5+/=" in proxy.headers()  # "+" kept, not a space
        assert "aWQ6a2V5" not in store.url and "aWQ6a2V5" not in repr(store)
        store.close()
    finally:
        proxy.close()


@pytest.mark.elasticsearch
def test_several_hosts_a_dead_one_is_skipped(es_url: str, index: str, dropper: None) -> None:
    port = urlsplit(es_url).port
    dead = socket.create_server(("127.0.0.1", 0))
    dead_port = dead.getsockname()[1]
    dead.close()  # nothing listens there any more
    store = use(f"http://127.0.0.1:{dead_port},127.0.0.1:{port}?index={index}&max_retries=3")
    assert store.url == f"http://127.0.0.1:{dead_port},127.0.0.1:{port}?index={index}"
    for _ in range(5):  # whichever node the client picks first, the request gets through
        assert store.count() == 1
    store.close()


@pytest.mark.elasticsearch
def test_request_timeout_and_retries_are_honoured(es_url: str, index: str) -> None:
    proxy = Proxy(es_url, delay=3.0)
    store = ElasticsearchStore.from_url(
        f"http://127.0.0.1:{proxy.port}?index={index}&request_timeout=0.5&max_retries=0"
    )
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match="is not reachable: ConnectionTimeout"):
            store.count()
        assert time.monotonic() - started < 2.5
    finally:
        store.close()
        proxy.close()


def test_sniffing_is_off_unless_asked() -> None:
    plain = parse_url("http://127.0.0.1:9200").client_options
    assert not any(name.startswith("sniff") for name in plain)
    sniffing = parse_url("http://127.0.0.1:9200?sniff=true").client_options
    assert sniffing["sniff_on_start"] is True and sniffing["sniff_on_node_failure"] is True


def test_url_options_are_parsed_and_checked(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    connection = parse_url(
        f"https://es1.example.org,es2.example.org:9243/proxy?index=news&ca_certs={ca}"
        "&request_timeout=12.5&max_retries=4&retry_on_timeout=false&retention=52w"
    )
    assert connection.hosts == [
        "https://es1.example.org:443/proxy",
        "https://es2.example.org:9243/proxy",
    ]
    assert connection.index == "news" and connection.retention.days == 364
    assert connection.client_options == {
        "ca_certs": str(ca), "request_timeout": 12.5, "max_retries": 4, "retry_on_timeout": False,
    }  # fmt: skip
    bad = {
        "http://h?colour=red": ("colour", "unknown option"),
        "http://h?request_timeout=0": ("request_timeout", "more than 0"),
        "http://h?max_retries=-1": ("max_retries", "whole number"),
        "https://h?ca_certs=/no/such/ca.pem": ("ca_certs", "no such file"),
        "http://h?ca_certs=" + str(ca): ("ca_certs", "need an https:// URL"),
        "http://u:p@h?api_key=k": ("api_key", "either an API key or a user"),
        "http://h?password=p": ("password", "without a username"),
        "http://h?index=Upper": ("index", "not a valid index name"),
        "https://h?client_cert=" + str(ca): ("client_key", "go together"),
    }
    for url, (key, problem) in bad.items():
        with pytest.raises(StoreOptionError) as caught:
            parse_url(url)
        assert caught.value.key == key and problem in caught.value.problem, url


def test_the_config_mapping_form_becomes_a_store_url(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("pem")
    cloud_id = "news:" + base64.b64encode(b"eu-west-1.aws.found.io$abc123$kib456").decode()
    config = tmp_path / "newswatch.yaml"
    config.write_text(
        "store:\n"
        "  cloud_id: " + cloud_id + "\n"
        "  api_key: ${ES_KEY}\n"
        f"  ca_certs: {ca}\n"
        "  request_timeout: 20\n"
        "  index: news-articles\n"
        "sources: [{name: a, feeds: ['https://example.org/feed']}]\n",
        "utf-8",
    )
    store = load_config(config, environ={"ES_KEY": "aWQ6a2V5+="}).store
    connection = parse_url(store)
    assert connection.hosts == ["https://abc123.eu-west-1.aws.found.io:443"]
    assert connection.client_options["api_key"] == "aWQ6a2V5+="
    assert connection.client_options["request_timeout"] == 20.0
    assert connection.index == "news-articles"
    hosts = url_from_mapping({"hosts": ["http://a:9200", "http://b:9201"], "sniff": True})
    assert parse_url(hosts).hosts == ["http://a:9200", "http://b:9201"]


@pytest.mark.parametrize(
    ("store", "key", "problem"),
    [
        ("{hosts: [http://a:9200], colour: red}", "store.colour", "unknown key"),
        ("{hosts: [ftp://a]}", "store.hosts[0]", "not an http(s)://host:port URL"),
        ("{api_key: k}", "store.hosts", "either hosts"),
        ("{cloud_id: 'x:bm90LWEtY2xvdWQtaWQ='}", "store.cloud_id", "not an Elastic Cloud id"),
        ("{hosts: [http://a], username: u, api_key: k}", "store.api_key", "either an API key"),
        ("{hosts: [https://a], ca_certs: /no/ca.pem}", "store.ca_certs", "no such file"),
        ("'http://a:9200?max_retries=many'", "store.max_retries", "whole number"),
        ("'http://a:9200?sniff=maybe'", "store.sniff", "not true or false"),
        ("{hosts: [http://a], api_key: '${NOPE}'}", "store.api_key", "NOPE is not set"),
    ],
)
def test_store_mistakes_name_the_file_key_and_problem(
    tmp_path: Path, store: str, key: str, problem: str
) -> None:
    config = tmp_path / "newswatch.yaml"
    config.write_text(f"store: {store}\nsources: [{{name: a, feeds: ['https://e.org/f']}}]\n")
    with pytest.raises(ConfigError) as caught:
        load_config(config, environ={})
    assert caught.value.file == str(config) and caught.value.key == key
    assert problem in caught.value.problem
