"""A durable on-disk spool in front of a store: nothing is lost while the store is away.

When a write fails because the store is down, slow, overloaded (HTTP 429/5xx) or locked, the
batch is written to the spool: one JSON Lines file per batch, written to a temporary name,
fsync'd and renamed into `pending/` (a crash leaves either the whole file or none of it).
The spool is replayed oldest first when the store answers again; while anything is spooled,
new batches are appended behind it, so a newer version of an article never gets overwritten
by an older one. Writes are idempotent by `id`, so a crash between writing a replayed batch
and deleting its file repeats nothing that matters.

One bad document (a record the store refuses for what it contains: a mapping error in
Elasticsearch, a field of the wrong type) never blocks the rest: the batch is written one
record at a time, the refused record goes to `dead-letter.jsonl` beside the spool (appended,
fsync'd, one JSON object per line with the error) and is reported in one log line.

Layout of a spool directory (one per store; see `spool_dir`):

    pending/<time>-<pid>-<n>.jsonl  a header line, then one record per line
    dead-letter.jsonl  refused records: {"at", "store", "id", "url", "error", "record"}
    corrupt/           pending files that could not be read back (kept, reported)
    store.txt          the store URL (without credentials), for people
    .lock              held while replaying (flock), so one process replays at a time
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newswatch.storage.base import Record, Store, StoreError

try:  # POSIX; elsewhere replays are not serialised between processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

SPOOL_VERSION = 1
DEAD_LETTER = "dead-letter.jsonl"
RETRY_MIN = 2.0  # seconds before the store is tried again after it failed; doubles...
RETRY_MAX = 300.0  # ...up to this

# What a refusal says when it is about the store's state, not the document: try again later.
_TRANSIENT = re.compile(
    r"not reachable|timed? ?out|HTTP (?:408|429|5\d\d)|too many requests|rejected execution"
    r"|circuit_break|es_rejected|unavailable_shards|no_shard_available|cluster_block"
    r"|blocked by|master_not_discovered|node_not_connected|database is locked"
    r"|database table is locked|disk I/O error|unable to open database|readonly database"
    r"|disk is full|database or disk is full",
    re.I,
)
# What a refusal says when one or more documents are at fault.
_DOCUMENT = re.compile(r"^record |rejected \d+ article|\bmust be a string or None\b")
_USERINFO = re.compile(r"(?<=//)[^/@\s]+@")
_SECRET_PARAM = re.compile(r"([?&][^=&#]*(?:key|pass|secret|token|auth)[^=&#]*=)[^&#]*", re.I)


def is_document_error(exc: BaseException) -> bool:
    """Whether the store refused the documents themselves (retrying will not help), as
    opposed to being unreachable, overloaded or locked (retrying later will)."""
    if not isinstance(exc, StoreError):
        return False
    message = str(exc)
    return bool(_DOCUMENT.search(message)) and not _TRANSIENT.search(message)


def redact(url: str) -> str:
    """The URL without user:password@ and without the values of secret-looking query
    parameters (api_key, password, token, ...)."""
    return _SECRET_PARAM.sub(r"\1***", _USERINFO.sub("", url))


SPOOL_FOLDER = ".newswatch-spool"


def spool_folder(config_path: str, configured: str | None = None) -> Path:
    """Where spools live: `configured` (the NEWSWATCH_SPOOL_DIR setting), else the
    NEWSWATCH_SPOOL_DIR environment variable, else `.newswatch-spool/` beside the config."""
    configured = configured or os.environ.get("NEWSWATCH_SPOOL_DIR")
    if configured:
        return Path(os.path.expanduser(str(configured)))
    return Path(os.path.abspath(config_path)).parent / SPOOL_FOLDER


def spool_dir(base: str | os.PathLike[str], store_url: str) -> Path:
    """The spool of one store under `base`: a folder named by a hash of the store URL
    (without credentials), so two stores never share a spool."""
    key = hashlib.sha256(redact(store_url).encode("utf-8")).hexdigest()[:16]
    return Path(base) / key


@dataclass
class Outcome:
    """What one write or replay did."""

    new: int = 0  # written, ids the store did not have
    existing: int = 0  # written, ids it had (replaced)
    spooled: int = 0  # put in the spool by this call
    replayed: int = 0  # taken out of the spool and written
    dead: int = 0  # refused documents, kept in the dead-letter file
    error: str | None = None  # why the store could not be written to, if it could not

    def add(self, other: Outcome) -> None:
        self.new += other.new
        self.existing += other.existing
        self.spooled += other.spooled
        self.replayed += other.replayed
        self.dead += other.dead
        self.error = other.error or self.error


class SpoolError(OSError):
    """The spool itself cannot be written (disk full, permissions)."""


class Spool:
    """The files of one spool directory; every method is safe from several threads."""

    def __init__(self, directory: str | os.PathLike[str], store_url: str = "") -> None:
        self.directory = Path(directory)
        self.pending_dir = self.directory / "pending"
        self.dead_letter_path = self.directory / DEAD_LETTER
        self.store_url = redact(store_url)
        self._lock = threading.Lock()
        self._counter = itertools.count()
        self._ready = False

    def _prepare(self) -> None:
        if self._ready:
            return
        try:
            self.pending_dir.mkdir(parents=True, exist_ok=True)
            label = self.directory / "store.txt"
            if self.store_url and not label.exists():
                label.write_text(self.store_url + "\n", encoding="utf-8")
        except OSError as exc:
            raise SpoolError(
                f"cannot create the spool {self.directory}: {exc} (NEWSWATCH_SPOOL_DIR names "
                "another folder)"
            ) from exc
        self._ready = True

    # -- pending batches -------------------------------------------------------------------

    def files(self) -> list[Path]:
        """Spooled batches, oldest first."""
        try:
            return sorted(p for p in self.pending_dir.iterdir() if p.suffix == ".jsonl")
        except FileNotFoundError:
            return []

    def count(self) -> int:
        """Records waiting in the spool."""
        total = 0
        for path in self.files():
            with contextlib.suppress(OSError, ValueError), path.open("rb") as handle:
                total += int(json.loads(handle.readline())["count"])
        return total

    def append(self, records: list[Record]) -> Path:
        """Write a batch durably behind everything already spooled; return its file."""
        self._prepare()
        name = f"{time.time_ns():020d}-{os.getpid():07d}-{next(self._counter):06d}.jsonl"
        final = self.pending_dir / name
        header = {"v": SPOOL_VERSION, "count": len(records), "store": self.store_url,
                  "spooled_at": _now()}  # fmt: skip
        lines = [json.dumps(header)] + [_dumps(record) for record in records]
        self._write_atomically(final, ("\n".join(lines) + "\n").encode("utf-8"))
        return final

    def read(self, path: Path) -> list[Record]:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
            records = [json.loads(line) for line in handle if line.strip()]
        if header.get("count") != len(records):
            raise ValueError(f"expected {header.get('count')} records, found {len(records)}")
        return records

    def rewrite(self, path: Path, records: list[Record]) -> None:
        """Replace a spooled batch by what is left of it (same place in the order)."""
        header = {"v": SPOOL_VERSION, "count": len(records), "store": self.store_url,
                  "spooled_at": _now()}  # fmt: skip
        lines = [json.dumps(header)] + [_dumps(record) for record in records]
        self._write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"))

    def remove(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        _fsync_dir(self.pending_dir)

    def set_aside(self, path: Path, reason: str) -> Path:
        """Move an unreadable batch to corrupt/ (kept for a person to look at)."""
        target_dir = self.directory / "corrupt"
        target_dir.mkdir(exist_ok=True)
        target = target_dir / path.name
        os.replace(path, target)
        _fsync_dir(self.pending_dir)
        logger.error("store spool: %s cannot be read (%s); moved to %s", path.name, reason,
                     target)  # fmt: skip
        return target

    @contextlib.contextmanager
    def replaying(self, wait: float = 0.0) -> Iterator[bool]:
        """Hold the replay lock (yields True), or yield False when another replayer has it
        after `wait` seconds."""
        self._prepare()
        handle = (self.directory / ".lock").open("a+b")
        got = False
        try:
            deadline = time.monotonic() + wait
            while True:
                if fcntl is None:
                    got = True
                    break
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    got = True
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        break
                    time.sleep(0.05)
            yield got
        finally:
            if got and fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()

    # -- dead letters ----------------------------------------------------------------------

    def dead_letter(self, record: Record, error: str) -> None:
        """Keep a refused record aside: appended to dead-letter.jsonl and fsync'd."""
        self._prepare()
        line = _dumps({"at": _now(), "store": self.store_url, "id": record.get("id"),
                       "url": record.get("url"), "error": error, "record": record})  # fmt: skip
        with self._lock:
            try:
                with self.dead_letter_path.open("ab") as handle:
                    handle.write(line.encode("utf-8") + b"\n")
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:
                raise SpoolError(f"cannot write {self.dead_letter_path}: {exc}") from exc

    def dead_letters(self) -> list[dict[str, Any]]:
        try:
            with self.dead_letter_path.open("rb") as handle:
                return [json.loads(line) for line in handle if line.strip()]
        except FileNotFoundError:
            return []

    def requeue(self, ids: set[str] | None = None) -> int:
        """Put dead letters (all, or those with these ids) back in the spool, behind what is
        pending, for the next replay to write; return how many. Held under the replay lock
        so that no replay runs meanwhile; lines another process appends meanwhile are kept."""
        self._prepare()
        with self.replaying(wait=30.0) as mine:
            if not mine:
                raise SpoolError(f"the spool {self.directory} is being replayed: try again")
            with self._lock:
                try:
                    data = self.dead_letter_path.read_bytes()
                except FileNotFoundError:
                    return 0
                back, kept = [], []
                for line in data.splitlines(keepends=True):
                    if not line.strip():
                        continue
                    letter = json.loads(line)
                    wanted = ids is None or letter.get("id") in ids
                    (back if wanted and isinstance(letter.get("record"), dict) else kept).append(
                        (letter, line)
                    )
                if not back:
                    return 0
                self.append([letter["record"] for letter, _ in back])
                # what was appended since it was read stays
                tail = self.dead_letter_path.read_bytes()[len(data) :]
                self._write_atomically(
                    self.dead_letter_path, b"".join(line for _, line in kept) + tail
                )
                return len(back)

    def status(self) -> dict[str, Any]:
        """What the spool holds, for `newswatch spool status`."""
        files = self.files()
        oldest = None
        if files:
            with contextlib.suppress(OSError, ValueError), files[0].open("rb") as handle:
                oldest = json.loads(handle.readline()).get("spooled_at")
        corrupt = self.directory / "corrupt"
        letters = self.dead_letters()
        return {
            "spool": str(self.directory),
            "store": self.store_url,
            "pending_batches": len(files),
            "pending_records": self.count(),
            "oldest_pending": oldest,
            "dead_letters": len(letters),
            "dead_letter_errors": dict(
                Counter(str(letter.get("error", ""))[:80] for letter in letters).most_common(5)
            ),
            "corrupt_batches": len(list(corrupt.glob("*.jsonl"))) if corrupt.is_dir() else 0,
        }

    # -- helpers ---------------------------------------------------------------------------

    def _write_atomically(self, final: Path, data: bytes) -> None:
        temporary = final.with_name(f".{final.name}.tmp")
        try:
            with temporary.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
            _fsync_dir(final.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise SpoolError(f"cannot write the spool file {final}: {exc}") from exc


class SpooledWriter:
    """Writes article batches to a store through a spool. Blocking: call it off the reactor.

    `write(batch)` stores the batch, or spools it when the store cannot take it now; after a
    failure the store is left alone for a while (RETRY_MIN seconds, doubling up to RETRY_MAX)
    and batches go straight to the spool, so a dead or slow store does not stall a crawl.
    `replay()` writes what is spooled when the store answers again.
    """

    def __init__(
        self,
        store: Store,
        spool: Spool,
        retry_min: float = RETRY_MIN,
        retry_max: float = RETRY_MAX,
        clock: Callable[[], float] = time.monotonic,
        report: Callable[[Record, str], None] | None = None,
    ) -> None:
        self.store = store
        self.spool = spool
        self.retry_min = retry_min
        self.retry_max = retry_max
        self.clock = clock
        self.report = report or _report_dead
        self._lock = threading.Lock()
        self._delay = 0.0
        self._next_try = 0.0
        self.last_error: str | None = None

    @property
    def resting(self) -> bool:
        """Whether the store failed lately and is not to be tried yet."""
        return self.clock() < self._next_try

    def write(self, records: list[Record]) -> Outcome:
        outcome = Outcome()
        if not records:
            return outcome
        with self._lock:
            if self.resting or self.spool.files():
                # Behind what is already spooled (order), or the store is resting: spool
                # the batch, then drain the spool if the store may be tried.
                self.spool.append(records)
                outcome.spooled += len(records)
                if self.resting:
                    outcome.error = self.last_error
                else:
                    outcome.add(self._replay(wait=0.0))
                return outcome
            left, error = self._store(records, outcome)
            if left:
                self.spool.append(left)
                outcome.spooled += len(left)
                outcome.error = error
                self._failed(error)
            else:
                self._answered()
            return outcome

    def replay(self, wait: float = 0.0, force: bool = False) -> Outcome:
        """Write the spooled batches, oldest first, until the spool is empty or the store
        fails again. `force` tries even while the store is resting (spider close, start)."""
        with self._lock:
            if self.resting and not force:
                return Outcome(error=self.last_error)
            return self._replay(wait)

    def _replay(self, wait: float) -> Outcome:
        outcome = Outcome()
        with self.spool.replaying(wait) as mine:
            if not mine:
                return outcome  # another writer is replaying this spool right now
            while True:
                files = self.spool.files()
                if not files:
                    self._answered()
                    return outcome
                for path in files:
                    try:
                        records = self.spool.read(path)
                    except FileNotFoundError:
                        continue  # replayed by a writer that held the lock before us
                    except (OSError, ValueError) as exc:
                        self.spool.set_aside(path, str(exc)[:200])
                        continue
                    step = Outcome()
                    left, error = self._store(records, step)
                    step.replayed = len(records) - len(left)
                    outcome.add(step)
                    if left:
                        if len(left) != len(records):
                            self.spool.rewrite(path, left)
                        self._failed(error)
                        outcome.error = error
                        return outcome
                    self.spool.remove(path)

    def _store(self, records: list[Record], outcome: Outcome) -> tuple[list[Record], str]:
        """Write records; returns the records still to write (to spool) and the error that
        stopped it. Refused documents are dead-lettered and count as done."""
        try:
            new = self.store.put_articles(records)
        except Exception as exc:  # noqa: BLE001 - any failure must keep the records
            if not is_document_error(exc):
                return records, _one_line(exc)
        else:
            outcome.new += new
            outcome.existing += len(records) - new
            return [], ""
        # Some document is at fault: one at a time, so only the bad ones are set aside.
        for index, record in enumerate(records):
            try:
                new = self.store.put_articles([record])
            except Exception as exc:  # noqa: BLE001
                if not is_document_error(exc):
                    return records[index:], _one_line(exc)
                self.spool.dead_letter(record, _one_line(exc))
                outcome.dead += 1
                self.report(record, _one_line(exc))
                continue
            outcome.new += new
            outcome.existing += 1 - new
        return [], ""

    def _failed(self, error: str) -> None:
        self.last_error = error
        self._delay = min(self.retry_max, max(self.retry_min, self._delay * 2))
        self._next_try = self.clock() + self._delay

    def _answered(self) -> None:
        self._delay = 0.0
        self._next_try = 0.0
        self.last_error = None


def _report_dead(record: Record, error: str) -> None:
    logger.error("store: article %s (%s) refused, kept in the dead-letter file: %s",
                 record.get("id"), record.get("url"), error)  # fmt: skip


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text if isinstance(exc, StoreError) else f"{type(exc).__name__}: {text}"
    return redact(text)[:500]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
