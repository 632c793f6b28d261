"""The records newswatch keeps: the article (what the spider yields, the pipelines fill in
and the store keeps), the alert with its deliveries (the ledger and outbox), and a source's
state (validators, history, health).

Field names are the design's contract (README: "Article record", "Alert record"); export,
SQLite and Elasticsearch all use them unchanged. Plain data and pure helpers: the stores in
`newswatch.storage` keep them.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any


@dataclass
class Article:
    id: str
    url: str
    canonical_url: str
    source: str
    domain: str
    title: str
    body: str
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    published_at: str | None = None
    published_at_raw: str | None = None
    published_at_source: str | None = None
    modified_at: str | None = None
    fetched_at: str | None = None
    story_id: str | None = None
    duplicate_of: str | None = None
    content_hash: str | None = None
    statements: list[dict[str, Any]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    # None for an article; thin | no_body | not_article for a page a feed, sitemap or
    # listing named that extraction does not take for an article (kept, flagged)
    quality: str | None = None
    # Not stored: what discovery and extraction knew, for the stages that come after.
    hints: dict[str, Any] = field(default_factory=dict, repr=False)

    def record(self) -> dict[str, Any]:
        """The stored/exported record (everything but the transient hints): its lists and
        the statements in them are copies, the rest is plain values. Built field by field:
        `dataclasses.asdict` deep-copied the hints too (feed entry, date candidates,
        statements) only to drop them, 4 ms an article in a crawl's profile."""
        data = {name: getattr(self, name) for name in RECORD_FIELDS}
        data["authors"] = list(self.authors)
        data["topics"] = list(self.topics)
        data["statements"] = [dict(s) for s in self.statements]
        return data


# What `Article.quality` may say of a page kept although it is not a full article.
QUALITY_FLAGS = ("thin", "no_body", "not_article")

RECORD_FIELDS: tuple[str, ...] = tuple(
    name for name in Article.__dataclass_fields__ if name != "hints"
)


# --- the alert record (ledger and outbox) -------------------------------------------------

LEASE = timedelta(minutes=5)


def alert_id(topic: str, kind: str, key: str) -> str:
    """topic + story (article alerts) or topic + statement fingerprint (statement alerts)."""
    return hashlib.sha256(f"{topic}\x1f{kind}\x1f{key}".encode()).hexdigest()[:24]


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


@dataclass
class Delivery:
    channel: str
    status: str = "pending"  # pending | sending | sent | failed | covered
    attempts: int = 0
    last_error: str | None = None
    sent_at: str | None = None
    next_attempt_at: str | None = None


@dataclass
class Alert:
    id: str
    topic: str
    kind: str  # article | statement
    story_id: str
    article_ids: list[str]
    urls: list[str]
    outlets: list[str]
    title: str = ""
    speaker: str | None = None
    quote: str | None = None
    statements: list[dict[str, Any]] = field(default_factory=list)
    published_at: str | None = None
    created_at: str = ""
    deliveries: dict[str, Delivery] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        data = asdict(self)
        data["deliveries"] = {name: asdict(d) for name, d in self.deliveries.items()}
        return data

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Alert:
        data = dict(data)
        deliveries = {n: Delivery(**d) for n, d in (data.pop("deliveries") or {}).items()}
        return cls(**data, deliveries=deliveries)


def merge_into(existing: Alert, new: Alert) -> bool:
    """Add the new alert's articles to an existing one; True if anything changed."""
    changed = False
    for attr in ("article_ids", "urls", "outlets"):
        values = getattr(existing, attr)
        for value in getattr(new, attr):
            if value not in values:
                values.append(value)
                changed = True
    return changed


def is_due(delivery: Delivery, now: datetime) -> bool:
    if delivery.status == "pending":
        return delivery.next_attempt_at is None or delivery.next_attempt_at <= iso(now)
    # A lease that ran out: the notifier holding it died before marking the outcome.
    return delivery.status == "sending" and (delivery.next_attempt_at or "") <= iso(now)


# --- a source's state ------------------------------------------------------------------------

MAX_GONE = 2000


@dataclass
class SourceState:
    source: str
    # url -> {"etag": ..., "last_modified": ...} of feeds, sitemaps and listings
    validators: dict[str, dict[str, str]] = field(default_factory=dict)
    # article links that answered 404/410 -> when (not requested again)
    gone: dict[str, str] = field(default_factory=dict)
    crawls: int = 0
    last_crawl_at: str | None = None
    last_success_at: str | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    # the last crawl
    pages: int = 0
    links: int = 0
    not_modified: int = 0
    new_articles: int = 0
    articles_total: int = 0
    extracted: int = 0
    no_body: int = 0
    no_date: int = 0
    flagged: int = 0  # pages kept although not full articles (Article.quality)
    # articles extracted by the crawls that had article pages to fetch, all time
    extracted_total: int = 0
    flagged_total: int = 0
    # health: ok | failing | empty (extraction suddenly yields nothing)
    health: str = "ok"
    health_problem: str | None = None
    health_since: str | None = None
    # adaptive polling: the current interval in seconds (None: the configured one)
    interval_seconds: float | None = None
    # the trailing segments of the source's headlines -> how many ended in each (the one
    # most end in is the site's name: crawler.extraction.headline.TitleAffixes)
    title_affixes: dict[str, int] = field(default_factory=dict)

    def remember_gone(self, url: str, when: str) -> None:
        self.gone[url] = when
        while len(self.gone) > MAX_GONE:  # the oldest first (dicts keep insertion order)
            del self.gone[next(iter(self.gone))]

    def record(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> SourceState:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


# --- work leases (newswatch run in a pool of workers) ------------------------------------------


@dataclass
class Lease:
    """Who crawls a source now: `owner` holds it until `expires_at` unless it renews it.
    Keys starting with `WORKER_KEY` are the workers' own heartbeats."""

    key: str
    owner: str
    expires_at: str
    claimed_at: str
    renewed_at: str

    def live(self, now: datetime) -> bool:
        return datetime.fromisoformat(self.expires_at) > now


WORKER_KEY = "@worker/"
