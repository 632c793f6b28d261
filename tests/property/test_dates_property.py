"""Properties of date normalisation (newswatch.dates and the DateResolver
of newswatch.pipelines.dates).

Whatever a page, feed or sitemap writes as a date - absurd years, negative epochs, zones
that do not exist, relative phrases with huge numbers, random text - the parsers never raise
and answer None or an aware UTC instant; the resolver's choice is never before 1990 nor
later than the fetch (beyond its small tolerance for clocks and date-only values).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newswatch.dates import (
    DateCandidate,
    DateResolver,
    ParsedDate,
    parse_machine_date,
    parse_text_date,
)
from newswatch.dates.resolve import MIN_YEAR
from tests.property.budget import tried

LANGUAGES = st.sampled_from([None, "en", "id", "de", "xx", "", "EN-us"])
ZONES = st.sampled_from([None, "Asia/Jakarta", "America/New_York", "UTC", "Not/AZone", ""])
NOW = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)
YEAR = st.one_of(st.integers(1985, 2030), st.integers(-100_000, 100_000))
MONTH_NAMES = ["January", "Feb", "März", "Desember", "Mei", "Agustus", "octobre", "мая"]
OFFSET = st.sampled_from(["Z", "+07:00", "-0500", "+25:00", "+0000", " WIB", " EST", " GMT+7",
                          " UTC", "", "+99"])  # fmt: skip


@st.composite
def date_like(draw: st.DrawFn) -> str:
    """Text shaped like the dates publishers write, with absurd parts mixed in."""
    year, month = draw(YEAR), draw(st.integers(-1, 14))
    day, hour, minute = (
        draw(st.integers(-1, 33)),
        draw(st.integers(-1, 25)),
        draw(st.integers(0, 61)),
    )
    shapes = [
        f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00{draw(OFFSET)}",
        f"{year}-{month:02d}-{day:02d}",
        f"{year}",
        f"{year}-{month:02d}",
        f"Mon, {day:02d} Jan {year} {hour:02d}:{minute:02d}:00 {draw(OFFSET).strip() or 'GMT'}",
        f"{draw(st.integers(-(10**13), 10**14))}",  # epoch seconds or milliseconds, any sign
        f"{day} {draw(st.sampled_from(MONTH_NAMES))} {year} {hour}:{minute:02d}{draw(OFFSET)}",
        f"{day:02d}.{month:02d}.{year}, {hour:02d}:{minute:02d} Uhr",
        f"{day}/{month}/{year}",
        f"{draw(st.integers(-5, 10**12))} {draw(st.sampled_from(['jam', 'days', 'Tage']))} "
        f"{draw(st.sampled_from(['yang lalu', 'ago', 'vor', '']))}",
        draw(
            st.sampled_from(
                [
                    "kemarin",
                    "gestern, 18:25",
                    "Rabu lalu",
                    "sejam yang lalu",
                    "pekan lalu",
                    "yesterday",
                    "hier",
                    "tomorrow",
                ]
            )
        ),  # fmt: skip
    ]
    return draw(st.sampled_from(shapes))


RAW = st.one_of(date_like(), st.text(max_size=80))


def _check(parsed: ParsedDate | None) -> None:
    if parsed is None:
        return
    assert isinstance(parsed, ParsedDate)
    assert parsed.instant.tzinfo is not None
    assert parsed.instant.utcoffset() == timedelta(0)
    if parsed.swapped is not None:
        _check(parsed.swapped)


@given(RAW, ZONES)
@example("99999-01-01T00:00:00Z", None)
@example("-62135596800", None)
@example("0001-01-01T00:00:00+14:00", "Asia/Jakarta")
@example("9999-12-31T23:59:59-12:00", None)
@example("1900-01-01", "America/New_York")
def test_machine_dates_never_raise_and_are_utc(raw: str, zone: str | None) -> None:
    tried("dates: parse_machine_date")
    _check(parse_machine_date(raw, zone))


@given(RAW, LANGUAGES, ZONES, NOW)
@example("99999 days ago", "en", None, datetime(2025, 1, 1, tzinfo=UTC))
@example("Kamis, 31 Desember 9999 23:59 WIB", "id", "Asia/Jakarta",
         datetime(2025, 1, 1, tzinfo=UTC))  # fmt: skip
@example("1 January 1", "en", "UTC", datetime(2000, 1, 1, tzinfo=UTC))
def test_text_dates_never_raise_and_are_utc(
    raw: str, language: str | None, zone: str | None, now: datetime
) -> None:
    tried("dates: parse_text_date")
    _check(parse_text_date(raw, language, zone, now))


SOURCES = st.sampled_from(["jsonld", "meta", "time", "feed", "sitemap", "text", "url",
                           "htmldate", "attr"])  # fmt: skip
CANDIDATE = st.builds(
    DateCandidate,
    SOURCES,
    RAW,
    st.sampled_from(["published", "modified"]),
    st.just(""),
    st.integers(0, 5),
)
RESOLVER = DateResolver()


@given(st.lists(CANDIDATE, max_size=5), LANGUAGES, ZONES, NOW)
@example(
    [DateCandidate("jsonld", "99999-01-01"), DateCandidate("meta", "1900-01-01"),
     DateCandidate("feed", "9999-12-31T00:00:00Z"), DateCandidate("sitemap", "-86400")],
    "en", None, datetime(2025, 6, 1, tzinfo=UTC),
)  # fmt: skip
def test_resolved_dates_are_utc_and_within_sane_bounds(
    candidates: list[DateCandidate], language: str | None, zone: str | None, now: datetime
) -> None:
    tried("dates: DateResolver.resolve")
    published, modified = RESOLVER.resolve(candidates, language, zone, now)
    for chosen in (published, modified):
        if chosen is None:
            continue
        assert chosen.instant.utcoffset() == timedelta(0)
        assert chosen.instant.year >= MIN_YEAR
        # Not in the future: the tolerance, plus a day for a date written without a time
        # (it is "today" somewhere on Earth) and the zone corrections.
        assert chosen.instant <= now + RESOLVER.tolerance + timedelta(days=2)
        assert chosen.source in ("jsonld", "meta", "feed", "sitemap", "url", "text", "htmldate")


@pytest.mark.parametrize("raw", ["-1", "5", "12", "-12"])
def test_a_bare_number_is_no_date(raw: str) -> None:
    assert parse_text_date(raw, "en", None, datetime(2025, 6, 1, tzinfo=UTC)) is None
