"""The store spool: when the store is down, slow, overloaded or locked, nothing is lost.

Against the real Elasticsearch and real SQLite files. "Down", "slow" and "429" are made by
`Gate`, an HTTP proxy on 127.0.0.1 in front of the real server that the test stops, starts,
slows or makes answer 429; a refused document is a real mapping error (a date Elasticsearch
cannot parse) or a record SQLite refuses. The end-to-end test runs `newswatch crawl` twice.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newswatch.demo.site import NewsSite, Publisher, SiteArticle, config_yaml
from newswatch.records import RECORD_FIELDS
from newswatch.storage import open_store
from newswatch.storage.base import Store
from newswatch.storage.elasticsearch import ElasticsearchStore
from newswatch.storage.spool import Spool, SpooledWriter, is_document_error, spool_dir
from newswatch.storage.sqlite import SQLiteStore
from tests.cli import drop_es_store, es_store_url, newswatch

# ============================================================================================
# A gate in front of the real Elasticsearch
# ============================================================================================


class Gate:
    """An HTTP proxy to Elasticsearch on a fixed 127.0.0.1 port.

    mode: "pass" forwards; "bulk429" answers article bulk requests with HTTP 429 (a node's
    write queue is full); "items429" answers them with a 200 whose every item was rejected
    with 429 (what a loaded cluster does per document); "slow" waits `delay` seconds first.
    stop()/start() close and reopen the port: connections are refused in between.
    """

    def __init__(self, upstream: str, index: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 9200)
        self.index = index
        self.mode = "pass"
        self.delay = 0.0
        self.bulk_requests = 0
        self.server: ThreadingHTTPServer | None = None
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> Gate:
        gate = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path.split("?")[0].endswith("/_bulk") and gate.targets_articles(body):
                    gate.bulk_requests += 1
                    if gate.mode == "bulk429":
                        return self._reply(429, _rejection(429))
                    if gate.mode == "items429":
                        return self._reply(200, _items_rejected(body))
                if gate.mode == "slow":
                    time.sleep(gate.delay)
                status, headers, data = gate.forward(self.command, self.path, self.headers, body)
                self._reply(status, data, headers)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any  # noqa: N815

            def _reply(self, status: int, data: bytes, headers: dict[str, str] | None = None):
                try:
                    self.send_response(status)
                    for key, value in (headers or {"Content-Type": "application/json"}).items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                except OSError:  # the client gave up waiting (the "slow" mode)
                    self.close_connection = True

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def targets_articles(self, body: bytes) -> bool:
        first = body.split(b"\n", 1)[0]
        try:
            action = json.loads(first)
        except ValueError:
            return False
        # The article index, or one of its monthly indices (<index>-YYYY.MM, <index>-gN-...);
        # not a side index such as <index>-signatures.
        target = str(next(iter(action.values()), {}).get("_index", ""))
        return bool(re.fullmatch(re.escape(self.index) + r"(?:-g\d+)?(?:-\d{4}\.\d{2})?", target))

    def forward(
        self, method: str, path: str, headers: Any, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            keep = {k: v for k, v in headers.items() if k.lower() in ("content-type", "accept")}
            connection.request(method, path, body=body or None, headers=keep)
            response = connection.getresponse()
            data = response.read()
            out = {k: v for k, v in response.getheaders() if k.lower() in ("content-type",
                   "x-elastic-product")}  # fmt: skip
            return response.status, out, data
        finally:
            connection.close()


def _rejection(status: int) -> bytes:
    error = {"type": "es_rejected_execution_exception",
             "reason": "rejected execution of coordinating operation [test gate]"}  # fmt: skip
    return json.dumps({"error": {"root_cause": [error], **error}, "status": status}).encode()


def _items_rejected(body: bytes) -> bytes:
    items = []
    for line in body.split(b"\n")[0::2]:
        if not line.strip():
            continue
        action = json.loads(line)["index"]
        items.append(
            {
                "index": {
                    "_index": action["_index"],
                    "_id": action["_id"],
                    "status": 429,
                    "error": {
                        "type": "es_rejected_execution_exception",
                        "reason": "rejected execution of primary operation",
                    },
                }
            }
        )
    return json.dumps({"took": 1, "errors": True, "items": items}).encode()


# ============================================================================================
# Records and stores
# ============================================================================================


def record(n: int, title: str | None = None, **fields: Any) -> dict[str, Any]:
    base = {name: None for name in RECORD_FIELDS}
    base.update(
        id=f"spool-{n:04d}",
        url=f"https://spool.example/news/{n}",
        canonical_url=f"https://spool.example/news/{n}",
        source="spool",
        domain="spool.example",
        title=title or f"Story number {n}",
        body=f"Body of story number {n}. " * 5,
        authors=[],
        statements=[],
        topics=[],
        published_at=(datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=n)).isoformat(),
        story_id=f"spool-{n:04d}",
    )
    base.update(fields)
    return base


def stored(store: Store) -> dict[str, dict[str, Any]]:
    store.flush()
    return {r["id"]: r for r in store.iter_articles()}


@pytest.fixture
def es_index(es_url: str) -> Iterator[str]:
    url = es_store_url(es_url, "newswatch-spool")
    try:
        yield url.split("index=")[1]
    finally:
        drop_es_store(es_url, url)


@pytest.fixture
def gate(es_url: str, es_index: str) -> Iterator[Gate]:
    opened = Gate(es_url, es_index)
    try:
        yield opened
    finally:
        opened.stop()


def gated_store(gate: Gate, timeout: float = 5.0) -> ElasticsearchStore:
    return ElasticsearchStore.from_url(
        f"{gate.url}?index={gate.index}", request_timeout=timeout, max_retries=0
    )


def writer_for(store: Store, folder: Path, **options: Any) -> SpooledWriter:
    return SpooledWriter(store, Spool(folder, store.url), **options)


class Clock:
    """A clock the test moves, so 'the store is resting' needs no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ============================================================================================
# Elasticsearch down, slow, 429
# ============================================================================================


@pytest.mark.elasticsearch
def test_es_down_then_back_replays_everything_in_order(gate: Gate, tmp_path: Path) -> None:
    store = gated_store(gate)  # the gate is closed: connection refused
    clock = Clock()
    writer = writer_for(store, tmp_path / "spool", clock=clock)
    first = writer.write([record(n) for n in range(1, 6)])
    assert first.spooled == 5 and first.new == 0 and "not reachable" in (first.error or "")
    # The store rests after a failure: the next batches go straight to the spool, in order;
    # the later version of story 3 must win when they are replayed.
    second = writer.write([record(3, title="Story three, updated"), record(6)])
    assert second.spooled == 2 and writer.resting
    spool = writer.spool
    assert spool.count() == 7 and len(spool.files()) == 2
    header = json.loads(spool.files()[0].read_text("utf-8").splitlines()[0])
    assert header["count"] == 5 and "@" not in header["store"]

    gate.start()
    assert writer.replay().replayed == 0  # still resting: not tried yet
    clock.now += 60
    third = writer.write([record(7)])  # behind the spool, then the spool drains
    assert third.replayed == 8 and third.error is None
    assert spool.count() == 0 and spool.files() == []
    records = stored(store)
    assert sorted(records) == [f"spool-{n:04d}" for n in range(1, 8)]
    assert records["spool-0003"]["title"] == "Story three, updated"
    store.close()


@pytest.mark.elasticsearch
def test_es_answering_429_spools_then_replays(gate: Gate, tmp_path: Path) -> None:
    gate.mode = "bulk429"
    gate.start()
    store = gated_store(gate)
    store.setup()
    clock = Clock()
    writer = writer_for(store, tmp_path / "spool", clock=clock)
    outcome = writer.write([record(n) for n in range(1, 4)])
    assert outcome.spooled == 3 and "429" in (outcome.error or "")
    assert writer.spool.dead_letters() == []  # overload is not the documents' fault

    gate.mode = "items429"  # a loaded cluster rejects each document with 429 instead
    clock.now += 60
    outcome = writer.write([record(4)])
    assert outcome.replayed == 0 and writer.spool.count() == 4
    assert "rejected execution" in (outcome.error or "")
    assert writer.spool.dead_letters() == []

    gate.mode = "pass"
    clock.now += 600
    assert writer.replay().replayed == 4
    assert sorted(stored(store)) == [f"spool-{n:04d}" for n in range(1, 5)]
    store.close()


@pytest.mark.elasticsearch
def test_es_too_slow_times_out_and_spools(gate: Gate, tmp_path: Path) -> None:
    gate.start()
    store = gated_store(gate, timeout=0.5)
    store.setup()
    gate.mode, gate.delay = "slow", 2.0
    writer = writer_for(store, tmp_path / "spool", retry_min=0.0)
    outcome = writer.write([record(1), record(2)])
    assert outcome.spooled == 2 and outcome.new == 0
    assert "timeout" in (outcome.error or "").lower() or "timed out" in (outcome.error or "")
    gate.mode = "pass"
    assert writer.replay().replayed == 2
    assert sorted(stored(store)) == ["spool-0001", "spool-0002"]
    store.close()


# ============================================================================================
# One bad document
# ============================================================================================


def test_one_bad_document_is_kept_aside_and_never_blocks_the_rest(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if isinstance(store, SQLiteStore):
        bad = record(3, title=12345)  # not text: SQLite's store refuses the record
    else:
        # A real mapping error: the index maps published_at as a date.
        bad = record(3, published_at="the day before yesterday, roughly")
    batch = [record(1), record(2), bad, record(4), record(5)]
    writer = writer_for(store, tmp_path / "spool")
    with caplog.at_level(logging.ERROR, logger="newswatch.storage.spool"):
        outcome = writer.write(batch)
    assert outcome.dead == 1 and outcome.spooled == 0 and outcome.error is None
    assert sorted(stored(store)) == ["spool-0001", "spool-0002", "spool-0004", "spool-0005"]
    letters = writer.spool.dead_letters()
    assert [letter["id"] for letter in letters] == ["spool-0003"]
    assert letters[0]["record"] == json.loads(json.dumps(bad)) and letters[0]["error"]
    lines = [r.getMessage() for r in caplog.records if "spool-0003" in r.getMessage()]
    assert len(lines) == 1 and "\n" not in lines[0] and "dead-letter" in lines[0]
    # The store is not resting (it answered), and nothing waits in the spool.
    assert not writer.resting and writer.spool.count() == 0


def test_document_errors_are_told_apart_from_outages() -> None:
    from newswatch.storage.base import StoreError

    assert is_document_error(StoreError("record 'x': title must be a string or None, not int"))
    assert is_document_error(
        StoreError(
            "Elasticsearch at http://h:9200 rejected 1 article(s) in index 'i': x: "
            "failed to parse field [published_at] of type [date]"
        )  # fmt: skip
    )
    for outage in (
        "Elasticsearch at http://h:9200 is not reachable: [Errno 111] Connection refused",
        "Elasticsearch at http://h:9200 rejected 3 article(s) in index 'i': x: rejected "
        "execution of primary operation",
        "Elasticsearch at http://h:9200 could not store articles (HTTP 429, "
        "es_rejected_execution_exception): rejected execution",
        "SQLite store 'a.db': database is locked",
    ):
        assert not is_document_error(StoreError(outage)), outage
    assert not is_document_error(RuntimeError("record 'x' is odd"))


# ============================================================================================
# SQLite locked
# ============================================================================================


def test_sqlite_locked_spools_then_replays(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    store = SQLiteStore(str(path))
    store._conn.execute("PRAGMA busy_timeout = 50")  # the test need not wait 10 s for it
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        writer = writer_for(store, tmp_path / "spool", retry_min=0.0)
        outcome = writer.write([record(1), record(2)])
        assert outcome.spooled == 2 and "locked" in (outcome.error or "")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert writer.replay().replayed == 2
    assert sorted(stored(store)) == ["spool-0001", "spool-0002"]
    store.close()


# ============================================================================================
# Crash safety of the spool files
# ============================================================================================


def test_spool_survives_a_restart_and_ignores_torn_files(tmp_path: Path) -> None:
    folder = tmp_path / "spool"
    db = tmp_path / "restart.db"
    # A first process spools two batches, then dies (nothing of it is reused below).
    dead = Spool(folder, f"sqlite:///{db}")
    dead.append([record(1), record(2)])
    dead.append([record(2, title="Story two, second version"), record(3)])
    # A write torn by the crash (never renamed into place) and a damaged file.
    (folder / "pending" / ".00000000000000000001-0000001-000000.jsonl.tmp").write_text(
        '{"v": 1, "count": 9}\n{"id": "torn"'
    )
    damaged = folder / "pending" / "00000000000000000002-0000001-000000.jsonl"
    damaged.write_text('{"v": 1, "count": 2}\n' + json.dumps(record(9)) + "\n")

    store = open_store(f"sqlite:///{db}")
    writer = writer_for(store, folder)
    outcome = writer.replay(force=True)
    assert outcome.replayed == 4 and outcome.error is None
    records = stored(store)
    assert sorted(records) == ["spool-0001", "spool-0002", "spool-0003"]
    assert records["spool-0002"]["title"] == "Story two, second version"
    assert (folder / "corrupt" / damaged.name).exists() and not damaged.exists()
    store.close()


def test_spool_folder_is_per_store_and_free_of_credentials(tmp_path: Path) -> None:
    url = "https://user:hunter2secret@es.example:9200?index=a&api_key=KeyKey-7781"
    a = spool_dir(tmp_path, url)
    b = spool_dir(tmp_path, "https://es.example:9200?index=b")
    assert a != b and a.parent == tmp_path
    spool = Spool(a, url)
    spool.append([record(1)])
    spool.dead_letter(record(2), "refused")
    written = [path for path in a.rglob("*") if path.is_file()]
    assert len(written) >= 3  # store.txt, a pending batch, the dead-letter file
    for path in written:
        text = path.read_text("utf-8")
        assert "hunter2secret" not in text and "KeyKey-7781" not in text, path
    assert "es.example:9200" in (a / "store.txt").read_text("utf-8")


# ============================================================================================
# End to end: `newswatch crawl` while Elasticsearch rejects every article bulk
# ============================================================================================

NOW = datetime.now(UTC).replace(microsecond=0)
PUBLISHER = Publisher("spoolpost", "en", "Europe/London", title="Spool Post")
PARAGRAPH = (
    "The harbour authority said on {day} that the new ferry terminal would open in spring, "
    "after two years of building work and a long argument about the cost of the project. "
    "Officials expect the terminal to carry more than a million passengers in its first year, "
    "and the city council has promised new bus links to the old town and the station."
)


def spool_articles(count: int) -> list[SiteArticle]:
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
    return [
        SiteArticle(
            publisher="spoolpost",
            slug=f"ferry-terminal-update-{n}",
            title=f"Ferry terminal update number {n}",
            body="\n\n".join(
                PARAGRAPH.format(day=days[(n + i) % 6]) + f" ({n}.{i})" for i in range(3)
            ),  # fmt: skip
            language="en",
            published_at=NOW - timedelta(hours=n + 1),
        )
        for n in range(1, count + 1)
    ]


@pytest.mark.elasticsearch
def test_crawl_while_es_rejects_bulks_loses_nothing(
    gate: Gate, es_url: str, tmp_path: Path
) -> None:
    gate.mode = "bulk429"
    gate.start()
    with NewsSite([PUBLISHER], spool_articles(6)) as site:
        config = tmp_path / "newswatch.yaml"
        config.write_text(config_yaml(site, f"{gate.url}?index={gate.index}"), "utf-8")
        first = newswatch("crawl", "-c", str(config), "--json", "--workers", "0", timeout=180)
        assert first.returncode == 0, first.stderr
        summary = json.loads(first.stdout.splitlines()[0])
        assert summary["new"] == 0 and summary["errors"] >= 1
        assert "Traceback" not in first.stderr
        assert "wait in the spool" in first.stderr and "429" in first.stderr
        spool = Spool(spool_dir(tmp_path / ".newswatch-spool", f"{gate.url}?index={gate.index}"))
        assert spool.count() == 6

        # Elasticsearch takes writes again: the next crawl writes the spool first, so the
        # articles are known before discovery and not one article page is fetched again.
        gate.mode = "pass"
        site.reset_hits()
        second = newswatch("crawl", "-c", str(config), "--json", "--workers", "0", timeout=180)
        assert second.returncode == 0, second.stderr
        assert site.article_hits() == 0
        assert spool.count() == 0 and spool.files() == []
        summary = json.loads(second.stdout.splitlines()[0])
        assert summary["known"] == 6
    store = ElasticsearchStore.from_url(f"{es_url}?index={gate.index}")
    try:
        records = stored(store)
        assert len(records) == 6
        assert {r["title"] for r in records.values()} == {
            f"Ferry terminal update number {n}" for n in range(1, 7)
        }
    finally:
        store.close()
    assert os.path.isdir(tmp_path / ".newswatch-spool")
