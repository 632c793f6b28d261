"""Absolute dates as people write them: our fast path (numeric and month-name dates, times,
zones written as words), per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from newswatch.dates.languages import _MONTH_KEYS, _WEEKDAY_KEYS, _alt, _locale_info, _norm_lang
from newswatch.dates.results import ParsedDate
from newswatch.dates.zones import _ZONE_WORD_RE, _ZONE_WORDS, zone_info, zone_word

_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|e|ème|º|°|\.)?"


_YEAR = r"(?P<year>\d{4})(?:(?!\d)|(?=[0-2]?\d[:.h]\d\d))"


_TIME_RE = re.compile(
    r"(?<![\d:.,])(?P<h>[01]?\d|2[0-3])\s?(?:[:h]|\.(?=[0-5]\d(?!\d)(?!\.\d{2,4}\b)))\s?"
    r"(?P<mi>[0-5]\d)(?:[:.](?P<s>[0-5]\d)(?:[.,](?P<frac>\d{1,6}))?)?(?!\d)(?!\s?%)"
    r"(?:\s*(?P<ap>[ap])\.?\s?m\.?(?=\W|$|(?-i:[A-Z])))?"
    r"|(?<![\d:.,])(?P<h2>1[0-2]|0?[1-9])\s*(?P<ap2>[ap])\.?\s?m\.?(?=\W|$|(?-i:[A-Z]))"
    r"|(?P<ko>오전|오후|午前|午後|上午|下午|晚上|早上|晚|早)\s*(?P<h3>\d{1,2})\s*[:시時点點]\s*(?P<mi3>\d{1,2})?"
    r"(?:\s*[:분]\s*(?P<s3>\d{1,2}))?"
    r"|(?<!\d)(?P<h4>\d{1,2})\s*[時时点點시]\s*(?P<mi4>\d{1,2})\s*[分분]?",
    re.I,
)


_ZONE_AFTER_RE = re.compile(
    r"\s*(?:uhr\s*)?[(\[]?\s*(?:"
    r"(?:GMT|UTC|UT)\s*(?P<sign>[+\-−])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?"
    r"|(?P<osign>[+\-−])(?P<ooh>\d{2}):?(?P<oom>\d{2})(?!\d)"
    r"|(?P<word>" + _ZONE_WORD_RE + r")(?!(?-i:[a-zа-я]))"
    r")",
    re.I,
)


_ZONE_ANYWHERE_RE = re.compile(
    r"(?:GMT|UTC)\s*(?P<sign>[+\-−])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?"
    r"|(?<![A-Za-zА-Яа-я])(?P<word>" + "|".join(
        re.escape(w) for w in _ZONE_WORDS if len(w) >= 3) + r")(?![A-Za-zА-Яа-я])"
)  # fmt: skip


_NUMERIC_YMD = re.compile(
    r"(?<![\d.])(?P<year>\d{4})\s?(?P<sep>[-/.])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?(?P<d>\d{1,2})"
    r"(?!\d)(?!\s?(?P=sep)\s?\d)\.?"
)


_NUMERIC_AMBIG = re.compile(
    r"(?<![\d.:/])(?P<a>\d{1,2})\s?(?P<sep>[-/.])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?"
    r"(?P<y>\d{4}|\d{2})(?:(?!\d)|(?=[0-2]?\d[:.h]\d\d))(?![.:/]\d)"
)


_CJK = re.compile(
    r"(?P<year>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?:(?P<d>\d{1,2})\s*[日일号號]?)?"
)


class _Absolute:
    """Month-name date patterns for a set of languages."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        months: dict[str, int] = {}
        weekdays: dict[str, int] = {}
        for lang in languages:
            info = _locale_info(lang)
            if not info:
                continue
            for i, key in enumerate(_MONTH_KEYS, start=1):
                for name in info.get(key, []):
                    name = str(name).lower().rstrip(".")
                    if len(name) >= 2 and not any(ch.isdigit() for ch in name):
                        months.setdefault(name, i)
            for i, key in enumerate(_WEEKDAY_KEYS):
                for name in info.get(key, []):
                    name = str(name).lower().rstrip(".")
                    if len(name) >= 2 and not any(ch.isdigit() for ch in name):
                        weekdays.setdefault(name, i)
        self.months = months
        self.weekdays = weekdays
        # (A pattern that never matches when no month names are known.)
        mon = r"(?P<mon>" + _alt(months) + r")(?!\w)\.?" if months else r"(?P<mon>(?!x)x)"
        sep = r"(?:\s*(?:,|de|del|of|-|/|\.)\s*|\s+(?:в\s+)?)"
        self.dmy = re.compile(
            rf"(?<![\w.]){_DAY}{sep}?{mon}{sep}?{_YEAR}(?:\s*(?:г\.|г|года|року|roku|yılı))?",
            re.I,
        )
        self.mdy = re.compile(
            rf"(?<!\w){mon}\s*{_DAY.replace('|e|', '|')}(?!\d)(?:\s*,\s*|\s+|\s*\.\s*)?{_YEAR}",
            re.I,
        )
        self.ymd = re.compile(rf"(?<!\d)(?P<year>\d{{4}})\.?\s*{mon}\s*(?P<day>[0-3]?\d)\.?(?!\d)",
                              re.I)  # fmt: skip
        self.dm = re.compile(
            rf"(?<![\w.]){_DAY}\s*(?:de\s+|of\s+)?{mon}(?!\s*[,.]?\s*\d{{4}})", re.I
        )
        self.md = re.compile(
            rf"(?<!\w){mon}\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)(?![:.]\d)(?!\s*,?\s*\d{{4}})",
            re.I,
        )
        self.my = re.compile(rf"(?<![\w.]){mon}\s*,?\s*(?P<year>\d{{4}})(?!\d)", re.I)


@lru_cache(maxsize=64)
def _absolute(languages: tuple[str, ...]) -> _Absolute:
    return _Absolute(languages)


def _languages_for(language: str | None) -> tuple[str, ...]:
    lang = _norm_lang(language)
    if lang is None:
        return ("en",)
    if lang == "en" or _locale_info(lang) is None:
        return ("en",)
    return (lang, "en")


@dataclass(slots=True)
class _Span:
    """A date found in a text: its parts and where it is."""

    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    ambiguous: bool = False  # numeric day/month that could be swapped
    hour: int | None = None
    minute: int = 0
    second: int = 0
    zone: tzinfo | None = None
    time_end: int = 0
    micro: int = 0
    time_start: int = -1
    date_end: int = -1  # end of the date itself (`end` grows to cover its time and zone)


def _year(text: str, ref_year: int | None = None, prefer: str = "past") -> int:
    """A written year; two digits are placed by the preference around the reference year
    (news: the most recent such year not after it)."""
    y = int(text)
    if len(text) != 2:
        return y
    ref = ref_year or datetime.now(UTC).year
    century = ref - ref % 100
    candidates = [century - 100 + y, century + y, century + 100 + y]
    if prefer == "future":
        return min(c for c in candidates if c >= ref)
    if prefer == "past":
        return max(c for c in candidates if c <= ref)
    return min(candidates, key=lambda c: abs(c - ref))


def _date_spans(
    text: str,
    absolute: _Absolute,
    order: str,
    ref_year: int | None = None,
    prefer: str = "past",
) -> list[_Span]:
    """Every date with a year in `text` (numeric, month-name, CJK), in text order; where
    two readings overlap, the earlier (on a tie the longer) wins."""
    found: list[_Span] = []
    for m in _NUMERIC_YMD.finditer(text):
        found.append(_Span(m.start(), m.end(), int(m["year"]), int(m["m"]), int(m["d"])))
    for m in _NUMERIC_AMBIG.finditer(text):
        a, b, y = int(m["a"]), int(m["b"]), _year(m["y"], ref_year, prefer)
        # Dates written with dots are day-first wherever they are written (de, fi, ru...).
        if order == "MDY" and m["sep"] != ".":
            month, day = a, b
        else:
            day, month = a, b
        ambiguous = a <= 12 and b <= 12 and a != b
        if month > 12 and day <= 12:
            month, day, ambiguous = day, month, False
        found.append(_Span(m.start(), m.end(), y, month, day, ambiguous))
    for m in _CJK.finditer(text):
        found.append(_Span(m.start(), m.end(), int(m["year"]), int(m["m"]),
                           int(m["d"]) if m["d"] else None))  # fmt: skip
    if absolute.months:
        for pattern in (absolute.dmy, absolute.mdy, absolute.ymd):
            for m in pattern.finditer(text):
                named = absolute.months.get(m["mon"].lower().rstrip("."))
                if named:
                    found.append(_Span(m.start(), m.end(), int(m["year"]), named, int(m["day"])))
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[_Span] = []
    for span in found:
        if not out or span.start >= out[-1].end:
            out.append(span)
    return out


def _find_date(
    text: str,
    absolute: _Absolute,
    order: str,
    yearless: bool,
    ref_year: int | None = None,
    prefer: str = "past",
) -> _Span | None:
    """The first date with a year in `text`; with `yearless`, else the first without one."""
    spans = _date_spans(text, absolute, order, ref_year, prefer)
    if spans:
        return spans[0]
    if yearless and absolute.months:
        found = []
        for pattern in (absolute.dm, absolute.md):
            m = pattern.search(text)
            named = absolute.months.get(m["mon"].lower().rstrip(".")) if m else None
            if m and named:
                found.append(_Span(m.start(), m.end(), None, named, int(m["day"])))
        if found:
            return min(found, key=lambda s: (s.start, -(s.end - s.start)))
    return None


_NOON = re.compile(r"\b(?:at\s+)?(noon|midday|midnight)\b", re.I)


def _find_time(text: str, start: int, end: int) -> tuple[int, int, int, int, int, int] | None:
    """A time of day in text[start:end]: (hour, minute, second, microsecond, match start,
    match end). Searched in a slice: "20247:55" (a year glued to a time) starts a time at
    the cut."""
    m = _TIME_RE.search(text[start:end])
    if not m:
        noon = _NOON.search(text[start:end])
        if noon:
            hour = 0 if noon.group(1).lower() == "midnight" else 12
            return hour, 0, 0, 0, start + noon.start(), start + noon.end()
        return None
    micro = 0
    if m["h"] is not None:
        h, mi, s, ap = int(m["h"]), int(m["mi"]), int(m["s"] or 0), m["ap"]
        micro = int((m["frac"] or "0").ljust(6, "0")[:6])
    elif m["h2"] is not None:
        h, mi, s, ap = int(m["h2"]), 0, 0, m["ap2"]
    elif m["h3"] is not None:
        h, mi, s = int(m["h3"]), int(m["mi3"] or 0), int(m["s3"] or 0)
        ap = "p" if m["ko"] in ("오후", "午後", "下午", "晚上", "晚") else "a"
    else:
        h, mi, s, ap = int(m["h4"]), int(m["mi4"]), 0, None
    if ap:
        if ap.lower() == "p" and h < 12:
            h += 12
        elif ap.lower() == "a" and h == 12:
            h = 0
    if h > 23 or mi > 59:
        return None
    return h, mi, s, micro, start + m.start(), start + m.end()


def _zone_at(
    text: str, pos: int, tz: str | None, language: str | None
) -> tuple[tzinfo, int] | None:
    m = _ZONE_AFTER_RE.match(text, pos)
    if not m:
        return None
    if m["word"]:
        word = m["word"]
        # Short words that are also ordinary words count only in capitals ("at", "wit", "et").
        if (
            len(word) <= 3
            and word != word.upper()
            and word.upper() not in ("WIB", "MSK", "МСК", "UTC", "GMT")
        ):
            return None
        zone = zone_word(word, tz, language)
        return (zone, m.end()) if zone else None
    sign = m["sign"] or m["osign"]
    hours, minutes = m["oh"] or m["ooh"], m["om"] or m["oom"] or "0"
    offset = int(hours) * 60 + int(minutes)
    if offset > 14 * 60:
        return None
    return timezone(timedelta(minutes=-offset if sign in "-−" else offset)), m.end()


def _zone_anywhere(text: str, tz: str | None, language: str | None) -> tzinfo | None:
    for m in _ZONE_ANYWHERE_RE.finditer(text):
        if m["word"]:
            zone = zone_word(m["word"], tz, language)
            if zone:
                return zone
        else:
            offset = int(m["oh"]) * 60 + int(m["om"] or 0)
            if offset <= 14 * 60:
                return timezone(timedelta(minutes=-offset if m["sign"] in "-−" else offset))
    return None


_TIME_SUFFIX = re.compile(r"\s*(?:Uhr|hrs|hod\.|óra|h)(?!\w)", re.I)


def _attach_time(text: str, span: _Span, tz: str | None, language: str | None) -> None:
    """Find the time (and zone) written next to a date: after it, else just before it."""
    if span.date_end < 0:
        span.date_end = span.end
    limit = min(len(text), span.end + 40)
    found = _find_time(text, span.end, limit)
    if found and not re.search(r"[|•·]\s*\w+\s*[|•·]", text[span.end : found[4]]):
        gap = text[span.end : found[4]]
        if len(gap) <= 25:
            span.hour, span.minute, span.second, span.micro = found[:4]
            span.time_start, span.time_end = found[4], found[5]
    if span.hour is None:
        before = _find_time(text, max(0, span.start - 30), span.start)
        if before and len(text[before[5] : span.start].strip(" ,•·|-–—")) <= 12:
            span.hour, span.minute, span.second, span.micro = before[:4]
            span.time_start, span.time_end = before[4], before[5]
    if span.hour is not None:
        zone = _zone_at(text, span.time_end, tz, language)
        if zone:
            span.zone = zone[0]
            span.end = max(span.end, zone[1])
        else:
            suffix = _TIME_SUFFIX.match(text, span.time_end)
            span.end = max(span.end, suffix.end() if suffix else span.time_end)


def _to_parsed(
    span: _Span, tz: str | None, year: int | None = None, *, relative: bool = False
) -> ParsedDate | None:
    y = span.year if span.year is not None else year
    if y is None or span.day is None:
        return None
    try:
        wall = datetime(y, span.month, span.day, span.hour or 0, span.minute, span.second,
                        span.micro)  # fmt: skip
    except ValueError:
        return None
    zone = span.zone or zone_info(tz) or UTC
    try:
        instant = wall.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:  # the first or last day of the calendar, in another zone
        return None
    granularity = "day" if span.hour is None else "second" if span.second else "minute"
    swapped = None
    if span.ambiguous:
        other = _Span(span.start, span.end, span.year, span.day, span.month, False, span.hour,
                      span.minute, span.second, span.zone, span.time_end, span.micro)  # fmt: skip
        swapped = _to_parsed(other, tz, year)
    return ParsedDate(instant, granularity, "explicit" if span.zone else "assumed", relative,
                      wall, swapped)  # fmt: skip
