"""The date stage: reading dates in many languages, relative phrases against a frozen
reference, zone words, the sanity checks of the resolver, the pipeline's fallback, and the
dates a body mentions."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from scrapy.utils.test import get_crawler

from newswatch.crawler.extraction.article import extract_article
from newswatch.dates import (
    DateCandidate,
    DateResolver,
    date_order,
    gather_date_candidates,
    guess_languages,
    parse_machine_date,
    parse_text_date,
    resolve_mentions,
)
from newswatch.pipelines.dates import DatesPipeline
from newswatch.records import Article

# A Thursday, 09:00 local time in each zone used below.
THURSDAY = date(2024, 10, 17)
ZONES = {
    "id": "Asia/Jakarta",
    "en": "Europe/London",
    "de": "Europe/Berlin",
    "ru": "Europe/Moscow",
    "ar": "Asia/Riyadh",
}


def reference(lang: str) -> datetime:
    return datetime(2024, 10, 17, 9, 0, tzinfo=ZoneInfo(ZONES[lang])).astimezone(UTC)


def local_day(parsed_instant: datetime, lang: str) -> date:
    return parsed_instant.astimezone(ZoneInfo(ZONES[lang])).date()


# ============================================================================================
# Relative phrases, each language, frozen reference (Thursday 17 October 2024, 09:00 local)
# ============================================================================================

DAY_PHRASES = [
    # (language, phrase, expected local day)
    ("id", "kemarin", date(2024, 10, 16)),
    ("id", "pekan lalu", date(2024, 10, 10)),
    ("id", "minggu lalu", date(2024, 10, 10)),  # "minggu" is a week here, not a Sunday
    ("id", "Pada hari Rabu", date(2024, 10, 16)),
    ("id", "hari Rabu", date(2024, 10, 16)),
    ("id", "Rabu lalu", date(2024, 10, 16)),
    ("id", "Rabu pekan lalu", date(2024, 10, 9)),
    ("id", "kemarin lusa", date(2024, 10, 15)),
    ("de", "gestern", date(2024, 10, 16)),
    ("de", "am Mittwoch", date(2024, 10, 16)),
    ("de", "letzten Mittwoch", date(2024, 10, 16)),
    ("de", "vorgestern", date(2024, 10, 15)),
    ("ru", "вчера", date(2024, 10, 16)),
    ("ru", "в среду", date(2024, 10, 16)),
    ("ru", "в прошлую среду", date(2024, 10, 16)),
    ("ru", "позавчера", date(2024, 10, 15)),
    ("ar", "أمس", date(2024, 10, 16)),
    ("ar", "يوم الأربعاء", date(2024, 10, 16)),
    ("ar", "الأربعاء الماضي", date(2024, 10, 16)),
    ("en", "yesterday", date(2024, 10, 16)),
    ("en", "last Wednesday", date(2024, 10, 16)),
    ("en", "on Wednesday", date(2024, 10, 16)),
    ("en", "last week", date(2024, 10, 10)),
    ("en", "on Thursday", THURSDAY),  # the reference's own weekday: today
    ("en", "last Thursday", date(2024, 10, 10)),
]


@pytest.mark.parametrize(("lang", "phrase", "expected"), DAY_PHRASES)
def test_relative_day_phrases(lang: str, phrase: str, expected: date) -> None:
    parsed = parse_text_date(phrase, lang, ZONES[lang], reference(lang))
    assert parsed is not None, phrase
    assert parsed.relative
    assert parsed.local_day(ZONES[lang]) == expected
    assert not parsed.has_time


AGO_PHRASES = [
    # (language, phrase, hours before the reference)
    ("id", "2 jam yang lalu", 2),
    ("id", "2 jam lalu", 2),
    ("id", "sejam yang lalu", 1),
    ("id", "30 menit yang lalu", 0.5),
    ("de", "vor 2 Stunden", 2),
    ("de", "vor einer Stunde", 1),
    ("ru", "2 часа назад", 2),
    ("ru", "час назад", 1),
    ("ar", "منذ ساعتين", 2),
    ("ar", "منذ ساعة", 1),
    ("ar", "منذ 3 ساعات", 3),
    ("en", "2 hours ago", 2),
    ("en", "an hour ago", 1),
    ("en", "1h ago", 1),
]


@pytest.mark.parametrize(("lang", "phrase", "hours"), AGO_PHRASES)
def test_relative_time_phrases(lang: str, phrase: str, hours: float) -> None:
    ref = reference(lang)
    parsed = parse_text_date(phrase, lang, ZONES[lang], ref)
    assert parsed is not None, phrase
    assert parsed.instant == ref - timedelta(hours=hours)
    assert parsed.has_time and parsed.relative


def test_relative_day_is_the_local_day_not_the_utc_one() -> None:
    # 01:00 WIB on Thursday is still Wednesday in UTC: "kemarin" is Wednesday, local.
    ref = datetime(2024, 10, 17, 1, 0, tzinfo=ZoneInfo("Asia/Jakarta")).astimezone(UTC)
    parsed = parse_text_date("kemarin", "id", "Asia/Jakarta", ref)
    assert parsed is not None and parsed.local_day("Asia/Jakarta") == date(2024, 10, 16)
    assert parsed.instant == datetime(2024, 10, 15, 17, 0, tzinfo=UTC)  # local midnight


def test_relative_day_with_a_time() -> None:
    ref = reference("de")
    parsed = parse_text_date("gestern, 18:25 Uhr", "de", "Europe/Berlin", ref)
    assert parsed is not None
    assert parsed.instant == datetime(2024, 10, 16, 16, 25, tzinfo=UTC)
    parsed = parse_text_date("Online seit heute, 7.57 Uhr", "de", "Europe/Vienna", ref)
    assert parsed is not None
    assert parsed.instant == datetime(2024, 10, 17, 5, 57, tzinfo=UTC)


def test_future_phrases() -> None:
    ref = reference("ru")
    parsed = parse_text_date("через неделю", "ru", "Europe/Moscow", ref)
    assert parsed is not None and parsed.local_day("Europe/Moscow") == date(2024, 10, 24)
    parsed = parse_text_date("in 2 days", "en", "Europe/London", reference("en"))
    assert parsed is not None and parsed.local_day("Europe/London") == date(2024, 10, 19)


def test_dateparser_reads_languages_without_our_phrases() -> None:
    ref = datetime(2024, 10, 17, 9, 0, tzinfo=UTC)
    parsed = parse_text_date("il y a 2 heures", "fr", "UTC", ref)
    assert parsed is not None and parsed.instant == ref - timedelta(hours=2)
    parsed = parse_text_date("2 hónappal ezelőtt", "hu", "UTC", ref)
    assert parsed is not None and parsed.local_day("UTC") == date(2024, 8, 17)


# ============================================================================================
# Absolute dates, zone words
# ============================================================================================

ZONE_CASES = [
    # (text, language, source zone, expected UTC)
    ("Kamis, 5 November 2015 14:56 WIB", "id", None, datetime(2015, 11, 5, 7, 56)),
    ("Kamis, 5 November 2015 14:56 WITA", "id", None, datetime(2015, 11, 5, 6, 56)),
    ("Kamis, 5 November 2015 14:56 WIT", "id", None, datetime(2015, 11, 5, 5, 56)),
    ("Kamis, 5 November 2015 - 15:56 wib", "id", None, datetime(2015, 11, 5, 8, 56)),
    ("Selasa, 23/02/2016 15:32 WIB", "id", None, datetime(2016, 2, 23, 8, 32)),
    ("15 мая 2024 г. 14:30 МСК", "ru", None, datetime(2024, 5, 15, 11, 30)),
    ("15 мая 2024 14:30 MSK", "ru", None, datetime(2024, 5, 15, 11, 30)),
    ("23 October 2025 5:50 pm CET", "en", None, datetime(2025, 10, 23, 16, 50)),
    ("23. Juli 2025, 17:50 Uhr MESZ", "de", None, datetime(2025, 7, 23, 15, 50)),
    ("23 July 2025 17:50 CEST", "en", None, datetime(2025, 7, 23, 15, 50)),
    ("05.06.2025, 18:25 Uhr", "de", "Europe/Berlin", datetime(2025, 6, 5, 16, 25)),
    ("05.01.2025, 18:25 Uhr", "de", "Europe/Berlin", datetime(2025, 1, 5, 17, 25)),
    ("4 September 2024, 16:20 IST", "en", None, datetime(2024, 9, 4, 10, 50)),
    ("Aug 08, 2024 4:00 AM EDT", "en", None, datetime(2024, 8, 8, 8, 0)),
    ("June 26, 2023 5 AM PT", "en", None, datetime(2023, 6, 26, 12, 0)),
    ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", "vi", None, datetime(2025, 10, 22, 12, 25)),
    ("2025年1月13日 21時37分", "ja", "Asia/Tokyo", datetime(2025, 1, 13, 12, 37)),
    ("2004-05-25 오후 11:23:17", "ko", "Asia/Seoul", datetime(2004, 5, 25, 14, 23, 17)),
    ("March 7, 20247:55 AM UTC", "en", "Europe/Berlin", datetime(2024, 3, 7, 7, 55)),
    ("Tue, 26 November 2024 9:27PMComments", "en", "Australia/Perth",
     datetime(2024, 11, 26, 13, 27)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "lang", "tz", "expected"), ZONE_CASES)
def test_zones_written_as_words(text: str, lang: str, tz: str | None, expected: datetime) -> None:
    parsed = parse_text_date(text, lang, tz, datetime(2026, 1, 1, tzinfo=UTC))
    assert parsed is not None, text
    assert parsed.instant == expected.replace(tzinfo=UTC)


def test_ambiguous_zone_words_follow_the_source() -> None:
    ref = datetime(2026, 1, 1, tzinfo=UTC)
    china = parse_text_date("2024-04-24 10:00 CST", "zh", "Asia/Shanghai", ref)
    usa = parse_text_date("April 24, 2024 10:00 CST", "en", "America/Chicago", ref)
    assert china is not None and china.instant == datetime(2024, 4, 24, 2, 0, tzinfo=UTC)
    assert usa is not None and usa.instant == datetime(2024, 4, 24, 16, 0, tzinfo=UTC)


def test_machine_dates() -> None:
    berlin = "Europe/Berlin"
    cases = {
        "2024-05-03T15:47:42.389Z": datetime(2024, 5, 3, 15, 47, 42, 389000, tzinfo=UTC),
        "2024-04-25 04:21:02.000000-0400": datetime(2024, 4, 25, 8, 21, 2, tzinfo=UTC),
        "2025-06-23T12:00:00+0000": datetime(2025, 6, 23, 12, 0, tzinfo=UTC),
        "2024-04-25T14:07:00": datetime(2024, 4, 25, 12, 7, tzinfo=UTC),  # naive: source zone
        "1750680000000": datetime(2025, 6, 23, 12, 0, tzinfo=UTC),  # epoch ms
        "Thu, 01 Jan 2004 19:48:21 GMT": datetime(2004, 1, 1, 19, 48, 21, tzinfo=UTC),
    }
    for raw, expected in cases.items():
        parsed = parse_machine_date(raw, berlin)
        assert parsed is not None and parsed.instant == expected, raw
    day = parse_machine_date("2024-04-22", berlin)
    assert day is not None and not day.has_time and day.local_day(berlin) == date(2024, 4, 22)
    assert parse_machine_date("00:00-YY-DD-MM") is None


def test_day_month_order_follows_the_locale() -> None:
    ref = datetime(2026, 1, 1, tzinfo=UTC)
    us = parse_text_date("03/04/2024", "en", "America/New_York", ref)
    uk = parse_text_date("03/04/2024", "en", "Europe/London", ref)
    de = parse_text_date("03/04/2024", "de", "Europe/Berlin", ref)
    assert us is not None and us.local_day("America/New_York") == date(2024, 3, 4)
    assert uk is not None and uk.local_day("Europe/London") == date(2024, 4, 3)
    assert de is not None and de.local_day("Europe/Berlin") == date(2024, 4, 3)
    assert us.swapped is not None and us.swapped.local_day("America/New_York") == date(2024, 4, 3)
    # Dotted dates are day-first wherever they are written; 13 can only be a day.
    dotted = parse_text_date("03.04.2024", "en", "America/New_York", ref)
    assert dotted is not None and dotted.local_day("America/New_York") == date(2024, 4, 3)
    clear = parse_text_date("04/13/2024", "en", "Europe/London", ref)
    assert clear is not None and clear.local_day("Europe/London") == date(2024, 4, 13)
    assert date_order("en", "America/New_York") == "MDY"
    assert date_order("en", "Asia/Kolkata") == "DMY"
    assert date_order("ja", None) == "YMD"


def test_languages_are_guessed_from_month_names() -> None:
    assert guess_languages("13 января 2015 г. в 13:34")[0] == "ru"
    parsed = parse_text_date("1লা জানুয়ারী 2015", None, None, datetime(2026, 1, 1, tzinfo=UTC))
    assert parsed is not None and parsed.wall == datetime(2015, 1, 1)


def test_year_less_dates_lean_to_the_past() -> None:
    ref = datetime(2015, 2, 15, 15, 30, tzinfo=UTC)
    parsed = parse_text_date("10 December", "en", None, ref)
    assert parsed is not None and parsed.wall == datetime(2014, 12, 10)
    parsed = parse_text_date("10 December", "en", None, ref, prefer="future")
    assert parsed is not None and parsed.wall == datetime(2015, 12, 10)


# ============================================================================================
# The resolver's sanity checks
# ============================================================================================

FETCHED = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def resolve(candidates: list[DateCandidate], lang: str = "en", tz: str | None = None):  # noqa: ANN201
    return DateResolver().resolve_detailed(candidates, lang, tz, FETCHED)


def test_future_date_is_rejected() -> None:
    result = resolve([
        DateCandidate("jsonld", "2024-06-10T10:00:00Z"),  # a month after the fetch
        DateCandidate("text", "9 May 2024 14:00", field="near-headline"),
    ], tz="Europe/London")  # fmt: skip
    assert result.published is not None
    assert result.published.instant == datetime(2024, 5, 9, 13, 0, tzinfo=UTC)
    assert result.published.source == "text"
    assert result.checks["future"] == 1


def test_small_future_offset_is_tolerated() -> None:
    result = resolve([DateCandidate("jsonld", "2024-05-10T13:30:00Z")])
    assert result.published is not None and result.published.source == "jsonld"


def test_swapped_day_month_decided_by_locale() -> None:
    us = resolve([DateCandidate("text", "04/05/2024")], "en", "America/New_York")
    uk = resolve([DateCandidate("text", "04/05/2024")], "en", "Europe/London")
    assert us.published is not None and uk.published is not None
    assert us.published.instant.astimezone(ZoneInfo("America/New_York")).date() == date(2024, 4, 5)
    assert uk.published.instant.astimezone(ZoneInfo("Europe/London")).date() == date(2024, 5, 4)


def test_swapped_day_month_when_the_locale_reading_is_in_the_future() -> None:
    # Month-first, 06/05/2024 is 5 June: after the fetch (10 May). The other reading,
    # 6 May, is not in the future: it is taken.
    result = resolve([DateCandidate("text", "06/05/2024")], "en", "America/New_York")
    assert result.published is not None
    assert result.published.instant.astimezone(ZoneInfo("America/New_York")).date() == (
        date(2024, 5, 6)
    )
    assert result.checks["day_month"] == 1


def test_swapped_day_month_confirmed_by_another_candidate() -> None:
    result = resolve([
        DateCandidate("text", "04/05/2024 10:00"),  # US order: April 5
        DateCandidate("url", "2024-05-04"),  # the URL says 4 May
    ], "en", "America/New_York")  # fmt: skip
    assert result.published is not None
    assert result.published.instant == datetime(2024, 5, 4, 14, 0, tzinfo=UTC)
    assert result.checks["day_month"] == 1


def test_modified_before_published_is_dropped() -> None:
    result = resolve([
        DateCandidate("jsonld", "2024-05-08T10:00:00Z"),
        DateCandidate("jsonld", "2024-05-07T10:00:00Z", "modified"),
    ])  # fmt: skip
    assert result.published is not None and result.modified is None
    assert result.checks["modified_before_published"] == 1
    later = resolve([
        DateCandidate("jsonld", "2024-05-08T10:00:00Z"),
        DateCandidate("jsonld", "2024-05-09T10:00:00Z", "modified"),
    ])  # fmt: skip
    assert later.modified is not None
    assert later.modified.instant == datetime(2024, 5, 9, 10, 0, tzinfo=UTC)


def test_date_far_from_the_feed_date_is_suspicious() -> None:
    # The page's only date is a year off the feed's: the feed wins.
    lone = resolve([
        DateCandidate("meta", "2023-05-08T10:00:00Z"),
        DateCandidate("feed", "Wed, 08 May 2024 10:00:00 GMT"),
    ])  # fmt: skip
    assert lone.published is not None and lone.published.source == "feed"
    assert lone.checks["entry_gap"] == 1
    # Confirmed by another page source (an old story re-posted in the feed): it stands.
    confirmed = resolve([
        DateCandidate("jsonld", "2023-05-08T10:00:00Z"),
        DateCandidate("text", "8 May 2023 11:00", field="near-headline"),
        DateCandidate("feed", "Wed, 08 May 2024 10:00:00 GMT"),
    ], tz="Europe/London")  # fmt: skip
    assert confirmed.published is not None and confirmed.published.source == "jsonld"


def test_false_utc_is_read_as_local_time() -> None:
    # detik.com writes local time with a "Z"; the dateline says WIB.
    result = resolve([
        DateCandidate("meta", "2015-11-05 T10:08:58Z", field="pubdate"),
        DateCandidate("text", "Kamis, 05/11/2015 10:08 WIB", field="near-headline"),
    ], "id", "Asia/Jakarta")  # fmt: skip
    assert result.published is not None
    assert result.published.instant == datetime(2015, 11, 5, 3, 8, 58, tzinfo=UTC)
    assert result.checks["false_utc"] == 1


def test_date_only_takes_the_time_of_a_same_day_candidate() -> None:
    result = resolve([
        DateCandidate("meta", "2024-05-08"),
        DateCandidate("text", "8. Mai 2024, 14:05 Uhr", field="near-headline"),
    ], "de", "Europe/Berlin")  # fmt: skip
    assert result.published is not None and result.published.has_time
    assert result.published.instant == datetime(2024, 5, 8, 12, 5, tzinfo=UTC)


def test_naive_machine_dates_use_the_source_zone_or_the_pages_offset() -> None:
    configured = resolve([DateCandidate("jsonld", "2017-02-17 13:30:08")], "id", "Asia/Jakarta")
    assert configured.published is not None
    assert configured.published.instant == datetime(2017, 2, 17, 6, 30, 8, tzinfo=UTC)
    # No zone configured: the offset the page writes elsewhere.
    inferred = resolve([
        DateCandidate("jsonld", "2017-02-17 13:30:08"),
        DateCandidate("meta", "2017-02-17T13:45:00+07:00", "modified"),
    ], "id", None)  # fmt: skip
    assert inferred.published is not None
    assert inferred.published.instant == datetime(2017, 2, 17, 6, 30, 8, tzinfo=UTC)


def test_time_element_is_reported_as_meta() -> None:
    result = resolve([DateCandidate("time", "2024-05-08T10:00:00Z")])
    assert result.published is not None and result.published.source == "meta"


# ============================================================================================
# The pipeline
# ============================================================================================


def make_item(**hints: object) -> Article:
    return Article(
        id="x", url="https://example.org/a", canonical_url="https://example.org/a",
        source="example", domain="example.org", title="t", body="", language="en",
        fetched_at="2024-05-10T12:00:00+00:00", hints=dict(hints),
    )  # fmt: skip


def test_pipeline_falls_back_to_fetched() -> None:
    crawler = get_crawler(settings_dict={})
    pipeline = DatesPipeline.from_crawler(crawler)
    item = pipeline.process_item(make_item(dates=[DateCandidate("text", "no date here")]))
    assert item.published_at == "2024-05-10T12:00:00+00:00"
    assert item.published_at_source == "fetched"
    assert item.published_at_raw is None
    assert crawler.stats.get_value("dates/unparsed") == 1


def test_pipeline_uses_the_feed_entry_and_counts_sources() -> None:
    crawler = get_crawler(settings_dict={})
    pipeline = DatesPipeline.from_crawler(crawler)
    entry = SimpleNamespace(published="Wed, 08 May 2024 10:00:00 GMT", modified=None, via="feed")
    item = pipeline.process_item(make_item(dates=[], entry=entry))
    assert item.published_at == "2024-05-08T10:00:00+00:00"
    assert item.published_at_source == "feed"
    assert item.published_at_raw == "Wed, 08 May 2024 10:00:00 GMT"
    assert crawler.stats.get_value("dates/source/feed") == 1


def test_pipeline_resolves_listing_phrases() -> None:
    crawler = get_crawler(settings_dict={})
    pipeline = DatesPipeline.from_crawler(crawler)
    entry = SimpleNamespace(published="2 jam yang lalu", modified=None, via="listing")
    item = make_item(dates=[], entry=entry, source_timezone="Asia/Jakarta")
    item.language = "id"
    item.body = "Menteri itu mengatakan pada hari Rabu bahwa pasukan telah tiba kemarin."
    item = pipeline.process_item(item)
    assert item.published_at == "2024-05-10T10:00:00+00:00"  # fetched 12:00 UTC - 2 h
    assert item.published_at_source == "text"


# ============================================================================================
# Dates a text mentions
# ============================================================================================


def test_weekday_in_a_story_resolves_to_the_day_before() -> None:
    published = datetime(2024, 10, 17, 8, 0, tzinfo=UTC)  # a Thursday
    mentions = resolve_mentions("The minister said on Wednesday that troops had arrived.",
                                published, "en", "Europe/London")  # fmt: skip
    assert [(m.text, m.day, m.kind) for m in mentions] == [
        ("on Wednesday", date(2024, 10, 16), "weekday")
    ]


def test_mentions_in_indonesian() -> None:
    published = datetime(2015, 11, 5, 7, 56, tzinfo=UTC)  # Kamis 14:56 WIB
    text = ("Penerbangan dibatalkan mulai tadi pagi sampai Jumat (6/11) pukul 08.45 WITA, "
            "kata dia pada hari Rabu. Sejak 2 jam yang lalu bandara ditutup.")  # fmt: skip
    mentions = resolve_mentions(text, published, "id", "Asia/Jakarta")
    found = {m.text: m for m in mentions}
    assert found["Jumat (6/11)"].day == date(2015, 11, 6)
    assert found["pada hari Rabu"].day == date(2015, 11, 4)
    assert found["2 jam yang lalu"].instant == published - timedelta(hours=2)


def test_mentions_take_the_year_written_before_them() -> None:
    published = datetime(2024, 10, 17, tzinfo=UTC)
    text = "The talks began on July 12, 2014. On July 13 they broke down."
    days = [m.day for m in resolve_mentions(text, published, "en")]
    assert days == [date(2014, 7, 12), date(2014, 7, 13)]


def test_mentions_can_anchor_on_the_context() -> None:
    text = "19 марта 2001. Сегодня был хороший день. Вчера тоже."
    published = datetime(2024, 10, 17, tzinfo=UTC)
    article = [m.day for m in resolve_mentions(text, published, "ru")]
    context = [m.day for m in resolve_mentions(text, published, "ru", anchor="context")]
    assert article == [date(2001, 3, 19), date(2024, 10, 17), date(2024, 10, 16)]
    assert context == [date(2001, 3, 19), date(2001, 3, 19), date(2001, 3, 18)]


def test_english_weekday_abbreviations_are_not_mentions() -> None:
    published = datetime(2024, 10, 17, tzinfo=UTC)
    assert resolve_mentions("The sun sat on the wed cake.", published, "en") == []


# ============================================================================================
# Candidates from a page
# ============================================================================================

PAGE = """<html lang="de"><head>
<meta property="article:published_time" content="2024-05-08T10:00:00+02:00">
<meta property="article:modified_time" content="2024-05-08T12:30:00+02:00">
<meta name="publisher" content="Zeitung 24">
</head><body><header><nav>Startseite</nav></header>
<article><h1>Ein Titel</h1><p class="byline">Von Anna Muster · 8. Mai 2024, 10:00 Uhr
· Aktualisiert: 8. Mai 2024, 12:30 Uhr</p>
<time datetime="2024-05-08T10:00:00+02:00">8. Mai</time>
<p>Text des Artikels, der am 7. Mai begann.</p></article>
<aside><span class="date">1. Januar 2020</span></aside>
<div data-deploy-dt="2024.05.08 10:00"></div></body></html>"""


def test_gather_candidates_from_a_page() -> None:
    import lxml.html

    tree = lxml.html.fromstring(PAGE)
    meta = {
        "article:published_time": "2024-05-08T10:00:00+02:00",
        "article:modified_time": "2024-05-08T12:30:00+02:00",
        "publisher": "Zeitung 24",
    }
    found = gather_date_candidates(tree, None, meta, "https://example.de/2024/05/08/titel")
    by_source = {(c.source, c.kind): c for c in found}
    assert by_source[("meta", "published")].raw == "2024-05-08T10:00:00+02:00"
    assert by_source[("meta", "modified")].field == "article:modified_time"
    assert by_source[("time", "published")].raw == "2024-05-08T10:00:00+02:00"
    assert by_source[("url", "published")].raw == "2024-05-08"
    assert by_source[("attr", "published")].raw == "2024.05.08 10:00"
    texts = [(c.raw, c.kind, c.field) for c in found if c.source == "text"]
    assert texts[0] == ("8. Mai 2024, 10:00 Uhr", "published", "near-headline")
    assert texts[1][:2] == ("8. Mai 2024, 12:30 Uhr", "modified")
    assert not any(c.source == "meta" and c.raw == "Zeitung 24" for c in found)


def test_extract_and_resolve_a_page_without_metadata() -> None:
    html = ("<html lang='en'><body><h1>A headline</h1><div class='meta'>Posted: Aug 08, 2024 "
            "4:00 AM EDT | Last Updated: August 8</div><p>" + "Some words here. " * 40
            + "</p></body></html>")  # fmt: skip
    extracted = extract_article(html, "https://example.com/news/a-headline")
    result = DateResolver().resolve_detailed(
        extracted.dates, "en", "America/New_York", datetime(2024, 8, 9, tzinfo=UTC)
    )
    assert result.published is not None and result.published.source == "text"
    assert result.published.instant == datetime(2024, 8, 8, 8, 0, tzinfo=UTC)
    assert result.published.raw == "Aug 08, 2024 4:00 AM EDT"


# ============================================================================================
# Real pages (../shared/data): the Indonesian set, every instant to the minute
# ============================================================================================


def _shared_data() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def test_indonesian_pages_every_instant() -> None:
    folder = _shared_data() / "indonesian-news-pages"
    if not (folder / "expected_articles.jsonl").exists():
        pytest.skip(f"no shared data at {folder}")
    resolver = DateResolver()
    misses = []
    for line in (folder / "expected_articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        extracted = extract_article((folder / row["file"]).read_bytes(), row["url"])
        result = resolver.resolve_detailed(extracted.dates, "id", "Asia/Jakarta",
                                           datetime.now(UTC))  # fmt: skip
        truth = datetime.fromtimestamp(row["date"] / 1000, UTC).replace(second=0)
        got = (
            result.published.instant.replace(second=0, microsecond=0) if result.published else None
        )
        if got != truth:
            misses.append((row["file"], truth, got))
    assert misses == []


# ============================================================================================
# Headlines (the extraction beside the dates)
# ============================================================================================


def test_headline_entities_escaped_twice_are_decoded() -> None:
    og = "Minister&amp;#8217;s plan: &amp;quot;no delay&amp;quot; &#x00E4; &#8216;ok&#8217;"
    page = (
        f'<html><head><meta property="og:title" content="{og}"></head><body><article>'
        f"<h1>x</h1><p>{'word ' * 300}</p></article></body></html>"
    )
    title = extract_article(page, "https://x.example/news/a-1").title
    assert title == "Minister’s plan: \"no delay\" ä ‘ok’"
    plain = page.replace(og, "Fish &amp; chips: R&D at AT&T")
    assert extract_article(plain, "https://x.example/news/a-2").title == "Fish & chips: R&D at AT&T"


def test_the_dateline_readers_see_beats_a_later_metadata_date() -> None:
    # A republished page: the metadata carries the day it was re-posted, the dateline under
    # the headline the day the story ran.
    shown = [
        DateCandidate("jsonld", "2024-05-09T08:00:00Z"),
        DateCandidate("text", "3 March 2024 14:20", field="near-headline"),
    ]
    result = resolve(shown, tz="Europe/London")
    assert result.published is not None and result.published.source == "text"
    assert result.published.instant == datetime(2024, 3, 3, 14, 20, tzinfo=UTC)
    assert result.checks["shown_date"] == 1
    # the feed agrees with the metadata: the metadata stands
    feed = DateCandidate("feed", "Thu, 09 May 2024 08:00:00 GMT")
    fed = resolve([*shown, feed], tz="Europe/London")
    assert fed.published is not None and fed.published.source == "jsonld"
    # a day apart (a late-night story in another zone): the metadata stands
    near = resolve([
        DateCandidate("jsonld", "2024-05-09T08:00:00Z"),
        DateCandidate("text", "8 May 2024 23:50", field="near-headline"),
    ], tz="Europe/London")  # fmt: skip
    assert near.published is not None and near.published.source == "jsonld"
    # a date further down the page is no dateline
    far = resolve([
        DateCandidate("jsonld", "2024-05-09T08:00:00Z"),
        DateCandidate("text", "3 March 2024", field="named:related", rank=7),
    ], tz="Europe/London")  # fmt: skip
    assert far.published is not None and far.published.source == "jsonld"
