"""What reading and gathering give back: parsed dates, date mentions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from newswatch.dates.zones import zone_info

GRANULARITIES = ("second", "minute", "hour", "day", "week", "month", "year")


_TIMED = frozenset({"second", "minute", "hour"})


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """One date string, read.

    `instant` is aware and in UTC; for a date without a time it is local midnight of that
    day in the zone the date was read in. `wall` is the wall-clock time as written (naive).
    `zone` is "explicit" when the text carries an offset or a zone word, else "assumed".
    `swapped` is the other reading of an ambiguous numeric date (03/04/2024).
    """

    instant: datetime
    granularity: str = "minute"
    zone: str = "assumed"
    relative: bool = False
    wall: datetime | None = None
    swapped: ParsedDate | None = None

    @property
    def has_time(self) -> bool:
        return self.granularity in _TIMED

    def local_day(self, tz: str | None) -> date:
        """The calendar day in the given zone (the written day for date-only values)."""
        if not self.has_time and self.wall is not None:
            return self.wall.date()
        return self.instant.astimezone(zone_info(tz) or UTC).date()


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date a text mentions, resolved against a reference (usually the article's date).

    `day` is the calendar day in the source's zone; `instant` is the UTC instant when the
    text gives a time of day (or a relative time such as "2 hours ago"), else None.
    """

    text: str
    start: int
    end: int
    kind: str  # absolute | relative | weekday
    day: date
    instant: datetime | None
    granularity: str
    time: time | None = None  # the time of day as written (local), if any
