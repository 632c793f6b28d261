"""Reading one date as people write it: the fast path, our relative phrases ("2 jam yang lalu",
"Rabu lalu", "vor 2 Stunden"), then dateparser (one reused parser per language, zone and
reference).
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from newswatch.dates.absolute import (
    _absolute,
    _attach_time,
    _find_date,
    _find_time,
    _languages_for,
    _Span,
    _to_parsed,
    _zone_anywhere,
    _zone_at,
)
from newswatch.dates.candidates import _page_languages
from newswatch.dates.languages import (
    _LETTERS,
    _WORDS,
    _half_after,
    _locale_info,
    _norm_lang,
    _relative,
    date_order,
    guess_languages,
)
from newswatch.dates.results import _TIMED, GRANULARITIES, ParsedDate
from newswatch.dates.zones import _ZONE_WORD_RE, zone_info, zone_word

# Indonesian forms dateparser misses, rewritten before it sees them (ours read them directly).
_ID_NORMALISE = (
    (re.compile(r"\bpekan\b", re.I), "minggu"),
    (re.compile(r"\bse(jam|menit|hari|minggu|bulan|tahun|detik)\b", re.I), r"1 \1"),
    (re.compile(r"\b(?:pada\s+)?hari\s+(?=senin|selasa|rabu|kamis|jumat|sabtu|minggu)", re.I),
     ""),
    (re.compile(r"\bpukul\b|\bjam\b(?=\s*\d)|\bWIB\b|\bWITA\b|\bWIT\b", re.I), " "),
)  # fmt: skip


_NOISE = re.compile(
    r"^\s*(?:published|updated|posted|last updated|veröffentlicht(?:\s+am)?|aktualisiert"
    r"(?:\s+am)?|stand|erstellt(?:\s+am)?|publié(?:\s+le)?|mis à jour(?:\s+le)?|publicado"
    r"|actualizado|diterbitkan|diperbarui|dipublikasikan|опубликовано|обновлено)\s*:?\s*",
    re.I,
)


_PREFERS = ("past", "future", "current_period")


_BARE_NUMBER = re.compile(r"[+-]?\d{1,2}")


def parse_text_date(
    raw: str,
    language: str | None = None,
    tz: str | None = None,
    now: datetime | None = None,
    *,
    order: str | None = None,
    prefer: str = "past",
    use_dateparser: bool = True,
) -> ParsedDate | None:
    """A date as people write it: "Kamis, 5 November 2015 14:56 WIB", "05.06.2025, 18:25
    Uhr", "April 26, 2023 2:20pm EDT", "2 jam yang lalu", "gestern, 18:25", "Rabu lalu".

    `language` picks month and weekday names (English is always understood); `tz` is the
    zone for dates written without one; `now` is the reference for relative phrases and for
    dates written without a year (default: the current time); `order` the day/month order
    of numeric dates (default: the language's, see `date_order`); `prefer` which way an
    incomplete date leans: "past" (news), "future" or "current_period"."""
    try:
        return _parse_text_date(raw, language, tz, now, order, prefer, use_dateparser)
    except (OverflowError, ValueError):  # dates at the edge of the calendar
        return None


def _parse_text_date(
    raw: str,
    language: str | None,
    tz: str | None,
    now: datetime | None,
    order: str | None,
    prefer: str,
    use_dateparser: bool,
) -> ParsedDate | None:
    text = re.sub(r"\s+", " ", raw.replace("\xa0", " ")).strip()
    if _BARE_NUMBER.fullmatch(text):
        return None  # "-1", "5", "12": a count or an id, not a date (dateparser: a month)
    if not text or len(text) > 200:
        return None
    lang = _norm_lang(language)
    order = order or date_order(lang, tz)
    reference = now if now is not None else datetime.now(UTC)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=zone_info(tz) or UTC)
    ref_year = reference.year
    absolute = _absolute(_languages_for(lang))
    span = _find_date(text, absolute, order, False, ref_year, prefer)
    guessed: tuple[str, ...] = ()
    if span is None and lang is None and _WORDS.search(text):
        # No language given: the one whose month and weekday names the text uses.
        guessed = guess_languages(text)
        if guessed:
            absolute = _absolute(tuple(dict.fromkeys((*guessed, "en"))))
            span = _find_date(text, absolute, order, False, ref_year, prefer)
            if _relative(_norm_lang(guessed[0])) is not None:
                lang = _norm_lang(guessed[0])
    if span is None and re.search(r"\d{4}", text):
        # Month names of other common languages: a source's pages are not always in the
        # language it is configured with (or declares).
        span = _find_date(text, _absolute(_page_languages(lang)), order, False, ref_year, prefer)
    if span is not None:
        _attach_time(text, span, tz, lang)
        if span.zone is None and span.hour is not None:
            span.zone = _zone_anywhere(text[span.end :], tz, lang)
        if span.hour is not None and span.time_end and span.hour <= 12:
            half = _half_after(text, span.time_end)
            if half == "p" and span.hour < 12:
                span.hour += 12
            elif half == "a" and span.hour == 12:
                span.hour = 0
        parsed = _to_parsed(span, tz)
        if parsed is not None and not parsed.has_time and use_dateparser and _leftover(text, span):
            # Other numbers: perhaps a time in words ("у 7 гадзін 10 хвілін"). dateparser may
            # read it; its reading is taken only for the same day.
            other = _dateparser(text, _dp_languages(lang, guessed, text), tz, reference, order,
                                prefer)  # fmt: skip
            if (
                other is not None
                and other.has_time
                and other.wall
                and parsed.wall
                and (other.wall.date() == parsed.wall.date())
            ):
                return other
        if parsed is not None:
            return parsed
    relative = _read_relative(text, lang, tz, reference, prefer)
    if relative is not None:
        return relative
    span = _find_date(text, absolute, order, True, ref_year, prefer)
    if span is not None and span.year is None:
        _attach_time(text, span, tz, lang)
        local_ref = reference.astimezone(zone_info(tz) or UTC)
        year: int | None = _infer_year(span.month, span.day or 1, local_ref.date(), prefer)
        # Numbers besides the day and the time: a year written apart ("Wed Aug 05 12:00:00
        # 2015", "2011 წლის 17 მარტი"); anything else is left to dateparser ("2 Декабрь 95").
        rest = _leftover(text, span)
        if rest:
            written = re.fullmatch(r"((?:1[6-9]|2\d)\d{2})", rest[0]) if len(rest) == 1 else None
            year = int(written.group(1)) if written else None
        parsed = _to_parsed(span, tz, year) if year is not None else None
        if parsed is not None:
            return parsed
    timed = _time_only(text, lang, tz, reference, prefer)
    if timed is not None:
        return timed
    if not use_dateparser:
        return None
    languages = _dp_languages(lang, guessed, text)
    found = _dateparser(text, languages, tz, reference, order, prefer)
    letters = {ch for ch in text if ch.isalpha()}
    if found is None and lang is None and languages is not None and letters - set("TZtz"):
        found = _dateparser(text, None, tz, reference, order, prefer)  # its own detection
    return found


def _dp_languages(lang: str | None, guessed: tuple[str, ...], text: str) -> tuple[str, ...] | None:
    """Languages for dateparser: the given one, else our guess, else English for a string
    without letters; None (dateparser's slow detection) only when nothing is known."""
    if lang and _locale_info(lang) is not None:
        return (lang,)
    if guessed:
        return guessed
    if not _LETTERS.search(text):
        return ("en",)  # no word to tell a language by ("2003-12-31T10:14", "S 14:14")
    return None


def _leftover(text: str, span: _Span) -> list[str]:
    """Numbers in `text` outside the date and its time (and zone)."""
    date_end = span.date_end if span.date_end >= 0 else span.end
    chars = list(text)
    for a, b in ((span.start, date_end), (span.time_start, span.time_end)):
        if 0 <= a < b:
            chars[a:b] = " " * (b - a)
    rest = "".join(chars)
    rest = re.sub(r"(?:GMT|UTC)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?|[+\-−]\d{2}:?\d{2}\b", " ", rest)
    return re.findall(r"\d+", rest)


_TIME_FILLER = re.compile(
    r"\b(?:at|um|à|a las|alle|pukul|jam|klo|kl|o|в|uhr|h|hrs|ore|om|saat|godz)\b\.?"
    r"|[\s,.;:@()\[\]|-]",
    re.I,
)


def _time_only(
    text: str, lang: str | None, tz: str | None, reference: datetime, prefer: str
) -> ParsedDate | None:
    """A time of day alone ("10:04am", "4pm EDT", "um 18:25 Uhr"): on the reference's day in
    its zone, moved a day back (past) or ahead (future) if it is on the wrong side of it."""
    found = _find_time(text, 0, len(text))
    if not found:
        return None
    zone_found = _zone_at(text, found[5], tz, lang)
    end = zone_found[1] if zone_found else found[5]
    rest = _TIME_FILLER.sub("", text[: found[4]] + " " + text[end:])
    if rest:
        return None
    zone = zone_found[0] if zone_found else (zone_info(tz) or UTC)
    day = reference.astimezone(zone).date()
    wall = datetime.combine(day, time(found[0], found[1], found[2], found[3]))
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    if prefer == "past" and instant > reference:
        wall -= timedelta(days=1)
    elif prefer == "future" and instant < reference:
        wall += timedelta(days=1)
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    granularity = "second" if found[2] else "minute"
    return ParsedDate(instant, granularity, "explicit" if zone_found else "assumed", True, wall)


def _infer_year(month: int, day: int, ref: date, prefer: str) -> int:
    year = ref.year
    try:
        candidate = date(year, month, day)
    except ValueError:  # 29 February
        return year if calendar.isleap(year) else year - 1
    if prefer == "past" and candidate > ref + timedelta(days=1):
        return year - 1
    if prefer == "future" and candidate < ref:
        return year + 1
    return year


def _shift(reference: datetime, n: float, unit: str) -> datetime | None:
    """`n` units before the reference (after it when negative); None beyond the calendar."""
    try:
        if unit in ("second", "minute", "hour", "day", "week"):
            return reference - timedelta(**{unit + "s": n})
        months = int(round(n)) * (12 if unit == "year" else 1)
        y, m = divmod(reference.month - 1 - months, 12)
        year, month = reference.year + y, m + 1
        day = min(reference.day, calendar.monthrange(year, month)[1])
        return reference.replace(year=year, month=month, day=day)
    except (OverflowError, ValueError):
        return None


def _weekday_delta(ref_weekday: int, weekday: int, mode: str) -> int:
    """Days to add to the reference day to reach the weekday (negative = back)."""
    back = (ref_weekday - weekday) % 7
    if mode == "last":
        return -(back or 7)
    if mode == "next":
        return (weekday - ref_weekday) % 7 or 7
    if mode == "future":
        return (weekday - ref_weekday) % 7 or 7
    if mode == "lastweek":  # that weekday in the week (Monday..Sunday) before the reference's
        return weekday - ref_weekday - 7
    return -back  # on or before the reference: "on Wednesday" in a Wednesday story is today


def _day_result(day: date, tz: str | None, granularity: str = "day") -> ParsedDate:
    wall = datetime.combine(day, time())
    instant = wall.replace(tzinfo=zone_info(tz) or UTC).astimezone(UTC)
    return ParsedDate(instant, granularity, "assumed", True, wall)


def _with_time(day: date, text: str, tz: str | None, lang: str | None) -> ParsedDate:
    """A relative day ("gestern", "kemarin") plus a time written next to it, if any."""
    found = _find_time(text, 0, len(text))
    if not found:
        return _day_result(day, tz)
    wall = datetime.combine(day, time(found[0], found[1], found[2], found[3]))
    zone_found = _zone_at(text, found[5], tz, lang)
    zone = zone_found[0] if zone_found else (zone_info(tz) or UTC)
    instant = wall.replace(tzinfo=zone).astimezone(UTC)
    return ParsedDate(instant, "minute", "explicit" if zone_found else "assumed", True, wall)


def _read_relative(
    text: str, lang: str | None, tz: str | None, reference: datetime, prefer: str
) -> ParsedDate | None:
    grammars = [g for g in (_relative(lang), _relative("en") if lang != "en" else None) if g]
    local_ref = reference.astimezone(zone_info(tz) or UTC)
    for g in grammars:
        for sign, pattern in [(1, p) for p in g.ago] + [(-1, p) for p in g.ahead]:
            m = pattern.search(text)
            if m:
                if m.groupdict().get("f"):
                    n, unit = g.fused[m["f"].lower()]
                else:
                    n_value, unit = g.number(m["n"]), g.units.get(m["u"].lower())
                    if n_value is None or unit is None:
                        continue
                    n = n_value
                n *= sign
                when = _shift(reference.astimezone(UTC), n, unit)
                local_when = _shift(local_ref, n, unit)
                if when is None or local_when is None:
                    continue
                if unit in _TIMED:
                    wall = when.astimezone(zone_info(tz) or UTC).replace(tzinfo=None)
                    return ParsedDate(when, unit, "assumed", True, wall)
                return _day_result(local_when.date(), tz, unit)
        for mode, patterns in (("lastweek", g.w_lastweek), ("period", None), ("last", g.w_last),
                               ("next", g.w_next)):  # fmt: skip
            if patterns is None:  # "pekan lalu", "minggu lalu" (a week, not a Sunday)
                m = g.periods_re.search(text)
                if m:
                    n, unit = g.periods[m.group(0).lower()]
                    shifted = _shift(local_ref, n, unit)
                    if shifted is not None:
                        return _day_result(shifted.date(), tz, unit)
                continue
            for pattern in patterns:
                m = pattern.search(text)
                if m:
                    weekday = g.weekdays[m["w"].lower()]
                    day = local_ref.date() + timedelta(
                        days=_weekday_delta(local_ref.weekday(), weekday, mode)
                    )
                    return _with_time(day, text, tz, lang)
        m = g.days_re.search(text)
        if m:
            offset = g.days[m.group(0).lower()]
            return _with_time(local_ref.date() + timedelta(days=offset), text, tz, lang)
        for pattern in g.w_bare:
            m = pattern.fullmatch(text.strip(" ,.;:"))
            if m:
                weekday = g.weekdays[m["w"].lower()]
                mode = "bare" if prefer == "past" else prefer
                day = local_ref.date() + timedelta(
                    days=_weekday_delta(local_ref.weekday(), weekday, mode)
                )
                return _day_result(day, tz)
    return None


@lru_cache(maxsize=128)
def _dateparser_parser(
    languages: tuple[str, ...] | None,
    tz: str,
    base: datetime,
    order: str | None,
    prefer: str,
) -> Any:
    """One DateDataParser per language/zone/reference/order/preference, reused: building
    settings and loading a language's tables are the slow part of dateparser."""
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {
        "TIMEZONE": tz,
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": prefer,
        "RELATIVE_BASE": base,
    }
    if order:
        settings["DATE_ORDER"] = order
    return DateDataParser(languages=list(languages) if languages else None, settings=settings)


def _dateparser(
    text: str,
    languages: tuple[str, ...] | None,
    tz: str | None,
    reference: datetime,
    order: str | None,
    prefer: str,
) -> ParsedDate | None:
    work = _NOISE.sub("", text)
    lang = languages[0] if languages else None
    if lang in ("id", "ms"):
        for pattern, replacement in _ID_NORMALISE:
            work = pattern.sub(replacement, work)
    zone_name = tz
    # Zone words dateparser does not know: taken out and used as the zone of the reading.
    m = re.search(r"(?<![A-Za-zА-Яа-я])(" + _ZONE_WORD_RE + r")(?![A-Za-zА-Яа-я])", work)
    if m and m.group(1) not in ("UTC", "GMT", "UT", "Z") and (len(m.group(1)) > 2):
        zone = zone_word(m.group(1), tz, _norm_lang(lang))
        if zone is not None:
            zone_name = _tz_name(zone)
            work = (work[: m.start()] + " " + work[m.end() :]).strip()
    work = re.sub(r"\s+", " ", work).strip(" ,|•·-")
    if not work:
        return None
    zone_name = zone_name or "UTC"
    base = reference.astimezone(zone_info(zone_name) or UTC).replace(tzinfo=None)
    if prefer not in _PREFERS:
        prefer = "past"
    try:
        parser = _dateparser_parser(languages, zone_name, base, order, prefer)
        data = parser.get_date_data(work)
    except (ValueError, OverflowError, TypeError, KeyError):
        return None
    value = data.date_obj if data else None
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone_info(zone_name) or UTC)
    parts = getattr(data, "parts", None) or ()
    period = getattr(data, "period", "day") or "day"
    if "time" in parts or period == "time":
        granularity = "minute"
    else:
        granularity = period if period in GRANULARITIES else "day"
    wall = value.astimezone(zone_info(zone_name) or UTC).replace(tzinfo=None)
    grammar = _relative(_norm_lang(lang))
    relative = not ({"year", "month", "day"} <= set(parts)) or bool(
        grammar and grammar.scan.search(work)
    )
    return ParsedDate(value.astimezone(UTC), granularity, "assumed", relative, wall)


def _tz_name(zone: tzinfo) -> str:
    if isinstance(zone, ZoneInfo):
        return zone.key
    offset = zone.utcoffset(None) or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
