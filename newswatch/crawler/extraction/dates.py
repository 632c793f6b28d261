"""Dates: find them in a page, read them in any language, resolve relative phrases.

Pure (no Scrapy, no I/O): candidate gathering runs in the extraction worker processes, the
reading runs in the date stage (`newswatch.pipelines.dates`) and in later stages that need
the dates a text mentions.

Three parts:

* **Reading one date string** — `parse_machine_date` (ISO 8601, RFC 822, epoch) and
  `parse_text_date` (dates as people write them). Text dates go through a fast path of our
  own (numeric and month-name dates, times, zones written as words) built from dateparser's
  month and weekday tables for the language, then through our relative phrases ("2 jam yang
  lalu", "Rabu lalu", "vor 2 Stunden", "вчера", "منذ ساعتين"...), and only then through
  dateparser itself, with one reused parser per language/zone/reference (its first call per
  language is slow). A date written without a zone is read in the source's zone.
* **Gathering candidates from a page** — `gather_date_candidates`: JSON-LD, meta tags of
  many vocabularies, `<time datetime>`, the URL, and visible datelines near the headline or
  in elements named for dates. Candidates are plain picklable data (`DateCandidate`).
* **Dates a text mentions** — `resolve_mentions`: "on Wednesday", "kemarin", "Jumat (6/11)",
  "12 March" in a body or a quote, resolved against the article's own date.
"""

from __future__ import annotations

import calendar
import email.utils
import importlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import chain, islice
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

# ============================================================================================
# Results
# ============================================================================================

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


# ============================================================================================
# Zones
# ============================================================================================

# Zone words with a fixed offset (minutes east of UTC).
_FIXED_ZONES: dict[str, int] = {
    "WIB": 420, "WITA": 480, "WIT": 540, "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120,
    "MET": 60, "MEST": 120, "EET": 120, "EEST": 180, "WET": 0, "WEST": 60, "GMT": 0, "UTC": 0,
    "UT": 0, "Z": 0, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "PHT": 480, "MYT": 480,
    "ICT": 420, "PKT": 300, "NPT": 345, "AEST": 600, "AEDT": 660, "ACST": 570, "ACDT": 630,
    "AWST": 480, "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240, "CDT": -300, "MST": -420,
    "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
    "ADT": -180, "NST": -210, "NDT": -150, "SAST": 120, "CAT": 120, "EAT": 180, "WAT": 60,
    "TRT": 180, "GST": 240, "ART": -180, "BRT": -180, "IRST": 210, "ЕЕТ": 120,
}  # fmt: skip
# Zone words whose offset depends on the date (read through the IANA zone).
_NAMED_ZONES: dict[str, str] = {
    "MSK": "Europe/Moscow", "МСК": "Europe/Moscow", "ET": "America/New_York",
    "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
    "AT": "America/Halifax",
}  # fmt: skip
# Abbreviations that mean different zones in different places: decided by the source.
_AMBIGUOUS_ZONES: dict[str, tuple[tuple[tuple[str, ...], int], ...]] = {
    # (zone prefixes or languages that pick this meaning, offset); the last entry is the default
    "IST": ((("Europe/Dublin", "ga"), 60), (("Asia/Jerusalem", "Asia/Tel_Aviv", "he"), 120),
            ((), 330)),
    "CST": ((("Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Asia/Macau", "zh"), 480),
            (("America/Havana",), -300), ((), -360)),
    "AST": ((("America/", "Atlantic/"), -240), ((), 180)),
    "BST": ((("Asia/Dhaka", "bn"), 360), ((), 60)),
}  # fmt: skip
_ZONE_WORDS = sorted({*_FIXED_ZONES, *_NAMED_ZONES, *_AMBIGUOUS_ZONES}, key=len, reverse=True)
_ZONE_WORD_RE = "|".join(re.escape(w) for w in _ZONE_WORDS)


@lru_cache(maxsize=512)
def zone_info(tz: str | None) -> tzinfo | None:
    """An IANA name ("Asia/Jakarta"), a zone word ("WIB") or an offset ("+07:00") -> tzinfo."""
    if not tz:
        return None
    name = tz.strip()
    offset = _offset_minutes(name)
    if offset is not None:
        return timezone(timedelta(minutes=offset))
    word = zone_word(name, None, None)
    if word is not None:
        return word
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _offset_minutes(text: str) -> int | None:
    m = re.fullmatch(r"(?:UTC|GMT)?\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?", text.strip())
    if not m:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return -minutes if m.group(1) in "-−" else minutes


def zone_word(word: str, tz: str | None, language: str | None) -> tzinfo | None:
    """The zone a written abbreviation stands for, in the context of the source."""
    key = word.upper().strip(".")
    if key in _FIXED_ZONES:
        return timezone(timedelta(minutes=_FIXED_ZONES[key]))
    if key in _NAMED_ZONES:
        return ZoneInfo(_NAMED_ZONES[key])
    if key in _AMBIGUOUS_ZONES:
        context = (tz or "", (language or "").lower())
        for prefixes, minutes in _AMBIGUOUS_ZONES[key]:
            if not prefixes or any(c and c.startswith(p) for p in prefixes for c in context):
                return timezone(timedelta(minutes=minutes))
    return None


# ============================================================================================
# Language tables (month and weekday names from dateparser's data; relative phrases ours)
# ============================================================================================

_DATA_PACKAGE = "dateparser.data.date_translation_data"
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")  # fmt: skip
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Languages tried when the page's language is unknown (month names only; cheap to add).
DEFAULT_PAGE_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "id", "ru")


def _norm_lang(language: str | None) -> str | None:
    if not language:
        return None
    code = re.split(r"[-_,;\s]", language.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


@lru_cache(maxsize=512)
def _locale_info(lang: str) -> dict[str, Any] | None:
    if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z]{2,4})?", lang):
        return None
    try:
        module = importlib.import_module(f"{_DATA_PACKAGE}.{lang}")
    except ImportError:
        return None
    info = getattr(module, "info", None)
    return info if isinstance(info, dict) else None


_LETTERS = re.compile(r"[^\W\d_]{2,}")
# Words for the language guess: anything between spaces, digits and punctuation (combining
# vowel signs, as in Bengali and Hindi, are not \w).
_WORDS = re.compile(r"[^\s\d.,;:()\[\]/|\-–—'\"]+")


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Month and weekday names of every language dateparser knows -> the languages that use
    them, and each language's rank by how common it is (dateparser's own order). Built once,
    only when a string comes without a language (~0.1 s)."""
    from dateparser.data.languages_info import language_order

    index: dict[str, dict[str, None]] = {}
    for lang in language_order:
        info = _locale_info(lang)
        if not info:
            continue
        for key in _MONTH_KEYS + _WEEKDAY_KEYS:
            for name in info.get(key, []):
                word = str(name).lower().rstrip(".")
                if len(word) >= 2 and not any(ch.isdigit() for ch in word):
                    index.setdefault(word, {})[lang] = None
    ranks = {lang: i for i, lang in enumerate(language_order)}
    return {w: tuple(langs) for w, langs in index.items()}, ranks


@lru_cache(maxsize=1)
def _day_halves() -> dict[str, str]:
    """Words for a.m./p.m. in every language dateparser knows (only those that mean the
    same in all of them): "अपराह्न" -> "p", "ip." -> "p", "午後" -> "p"."""
    from dateparser.data.languages_info import language_order

    found: dict[str, set[str]] = {}
    for lang in language_order:
        info = _locale_info(lang) or {}
        for half in ("am", "pm"):
            for word in info.get(half, []):
                word = str(word).lower().strip(" .")
                if word and not any(ch.isdigit() for ch in word):
                    found.setdefault(word, set()).add(half[0])
    return {w: next(iter(h)) for w, h in found.items() if len(h) == 1}


def _half_after(text: str, pos: int) -> str | None:
    """ "a" or "p" when a word for a.m./p.m. follows a time at `pos`."""
    m = re.match(r"\s*([^\s\d,;:()|]{1,12})", text[pos:])
    if not m:
        return None
    word = m.group(1)
    # Short Latin words are often ordinary words ("em Lisboa", "sa"): only as "ip.", "em.".
    if len(word.rstrip(".")) <= 2 and word.isascii() and not word.endswith("."):
        return None
    return _day_halves().get(word.lower().strip(" ."))


def guess_languages(text: str, limit: int = 3) -> tuple[str, ...]:
    """The languages whose month and weekday names a date string uses, most words first,
    then the most common. Dateparser's own detection tries every language and is slow."""
    words = [w for w in _WORDS.findall(text.lower()) if len(w) >= 2]
    if not words:
        return ()
    index, ranks = _vocabulary()
    scores: dict[str, int] = {}
    for word in words:
        for lang in index.get(word, ()):
            scores[lang] = scores.get(lang, 0) + 1
    ranked = sorted(scores, key=lambda lang: (-scores[lang], ranks.get(lang, 999)))
    return tuple(ranked[:limit])


def date_order(language: str | None, tz: str | None = None) -> str:
    """Order of day and month in numeric dates for a source: "MDY", "DMY" or "YMD".

    English is month-first in the Americas (and when nothing says otherwise, as the web
    mostly is), day-first elsewhere; other languages follow CLDR via dateparser's data."""
    lang = _norm_lang(language)
    if lang in (None, "en"):
        if tz and not tz.startswith(("America/", "US/", "Canada/", "Pacific/Honolulu",
                                     "Asia/Manila")):  # fmt: skip
            return "DMY"
        return "MDY"
    info = _locale_info(lang)
    order = str(info.get("date_order", "DMY")) if info else "DMY"
    return order if order in ("DMY", "MDY", "YMD") else "DMY"


# Our own relative phrases for the languages newswatch's users name most. Every other
# language goes to dateparser's freshness parser. Units: second minute hour day week month year.
# fmt: off
_REL: dict[str, dict[str, Any]] = {
    "en": {
        "units": {
            "second": "second seconds sec secs s", "minute": "minute minutes min mins m",
            "hour": "hour hours hr hrs h", "day": "day days d", "week": "week weeks wk wks w",
            "month": "month months mo mos", "year": "year years yr yrs y",
        },
        "numbers": {
            "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a few": 3, "several": 3,
        },
        "ago": [r"{N}\s*{U}\s+ago"],
        "ahead": [r"in\s+{N}\s*{U}", r"{N}\s*{U}\s+from\s+now"],
        "days": {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2},
        "periods": {
            "last week": (1, "week"), "last month": (1, "month"), "last year": (1, "year"),
            "this week": (0, "week"),
        },
        "weekdays": {
            "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
            "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5,
            "sat": 5, "sunday": 6, "sun": 6,
        },
        # Ordinary words too: understood in a date string, not looked for in running text.
        "abbreviations": "mon tue tues wed thu thur thurs fri sat sun",
        "w_lastweek": [r"(?:on\s+)?{W}\s+(?:of\s+)?last\s+week"],
        "w_last": [r"(?:on\s+)?last\s+{W}"],
        "w_next": [r"next\s+{W}", r"this\s+coming\s+{W}"],
        "w_bare": [r"(?:on\s+)?{W}"],
    },
    "id": {
        "units": {
            "second": "detik dtk", "minute": "menit mnt", "hour": "jam j", "day": "hari",
            "week": "minggu pekan mgg", "month": "bulan bln", "year": "tahun thn",
        },
        "numbers": {
            "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
            "delapan": 8, "sembilan": 9, "sepuluh": 10, "beberapa": 3,
        },
        "fused": {
            "sedetik": (1, "second"), "semenit": (1, "minute"), "sejam": (1, "hour"),
            "sehari": (1, "day"), "seminggu": (1, "week"), "sepekan": (1, "week"),
            "sebulan": (1, "month"), "setahun": (1, "year"),
        },
        "ago": [r"{N}\s*{U}\s+(?:yang\s+)?(?:lalu|silam)", r"{F}\s+(?:yang\s+)?(?:lalu|silam)"],
        "ahead": [
            r"dalam\s+{N}\s*{U}", r"{N}\s*{U}\s+(?:lagi|mendatang|ke\s+depan)",
            r"{F}\s+(?:lagi|mendatang|ke\s+depan)",
        ],
        "days": {
            "hari ini": 0, "kemarin lusa": -2, "kemarin": -1, "besok": 1, "lusa": 2,
            "tadi malam": -1,
        },
        "periods": {
            "pekan lalu": (1, "week"), "minggu lalu": (1, "week"), "bulan lalu": (1, "month"),
            "tahun lalu": (1, "year"), "pekan ini": (0, "week"), "minggu ini": (0, "week"),
        },
        "weekdays": {
            "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "jum’at": 4,
            "sabtu": 5, "minggu": 6, "ahad": 6,
        },
        "w_lastweek": [r"(?:pada\s+)?(?:hari\s+)?{W}\s+(?:pekan|minggu)\s+lalu"],
        "w_last": [r"(?:pada\s+)?(?:hari\s+)?{W}\s+(?:lalu|kemarin)"],
        "w_next": [r"(?:pada\s+)?(?:hari\s+)?{W}\s+(?:depan|mendatang)"],
        "w_bare": [r"(?:pada\s+)?(?:hari\s+)?{W}"],
    },
    "de": {
        "units": {
            "second": "sekunde sekunden sek", "minute": "minute minuten min",
            "hour": "stunde stunden std", "day": "tag tagen tage", "week": "woche wochen",
            "month": "monat monaten monate", "year": "jahr jahren jahre",
        },
        "numbers": {
            "einer": 1, "einem": 1, "ein": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4,
            "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "wenigen": 3,
            "einigen": 3,
        },
        "ago": [r"vor\s+{N}\s*{U}"],
        "ahead": [r"in\s+{N}\s*{U}"],
        "days": {"heute": 0, "gestern": -1, "vorgestern": -2, "übermorgen": 2},
        "periods": {
            "letzte woche": (1, "week"), "vergangene woche": (1, "week"),
            "vorige woche": (1, "week"), "letzten monat": (1, "month"),
            "vergangenen monat": (1, "month"), "letztes jahr": (1, "year"),
            "vergangenes jahr": (1, "year"), "diese woche": (0, "week"),
        },
        "weekdays": {
            "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5,
            "sonnabend": 5, "sonntag": 6,
        },
        "w_lastweek": [r"(?:am\s+)?{W}\s+(?:der\s+)?(?:letzten|vergangenen|vorigen)\s+woche"],
        "w_last": [r"(?:am\s+)?(?:letzten|vergangenen|vorigen)\s+{W}"],
        "w_next": [r"(?:am\s+)?(?:nächsten|kommenden)\s+{W}"],
        "w_bare": [r"(?:am\s+)?{W}"],
    },
    "ru": {
        "units": {
            "second": "секунду секунды секунд сек", "minute": "минуту минуты минут мин",
            "hour": "час часа часов ч", "day": "день дня дней сутки суток",
            "week": "неделю недели недель", "month": "месяц месяца месяцев",
            "year": "год года лет",
        },
        "numbers": {
            "одну": 1, "один": 1, "две": 2, "два": 2, "три": 3, "четыре": 4, "пять": 5,
            "несколько": 3,
        },
        "fused": {
            "секунду": (1, "second"), "минуту": (1, "minute"), "час": (1, "hour"),
            "полчаса": (30, "minute"), "день": (1, "day"), "неделю": (1, "week"),
            "месяц": (1, "month"), "год": (1, "year"),
        },
        "ago": [r"{N}\s*{U}\s+назад", r"{F}\s+назад"],
        "ahead": [r"через\s+{N}\s*{U}", r"через\s+{F}"],
        "days": {"сегодня": 0, "вчера": -1, "позавчера": -2, "завтра": 1},
        "periods": {
            "на прошлой неделе": (1, "week"), "в прошлом месяце": (1, "month"),
            "в прошлом году": (1, "year"), "на этой неделе": (0, "week"),
        },
        "weekdays": {
            "понедельник": 0, "вторник": 1, "среду": 2, "среда": 2, "четверг": 3, "пятницу": 4,
            "пятница": 4, "субботу": 5, "суббота": 5, "воскресенье": 6,
        },
        "w_last": [r"в\s+прошл(?:ую|ый|ое)\s+{W}"],
        "w_next": [r"в\s+следующ(?:ую|ий|ее)\s+{W}", r"в\s+эт(?:у|от|о)\s+{W}"],
        "w_bare": [r"(?:во?\s+)?{W}"],
    },
    "ar": {
        "units": {
            "second": "ثانية ثوان ثواني", "minute": "دقيقة دقائق", "hour": "ساعة ساعات",
            "day": "يوم أيام ايام", "week": "أسبوع أسابيع اسبوع", "month": "شهر أشهر شهور",
            "year": "سنة سنوات عام أعوام",
        },
        "numbers": {"ثلاث": 3, "ثلاثة": 3, "أربع": 4, "خمس": 5, "بضع": 3},
        "fused": {
            "ثانيتين": (2, "second"), "دقيقتين": (2, "minute"), "ساعتين": (2, "hour"),
            "يومين": (2, "day"), "أسبوعين": (2, "week"), "اسبوعين": (2, "week"),
            "شهرين": (2, "month"), "سنتين": (2, "year"), "عامين": (2, "year"),
            "ثانية": (1, "second"), "دقيقة": (1, "minute"), "ساعة": (1, "hour"), "يوم": (1, "day"),
            "أسبوع": (1, "week"), "شهر": (1, "month"), "سنة": (1, "year"), "عام": (1, "year"),
        },
        "ago": [r"(?:منذ|قبل)\s+{N}\s*{U}", r"(?:منذ|قبل)\s+{F}"],
        "ahead": [r"(?:بعد|خلال)\s+{N}\s*{U}", r"(?:بعد|خلال)\s+{F}"],
        "days": {
            "أول أمس": -2, "أمس الأول": -2, "أمس": -1, "الأمس": -1, "البارحة": -1, "اليوم": 0,
            "غدا": 1, "غدًا": 1,
        },
        "periods": {
            "الأسبوع الماضي": (1, "week"), "الاسبوع الماضي": (1, "week"),
            "الشهر الماضي": (1, "month"), "العام الماضي": (1, "year"),
            "السنة الماضية": (1, "year"),
        },
        "weekdays": {
            "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3,
            "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6,
        },
        "w_last": [r"(?:يوم\s+)?{W}\s+(?:الماضي|الفائت)"],
        "w_next": [r"(?:يوم\s+)?{W}\s+(?:المقبل|القادم)"],
        "w_bare": [r"(?:يوم\s+)?{W}"],
    },
    "fr": {
        "units": {
            "second": "seconde secondes s", "minute": "minute minutes min mn",
            "hour": "heure heures h", "day": "jour jours j", "week": "semaine semaines",
            "month": "mois", "year": "an ans année années",
        },
        "numbers": {"une": 1, "un": 1, "deux": 2, "trois": 3, "quelques": 3},
        "ago": [r"il\s+y\s+a\s+{N}\s*{U}"],
        "ahead": [r"dans\s+{N}\s*{U}"],
        "days": {"aujourd'hui": 0, "aujourd’hui": 0, "hier": -1, "avant-hier": -2, "demain": 1},
        "periods": {
            "la semaine dernière": (1, "week"), "le mois dernier": (1, "month"),
            "l'année dernière": (1, "year"), "l’année dernière": (1, "year"),
        },
        "weekdays": {
            "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
            "dimanche": 6,
        },
        "w_last": [r"(?:le\s+)?{W}\s+dernier"],
        "w_next": [r"(?:le\s+)?{W}\s+prochain"],
        "w_bare": [r"(?:le\s+)?{W}"],
    },
    "es": {
        "units": {
            "second": "segundo segundos seg", "minute": "minuto minutos min",
            "hour": "hora horas h", "day": "día días dia dias", "week": "semana semanas",
            "month": "mes meses", "year": "año años",
        },
        "numbers": {"un": 1, "una": 1, "dos": 2, "tres": 3, "unos": 3, "unas": 3},
        "ago": [r"hace\s+{N}\s*{U}"],
        "ahead": [r"dentro\s+de\s+{N}\s*{U}"],
        "days": {"hoy": 0, "ayer": -1, "anteayer": -2, "antier": -2},
        "periods": {
            "la semana pasada": (1, "week"), "el mes pasado": (1, "month"),
            "el año pasado": (1, "year"),
        },
        "weekdays": {
            "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4,
            "sábado": 5, "sabado": 5, "domingo": 6,
        },
        "w_last": [r"(?:el\s+)?{W}\s+pasado"],
        "w_next": [r"(?:el\s+)?{W}\s+(?:próximo|proximo|que\s+viene)"],
        "w_bare": [r"(?:el\s+)?{W}"],
    },
}
# fmt: on
_REL["ms"] = _REL["id"]  # Malay shares the Indonesian forms


def _alt(words: Iterable[str]) -> str:
    """An alternation of words as a prefix tree ("jan(?:uary|uar)?|..."): Python's regex
    engine tries alternatives one by one, so hundreds of month names cost hundreds of
    attempts at every letter; a tree costs one per character. Longest match first."""
    trie: dict[str, Any] = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # "": a word ends here, longer go on

    return build(trie)


class _Relative:
    """Compiled relative-phrase grammar for one language."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.units = {w: unit for unit, words in spec["units"].items() for w in words.split()}
        self.numbers = dict(spec.get("numbers", {}))
        self.fused = dict(spec.get("fused", {}))
        self.days = dict(spec["days"])
        self.periods = dict(spec["periods"])
        self.weekdays = dict(spec["weekdays"])
        n = r"(?P<n>\d+(?:[.,]\d+)?|" + _alt(self.numbers) + ")"
        u = r"(?P<u>" + _alt(self.units) + r")(?!\w)"
        f = r"(?P<f>" + _alt(self.fused) + r")(?!\w)(?!\s*\d)" if self.fused else r"(?!x)x"
        w = r"(?P<w>" + _alt(self.weekdays) + r")(?!\w)"
        self.ago = [re.compile(p.format(N=n, U=u, F=f), re.I) for p in spec["ago"]]
        self.ahead = [re.compile(p.format(N=n, U=u, F=f), re.I) for p in spec.get("ahead", [])]
        self.w_lastweek = [re.compile(p.format(W=w), re.I) for p in spec.get("w_lastweek", [])]
        self.w_last = [re.compile(p.format(W=w), re.I) for p in spec["w_last"]]
        self.w_next = [re.compile(p.format(W=w), re.I) for p in spec["w_next"]]
        self.w_bare = [re.compile(p.format(W=w), re.I) for p in spec["w_bare"]]
        self.days_re = re.compile(r"(?<!\w)(?:" + _alt(self.days) + r")(?!\w)", re.I)
        self.periods_re = re.compile(r"(?<!\w)(?:" + _alt(self.periods) + r")(?!\w)", re.I)
        # One scanning pattern, so that a body is read in one pass.
        parts = [p.pattern for p in self.ago + self.ahead + self.w_lastweek + self.w_last
                 + self.w_next]  # fmt: skip
        parts = [re.sub(r"\(\?P<\w+>", "(?:", p) for p in parts]
        parts += [self.periods_re.pattern, self.days_re.pattern]
        parts += [re.sub(r"\(\?P<\w+>", "(?:", p.pattern) for p in self.w_bare]
        abbreviations = set(spec.get("abbreviations", "").split())
        if abbreviations:  # running text: full weekday names only
            full = r"(?:" + _alt(set(self.weekdays) - abbreviations) + r")(?!\w)"
            parts = [p.replace(w.replace("(?P<w>", "(?:"), full) for p in parts]
        self.scan = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in parts) + r")(?!\w)",
                               re.I)  # fmt: skip

    def number(self, text: str) -> float | None:
        text = text.lower()
        if text in self.numbers:
            return float(self.numbers[text])
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return None


@lru_cache(maxsize=32)
def _relative(lang: str | None) -> _Relative | None:
    spec = _REL.get(lang or "")
    return _Relative(spec) if spec else None


# ============================================================================================
# Absolute dates: our fast path (month names per language from dateparser's data)
# ============================================================================================

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


# ============================================================================================
# Reading machine-written dates
# ============================================================================================

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


# ============================================================================================
# Reading dates as people write them
# ============================================================================================

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


# ---- dateparser, the fallback ---------------------------------------------------------------


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


# ============================================================================================
# Dates a text mentions (body, quotes), resolved against the article's own date
# ============================================================================================

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


# ============================================================================================
# Candidates from a page
# ============================================================================================


@dataclass(slots=True)
class DateCandidate:
    """One date a page (or a feed) declares: where it came from and the text as written.

    `source`: jsonld | meta | time | attr | url | text | htmldate (page), feed | sitemap (entry);
    `kind`: published | modified; `field`: the JSON-LD key, meta name or label it came with;
    `rank`: order within its source, 0 = the most telling (nearest the headline)."""

    source: str
    raw: str
    kind: str = "published"
    field: str = ""
    rank: int = 0


# Meta names (lower case) that carry the publication date, most telling first.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "datepublished", "published_time", "article.published",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "dc.date", "dcterms.date", "citation_publication_date",
    "citation_online_date", "citation_date", "prism.publicationdate", "publication_date",
    "publication-date", "publish_date", "publish-date", "publishdate", "pubdate", "date_published",
    "originalpublicationdate", "article_date_original", "cxenseparse:recs:publishtime",
    "date.available", "displaydate", "rnews:datepublished", "bt:pubdate", "dc.created",
    "datecreated", "created", "ptime", "pdate", "release_date", "date", "og:pubdate",
    "article:post_date", "article.created", "nv:date", "timestamp", "dc.date.published",
)  # fmt: skip
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "article:modified", "datemodified",
    "modified_time", "dcterms.modified", "dc.date.modified", "article.updated", "last-modified",
    "lastmod", "revised", "eomportal-lastupdate", "utime", "updated_time", "date.modified",
    "parsely-updated", "sailthru.lastmodified", "article:updated_time", "dc.modified",
)  # fmt: skip
_META_PUBLISHED_RANK = {key: i for i, key in enumerate(PUBLISHED_META)}
_META_MODIFIED_RANK = {key: i for i, key in enumerate(MODIFIED_META)}
_META_PUBLISHED_GUESS = re.compile(r"publi|pub_?date|issued|created|release")
_META_MODIFIED_GUESS = re.compile(r"modif|updated|lastmod|revis")
_DATEISH = re.compile(r"(?:19|20)\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2}|^\d{10,13}$")
_META_NOT_DATES = re.compile(r"expir|image|author|section|tag|url|title|type|desc|count|id$")

_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/._-]|$)"
    r"|/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/._-]|$)"
)
# Elements whose class or id names a dateline (XPath, so that lxml does the looking).
_DATELINE_HINTS = ("date", "time", "byline", "publish", "posted", "datum", "tanggal", "fecha",
                   "data", "schedule", "stamp", "zeit", "meta", "info", "author", "autor",
                   "credit", "article-header", "headline", "kicker", "tarih")  # fmt: skip
_HINTED_TAGS = ("div", "span", "p", "small", "li", "em", "strong", "b", "a", "header", "section",
                "ul", "abbr", "font", "td", "dd", "footer")  # fmt: skip
_HINTED_TAG_SET = frozenset(_HINTED_TAGS)
_XP_HINTED = etree.XPath(
    "//*[" + " or ".join(f"self::{tag}" for tag in _HINTED_TAGS) + "][@class or @id]"
)
_HINTED_AFTER = 150  # elements with a class or id looked at after the headline ...
_HINTED_BEFORE = 60  # ... and before it
_TEXTS_AFTER = 400  # text nodes after the headline ...
_TEXTS_BEFORE = 80  # ... and before it
_HINT_RE = re.compile(_alt(_DATELINE_HINTS))

# The walks below are XPath axes from the headline (following::, preceding::) done with
# lxml's own iteration and lazily, since the callers stop after a few datelines: XPath builds
# the whole node set first, and its preceding:: axis and tag tests are slow on big pages.
# Each yields what its XPath would, in the same order and within the same position limits.


def _following(el: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """following::*[tag in tags], document order."""
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter(*tags)
        node = node.getparent()


def _preceding(el: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """preceding::*[tag in tags] (the ancestors are not on that axis), nearest first."""
    node = el
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            yield from reversed(list(sibling.iter(*tags)))
        node = node.getparent()


def _preceding_elements(el: Any) -> Iterator[Any]:
    """preceding::*, nearest first, visiting no more of the tree than is taken."""
    node = el
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            # The sibling's subtree in reverse document order: the children from the last
            # one, each subtree before its root.
            stack: list[tuple[Any, bool]] = [(sibling, False)]
            while stack:
                current, expanded = stack.pop()
                if expanded:
                    yield current
                elif isinstance(current.tag, str):
                    stack.append((current, True))
                    stack.extend((child, False) for child in current.iterchildren())
        node = node.getparent()


def _with_class_or_id(elements: Iterable[Any]) -> Iterator[Any]:
    return (el for el in elements if el.get("class") is not None or el.get("id") is not None)


def _hinted_near(headline: Any) -> Iterator[Any]:
    """Elements named for datelines: following::X[@class or @id][position() <= 150], then
    preceding::X[@class or @id][position() <= 60] nearest first (X: one of _HINTED_TAGS)."""
    after = _with_class_or_id(_following(headline, _HINTED_TAGS))
    before = _with_class_or_id(
        el for el in _preceding_elements(headline) if el.tag in _HINTED_TAG_SET
    )
    for el in chain(islice(after, _HINTED_AFTER), islice(before, _HINTED_BEFORE)):
        if _hinted(el):
            yield el


def _texts_within(el: Any) -> Iterator[tuple[str, Any]]:
    """The text nodes inside `el` (not its tail), document order, each with the node lxml
    calls its parent (the element for its text, the node before it for a tail)."""
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if isinstance(node.tag, str) and node.text is not None:
                yield node.text, node
        elif node is not el and node.tail is not None:
            yield node.tail, node


def _texts_after(el: Any) -> Iterator[tuple[str, Any]]:
    """following::text()[position() <= 400], document order."""
    return islice(_following_texts(el), _TEXTS_AFTER)


def _following_texts(el: Any) -> Iterator[tuple[str, Any]]:
    node = el
    while node is not None:
        if node.tail is not None:
            yield node.tail, node
        for sibling in node.itersiblings():
            yield from _texts_within(sibling)
            if sibling.tail is not None:
                yield sibling.tail, sibling
        node = node.getparent()


def _texts_before(el: Any) -> Iterator[tuple[str, Any]]:
    """preceding::text()[position() <= 80], nearest first."""
    return islice(_preceding_texts(el), _TEXTS_BEFORE)


def _preceding_texts(el: Any) -> Iterator[tuple[str, Any]]:
    node = el
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            # Reverse document order: the sibling's tail, then for each child from the last
            # one its tail and its own texts, then the sibling's text.
            stack: list[tuple[str, Any]] = [("node", sibling), ("tail", sibling)]
            while stack:
                what, current = stack.pop()
                if what == "tail":
                    if current.tail is not None:
                        yield current.tail, current
                elif what == "text":
                    if current.text is not None:
                        yield current.text, current
                elif isinstance(current.tag, str):
                    stack.append(("text", current))
                    for child in current.iterchildren():
                        stack.append(("node", child))
                        stack.append(("tail", child))
        parent = node.getparent()
        if parent is not None and parent.text is not None:
            yield parent.text, parent
        node = parent


def _visible(texts: Iterable[tuple[str, Any]]) -> Iterator[str]:
    """Text nodes that are shown: not blank, not inside a script, style or the like."""
    for text, owner in texts:
        if not text.strip():
            continue
        tag = owner.tag if owner is not None else None
        if isinstance(tag, str) and tag in _SKIP_TAGS:
            continue
        yield str(text)


def _hinted(el: Any) -> bool:
    names = ((el.get("class") or "") + " " + (el.get("id") or "")).lower()
    return _HINT_RE.search(names) is not None


_MODIFIED_LABEL = re.compile(
    r"(?:updated?|last updated|aktualisiert|zuletzt|mis à jour|actualizado|actualización"
    r"|atualizado|aggiornato|diperbarui|bijgewerkt|oppdatert|uppdaterad|opdateret|обновлено"
    r"|güncelleme|güncellendi|zaktualizowano|aktualizováno|更新)\W{0,3}(?:\w+\W{1,3}){0,2}$",
    re.I,
)
_PUBLISHED_LABEL = re.compile(
    r"(?:published|posted|veröffentlicht|erstellt|publié|publicado|pubblicato|diterbitkan"
    r"|dipublikasikan|gepubliceerd|publisert|publicerad|publiceret|опубликовано|yayınlanma"
    r"|opublikowano|publikováno|公開|发布|發布|online seit|publiziert)\W{0,3}(?:\w+\W{1,3}){0,2}$",
    re.I,
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "option",
                        "button", "form", "iframe", "textarea", "head", "title"})  # fmt: skip
_NEAR_AFTER_CHARS = 1500  # text after the headline searched for a dateline
_NEAR_BEFORE_CHARS = 300  # and before it (kickers, datelines above the headline)
_MAX_TIME_ELEMENTS = 6
_MAX_HINTED = 12


def gather_date_candidates(
    tree: Any,
    article_ld: dict[str, Any] | None,
    meta: dict[str, str],
    url: str,
    jsonld: Sequence[dict[str, Any]] = (),
    language: str | None = None,
) -> list[DateCandidate]:
    """Every date the page declares or shows, as written, with where it came from.

    `article_ld` is the page's article object in JSON-LD (if any); `jsonld` the other JSON-LD
    objects (read when there is no article object); `meta` the page's meta names (lower
    case) -> content; `language` the page's language, for month names in visible text."""
    out: list[DateCandidate] = []
    out.extend(_jsonld_candidates(article_ld, jsonld))
    out.extend(_meta_candidates(meta))
    lang = (
        _norm_lang(language)
        or _norm_lang(tree.get("lang") if tree is not None else None)
        or _norm_lang(meta.get("og:locale") or meta.get("content-language"))
    )
    headline = _headline(tree, meta) if tree is not None else None
    times, texts = _page_candidates(tree, meta, lang, headline)
    out.extend(times)
    out.extend(_url_candidates(url))
    out.extend(texts)
    out.extend(_attribute_candidates(tree, headline))
    return out


def _ld_value(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("@value")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _jsonld_candidates(
    article_ld: dict[str, Any] | None, jsonld: Sequence[dict[str, Any]]
) -> list[DateCandidate]:
    out: list[DateCandidate] = []
    keys = (("datePublished", "published"), ("dateCreated", "published"),
            ("uploadDate", "published"), ("dateModified", "modified"))  # fmt: skip
    objects: list[tuple[dict[str, Any], str]] = []
    if article_ld:
        objects.append((article_ld, "article"))
    else:
        for obj in jsonld:
            kind = obj.get("@type")
            name = (kind[0] if isinstance(kind, list) and kind else kind) or "Thing"
            objects.append((obj, str(name)))
    for rank, (obj, name) in enumerate(objects[:8]):
        for key, kind in keys:
            value = _ld_value(obj.get(key))
            if value:
                out.append(DateCandidate("jsonld", value, kind, f"{name}.{key}", rank))
    return out


def _meta_candidates(meta: dict[str, str]) -> list[DateCandidate]:
    out: list[DateCandidate] = []
    for key, value in meta.items():
        if not value or len(value) > 80 or not _DATEISH.search(value):
            continue
        if key in _META_PUBLISHED_RANK:
            out.append(DateCandidate("meta", value, "published", key, _META_PUBLISHED_RANK[key]))
        elif key in _META_MODIFIED_RANK:
            out.append(DateCandidate("meta", value, "modified", key, _META_MODIFIED_RANK[key]))
        elif _META_NOT_DATES.search(key):
            continue
        elif _META_MODIFIED_GUESS.search(key):
            out.append(DateCandidate("meta", value, "modified", key, 100))
        elif _META_PUBLISHED_GUESS.search(key):
            out.append(DateCandidate("meta", value, "published", key, 100))
    out.sort(key=lambda c: c.rank)
    return out


# data-* attributes named for dates ("data-deploy-dt", "data-published", "data-timestamp").
_DATA_ATTR = "@*[starts-with(name(), 'data-')]"
_ATTR_XPATH = etree.XPath("//" + _DATA_ATTR)
# Near the headline: its containers (<article data-published=...>) and the elements around.
_ATTR_NEAR_XPATH = etree.XPath(
    f"ancestor-or-self::*/{_DATA_ATTR} | following::*[position() <= 300]/{_DATA_ATTR}"
    f" | preceding::*[position() <= 100]/{_DATA_ATTR}"
)
_ATTR_NAME = re.compile(r"publish|date|deploy|-dt|time|created|modified")
_ATTR_MODIFIED = re.compile(r"modif|updat|re-?deploy|edit|revis", re.I)
_ATTR_SKIP = re.compile(r"format|zone|ago|duration|timeout|delay|interval|expir|end|start|tz",
                        re.I)  # fmt: skip
_MAX_ATTRIBUTES = 8


def _attribute_candidates(tree: Any, headline: Any = None) -> list[DateCandidate]:
    """Dates in data-* attributes named for them, near the headline (first in the
    document first)."""
    if tree is None:
        return []
    out: list[DateCandidate] = []
    seen: set[tuple[str, str]] = set()
    try:
        values = _ATTR_NEAR_XPATH(headline) if headline is not None else _ATTR_XPATH(tree)
    except Exception:  # noqa: BLE001 - lxml raises several kinds on odd trees
        return []
    for value in values:
        name = str(getattr(value, "attrname", ""))
        if not _ATTR_NAME.search(name):
            continue
        text = str(value).strip()
        if _ATTR_SKIP.search(name) or not 8 <= len(text) <= 40 or not _DATEISH.search(text):
            continue
        kind = "modified" if _ATTR_MODIFIED.search(name) else "published"
        if (kind, text) in seen:
            continue
        seen.add((kind, text))
        out.append(DateCandidate("attr", text, kind, name[:40], len(out)))
        if len(out) >= _MAX_ATTRIBUTES:
            break
    return out


def _url_candidates(url: str) -> list[DateCandidate]:
    m = _URL_DATE.search(url)
    if not m:
        return []
    parts = [p for p in m.groups() if p]
    return [DateCandidate("url", "{}-{:0>2}-{:0>2}".format(*parts), "published", "path")]


def _headline(tree: Any, meta: dict[str, str]) -> Any:
    """The page's headline element: the h1 that matches the declared title, else the first."""
    h1s = [h for h in tree.iter("h1") if (h.text_content() or "").strip()]
    if not h1s:
        return None
    title = re.sub(r"\W+", " ", (meta.get("og:title") or meta.get("twitter:title") or "")).lower()
    if title:
        for h in h1s:
            text = re.sub(r"\W+", " ", h.text_content()).strip().lower()
            if text and (text in title or title.strip() in text):
                return h
    return h1s[0]


def _page_candidates(
    tree: Any, meta: dict[str, str], lang: str | None, headline: Any
) -> tuple[list[DateCandidate], list[DateCandidate]]:
    """`<time datetime>` elements and visible datelines, nearest the headline first."""
    if tree is None:
        return [], []
    # <time> and elements named for datelines: those after the headline first (nearest
    # first), then those before it (nearest first); XPath, so that lxml does the walking.
    hinted: Iterable[Any]
    if headline is not None:
        # descendant::time | following::time, then preceding::time nearest first
        times = [el for el in headline.iter("time") if el is not headline]
        times += _following(headline, ("time",))
        times += _preceding(headline, ("time",))
        hinted = _hinted_near(headline)
    else:
        times = list(tree.iter("time"))
        hinted = [el for el in _XP_HINTED(tree) if _hinted(el)]
    absolute = _absolute(_page_languages(lang))
    order = date_order(lang, None)

    time_out: list[DateCandidate] = []
    for rank, el in enumerate(times):
        value = (el.get("datetime") or "").strip()
        if value and len(time_out) < _MAX_TIME_ELEMENTS:
            kind = "modified" if _label_kind(el) == "modified" else "published"
            time_out.append(DateCandidate("time", value, kind, "time", rank))
    text_out: list[DateCandidate] = []
    seen: set[str] = set()

    def add_spans(text: str, rank: int, field: str, long_from: list[tuple[int, int]]) -> None:
        """Rank: the base for where the text is, then one per earlier date in it, three
        more without a time (datelines have one), six more inside a long text (a sentence
        of the body mentions a date; a dateline is short)."""
        for order_in_text, (raw, kind, start, timed) in enumerate(
            _dateline_spans(text, absolute, order, lang)
        ):
            if raw in seen:
                continue
            seen.add(raw)
            in_long = any(a <= start < b for a, b in long_from)
            score = rank + order_in_text + (0 if timed else 3) + (6 if in_long else 0)
            text_out.append(DateCandidate("text", raw, kind, field, score))

    # Text near the headline: after it (bylines, datelines), then a little before it.
    if headline is not None:
        window, long_parts = _join_limited(_visible(_texts_after(headline)), _NEAR_AFTER_CHARS)
        add_spans(window, 0, "near-headline", long_parts)
        before = _visible(_texts_before(headline))  # nearest first
        window, long_parts = _join_limited(before, _NEAR_BEFORE_CHARS, reverse=True)
        add_spans(window, 2, "above-headline", long_parts)
    # Elements named for dates, nearest the headline first; <time> without a machine value.
    count = 0
    for el in chain(islice(hinted, 400), [el for el in times if not el.get("datetime")]):
        text = re.sub(r"\s+", " ", el.text_content() or "").strip()
        if not 6 <= len(text) <= 160:
            continue
        add_spans(text, 4 + count, "named:" + (el.get("class") or el.get("id") or el.tag)[:40], [])
        count += 1
        if count >= _MAX_HINTED:
            break
    return time_out, text_out


def _page_languages(lang: str | None) -> tuple[str, ...]:
    """The declared language first, then the common ones: pages often declare a wrong one
    (an Indonesian portal with <html lang="en">)."""
    first = (lang,) if lang and _locale_info(lang) is not None else ()
    return tuple(dict.fromkeys((*first, "en", *DEFAULT_PAGE_LANGUAGES)))


_LONG_SEGMENT = 150  # characters: longer texts are sentences of the body, not datelines


def _join_limited(
    parts: Iterable[str], limit: int, reverse: bool = False
) -> tuple[str, list[tuple[int, int]]]:
    """Texts joined with " | " up to about `limit` characters, and where the long ones are."""
    taken: list[str] = []
    size = 0
    for part in parts:
        part = re.sub(r"\s+", " ", part).strip()
        taken.append(part)
        size += len(part) + 1
        if size >= limit:
            break
    if reverse:
        taken.reverse()
    joined = " | ".join(taken)[: limit + 200]
    long_parts: list[tuple[int, int]] = []
    offset = 0
    for part in taken:
        if len(part) > _LONG_SEGMENT:
            long_parts.append((offset, offset + len(part)))
        offset += len(part) + 3
    return joined, long_parts


def _label_kind(el: Any) -> str:
    attrs = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
    parent = el.getparent()
    if parent is not None:
        attrs += " " + " ".join(filter(None, (parent.get("class"), parent.get("itemprop"))))
    if re.search(r"modif|updat|aktualis", attrs, re.I):
        return "modified"
    return "published"


def _dateline_spans(
    text: str, absolute: _Absolute, order: str, lang: str | None
) -> list[tuple[str, str, int, bool]]:
    """Dates (with year) in a short visible text, with their time and zone, each as written,
    whether a label before it says it is the modification date, where it starts and
    whether it has a time."""
    out: list[tuple[str, str, int, bool]] = []
    reached = 0
    for span in _date_spans(text, absolute, order):
        if len(out) >= 6:
            break
        if span.start < reached:
            continue
        _attach_time(text, span, None, lang)
        start = span.start
        if span.hour is not None and span.time_end and span.time_end <= span.start:
            start = min(start, _time_start(text, span.start))
        raw = text[start : span.end].strip(" ,|•·-–")
        before = text[max(0, start - 40) : start]
        kind = "modified" if _MODIFIED_LABEL.search(before) else "published"
        weekday = _weekday_before(text, start, absolute)
        if weekday:
            raw = text[weekday:start] + raw
        if len(raw) <= 80:
            out.append((raw.strip(), kind, start, span.hour is not None))
        reached = span.end
    return out


def _time_start(text: str, date_start: int) -> int:
    """Start of the last time written just before a date ("12:20pm Jan 7, 2024")."""
    found = list(_TIME_RE.finditer(text, max(0, date_start - 30), date_start))
    return found[-1].start() if found else date_start


def _weekday_before(text: str, start: int, absolute: _Absolute) -> int | None:
    """Start of a weekday name written just before a date ("Kamis, 5 November 2015")."""
    m = re.search(r"(\w+)\.?,?\s*$", text[max(0, start - 20) : start])
    if m and m.group(1).lower() in absolute.weekdays:
        return max(0, start - 20) + m.start()
    return None
