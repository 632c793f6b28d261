"""Dates a text mentions ("on Wednesday", "kemarin", "Jumat (6/11)", "12 March"), resolved
against the article's own date.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from newswatch.dates.absolute import (
    _absolute,
    _attach_time,
    _date_spans,
    _languages_for,
    _Span,
    _to_parsed,
    _year,
)
from newswatch.dates.languages import _norm_lang, _relative, date_order
from newswatch.dates.reading import _day_result, _infer_year, _read_relative, _weekday_delta
from newswatch.dates.results import DateMention, ParsedDate
from newswatch.dates.zones import zone_info

_PAREN_DAY = re.compile(r"\(\s*(?P<d>[0-3]?\d)\s*/\s*(?P<m>[01]?\d)(?:\s*/\s*(?P<y>\d{2,4}))?\s*\)")


def resolve_mentions(
    text: str,
    reference: datetime,
    language: str | None = None,
    tz: str | None = None,
    *,
    anchor: str = "article",
    limit: int = 200,
) -> list[DateMention]:
    """Dates that a body or a statement mentions, resolved against `reference` — the
    article's own publication instant: "on Wednesday" in a story published on a Thursday is
    the day before; "kemarin" the day before it; "Jumat (6/11)" 6 November of the nearest
    year; "12 March" in the reference's year (or the one before, if that would be ahead).

    A date written without a year takes the year of a date (or a bare year) written shortly
    before it ("in July 2014 ... on July 13"). With `anchor="context"` relative phrases are
    read against the latest date written before them instead of the reference (a narrative:
    "On 19 March 2001 ... two days earlier ..."); the default, "article", suits news, where
    "yesterday" in a quote is the day before publication.

    Returns mentions in text order with the calendar day in the source's zone and, when the
    text gives a time or a relative time ("2 hours ago"), the UTC instant."""
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=zone_info(tz) or UTC)
    lang = _norm_lang(language)
    local_ref = reference.astimezone(zone_info(tz) or UTC)
    absolute = _absolute(_languages_for(lang))
    order = date_order(lang, tz)
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(start: int, end: int, kind: str, parsed: ParsedDate) -> None:
        taken.append((start, end))
        day = parsed.local_day(tz)
        written = parsed.wall.time() if parsed.has_time and parsed.wall else None
        out.append(DateMention(text[start:end], start, end, kind, day,
                               parsed.instant if parsed.has_time else None,
                               parsed.granularity, written))  # fmt: skip

    # Absolute dates, with and without a year.
    reached = 0
    for span in _date_spans(text, absolute, order, local_ref.year):
        if len(out) >= limit:
            break
        if span.start < reached:
            continue  # inside the time or zone of the date before
        _attach_time(text, span, tz, lang)
        parsed = _to_parsed(span, tz)
        if parsed is not None and free(span.start, span.end):
            add(span.start, span.end, "absolute", parsed)
        reached = span.end
    if absolute.months:
        for pattern in (absolute.dm, absolute.md):
            for m in pattern.finditer(text):
                month = absolute.months.get(m["mon"].lower().rstrip("."))
                if not month or not free(m.start(), m.end()):
                    continue
                # A lone number next to a month name ("May 3") also reads as English "may";
                # a capital letter is required for a bare month word.
                if len(m["mon"]) <= 3 and not m["mon"][:1].isupper():
                    continue
                year = _context_year(text, out, m.start()) or _infer_year(
                    month, int(m["day"]), local_ref.date(), "past"
                )
                span = _Span(m.start(), m.end(), year, month, int(m["day"]))
                _attach_time(text, span, tz, lang)
                parsed = _to_parsed(span, tz)
                if parsed is not None and free(span.start, span.end):
                    add(span.start, span.end, "absolute", parsed)
    grammar = _relative(lang) or _relative("en")
    if grammar is not None:
        for m in grammar.scan.finditer(text):
            if len(out) >= limit:
                break
            try:
                start, end = m.start(), m.end()
                phrase = m.group(0)
                # A weekday followed by "(6/11)": the date in brackets decides.
                paren = _PAREN_DAY.match(text, end + (1 if text[end : end + 1] in ", " else 0))
                if paren is None:
                    paren = _PAREN_DAY.match(text, end + 1) if text[end : end + 2] == ", " else None
                if paren is not None and grammar.weekdays.get(phrase.strip().split()[-1].lower()):
                    d, mo = int(paren["d"]), int(paren["m"])
                    y = _year(paren["y"]) if paren["y"] else _infer_year(mo, d, local_ref.date(),
                                                                         "past")  # fmt: skip
                    span = _Span(start, paren.end(), y, mo, d)
                    parsed = _to_parsed(span, tz)
                    if parsed is not None and free(start, paren.end()):
                        add(start, paren.end(), "absolute", parsed)
                    continue
                if not free(start, end):
                    continue
                if lang in ("id", "ms") and phrase.strip().lower() == "minggu" and phrase[0] != "M":
                    continue  # "minggu" is also "week"
                base = reference
                if anchor == "context":
                    earlier = [x for x in out if x.kind == "absolute" and x.end <= start]
                    if earlier:
                        last = max(earlier, key=lambda x: x.end)
                        base = datetime.combine(last.day, time()).replace(
                            tzinfo=zone_info(tz) or UTC
                        )
                local_base = base.astimezone(zone_info(tz) or UTC)
                parsed = _read_relative(phrase, lang if grammar is _relative(lang) else "en", tz,
                                        base, "past")  # fmt: skip
                if parsed is None:
                    # A bare weekday inside a phrase ("on Wednesday") is resolved on its own.
                    for bare in grammar.w_bare:
                        mm = bare.fullmatch(phrase.strip())
                        if mm:
                            weekday = grammar.weekdays[mm["w"].lower()]
                            day = local_base.date() + timedelta(
                                days=_weekday_delta(local_base.weekday(), weekday, "bare")
                            )
                            parsed = _day_result(day, tz)
                            break
                if parsed is None:
                    continue
                kind = "weekday" if any(
                    w in phrase.lower() for w in grammar.weekdays if len(w) > 3
                ) else "relative"  # fmt: skip
                add(start, end, kind, parsed)
            except (OverflowError, ValueError):  # "in 99999 years", "(31/2)"
                continue
    out.sort(key=lambda mention: mention.start)
    return out


_BARE_YEAR = re.compile(r"(?<![\d.,:/-])(1[89]\d\d|20\d\d)(?![\d:/-]|[.,]\d)")


def _context_year(text: str, found: list[DateMention], position: int) -> int | None:
    """The year written nearest before `position` (in a date or alone), within a few
    sentences: "on 12 July 2014 ... on 13 July" is 2014, whatever the article's own date."""
    best: tuple[int, int] | None = None  # (end, year)
    for m in found:
        near = m.kind == "absolute" and m.end <= position and position - m.end <= 400
        if near and re.search(r"\d{4}", m.text) and (best is None or m.end > best[0]):
            best = (m.end, m.day.year)
    window_start = max(0, position - 200)
    for y in _BARE_YEAR.finditer(text, window_start, position):
        if best is None or y.end() > best[0]:
            best = (y.end(), int(y.group(1)))
    return best[1] if best else None
