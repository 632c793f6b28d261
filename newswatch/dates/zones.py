"""Time zones: zone words with fixed offsets, zone words read through the IANA zone, and
abbreviations that mean different zones in different places (decided by the source).
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
