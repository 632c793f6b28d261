"""The Store protocol and the URL-scheme map that picks a backend.

`sqlite:///path` is the embedded default; `http://` and `https://` are Elasticsearch. Every
backend keeps the same article records (newswatch.records.RECORD_FIELDS), writes them
idempotently by `id`, and answers the same questions, so one shared test suite runs on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from newswatch.records import Alert, Lease, SourceState

Record = dict[str, Any]

# A story signature entry (Store.put_signatures); find_signatures returns all but `bands`.
SIGNATURE_FIELDS: tuple[str, ...] = (
    "id", "story_id", "duplicate_of", "content_hash", "size", "signature", "bands", "seen_at",
)  # fmt: skip


def distinct(values: Iterable[str], limit: int | None = None) -> list[str]:
    """The non-empty values, first occurrence kept, in order; at most `limit` of them."""
    return list(dict.fromkeys(v for v in values if v))[:limit]


class StoreError(RuntimeError):
    """The store cannot be reached or refused an operation; the message says which and why."""


@runtime_checkable
class Store(Protocol):
    url: str

    def setup(self) -> None:
        """Create the schema, indices or templates. Idempotent."""

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of these URLs (fetched or canonical) belong to a stored article."""

    def put_articles(self, records: list[Record]) -> int:
        """Insert or replace records by `id`; return how many ids were new."""

    def get_article(self, article_id: str) -> Record | None: ...

    def iter_articles(
        self, since: datetime | None = None, source: str | None = None
    ) -> Iterator[Record]:
        """Stored articles, oldest `published_at` first."""

    def search(self, query: str, since: datetime | None = None, limit: int = 20) -> list[Record]:
        """Full-text search over title and body; best match first."""

    def count(self, source: str | None = None) -> int: ...

    def flush(self) -> None:
        """Make every write so far durable and visible to reads."""

    # -- story signatures (newswatch.dedupe): kept beside the articles, not in their records --

    def put_signatures(self, entries: list[Record]) -> None:
        """Insert or replace story signatures by `id` (the article's id).

        An entry has SIGNATURE_FIELDS: `id`, `story_id`, `duplicate_of`, `content_hash`,
        `size` (int, distinct shingles), `signature` (base64 MinHash or None for short
        texts), `bands` (LSH band keys, may be empty) and `seen_at` (UTC ISO 8601).
        """

    def claim_story(self, entry: Record) -> Record:
        """Atomically, across processes and machines: the first signature entry stored under
        its `content_hash` wins (create-if-absent under a key of the hash). Returns the
        winning entry: `entry` itself if it won, else the one stored before it."""

    def claim_bands(self, entry: Record) -> tuple[set[str], list[Record]]:
        """Atomically per band, across processes and machines: the first story claimed
        (`claim_story`) that holds an LSH band key wins it (create-if-absent under a key of
        the band). Returns the bands of `entry` it won, and the claimed entries of the
        stories that hold the others (each with its `bands`). `entry` must have won its
        `claim_story`."""

    def prune_band_claims(self, before: str) -> None:
        """Forget band claims made before `before` (UTC ISO 8601): they settle races of a
        few seconds, and a day's worth keeps the side index small."""

    def update_claim(self, entry: Record) -> None:
        """Replace the entry claimed under `entry`'s content hash (after it joined the
        story of a near copy that claimed a shared band first)."""

    def find_signatures(
        self,
        ids: Iterable[str] = (),
        content_hashes: Iterable[str] = (),
        bands: Iterable[str] = (),
        limit: int = 20,
    ) -> list[Record]:
        """Signatures whose id is one of `ids`, or whose content_hash is one of
        `content_hashes`, or that share at least one of `bands`: id matches first, then
        content-hash matches, then band matches; within each, oldest `seen_at` first (then
        by id); at most `limit`. Entries come back without `bands`. Nothing stored
        yet (no signature table or index) is an empty list.
        """

    def close(self) -> None: ...


@runtime_checkable
class Reindexable(Protocol):
    """A store whose layout can be rebuilt and described (Elasticsearch): what `newswatch
    setup --reindex` and its report use."""

    def reindex(self) -> Any: ...

    def describe(self) -> dict[str, Any]: ...


@runtime_checkable
class Ledger(Protocol):
    """The alert ledger and outbox, kept in the store: the one source of truth for alerts.

    An alert is recorded (create-if-absent, under a deterministic id) before anything is
    sent; each channel's delivery is a row of the outbox with its state (pending | sending |
    sent | failed), attempts, last error and next attempt time. A notifier claims a delivery
    (a lease), sends, and marks it sent: a crash loses nothing, and the only repeat possible
    is a send whose "sent" mark was lost, which email receivers drop by its Message-ID.
    """

    def setup(self) -> None: ...

    def record(self, alert: Alert) -> bool:
        """Create the alert if its id is new (True); else add the article, URL and outlet to
        the existing alert and return False. Never re-queues a delivery."""

    def claim_due(self, now: datetime, limit: int = 50) -> list[tuple[Alert, str]]:
        """Deliveries due at `now`, each leased to the caller (status `sending`)."""

    def mark_sent(self, alert_id: str, channel: str, when: datetime) -> None: ...

    def mark_failed(
        self, alert_id: str, channel: str, error: str, retry_at: datetime | None
    ) -> None:
        """A failed attempt: retried at `retry_at`, or given up (status failed) when None."""

    def alerts(self, since: datetime | None = None) -> Iterator[Alert]: ...

    def close(self) -> None: ...


@runtime_checkable
class Leases(Protocol):
    """Work leases in the store, shared by the workers of a pool (`newswatch run`).

    `claim` takes or renews the lease on `key` for `owner` until `now + ttl`, atomically:
    it succeeds when nobody holds the key, when its lease expired, or when `owner` holds it
    already; two workers claiming at once cannot both succeed. A worker that dies stops
    renewing and its leases expire."""

    def claim(self, key: str, owner: str, ttl: timedelta, now: datetime) -> bool: ...

    def release(self, key: str, owner: str) -> None:
        """Give the lease up now (only if `owner` holds it)."""

    def leases(self) -> list[Lease]: ...

    def close(self) -> None: ...


@runtime_checkable
class SourceStates(Protocol):
    def get(self, source: str) -> SourceState: ...

    def put(self, state: SourceState) -> None: ...

    def all(self) -> list[SourceState]: ...

    def close(self) -> None: ...
