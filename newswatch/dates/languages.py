"""Language tables: month and weekday names from dateparser's data, and our own relative
phrases per language. Data, mostly.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

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
