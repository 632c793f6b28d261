"""The date resolver: from an article's date candidates to `published_at` (a UTC instant),
the text it came from (`published_at_raw`), where it came from (`published_at_source`) and
`modified_at`. `newswatch.pipelines.dates` runs it on every article.

Candidates come from extraction (JSON-LD, meta tags, `<time datetime>`, the URL, visible
datelines, htmldate: `newswatch.dates.candidates`) and from discovery (the feed or
sitemap entry). Each is read (`parse_machine_date`, `parse_text_date`), checked, and the
publication date is picked by precedence:

    jsonld > meta (incl. <time datetime>) > feed > sitemap > text (dateline) > url > htmldate
    > data-* attributes (a day without a time takes the time of a same-day candidate)

`published_at_source` is one of jsonld | meta | feed | sitemap | url | text | htmldate |
fetched (`<time datetime>` and microdata are page metadata: `meta`).

Sanity checks, each counted in the crawl stats (`dates/check/<name>`):

* `future` — a date later than the fetch time (beyond `FUTURE_TOLERANCE`) is dropped; an
  ambiguous numeric date whose other day/month reading is not in the future takes that one.
* `implausible` — a date before 1990 is dropped.
* `day_month` — an ambiguous numeric date (03/04/2024) is read in the source's order (the
  language's CLDR order; English is month-first only in the Americas), unless another
  candidate confirms the other reading.
* `false_utc` — a "Z"/+00:00 machine date that is really local time (it matches the visible
  dateline as local time, not as UTC) is re-read in the source's zone.
* `entry_gap` — a page date more than `ENTRY_GAP` away from the feed/sitemap date is
  suspicious: it stands only if another page source confirms it; else a page date that
  agrees with the entry, or the entry date itself, is taken.
* `shown_date` — the page's metadata date is more than a day later than the dateline under
  the headline (a republished or updated page): the dateline readers see wins, unless the
  feed or sitemap date, the URL or another visible date agrees with the metadata.
* `modified_before_published` — a modification date before the publication date is dropped.
* `confirmed_text` — when only visible datelines remain, one that the URL, htmldate or a
  data-* attribute confirms beats the first one near the headline.
* `date_only` — a date without time takes the time of a candidate from the same day.
* `zone_from_other` — a machine date without an offset takes the (non-zero) offset of a
  candidate with the same wall-clock time; without a configured zone, naive dates are read
  in the offset the page writes its other dates in.

A date that cannot be found falls back to `fetched_at` with source `fetched` and the stat
`dates/unparsed`. Relative phrases ("2 jam yang lalu" on a listing page) are read against
the fetch time; the dates a body mentions against the article's own date.

"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from newswatch.dates.candidates import DateCandidate
from newswatch.dates.languages import date_order
from newswatch.dates.machine import parse_machine_date
from newswatch.dates.reading import parse_text_date
from newswatch.dates.results import ParsedDate
from newswatch.dates.zones import zone_info

logger = logging.getLogger(__name__)

FUTURE_TOLERANCE = timedelta(hours=2)
ENTRY_GAP = timedelta(days=2)  # page date vs feed/sitemap date: beyond this, suspicious
AGREE = timedelta(hours=36)  # a page date "agrees" with the feed/sitemap date
CONFIRM = timedelta(hours=6)  # two timed page dates of the same day confirm each other
SAME_INSTANT = timedelta(minutes=2)
MIN_YEAR = 1990

# Candidate sources by precedence (internal names); "time" is reported as "meta".
PRECEDENCE = ("jsonld", "meta", "time", "feed", "sitemap", "text", "url", "htmldate", "attr")
CONTRACT_SOURCES = ("jsonld", "meta", "feed", "sitemap", "url", "text", "htmldate", "fetched")
_CONTRACT_NAME = {"time": "meta", "attr": "meta", "listing": "text"}
_MACHINE = frozenset({"jsonld", "meta", "time", "attr", "feed", "sitemap", "url", "htmldate"})
_PAGE = frozenset({"jsonld", "meta", "time", "attr", "text", "url", "htmldate"})
_META = frozenset({"jsonld", "meta", "time", "attr"})
SHOWN_RANK = 3  # a dateline under the headline: its first date (with or without a time)
_RANK = {name: i for i, name in enumerate(PRECEDENCE)}


@dataclass
class Resolved:
    """The chosen date: UTC instant, the text it came from, and its source (contract name)."""

    instant: datetime  # aware, UTC
    raw: str
    source: str
    has_time: bool = True
    field: str = ""
    granularity: str = "minute"


@dataclass
class Resolution:
    published: Resolved | None
    modified: Resolved | None
    checks: Counter[str] = field(default_factory=Counter)  # sanity checks that fired


@dataclass
class _Reading:
    cand: DateCandidate
    parsed: ParsedDate
    index: int

    @property
    def instant(self) -> datetime:
        return self.parsed.instant

    @property
    def key(self) -> tuple[int, int, int]:
        return (_RANK.get(self.cand.source, 99), self.cand.rank, self.index)


def _candidate(value: Any) -> DateCandidate:
    if isinstance(value, DateCandidate):
        return value
    if isinstance(value, tuple | list):
        return DateCandidate(*value)
    return DateCandidate(
        getattr(value, "source", "text"),
        getattr(value, "raw", str(value)),
        getattr(value, "kind", "published"),
        getattr(value, "field", ""),
        getattr(value, "rank", 0),
    )


class DateResolver:
    """Pick the publication (and modification) date of an article from its candidates."""

    def __init__(
        self,
        tolerance: timedelta = FUTURE_TOLERANCE,
        entry_gap: timedelta = ENTRY_GAP,
    ) -> None:
        self.tolerance = tolerance
        self.entry_gap = entry_gap

    def resolve(
        self,
        candidates: Iterable[Any],
        language: str | None,
        tz: str | None,
        fetched_at: datetime,
    ) -> tuple[Resolved | None, Resolved | None]:
        """candidates: DateCandidate or (source, raw, kind). Returns (published, modified)."""
        result = self.resolve_detailed(candidates, language, tz, fetched_at)
        return result.published, result.modified

    def resolve_detailed(
        self,
        candidates: Iterable[Any],
        language: str | None,
        tz: str | None,
        fetched_at: datetime,
    ) -> Resolution:
        checks: Counter[str] = Counter()
        if fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=UTC)
        cands = [_candidate(c) for c in candidates]
        zone = tz if zone_info(tz) is not None else None
        zone = zone or _page_zone(cands)
        order = date_order(language, zone)
        readings = self._read(cands, language, zone, order, fetched_at, checks)
        self._fix_false_utc(readings, zone, checks)
        self._fix_day_month(readings, zone, checks)
        published = [r for r in readings if r.cand.kind != "modified"]
        modified = [r for r in readings if r.cand.kind == "modified"]
        best = self._pick_published(published, zone, checks)
        result_published = _resolved(best) if best else None
        result_modified = None
        if modified:
            latest: _Reading | None = min(modified, key=lambda r: r.key)
            if best is not None and latest and latest.instant < best.instant - SAME_INSTANT:
                checks["modified_before_published"] += 1
                later = [r for r in modified if r.instant >= best.instant - SAME_INSTANT]
                latest = min(later, key=lambda r: r.key) if later else None
            result_modified = _resolved(latest) if latest else None
        return Resolution(result_published, result_modified, checks)

    def readings(
        self,
        candidates: Iterable[Any],
        language: str | None,
        tz: str | None,
        fetched_at: datetime,
    ) -> list[tuple[DateCandidate, datetime | None]]:
        """Every candidate with the UTC instant it reads as (None: unreadable, implausible or
        in the future), as the resolver reads it: for `newswatch explain`."""
        if fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=UTC)
        cands = [_candidate(c) for c in candidates]
        zone = (tz if zone_info(tz) is not None else None) or _page_zone(cands)
        read = self._read(cands, language, zone, date_order(language, zone), fetched_at, Counter())
        instants = {r.index: r.instant.astimezone(UTC) for r in read}
        return [(c, instants.get(i)) for i, c in enumerate(cands)]

    # -- reading --------------------------------------------------------------------------
    def _read(
        self,
        cands: list[DateCandidate],
        language: str | None,
        zone: str | None,
        order: str,
        fetched_at: datetime,
        checks: Counter[str],
    ) -> list[_Reading]:
        readings: list[_Reading] = []
        memo: dict[tuple[bool, str], ParsedDate | None] = {}
        for index, cand in enumerate(cands):
            machine = cand.source in _MACHINE
            key = (machine, cand.raw)
            if key not in memo:
                parsed = parse_machine_date(cand.raw, zone) if machine else None
                if parsed is None:
                    parsed = parse_text_date(cand.raw, language, zone, fetched_at, order=order)
                memo[key] = parsed
            parsed = memo[key]
            if parsed is None:
                continue
            parsed = self._plausible(parsed, zone, fetched_at, checks)
            if parsed is not None:
                readings.append(_Reading(cand, parsed, index))
        return readings

    def _plausible(
        self, parsed: ParsedDate, zone: str | None, fetched_at: datetime, checks: Counter[str]
    ) -> ParsedDate | None:
        if parsed.instant.year < MIN_YEAR:
            checks["implausible"] += 1
            return None
        if self._in_future(parsed, zone, fetched_at):
            if parsed.swapped is not None and not self._in_future(parsed.swapped, zone, fetched_at):
                checks["day_month"] += 1
                return parsed.swapped
            checks["future"] += 1
            return None
        return parsed

    def _in_future(self, parsed: ParsedDate, zone: str | None, fetched_at: datetime) -> bool:
        if parsed.has_time:
            return parsed.instant > fetched_at + self.tolerance
        # A day without a time: later than the fetch day anywhere on Earth.
        return parsed.local_day(zone) > (fetched_at + timedelta(hours=14)).date()

    # -- checks ---------------------------------------------------------------------------
    def _fix_false_utc(
        self, readings: list[_Reading], zone: str | None, checks: Counter[str]
    ) -> None:
        """Machine dates written as UTC that are really the source's local time: the visible
        dateline, with its zone written out ("10:08 WIB"), shows the same time as local time
        (a publisher's CMS appending "Z" to local time)."""
        tzinfo = zone_info(zone)
        if tzinfo is None:
            return
        datelines = [
            r for r in readings
            if r.cand.source == "text" and r.parsed.has_time and r.cand.rank <= 5
            and not r.parsed.relative and r.parsed.zone == "explicit"
        ]  # fmt: skip
        if not datelines:
            return
        for r in readings:
            p = r.parsed
            if r.cand.source not in _MACHINE or p.zone != "explicit" or p.wall is None:
                continue
            if p.instant.utcoffset() != timedelta() or p.wall != p.instant.replace(tzinfo=None):
                continue  # only values written with a zero offset
            offset = p.wall.replace(tzinfo=tzinfo).utcoffset()
            if not offset:
                continue  # the source's zone is UTC at that date
            local = p.instant - offset
            as_local = min(abs(d.instant - local) for d in datelines)
            as_utc = min(abs(d.instant - p.instant) for d in datelines)
            if as_local <= timedelta(minutes=90) and as_utc - as_local >= timedelta(minutes=59):
                checks["false_utc"] += 1
                r.parsed = ParsedDate(local, p.granularity, "assumed", p.relative, p.wall)

    def _fix_day_month(
        self, readings: list[_Reading], zone: str | None, checks: Counter[str]
    ) -> None:
        """An ambiguous numeric date takes its other reading when another candidate, not
        ambiguous itself, confirms that day and not the first reading's."""
        firm = {r.parsed.local_day(zone) for r in readings if r.parsed.swapped is None}
        for r in readings:
            other = r.parsed.swapped
            if other is None:
                continue
            if r.parsed.local_day(zone) not in firm and other.local_day(zone) in firm:
                checks["day_month"] += 1
                r.parsed = other

    # -- picking --------------------------------------------------------------------------
    def _pick_published(
        self, readings: list[_Reading], zone: str | None, checks: Counter[str]
    ) -> _Reading | None:
        if not readings:
            return None
        readings = sorted(readings, key=lambda r: r.key)
        page = [r for r in readings if r.cand.source in _PAGE]
        entries = [r for r in readings if r.cand.source not in _PAGE]
        best = readings[0]
        if entries and best.cand.source in _PAGE:
            entry = entries[0]
            gap = abs(best.instant - entry.instant) > self.entry_gap
            if gap and not _confirmed(best, page, zone):
                checks["entry_gap"] += 1
                agreeing = [r for r in page if abs(r.instant - entry.instant) <= AGREE]
                best = agreeing[0] if agreeing else entry
        if best.cand.source in _META:
            best = self._shown_over_metadata(best, page, entries, zone, checks)
        if best.cand.source == "text" and not _confirmed(best, page, zone):
            # Visible dates alone: one that the URL, htmldate or a data attribute confirms
            # beats the first one near the headline (a related story's date, a date in the
            # standfirst).
            confirmed = [r for r in page if r.cand.source == "text" and _confirmed(r, page, zone)]
            if confirmed:
                checks["confirmed_text"] += 1
                best = confirmed[0]
        return self._refine(best, readings, zone, checks)

    def _shown_over_metadata(
        self,
        best: _Reading,
        page: list[_Reading],
        entries: list[_Reading],
        zone: str | None,
        checks: Counter[str],
    ) -> _Reading:
        """A republished or updated page: its metadata carries the new date, the dateline
        under the headline the one readers see. The dateline wins when it is more than a day
        earlier, unless the feed or sitemap, the URL or another date of the text agrees with
        the metadata (the first date under a headline may be a related story's)."""
        shown = [
            r for r in page
            if r.cand.source == "text" and r.cand.field == "near-headline"
            and r.cand.rank <= SHOWN_RANK and r.cand.kind == "published" and not r.parsed.relative
        ]  # fmt: skip
        if not shown:
            return best
        first = min(shown, key=lambda r: r.key)
        if best.parsed.local_day(zone) - first.parsed.local_day(zone) <= timedelta(days=1):
            return best
        if not first.parsed.has_time and not _confirmed(first, page, zone):
            return best  # a bare day under a headline may be any date the text mentions
        if entries and abs(best.instant - entries[0].instant) <= AGREE:
            return best
        day = best.parsed.local_day(zone)
        if any(r.cand.source in ("url", "text") and r.parsed.local_day(zone) == day for r in page):
            return best  # the URL or the page's text shows the metadata's day too
        checks["shown_date"] += 1
        return first

    def _refine(
        self, best: _Reading, readings: list[_Reading], zone: str | None, checks: Counter[str]
    ) -> _Reading:
        """A date-only value takes the time of a timed candidate of the same day; a value
        without a zone takes the (non-zero) offset of a candidate with the same wall-clock
        time."""
        if not best.parsed.has_time:
            day = best.parsed.local_day(zone)
            for r in readings:
                if r is best or not r.parsed.has_time or r.parsed.relative:
                    continue
                if r.parsed.local_day(zone) == day:
                    checks["date_only"] += 1
                    return r
            return best
        if best.parsed.zone == "assumed" and best.parsed.wall is not None:
            for r in readings:
                p = r.parsed
                if r is best or p.zone != "explicit" or p.wall is None:
                    continue
                if p.wall == p.instant.replace(tzinfo=None):
                    continue  # a "Z" is no evidence: CMSs append it to local times
                if abs(p.wall - best.parsed.wall) < SAME_INSTANT:
                    checks["zone_from_other"] += 1
                    offset = p.wall - p.instant.replace(tzinfo=None)
                    instant = (best.parsed.wall - offset).replace(tzinfo=UTC)
                    parsed = replace(best.parsed, instant=instant, zone="explicit")
                    return _Reading(best.cand, parsed, best.index)
        return best


def _confirmed(best: _Reading, page: list[_Reading], zone: str | None) -> bool:
    """Another page source (not the same one) gives the same date: the same local day, and
    within a few hours when both have a time."""
    day = best.parsed.local_day(zone)
    for r in page:
        if r.cand.source == best.cand.source or r.parsed.local_day(zone) != day:
            continue
        if not (r.parsed.has_time and best.parsed.has_time):
            return True
        if abs(r.instant - best.instant) <= CONFIRM:
            return True
    return False


def _page_zone(cands: list[DateCandidate]) -> str | None:
    """Without a configured zone: the offset the page's own machine dates are written in
    (the most common non-zero one), for its dates written without a zone."""
    offsets: Counter[str] = Counter()
    for c in cands:
        if c.source not in ("jsonld", "meta", "time"):
            continue
        parsed = parse_machine_date(c.raw)
        if parsed is None or parsed.zone != "explicit" or parsed.wall is None:
            continue
        offset = parsed.wall - parsed.instant.replace(tzinfo=None)
        if offset:
            minutes = int(offset.total_seconds() // 60)
            sign = "+" if minutes >= 0 else "-"
            offsets[f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"] += 1
    return offsets.most_common(1)[0][0] if offsets else None


def _resolved(r: _Reading) -> Resolved:
    return Resolved(
        r.instant.astimezone(UTC),
        r.cand.raw,
        _CONTRACT_NAME.get(r.cand.source, r.cand.source),
        r.parsed.has_time,
        r.cand.field,
        r.parsed.granularity,
    )
