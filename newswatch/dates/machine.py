"""Machine-written dates: ISO 8601, RFC 822, epoch seconds."""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime

from newswatch.dates.results import ParsedDate
from newswatch.dates.zones import zone_info

_ISO_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_EPOCH = re.compile(r"^\d{10}(?:\d{3})?(?:\.\d+)?$")


def parse_machine_date(raw: str, tz: str | None = None) -> ParsedDate | None:
    """ISO 8601 / W3C-DTF, RFC 822 and epoch seconds or milliseconds, as feeds, sitemaps and
    metadata write them. A value without an offset is read in `tz` (else UTC)."""
    try:
        return _parse_machine_date(raw, tz)
    except (OverflowError, ValueError):  # dates at the edge of the calendar
        return None


def _parse_machine_date(raw: str, tz: str | None) -> ParsedDate | None:
    text = raw.strip()
    if not text or len(text) > 64:
        return None
    if _EPOCH.match(text):
        seconds = float(text)
        if seconds > 1e11:
            seconds /= 1000
        if not 631152000 <= seconds <= 4102444800:  # 1990 .. 2100
            return None
        instant = datetime.fromtimestamp(seconds, UTC)
        return ParsedDate(instant, "second", "explicit", False, instant.replace(tzinfo=None))
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", text)
    if m:  # W3C-DTF year or year-month: its first day
        try:
            wall = datetime(int(m.group(1)), int(m.group(2) or 1), 1)
        except ValueError:
            return None
        instant = wall.replace(tzinfo=zone_info(tz) or UTC).astimezone(UTC)
        return ParsedDate(instant, "month" if m.group(2) else "year", "assumed", False, wall)
    if text[:4].isdigit():
        iso = re.sub(r"^(\d{4}-\d{2}-\d{2})\s*T?\s*(\d)", r"\1T\2", text)  # "2015-11-05 T10:08"
        iso = re.sub(r"\s*(?:Z|z|UTC|GMT)$", "+00:00", iso)
        iso = re.sub(r"\s+([+-]\d)", r"\1", iso)
        iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)
        iso = re.sub(r"([+-]\d{2})$", r"\1:00", iso)
        iso = re.sub(r"(\.\d{6})\d+", r"\1", iso)  # fromisoformat takes at most microseconds
        try:
            iso_value = datetime.fromisoformat(iso)
        except ValueError:
            iso_value = None
        if iso_value is not None:
            return _from_datetime(iso_value, tz, date_only=bool(_ISO_DATE_ONLY.match(text)))
    try:
        parsed = email.utils.parsedate_tz(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed and parsed[0] >= 1900:
        # email.utils knows the US zones and UT/GMT; anything else it leaves without an
        # offset: those are read as text (zone words, languages).
        has_zone = parsed[9] is not None and (
            parsed[9] != 0 or re.search(r"(?:GMT|UTC?|Z|[+-]0000)\s*$", text, re.I) is not None
        )
        odd_zone = re.search(r"(?:GMT|UTC)\s*[+-]|[+-]\d{1,2}:\d{2}\s*$", text)
        if not odd_zone and (has_zone or not re.search(r"[A-Za-z]{2,}\s*$", text)):
            try:
                value = email.utils.parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
            if not has_zone:
                value = value.replace(tzinfo=None)
            return _from_datetime(value, tz, date_only=False)
    return None


def _from_datetime(value: datetime, tz: str | None, *, date_only: bool) -> ParsedDate:
    explicit = value.tzinfo is not None
    wall = value.replace(tzinfo=None)
    if not explicit:
        value = value.replace(tzinfo=zone_info(tz) or UTC)
    if date_only:
        granularity = "day"
    elif wall.second or wall.microsecond:
        granularity = "second"
    else:
        granularity = "minute"
    return ParsedDate(value.astimezone(UTC), granularity, "explicit" if explicit else "assumed",
                      False, wall)  # fmt: skip
