"""Date normalisation: newswatch vs. htmldate alone (pages) and dateparser alone (strings).

    python benchmarks/dates.py               # the table
    python benchmarks/dates.py --verbose     # also every miss, for analysis
    python benchmarks/dates.py --json        # one JSON object
    python benchmarks/dates.py --only fundus # one section: fundus | indonesian | strings | speed

Reads `<repo>/../shared/data` (or $NEWSWATCH_SHARED_DATA); without it, says so and exits 0.

Protocol
--------
* fundus-publishers (258 pages): each page goes through the real extraction
  (`extract_article`) and `DateResolver`, with the hints a user would configure for that
  source: `language` = the publisher group's default language, `timezone` = the zone of the
  publisher's country (`COUNTRY_ZONES`, one zone per country: the capital's; a user would
  set the publisher's own). `fetched_at` = the manifest's `crawl_date`, which is Berlin wall
  time (fundus is crawled from Berlin: read as UTC, 80 of its pages would be fetched less
  than three hours after publication and one before it). Truth: `publishing_date`; a value
  without an offset is the publisher's local time (fundus' parsers keep what the page
  shows), and one that is a bare date (naive midnight, 9 pages) has no instant.
  - day accuracy: the calendar day, in the frame the truth is written in (its offset); a
    date-only result is compared by the day it names. All 258 pages.
  - instant accuracy: the same UTC minute. Pages whose truth has a time (249).
  htmldate alone: `find_date(html, original_date=True)` on the same page (called once with
  an ISO output format: its day is the default output; a time, when it gives one, read in
  the same zone newswatch is given). Without a time it has no instant (a miss).
* indonesian-news-pages (12 pages): the same path with language `id`, timezone
  `Asia/Jakarta`, `fetched_at` = now; truth `date` (epoch ms) to the minute.
* date-strings-multilingual: `date_string_expectations.jsonl` (489 cases) joined with the raw
  test parameters (`*.params.jsonl`, same test and line) for each case's own settings: its
  frozen "now" (RELATIVE_BASE, read as UTC as dateparser does), PREFER_DATES_FROM (default
  current_period, dateparser's), TIMEZONE, DATE_ORDER. Each input goes through
  `parse_machine_date` (feedparser cases) or `parse_text_date(input, lang, tz, now,
  order=, prefer=)`. A case whose test has TO_TIMEZONE (or whose expectation carries an
  offset) is compared as a UTC instant, any other as the wall time written (dateparser's
  naive result); feedparser cases to the second (it returns time tuples).
  Cases with no frozen now that take their date from the sentence (dateparser's search
  tests: "19 марта 2001. Сегодня ...", "July 12th, 2014. July 13th") are read with
  `resolve_mentions(sentence, anchor="context")` and the mention at the case's text.
  Excluded: the 10 `*_leap_year` cases, whose `expected` is really the test's relative base
  (the extraction shifted the parameters; the parameter file shows it).
  dateparser alone: `dateparser.parse` with the same language and settings (search cases:
  `search_dates` on the sentence).
  Ablation row: the same pages with JSON-LD, meta and <time> candidates removed (what the
  visible dateline, the URL and data-* attributes give alone; htmldate is not re-run).
* speed: normalisations per second, warm, on one core (the process is pinned to one CPU
  where the OS allows): every date string the fundus pages yield (machine and text, as the
  resolver reads them), and the multilingual inputs. No result cache exists to help; only
  dateparser's parsers are reused, as in a crawl.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from _unseen import PARTS, part_of  # benchmarks/_unseen.py: publishers split dev / heldout

TARGETS = {"fundus_day": 0.97, "fundus_instant": 0.90, "strings": 0.95, "speed": 1000.0}
# One zone per country: what a user would configure for a source of that country.
COUNTRY_ZONES = {
    "at": "Europe/Vienna", "au": "Australia/Sydney", "be": "Europe/Brussels",
    "ca": "America/Toronto", "ch": "Europe/Zurich", "cn": "Asia/Shanghai", "cz": "Europe/Prague",
    "de": "Europe/Berlin", "dk": "Europe/Copenhagen", "es": "Europe/Madrid", "fr": "Europe/Paris",
    "gl": "America/Nuuk", "id": "Asia/Jakarta", "il": "Asia/Jerusalem", "ind": "Asia/Kolkata",
    "isl": "Atlantic/Reykjavik", "it": "Europe/Rome", "jp": "Asia/Tokyo", "kr": "Asia/Seoul",
    "lb": "Asia/Beirut", "li": "Europe/Vaduz", "ls": "Africa/Maseru", "lt": "Europe/Vilnius",
    "lu": "Europe/Luxembourg", "mx": "America/Mexico_City", "my": "Asia/Kuala_Lumpur",
    "na": "Africa/Windhoek", "no": "Europe/Oslo", "pl": "Europe/Warsaw", "pt": "Europe/Lisbon",
    "py": "America/Asuncion", "ru": "Europe/Moscow", "se": "Europe/Stockholm",
    "tr": "Europe/Istanbul", "tw": "Asia/Taipei", "tz": "Africa/Dar_es_Salaam",
    "ua": "Europe/Kyiv", "uk": "Europe/London", "us": "America/New_York",
    "vn": "Asia/Ho_Chi_Minh", "za": "Africa/Johannesburg",
}  # fmt: skip
CRAWL_ZONE = "Europe/Berlin"  # fundus' crawl_date is Berlin wall time (see the docstring)


def shared_data_dir() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _minute(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(second=0, microsecond=0)


def _htmldate(html: str, url: str) -> str | None:
    from htmldate import find_date

    try:
        return find_date(html, url=url, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z")
    except (ValueError, TypeError):
        return None


def _htmldate_reading(found: str | None, zone: str) -> tuple[date | None, datetime | None]:
    """htmldate's day, and its instant when it gave a time (midnight = no time)."""
    if not found:
        return None, None
    day = date.fromisoformat(found[:10])
    if found.endswith("T00:00:00"):
        return day, None
    value = datetime.fromisoformat(re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", found))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return day, value.astimezone(UTC)


# ============================================================================================
# Pages
# ============================================================================================


def run_fundus(folder: Path, verbose: bool) -> dict[str, Any]:
    from newswatch.crawler.extraction.article import extract_article
    from newswatch.dates import DateResolver

    resolver = DateResolver()
    rows = [json.loads(line) for line in _lines(folder / "manifest.jsonl")]
    counts = {"pages": 0, "day": 0, "instant_pages": 0, "instant": 0, "html_day": 0,
              "html_instant": 0, "text_day": 0, "text_instant": 0}  # fmt: skip
    sources: dict[str, int] = {}
    misses: list[str] = []
    by_part = {part: {"pages": 0, "day": 0, "html_day": 0} for part in PARTS}
    strings: list[tuple[str, str, str | None, str]] = []  # for the speed section
    started = time.perf_counter()
    for row in rows:
        html = gzip.decompress((folder / row["file"]).read_bytes()).decode("utf-8", "replace")
        zone = COUNTRY_ZONES[row["country"]]
        language = row.get("group_default_language") or None
        fetched = datetime.fromisoformat(row["crawl_date"]).replace(tzinfo=ZoneInfo(CRAWL_ZONE))
        extracted = extract_article(html, row["url"])
        result = resolver.resolve_detailed(extracted.dates, language, zone, fetched)
        strings.extend((c.source, c.raw, language, zone) for c in extracted.dates)
        truth = datetime.fromisoformat(row["publishing_date"])
        date_only_truth = truth.tzinfo is None and truth.time() == datetime.min.time()
        if truth.tzinfo is None:
            truth = truth.replace(tzinfo=ZoneInfo(zone))
        frame = truth.tzinfo
        published = result.published
        got_day = got_instant = None
        if published is not None:
            sources[published.source] = sources.get(published.source, 0) + 1
            if published.has_time:
                got_day = published.instant.astimezone(frame).date()
                got_instant = published.instant
            else:
                got_day = published.instant.astimezone(ZoneInfo(zone)).date()
        html_day, html_instant = _htmldate_reading(_htmldate(html, row["url"]), zone)
        # Ablation: the page without its metadata (visible datelines, URL, data attributes).
        visible = [c for c in extracted.dates if c.source in ("text", "url", "attr")]
        alone = resolver.resolve_detailed(visible, language, zone, fetched).published
        alone_day: date | None = None
        alone_instant: datetime | None = None
        if alone is not None:
            alone_instant = alone.instant if alone.has_time else None
            seen_in = frame if alone.has_time else ZoneInfo(zone)
            alone_day = alone.instant.astimezone(seen_in).date()
        counts["pages"] += 1
        day_ok = got_day == truth.date()
        counts["day"] += day_ok
        counts["html_day"] += html_day == truth.date()
        part = part_of(row["publisher"])
        by_part[part]["pages"] += 1
        by_part[part]["day"] += day_ok
        by_part[part]["html_day"] += html_day == truth.date()
        counts["text_day"] += alone_day == truth.date()
        instant_ok = None
        if not date_only_truth:
            counts["instant_pages"] += 1
            instant_ok = got_instant is not None and _minute(got_instant) == _minute(truth)
            counts["instant"] += instant_ok
            counts["html_instant"] += html_instant is not None and _minute(html_instant) == (
                _minute(truth)
            )
            counts["text_instant"] += alone_instant is not None and _minute(alone_instant) == (
                _minute(truth)
            )
        if not day_ok or instant_ok is False:
            note = ""
            if truth > fetched + timedelta(hours=2):
                note = "  [truth is after the crawl]"
            misses.append(
                f"{part:7} {'day ' if not day_ok else '    '}"
                f"{'instant ' if instant_ok is False else '        '}"
                f"{row['file']}: truth {truth.isoformat()} got "
                f"{published.instant.isoformat() if published else None} "
                f"({published.source if published else '-'}: "
                f"{published.raw if published else ''!r}; checks {dict(result.checks)}){note}"
            )
            if verbose and part == "dev":  # held-out pages are scored, not studied
                misses.extend(
                    f"        {c.source}/{c.kind} {c.field}: {c.raw!r}" for c in extracted.dates
                )
    return {
        **counts,
        "day_accuracy": counts["day"] / counts["pages"],
        "instant_accuracy": counts["instant"] / counts["instant_pages"],
        "htmldate_day_accuracy": counts["html_day"] / counts["pages"],
        "htmldate_instant_accuracy": counts["html_instant"] / counts["instant_pages"],
        "visible_day_accuracy": counts["text_day"] / counts["pages"],
        "visible_instant_accuracy": counts["text_instant"] / counts["instant_pages"],
        "sources": dict(sorted(sources.items(), key=lambda kv: -kv[1])),
        "by_part": by_part,
        "seconds": time.perf_counter() - started,
        "misses": misses,
        "_strings": strings,
    }


def run_indonesian(folder: Path, verbose: bool) -> dict[str, Any]:
    from newswatch.crawler.extraction.article import extract_article
    from newswatch.dates import DateResolver

    resolver = DateResolver()
    zone = "Asia/Jakarta"
    fetched = datetime.now(UTC)
    ok = html_ok = total = 0
    misses: list[str] = []
    for line in _lines(folder / "expected_articles.jsonl"):
        row = json.loads(line)
        raw = (folder / row["file"]).read_bytes()
        extracted = extract_article(raw, row["url"])
        result = resolver.resolve_detailed(extracted.dates, "id", zone, fetched)
        truth = datetime.fromtimestamp(row["date"] / 1000, UTC)
        published = result.published
        good = published is not None and _minute(published.instant) == _minute(truth)
        _, html_instant = _htmldate_reading(
            _htmldate(raw.decode("utf-8", "replace"), row["url"]), zone
        )
        total += 1
        ok += good
        html_ok += html_instant is not None and _minute(html_instant) == _minute(truth)
        if not good or verbose:
            misses.append(
                f"{'ok  ' if good else 'MISS'} {row['file']}: truth "
                f"{truth.astimezone(ZoneInfo(zone)).isoformat()} got "
                f"{published.instant.astimezone(ZoneInfo(zone)).isoformat() if published else None}"
                f" ({published.source if published else '-'}: "
                f"{published.raw if published else ''!r})"
            )
    return {"pages": total, "instant": ok, "htmldate_instant": html_ok, "misses": misses}


# ============================================================================================
# Strings
# ============================================================================================

_PARAM_FILES = ("dateparser_test_date_parser.params.jsonl", "dateparser_test_search.params.jsonl")


def _case_settings(row: dict[str, Any], params: dict[tuple[str, int], dict[str, Any]]) -> str:
    """The settings text of a case: its test's settings and its own parameters'."""
    texts = [row.get("settings") or ""]
    param = params.get((row.get("test", ""), row.get("line", -1)))
    if param:
        texts += [a["expr"] for a in param.get("args", []) if isinstance(a, dict) and "expr" in a]
        settings = param.get("kwargs", {}).get("settings")
        if isinstance(settings, dict):
            texts.append(settings.get("expr", ""))
    return " ".join(texts)


def _setting(text: str, key: str) -> str | None:
    m = re.search(r"""['"]""" + re.escape(key) + r"""['"]:\s*['"]([^'"]+)['"]""", text)
    return m.group(1) if m else None


def _base(text: str) -> datetime | None:
    m = re.search(r"""RELATIVE_BASE['"]:\s*(?:datetime\.)?datetime\(([\d,\s]+)\)""", text)
    if not m:
        return None
    parts = [int(x) for x in m.group(1).split(",") if x.strip()]
    return datetime(*parts[:6]).replace(tzinfo=UTC)  # type: ignore[arg-type]


def load_string_cases(folder: Path) -> tuple[list[dict[str, Any]], int]:
    params: dict[tuple[str, int], dict[str, Any]] = {}
    for name in _PARAM_FILES:
        path = folder / name
        if path.exists():
            for line in _lines(path):
                p = json.loads(line)
                params[(p["test"], p["line"])] = p
    cases = []
    excluded = 0
    for line in _lines(folder / "date_string_expectations.jsonl"):
        row = json.loads(line)
        if row.get("test", "").endswith("_leap_year"):
            excluded += 1
            continue
        text = _case_settings(row, params)
        expected = datetime.fromisoformat(row["expected"])
        now = _base(text)
        cases.append({
            "input": row["input"],
            "lang": row.get("lang"),
            "expected": expected,
            "now": now,
            "prefer": _setting(text, "PREFER_DATES_FROM") or "current_period",
            "order": _setting(text, "DATE_ORDER"),
            "tz": _setting(text, "TIMEZONE"),
            "utc": "TO_TIMEZONE" in text or expected.tzinfo is not None,
            "feedparser": bool(row.get("parser")),
            "sentence": row.get("found_in_text") if now is None else None,
            "test": row.get("test"),
        })  # fmt: skip
    return cases, excluded


def _compare(case: dict[str, Any], instant: datetime | None, wall: datetime | None) -> bool:
    expected = case["expected"]
    if case["utc"]:
        if instant is None:
            return False
        got = instant.astimezone(UTC)
        want = expected.astimezone(UTC) if expected.tzinfo else expected.replace(tzinfo=UTC)
    else:
        if wall is None:
            return False
        got, want = wall, expected
    if case["feedparser"]:
        got, want = got.replace(microsecond=0), want.replace(microsecond=0)
    return got == want


def newswatch_string(case: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    from newswatch.dates import (
        parse_machine_date,
        parse_text_date,
        resolve_mentions,
    )

    if case["sentence"]:
        sentence = case["sentence"]
        start = sentence.find(case["input"])
        mentions = resolve_mentions(sentence, datetime.now(UTC), case["lang"], case["tz"],
                                    anchor="context")  # fmt: skip
        end = start + len(case["input"])
        for m in mentions:
            if start >= 0 and m.start < end and m.end > start:
                wall = datetime.combine(m.day, m.time or datetime.min.time())
                return m.instant, wall
        return None, None
    parsed = parse_machine_date(case["input"]) if case["feedparser"] else None
    if parsed is None:
        parsed = parse_text_date(case["input"], case["lang"], case["tz"], case["now"],
                                 order=case["order"], prefer=case["prefer"])  # fmt: skip
    if parsed is None:
        return None, None
    return parsed.instant, parsed.wall


def dateparser_string(case: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    import dateparser
    from dateparser.search import search_dates

    settings: dict[str, Any] = {"PREFER_DATES_FROM": case["prefer"]}
    if case["now"] is not None:
        settings["RELATIVE_BASE"] = case["now"].replace(tzinfo=None)
    if case["order"]:
        settings["DATE_ORDER"] = case["order"]
    if case["tz"]:
        settings["TIMEZONE"] = case["tz"]
    if case["utc"]:
        settings["TO_TIMEZONE"] = "UTC"
    languages = [case["lang"]] if case["lang"] else None
    try:
        if case["sentence"]:
            found = search_dates(case["sentence"], languages=languages, settings=settings) or []
            value = next((v for text, v in found if text == case["input"]), None)
        else:
            value = dateparser.parse(case["input"], languages=languages, settings=settings)
    except (ValueError, OverflowError, TypeError):
        value = None
    if value is None:
        return None, None
    instant = value if value.tzinfo else value.replace(tzinfo=UTC)
    return instant, value.replace(tzinfo=None)


def run_strings(folder: Path, verbose: bool) -> dict[str, Any]:
    cases, excluded = load_string_cases(folder)
    ok = dp_ok = 0
    groups = {"now": [0, 0], "sentence": [0, 0]}
    misses: list[str] = []
    for case in cases:
        instant, wall = newswatch_string(case)
        good = _compare(case, instant, wall)
        dp_instant, dp_wall = dateparser_string(case)
        dp_good = _compare(case, dp_instant, dp_wall)
        ok += good
        dp_ok += dp_good
        group = groups["sentence" if case["sentence"] else "now"]
        group[0] += good
        group[1] += 1
        if not good:
            misses.append(
                f"{case['test']}: {case['input']!r} lang={case['lang']} now={case['now']} "
                f"prefer={case['prefer']} tz={case['tz']}: expected {case['expected'].isoformat()}"
                f" got {(instant if case['utc'] else wall)}"
                f"{'  (dateparser alone: ok)' if dp_good else ''}"
            )
    return {
        "cases": len(cases),
        "excluded": excluded,
        "ok": ok,
        "accuracy": ok / len(cases),
        "dateparser_ok": dp_ok,
        "dateparser_accuracy": dp_ok / len(cases),
        "with_now": groups["now"],
        "from_sentence": groups["sentence"],
        "misses": misses,
        "_cases": cases,
    }


# ============================================================================================
# Speed
# ============================================================================================

_MACHINE = {"jsonld", "meta", "time", "attr", "url", "htmldate", "feed", "sitemap"}


def _rate(work: Callable[[], int], min_seconds: float = 1.5) -> float:
    work()  # warm: dateparser's tables and parsers, our compiled patterns
    rates = []
    for _ in range(3):
        done = 0
        started = time.perf_counter()
        while time.perf_counter() - started < min_seconds / 3:
            done += work()
        rates.append(done / (time.perf_counter() - started))
    return statistics.median(rates)


def run_speed(
    page_strings: list[tuple[str, str, str | None, str]], cases: list[dict[str, Any]]
) -> dict[str, Any]:
    import dateparser

    from newswatch.dates import parse_machine_date, parse_text_date

    pinned = False
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
            pinned = True
        except OSError:
            pinned = False
    now = datetime(2024, 10, 17, 9, 0, tzinfo=UTC)

    def pages() -> int:
        for source, raw, language, zone in page_strings:
            parsed = parse_machine_date(raw, zone) if source in _MACHINE else None
            if parsed is None:
                parse_text_date(raw, language, zone, now)
        return len(page_strings)

    strings = [c for c in cases if not c["sentence"]]

    def multilingual() -> int:
        for c in strings:
            parse_text_date(c["input"], c["lang"], c["tz"], c["now"], order=c["order"],
                            prefer=c["prefer"])  # fmt: skip
        return len(strings)

    def dateparser_alone() -> int:
        for c in strings:
            languages = [c["lang"]] if c["lang"] else None
            with contextlib.suppress(ValueError, OverflowError, TypeError):
                dateparser.parse(c["input"], languages=languages)
        return len(strings)

    result: dict[str, Any] = {"pinned_to_one_cpu": pinned}
    if page_strings:
        result["page_strings"] = len(page_strings)
        result["page_rate"] = _rate(pages)
    result["multilingual_strings"] = len(strings)
    result["multilingual_rate"] = _rate(multilingual)
    result["dateparser_rate"] = _rate(dateparser_alone)
    return result


# ============================================================================================
# Report
# ============================================================================================


def _mark(value: float, target: float) -> str:
    return "met" if value >= target else "NOT met"


def report(results: dict[str, Any], data: Path) -> None:
    import dateparser
    import htmldate

    print(
        f"newswatch dates benchmark — Python {platform.python_version()}, dateparser "
        f"{dateparser.__version__}, htmldate {getattr(htmldate, '__version__', '?')}"
    )
    print(f"data: {data}\n")
    print(f"{'':52}{'newswatch':>11}{'reference':>12}   target")
    if "fundus" in results:
        f = results["fundus"]
        print(f"fundus-publishers ({f['pages']} pages; reference: htmldate alone)")
        print(
            f"  {'day accuracy':50}{f['day_accuracy']:>11.3f}{f['htmldate_day_accuracy']:>12.3f}"
            f"   >= {TARGETS['fundus_day']:.2f}  {_mark(f['day_accuracy'], TARGETS['fundus_day'])}"
        )
        print(
            f"  {'instant accuracy, same UTC minute (' + str(f['instant_pages']) + ' pages)':50}"
            f"{f['instant_accuracy']:>11.3f}{f['htmldate_instant_accuracy']:>12.3f}"
            f"   >= {TARGETS['fundus_instant']:.2f}  "
            f"{_mark(f['instant_accuracy'], TARGETS['fundus_instant'])}"
        )
        print(f"  {'(pages right / total)':50}{f['day']:>5}/{f['pages']:<5}"
              f"{f['instant']:>5}/{f['instant_pages']} instants")  # fmt: skip
        print(
            f"  {'without metadata (datelines, URL, data-*): day':50}"
            f"{f['visible_day_accuracy']:>11.3f}{'':>12}   (ablation)"
        )
        print(f"  {'                                            instant':50}"
              f"{f['visible_instant_accuracy']:>11.3f}")  # fmt: skip
        print(f"  published_at_source: {f['sources']}  ({f['seconds']:.1f}s)")
        print("  sites never seen (publishers split as in benchmarks/extraction.py; rules are "
              "developed on dev only):")  # fmt: skip
        for part, c in f["by_part"].items():
            ours, theirs = c["day"] / c["pages"], c["html_day"] / c["pages"]
            print(
                f"    {part + ' day accuracy (' + str(c['pages']) + ' pages)':48}"
                f"{ours:>11.3f}{theirs:>12.3f}   >= htmldate + 0.03  "
                f"{_mark(ours, min(1.0, theirs + 0.03))}"
            )
    if "indonesian" in results:
        i = results["indonesian"]
        print(f"indonesian-news-pages ({i['pages']} pages, WIB; reference: htmldate alone)")
        print(
            f"  {'instant accuracy, same UTC minute':50}{i['instant']:>8}/{i['pages']:<2}"
            f"{i['htmldate_instant']:>9}/{i['pages']:<2}   all  "
            f"{'met' if i['instant'] == i['pages'] else 'NOT met'}"
        )
    if "strings" in results:
        s = results["strings"]
        print(
            f"date-strings-multilingual ({s['cases']} cases; {s['excluded']} excluded; "
            f"reference: dateparser alone)"
        )
        print(
            f"  {'accuracy':50}{s['accuracy']:>11.3f}{s['dateparser_accuracy']:>12.3f}"
            f"   >= {TARGETS['strings']:.2f}  {_mark(s['accuracy'], TARGETS['strings'])}"
        )
        now_ok, now_n = s["with_now"]
        sen_ok, sen_n = s["from_sentence"]
        print(f"    with the case's frozen now: {now_ok}/{now_n}; date from the sentence: "
              f"{sen_ok}/{sen_n}")  # fmt: skip
    if "speed" in results:
        p = results["speed"]
        cpu = "one core" if p["pinned_to_one_cpu"] else "one process (not pinned)"
        print(f"speed (normalisations/s, warm, {cpu}; reference: dateparser.parse alone)")
        if "page_rate" in p:
            print(
                f"  {'date strings of the fundus pages (' + str(p['page_strings']) + ')':50}"
                f"{p['page_rate']:>11,.0f}{'':>12}   >= {TARGETS['speed']:,.0f}  "
                f"{_mark(p['page_rate'], TARGETS['speed'])}"
            )
        print(
            f"  {'multilingual strings (' + str(p['multilingual_strings']) + ')':50}"
            f"{p['multilingual_rate']:>11,.0f}{p['dateparser_rate']:>12,.0f}   >= "
            f"{TARGETS['speed']:,.0f}  {_mark(p['multilingual_rate'], TARGETS['speed'])}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--only", choices=("fundus", "indonesian", "strings", "speed"))
    args = parser.parse_args(argv)
    data = shared_data_dir()
    if not data.is_dir():
        print(f"dates benchmark: no shared data at {data} (set NEWSWATCH_SHARED_DATA); skipped")
        return 0
    wanted = {args.only} if args.only else {"fundus", "indonesian", "strings", "speed"}
    results: dict[str, Any] = {}
    folders = {
        "fundus": data / "fundus-publishers",
        "indonesian": data / "indonesian-news-pages",
        "strings": data / "date-strings-multilingual",
    }
    missing = [name for name, path in folders.items() if name in wanted and not path.is_dir()]
    for name in missing:
        print(f"dates benchmark: {folders[name]} is missing; section {name} skipped")
        wanted.discard(name)
    if "fundus" in wanted:
        results["fundus"] = run_fundus(folders["fundus"], args.verbose)
    if "indonesian" in wanted:
        results["indonesian"] = run_indonesian(folders["indonesian"], args.verbose)
    if "strings" in wanted or "speed" in wanted:
        strings = (
            run_strings(folders["strings"], args.verbose) if folders["strings"].is_dir() else None
        )
        if strings is not None and "strings" in wanted:
            results["strings"] = strings
        if "speed" in wanted:
            page_strings = results.get("fundus", {}).get("_strings") or []
            if not page_strings and folders["fundus"].is_dir():
                page_strings = _page_strings(folders["fundus"])
            results["speed"] = run_speed(page_strings, strings["_cases"] if strings else [])
    if args.json:
        print(json.dumps({k: {kk: vv for kk, vv in v.items() if not kk.startswith("_")}
                          for k, v in results.items()}, default=str, indent=1))  # fmt: skip
        return 0
    report(results, data)
    if args.verbose:
        for name in ("fundus", "indonesian", "strings"):
            if name in results and results[name]["misses"]:
                print(f"\n{name}: misses")
                for line in results[name]["misses"]:
                    if not line.startswith("heldout"):  # scored, not studied
                        print("  " + line)
    return 0


def _page_strings(folder: Path) -> list[tuple[str, str, str | None, str]]:
    """The date strings the fundus pages yield, for the speed section alone."""
    from newswatch.crawler.extraction.article import extract_article

    out: list[tuple[str, str, str | None, str]] = []
    for line in _lines(folder / "manifest.jsonl"):
        row = json.loads(line)
        html = gzip.decompress((folder / row["file"]).read_bytes()).decode("utf-8", "replace")
        zone = COUNTRY_ZONES[row["country"]]
        language = row.get("group_default_language") or None
        out.extend(
            (c.source, c.raw, language, zone) for c in extract_article(html, row["url"]).dates
        )
    return out


if __name__ == "__main__":
    sys.exit(main())
