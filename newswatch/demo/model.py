"""What the demo site is made of: articles, their feed entries, the paths and content types
of a publisher's documents, and local date formats (datelines as the page shows them)."""

from __future__ import annotations

import codecs
import email.utils
import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from xml.sax.saxutils import escape as _xml_escape
from zoneinfo import ZoneInfo

DateMarkup = Literal["jsonld", "meta", "dateline"]


FeedKind = Literal["rss2", "rss1", "atom"]


SitemapKind = Literal["news", "index_gz"]


Response = tuple[int, dict[str, str], bytes]


FEED_PATHS: dict[str, str] = {"rss2": "/feed.xml", "rss1": "/index.rdf", "atom": "/atom.xml"}


FEED_TYPES: dict[str, str] = {
    "rss2": "application/rss+xml; charset=utf-8",
    "rss1": "application/rdf+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}


SITEMAP_PATH = "/sitemap.xml"


NEWS_SITEMAP_GZ_PATH = "/sitemap-news.xml.gz"


LISTING_PATH = "/latest"


ABOUT_PATH = "/about.html"


CATEGORY_PREFIX = "/category/"


_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "id": "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    # Russian dates use the genitive: "14 ноября".
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
}


_WEEKDAYS = {  # Monday first, as datetime.weekday()
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "id": "Senin Selasa Rabu Kamis Jumat Sabtu Minggu",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "ru": "понедельник вторник среда четверг пятница суббота воскресенье",
    "ar": "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد",
}


_INDONESIAN_ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def _zone_label(local: datetime) -> str:
    name = local.tzname() or ""
    if name[:1] in "+-":  # zoneinfo has no abbreviation for some zones ("+08")
        offset = int(name[:3])
        return f"GMT{offset:+d}"
    return name


def format_dateline(when: datetime, language: str, timezone: str) -> str:
    """`when` written the way a newsroom in `language`/`timezone` prints it on the page.

    Examples: "Kamis, 14 November 2024 15:30 WIB", "14. November 2024, 09:15 Uhr",
    "14 ноября 2024, 12:00 МСК", "Thursday 14 November 2024 08:30 GMT".
    """
    local = when.astimezone(ZoneInfo(timezone))
    lang = language if language in _MONTHS else "en"
    month = _MONTHS[lang].split()[local.month - 1]
    weekday = _WEEKDAYS[lang].split()[local.weekday()]
    hm = f"{local:%H:%M}"
    if lang == "id":
        zone = _INDONESIAN_ZONES.get(timezone, _zone_label(local))
        return f"{weekday}, {local.day} {month} {local.year} {hm} {zone}"
    if lang == "de":
        return f"{local.day}. {month} {local.year}, {hm} Uhr"
    if lang == "ru":
        zone = " МСК" if timezone == "Europe/Moscow" else ""
        return f"{local.day} {month} {local.year}, {hm}{zone}"
    if lang == "ar":
        return f"{weekday} {local.day} {month} {local.year} - {hm}"
    if timezone.startswith("America/"):
        hour = local.hour % 12 or 12
        ampm = "a.m." if local.hour < 12 else "p.m."
        return (
            f"{weekday}, {month} {local.day}, {local.year}, "
            f"{hour}:{local:%M} {ampm} {_zone_label(local)}"
        )
    return f"{weekday} {local.day} {month} {local.year} {hm} {_zone_label(local)}"


_CHROME: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home",
        "latest": "Latest",
        "about": "About us",
        "video": "Video",
        "related": "Related articles",
        "also": "Also read",
        "cookie": (
            "We use cookies to personalise content and ads and to analyse our traffic. You "
            "can change your choices at any time in the privacy settings."
        ),
        "accept": "Accept all",
        "manage": "Manage options",
        "footer": "All rights reserved. Reproduction without permission is prohibited.",
        "by": "By",
        "newsletter": "Get the morning briefing in your inbox",
        "subscribe": "Subscribe",
        "share": "Share this article",
        "not_found": "Page not found",
        "more": "Read more",
        "error": "Something went wrong on our side. Please try again later.",
    },
    "id": {
        "home": "Beranda",
        "latest": "Terkini",
        "about": "Tentang kami",
        "video": "Video",
        "related": "Berita terkait",
        "also": "Baca juga",
        "cookie": (
            "Kami menggunakan cookie untuk menyesuaikan konten dan iklan serta menganalisis "
            "lalu lintas kami. Anda dapat mengubah pilihan kapan saja di pengaturan privasi."
        ),
        "accept": "Terima semua",
        "manage": "Atur pilihan",
        "footer": "Hak cipta dilindungi undang-undang. Dilarang mengutip tanpa izin.",
        "by": "Oleh",
        "newsletter": "Dapatkan ringkasan berita pagi di kotak masuk Anda",
        "subscribe": "Berlangganan",
        "share": "Bagikan artikel ini",
        "not_found": "Halaman tidak ditemukan",
        "more": "Baca selengkapnya",
        "error": "Terjadi kesalahan pada server kami. Silakan coba lagi nanti.",
    },
    "de": {
        "home": "Startseite",
        "latest": "Neueste",
        "about": "Über uns",
        "video": "Video",
        "related": "Das könnte Sie auch interessieren",
        "also": "Lesen Sie auch",
        "cookie": (
            "Wir verwenden Cookies, um Inhalte und Anzeigen zu personalisieren und unsere "
            "Zugriffe zu analysieren. Sie können Ihre Auswahl jederzeit in den "
            "Datenschutzeinstellungen ändern."
        ),
        "accept": "Alle akzeptieren",
        "manage": "Einstellungen",
        "footer": "Alle Rechte vorbehalten. Vervielfältigung nur mit Genehmigung.",
        "by": "Von",
        "newsletter": "Das Morgen-Briefing direkt in Ihr Postfach",
        "subscribe": "Abonnieren",
        "share": "Artikel teilen",
        "not_found": "Seite nicht gefunden",
        "more": "Weiterlesen",
        "error": "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es später erneut.",
    },
    "ru": {
        "home": "Главная",
        "latest": "Последние новости",
        "about": "О редакции",
        "video": "Видео",
        "related": "Читайте также",
        "also": "По теме",
        "cookie": (
            "Мы используем файлы cookie, чтобы персонализировать материалы и рекламу и "
            "анализировать посещаемость. Изменить настройки можно в любой момент в разделе "
            "конфиденциальности."
        ),
        "accept": "Принять все",
        "manage": "Настроить",
        "footer": "Все права защищены. Перепечатка только с разрешения редакции.",
        "by": "Автор:",
        "newsletter": "Утренняя рассылка — прямо в вашу почту",
        "subscribe": "Подписаться",
        "share": "Поделиться",
        "not_found": "Страница не найдена",
        "more": "Читать далее",
        "error": "На сервере произошла ошибка. Попробуйте позже.",
    },
    "ar": {
        "home": "الرئيسية",
        "latest": "آخر الأخبار",
        "about": "من نحن",
        "video": "فيديو",
        "related": "أخبار ذات صلة",
        "also": "اقرأ أيضا",
        "cookie": (
            "نستخدم ملفات تعريف الارتباط لتخصيص المحتوى والإعلانات وتحليل حركة الزيارات. "
            "يمكنك تغيير اختياراتك في أي وقت من إعدادات الخصوصية."
        ),
        "accept": "قبول الكل",
        "manage": "إدارة الخيارات",
        "footer": "جميع الحقوق محفوظة. يمنع النسخ دون إذن.",
        "by": "بقلم",
        "newsletter": "النشرة الصباحية في بريدك",
        "subscribe": "اشترك",
        "share": "شارك المقال",
        "not_found": "الصفحة غير موجودة",
        "more": "اقرأ المزيد",
        "error": "حدث خطأ في الخادم. يرجى المحاولة لاحقا.",
    },
}


@dataclass
class SiteArticle:
    """One page of a publisher: a news article (or, with kind="video", a video page).

    `body` is plain text, paragraphs separated by a blank line. `published_at` must be
    timezone-aware. Style knobs decide how the page looks to an extractor:
    `date_markup` (where the date is machine-readable, if at all), `dateline_text` (the
    visible date; generated in the article's language when empty), `canonical` (a path or an
    absolute URL for `<link rel=canonical>`), `extra_html` (raw chrome placed after the
    article), `charset` (the page's encoding, declared in the header and a meta tag),
    `padding` (bytes of filler markup after the article), `path` (served path instead of the
    publisher's template), `link_path` (what feeds and listings link to, e.g. the start of a
    redirect chain), `in_feed` (whether feed and sitemap list it; default: articles yes,
    videos no - listings show both).
    """

    publisher: str
    slug: str
    title: str
    body: str
    language: str
    published_at: datetime
    authors: list[str] = field(default_factory=list)
    date_markup: DateMarkup = "jsonld"
    dateline_text: str | None = None
    canonical: str | None = None
    extra_html: str = ""
    modified_at: datetime | None = None
    section: str = "world"
    summary: str | None = None
    kind: Literal["article", "video"] = "article"
    charset: str = "utf-8"
    padding: int = 0
    path: str | None = None
    link_path: str | None = None
    in_feed: bool | None = None

    def __post_init__(self) -> None:
        if self.published_at.tzinfo is None or self.published_at.utcoffset() is None:
            raise ValueError(f"{self.slug}: published_at must be timezone-aware")
        if self.modified_at is not None and self.modified_at.tzinfo is None:
            raise ValueError(f"{self.slug}: modified_at must be timezone-aware")
        if self.date_markup not in ("jsonld", "meta", "dateline"):
            raise ValueError(f"{self.slug}: unknown date_markup {self.date_markup!r}")
        if self.kind not in ("article", "video"):
            raise ValueError(f"{self.slug}: unknown kind {self.kind!r}")
        codecs.lookup(self.charset)  # LookupError now rather than at request time

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def teaser(self) -> str:
        if self.summary:
            return self.summary
        first = self.paragraphs[0] if self.paragraphs else self.title
        sentence = re.split(r"(?<=[.!?。])\s", first, maxsplit=1)[0]
        return sentence if len(sentence) <= 240 else sentence[:237].rstrip() + "..."

    @property
    def listed_in_feed(self) -> bool:
        return self.kind == "article" if self.in_feed is None else self.in_feed


@dataclass(frozen=True)
class _Entry:
    """One line of a feed, sitemap or listing."""

    path: str
    title: str
    published_at: datetime
    modified_at: datetime
    summary: str
    authors: tuple[str, ...]
    language: str
    section: str
    kind: str
    in_feed: bool


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _x(text: str) -> str:
    return _xml_escape(text, {'"': "&quot;"})


def _rfc822(when: datetime) -> str:
    return email.utils.format_datetime(when)


def _newest_first(entry: _Entry) -> float:
    return -entry.published_at.timestamp()


def _json_script(data: dict[str, Any]) -> str:
    # No raw "<" at all: "</script>" or "<!--" in a headline must not end or confuse the
    # <script> element. JSON readers decode \u003c back to "<".
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def _html(text: str, status: int = 200) -> Response:
    return status, {"Content-Type": "text/html; charset=utf-8"}, text.encode("utf-8")
