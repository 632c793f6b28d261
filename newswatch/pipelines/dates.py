"""The date stage: every article gets `published_at` as a UTC instant, the text it came from
(`published_at_raw`), where it came from (`published_at_source`) and `modified_at`.

Candidates come from extraction (JSON-LD, meta tags, <time>, the URL, dateline text,
htmldate) and discovery (the feed or sitemap entry). They are tried by precedence; a date
without a zone is read in the source's time zone; a date in the future (beyond a small
tolerance) is rejected. Nothing found: `fetched_at`, source `fetched`, stat `dates/unparsed`.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import dateparser
from scrapy.crawler import Crawler

from newswatch.crawler.items import Article

FUTURE_TOLERANCE = timedelta(hours=2)
PRECEDENCE = ("jsonld", "meta", "time", "feed", "sitemap", "text", "htmldate", "url")

# Zone abbreviations dateparser does not know, or reads ambiguously, as UTC offsets.
ZONE_WORDS = {
    "WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00", "MSK": "+03:00", "МСК": "+03:00",
    "CET": "+01:00", "CEST": "+02:00", "MEZ": "+01:00", "MESZ": "+02:00", "IST": "+05:30",
    "JST": "+09:00", "KST": "+09:00", "AEST": "+10:00", "AEDT": "+11:00", "BST": "+01:00",
    "EET": "+02:00", "EEST": "+03:00", "WET": "+00:00", "WEST": "+01:00", "GMT": "+00:00",
    "UTC": "+00:00", "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00",
    "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00", "SGT": "+08:00",
    "HKT": "+08:00", "PHT": "+08:00", "AST": "+03:00",
}  # fmt: skip
_ZONE_RE = re.compile(r"(?<![A-Za-zА-Яа-я])(" + "|".join(sorted(ZONE_WORDS, key=len, reverse=True))
                      + r")(?![A-Za-zА-Яа-я])")  # fmt: skip
_NOISE = re.compile(r"\b(Uhr|pukul|jam|um|à|a las|alle|в|published|updated|posted|diterbitkan|"
                    r"veröffentlicht|aktualisiert|stand|last updated|on)\b\.?:?", re.I)  # fmt: skip
_ISO_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Resolved:
    instant: datetime  # aware, UTC
    raw: str
    source: str
    has_time: bool = True


def _aware(value: datetime, tz: str | None) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz) if tz else UTC)
    return value.astimezone(UTC)


def parse_machine_date(raw: str, tz: str | None = None) -> tuple[datetime, bool] | None:
    """ISO 8601 and RFC 822 dates, as written by feeds and metadata. Returns (UTC, has_time)."""
    text = raw.strip()
    if not text:
        return None
    iso = text.replace("Z", "+00:00").replace("z", "+00:00")
    iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)
    iso = re.sub(r"(\.\d{6})\d+", r"\1", iso)  # fromisoformat takes at most microseconds
    iso = re.sub(r"^(\d{4}-\d{2}-\d{2}) (\d)", r"\1T\2", iso)
    try:
        value = datetime.fromisoformat(iso)
        return _aware(value, tz), not _ISO_DATE_ONLY.match(text)
    except ValueError:
        pass
    try:
        value = email.utils.parsedate_to_datetime(text)
        return _aware(value, tz), True
    except (TypeError, ValueError, IndexError):
        return None


@lru_cache(maxsize=64)
def _settings(tz: str | None) -> dict[str, Any]:
    return {
        "TIMEZONE": tz or "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
    }


def parse_text_date(
    raw: str, language: str | None = None, tz: str | None = None, now: datetime | None = None
) -> tuple[datetime, bool] | None:
    """A date as people write it, in the given language, zone words understood."""
    text = _ZONE_RE.sub(lambda m: " " + ZONE_WORDS[m.group(1)], raw)
    text = re.sub(r"\s+", " ", _NOISE.sub(" ", text)).strip(" ,|•·-")
    if not text or len(text) > 120:
        return None
    settings = dict(_settings(tz))
    if now is not None:
        settings["RELATIVE_BASE"] = now.astimezone(ZoneInfo(tz) if tz else UTC).replace(tzinfo=None)
    languages = [language] if language else None
    try:
        value = dateparser.parse(text, languages=languages, settings=settings)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        return None
    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}", text)) or "ago" in text or "lalu" in text
    return _aware(value, tz), has_time


class DateResolver:
    """Pick the publication date of an article from its candidates."""

    def __init__(self, tolerance: timedelta = FUTURE_TOLERANCE) -> None:
        self.tolerance = tolerance

    def resolve(
        self,
        candidates: list[tuple[str, str, str]],
        language: str | None,
        tz: str | None,
        fetched_at: datetime,
    ) -> tuple[Resolved | None, Resolved | None]:
        """candidates: (source, raw, kind published|modified). Returns (published, modified)."""
        published: list[Resolved] = []
        modified: list[Resolved] = []
        for source, raw, kind in candidates:
            parsed = (
                parse_text_date(raw, language, tz, fetched_at)
                if source == "text"
                else parse_machine_date(raw, tz) or parse_text_date(raw, language, tz, fetched_at)
            )
            if parsed is None:
                continue
            instant, has_time = parsed
            if instant > fetched_at + self.tolerance or instant.year < 1990:
                continue
            (modified if kind == "modified" else published).append(
                Resolved(instant, raw, source, has_time)
            )
        rank = {name: i for i, name in enumerate(PRECEDENCE)}
        published.sort(key=lambda r: rank.get(r.source, 99))
        best = published[0] if published else None
        if best is not None and not best.has_time:
            # A date-only value: take a timed candidate from another source on the same day.
            for other in published[1:]:
                if other.has_time and abs(other.instant - best.instant) < timedelta(hours=36):
                    best = other
                    break
        latest_modified = max(modified, key=lambda r: r.instant) if modified else None
        if best and latest_modified and latest_modified.instant < best.instant:
            latest_modified = None  # modified before published: not believable
        return best, latest_modified


class DatesPipeline:
    def __init__(self, crawler: Crawler, resolver: DateResolver) -> None:
        self.crawler = crawler
        self.resolver = resolver

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DatesPipeline:
        return cls(crawler, DateResolver())

    def process_item(self, item: Article) -> Article:
        stats = self.crawler.stats
        fetched = datetime.fromisoformat(item.fetched_at) if item.fetched_at else datetime.now(UTC)
        candidates = [(c.source, c.raw, c.kind) for c in item.hints.get("dates", [])]
        entry = item.hints.get("entry")
        if entry is not None:
            if entry.published:
                candidates.append((entry.via if entry.via != "listing" else "text",
                                   entry.published, "published"))  # fmt: skip
            if entry.modified:
                candidates.append((entry.via, entry.modified, "modified"))
        published, modified = self.resolver.resolve(
            candidates,
            item.language or item.hints.get("source_language"),
            item.hints.get("source_timezone"),
            fetched,
        )
        if published is None:
            stats.inc_value("dates/unparsed")
            item.published_at = fetched.astimezone(UTC).isoformat()
            item.published_at_raw = None
            item.published_at_source = "fetched"
        else:
            stats.inc_value(f"dates/source/{published.source}")
            item.published_at = published.instant.isoformat()
            item.published_at_raw = published.raw
            item.published_at_source = published.source
        item.modified_at = modified.instant.isoformat() if modified else None
        return item
