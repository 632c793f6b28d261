"""A small news site served from 127.0.0.1, for the test suite, the benchmarks and the demo.

Each `Publisher` runs its own HTTP server (its own port, so its own base URL and robots.txt)
and renders its feed (RSS 2.0, RSS 1.0/RDF or Atom), news sitemap (plain, or an index pointing
at a gzipped sitemap), listing page and article pages with the usual chrome around the
`<article>`: navigation, cookie banner, related links, newsletter box, footer. Articles carry
their publication date in one of three ways (JSON-LD, an `article:published_time` meta tag,
or only a visible dateline in the local format), so date normalisation has something to do.

`NewsSite` can publish articles while it runs, counts every request, and takes extra routes
(`add_route`) for the hostile cases a test needs: redirects, errors, slow or odd responses.

Standard library only: `http.server.ThreadingHTTPServer` in daemon threads, port 0.
"""

from __future__ import annotations

import codecs
import email.utils
import gzip
import hashlib
import html
import json
import re
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, Self
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as _xml_escape
from zoneinfo import ZoneInfo

__all__ = [
    "NewsSite",
    "Publisher",
    "RouteHandler",
    "RouteRequest",
    "Response",
    "SiteArticle",
    "config_yaml",
    "format_dateline",
]

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

# ---------------------------------------------------------------------------------------------
# Local date formats
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Chrome: the words around an article, per language
# ---------------------------------------------------------------------------------------------

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

_SECTIONS = {
    "en": {"world": "World", "politics": "Politics", "business": "Business", "national": "UK"},
    "id": {"world": "Dunia", "politics": "Politik", "business": "Ekonomi", "national": "Nasional"},
    "de": {
        "world": "Ausland",
        "politics": "Politik",
        "business": "Wirtschaft",
        "national": "Inland",
    },
    "ru": {
        "world": "В мире",
        "politics": "Политика",
        "business": "Экономика",
        "national": "Россия",
    },
    "ar": {"world": "العالم", "politics": "سياسة", "business": "اقتصاد", "national": "محليات"},
}
_RTL = {"ar", "fa", "he", "ur"}


def _chrome(language: str) -> dict[str, str]:
    return _CHROME.get(language, _CHROME["en"])


def _section_label(section: str, language: str) -> str:
    labels = _SECTIONS.get(language, _SECTIONS["en"])
    return labels.get(section, section.replace("-", " ").title())


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Publisher:
    """One news outlet: its formats, its URL layout and its robots.txt.

    `article_path` is a template with {yyyy} {mm} {dd} (publication date in the publisher's
    timezone), {slug} and {id} (a stable 7-digit number derived from the slug). `layout`
    (0 or 1) switches between two page templates so outlets differ in markup too.
    `extra_feeds` are further feed paths to list in the config (serve them with add_route).
    With `render_js`, article pages are an empty shell that JavaScript fills from
    /api/article/{slug}.json.
    """

    name: str
    language: str
    timezone: str
    feed_kind: FeedKind | None = "rss2"
    sitemap: SitemapKind | None = None
    listing: bool = False
    article_path: str = "/news/{yyyy}/{mm}/{dd}/{slug}.html"
    title: str = ""
    tagline: str = ""
    article_pattern: str | None = None
    disallow: tuple[str, ...] = ()
    extra_feeds: tuple[str, ...] = ()
    render_js: bool = False
    layout: int = 0

    def __post_init__(self) -> None:
        if self.feed_kind not in (None, *FEED_PATHS):
            raise ValueError(f"{self.name}: unknown feed_kind {self.feed_kind!r}")
        if self.sitemap not in (None, "news", "index_gz"):
            raise ValueError(f"{self.name}: unknown sitemap {self.sitemap!r}")
        ZoneInfo(self.timezone)

    # -- URLs ------------------------------------------------------------------------------

    @property
    def display_name(self) -> str:
        return self.title or self.name.replace("-", " ").title()

    @property
    def feed_path(self) -> str | None:
        return FEED_PATHS[self.feed_kind] if self.feed_kind else None

    @property
    def feed_paths(self) -> list[str]:
        first = [self.feed_path] if self.feed_path else []
        return first + list(self.extra_feeds)

    def path_for(self, article: SiteArticle) -> str:
        if article.path:
            return article.path
        local = article.published_at.astimezone(ZoneInfo(self.timezone))
        number = zlib.crc32(f"{self.name}/{article.slug}".encode()) % 9_000_000 + 1_000_000
        return self.article_path.format(
            yyyy=f"{local.year:04d}",
            mm=f"{local.month:02d}",
            dd=f"{local.day:02d}",
            slug=article.slug,
            id=number,
        )

    def local(self, when: datetime) -> datetime:
        return when.astimezone(ZoneInfo(self.timezone))

    # -- machine-readable documents ----------------------------------------------------------

    def render_robots(self, base_url: str) -> bytes:
        lines = ["User-agent: *"]
        lines += [f"Disallow: {p}" for p in self.disallow] or ["Disallow:"]
        if self.sitemap:
            lines += ["", f"Sitemap: {base_url}{SITEMAP_PATH}"]
        return ("\n".join(lines) + "\n").encode()

    def render_feed(self, entries: list[_Entry], base_url: str) -> bytes:
        """The publisher's feed in its format, newest item first."""
        items = sorted((e for e in entries if e.in_feed), key=_newest_first)
        if self.feed_kind == "rss2":
            text = self._rss2(items, base_url)
        elif self.feed_kind == "rss1":
            text = self._rss1(items, base_url)
        elif self.feed_kind == "atom":
            text = self._atom(items, base_url)
        else:
            raise ValueError(f"{self.name} has no feed")
        return text.encode("utf-8")

    def _rss2(self, items: list[_Entry], base: str) -> str:
        updated = items[0].published_at if items else datetime(2000, 1, 1, tzinfo=UTC)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:atom="http://www.w3.org/2005/Atom">',
            "<channel>",
            f"<title>{_x(self.display_name)}</title>",
            f"<link>{_x(base)}/</link>",
            f"<description>{_x(self.tagline or self.display_name)}</description>",
            f"<language>{_x(self.language)}</language>",
            f"<lastBuildDate>{_rfc822(self.local(updated))}</lastBuildDate>",
            f'<atom:link href="{_x(base + (self.feed_path or ""))}" rel="self"'
            ' type="application/rss+xml"/>',
        ]
        for e in items:
            url = base + e.path
            out += [
                "<item>",
                f"<title>{_x(e.title)}</title>",
                f"<link>{_x(url)}</link>",
                f'<guid isPermaLink="true">{_x(url)}</guid>',
                f"<pubDate>{_rfc822(self.local(e.published_at))}</pubDate>",
                *(f"<dc:creator>{_x(a)}</dc:creator>" for a in e.authors),
                f"<category>{_x(_section_label(e.section, self.language))}</category>",
                f"<description>{_x(e.summary)}</description>",
                "</item>",
            ]
        out += ["</channel>", "</rss>", ""]
        return "\n".join(out)

    def _rss1(self, items: list[_Entry], base: str) -> str:
        feed_url = base + (self.feed_path or "")
        updated = items[0].published_at if items else datetime(2000, 1, 1, tzinfo=UTC)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
            f'<channel rdf:about="{_x(feed_url)}">',
            f"<title>{_x(self.display_name)}</title>",
            f"<link>{_x(base)}/</link>",
            f"<description>{_x(self.tagline or self.display_name)}</description>",
            f"<dc:language>{_x(self.language)}</dc:language>",
            f"<dc:date>{self.local(updated).isoformat()}</dc:date>",
            "<items>",
            "<rdf:Seq>",
            *(f'<rdf:li rdf:resource="{_x(base + e.path)}"/>' for e in items),
            "</rdf:Seq>",
            "</items>",
            "</channel>",
        ]
        for e in items:
            url = base + e.path
            out += [
                f'<item rdf:about="{_x(url)}">',
                f"<title>{_x(e.title)}</title>",
                f"<link>{_x(url)}</link>",
                f"<description>{_x(e.summary)}</description>",
                f"<dc:date>{self.local(e.published_at).isoformat()}</dc:date>",
                *(f"<dc:creator>{_x(a)}</dc:creator>" for a in e.authors),
                f"<dc:subject>{_x(_section_label(e.section, self.language))}</dc:subject>",
                "</item>",
            ]
        out += ["</rdf:RDF>", ""]
        return "\n".join(out)

    def _atom(self, items: list[_Entry], base: str) -> str:
        updated = max((e.modified_at for e in items), default=datetime(2000, 1, 1, tzinfo=UTC))
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{_x(self.language)}">',
            f"<id>{_x(base)}/</id>",
            f"<title>{_x(self.display_name)}</title>",
            f"<subtitle>{_x(self.tagline or self.display_name)}</subtitle>",
            f"<updated>{self.local(updated).isoformat()}</updated>",
            f'<link rel="self" type="application/atom+xml" href="{_x(base)}{self.feed_path}"/>',
            f'<link rel="alternate" type="text/html" href="{_x(base)}/"/>',
            f"<author><name>{_x(self.display_name)}</name></author>",
        ]
        for e in items:
            url = base + e.path
            out += [
                "<entry>",
                f"<id>{_x(url)}</id>",
                f"<title>{_x(e.title)}</title>",
                f'<link rel="alternate" type="text/html" href="{_x(url)}"/>',
                f"<published>{self.local(e.published_at).isoformat()}</published>",
                f"<updated>{self.local(e.modified_at).isoformat()}</updated>",
                *(f"<author><name>{_x(a)}</name></author>" for a in e.authors),
                f'<category term="{_x(e.section)}"/>',
                f"<summary>{_x(e.summary)}</summary>",
                "</entry>",
            ]
        out += ["</feed>", ""]
        return "\n".join(out)

    def render_news_sitemap(self, entries: list[_Entry], base_url: str) -> bytes:
        items = sorted((e for e in entries if e.in_feed), key=_newest_first)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">',
        ]
        for e in items:
            out += [
                "<url>",
                f"<loc>{_x(base_url + e.path)}</loc>",
                f"<lastmod>{self.local(e.modified_at).isoformat()}</lastmod>",
                "<news:news>",
                "<news:publication>",
                f"<news:name>{_x(self.display_name)}</news:name>",
                f"<news:language>{_x(e.language)}</news:language>",
                "</news:publication>",
                f"<news:publication_date>{self.local(e.published_at).isoformat()}"
                "</news:publication_date>",
                f"<news:title>{_x(e.title)}</news:title>",
                "</news:news>",
                "</url>",
            ]
        out += ["</urlset>", ""]
        return "\n".join(out).encode("utf-8")

    def render_sitemap_index(self, entries: list[_Entry], base_url: str) -> bytes:
        dates = [e.modified_at for e in entries if e.in_feed]
        lastmod = self.local(max(dates, default=datetime(2000, 1, 1, tzinfo=UTC)))
        return "\n".join(
            [
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                "<sitemap>",
                f"<loc>{_x(base_url + NEWS_SITEMAP_GZ_PATH)}</loc>",
                f"<lastmod>{lastmod.isoformat()}</lastmod>",
                "</sitemap>",
                "</sitemapindex>",
                "",
            ]
        ).encode("utf-8")

    # -- HTML ------------------------------------------------------------------------------

    def _sections(self, entries: Iterable[_Entry]) -> list[str]:
        found = {e.section for e in entries}
        return sorted(found | {"world", "business"})

    def _page(
        self,
        *,
        language: str,
        title: str,
        head: str,
        main: str,
        sections: list[str],
        body_class: str,
        charset: str = "utf-8",
    ) -> str:
        c = _chrome(language)
        nav = [f'<li><a href="/">{_h(c["home"])}</a></li>']
        if self.listing:
            nav.append(f'<li><a href="{LISTING_PATH}">{_h(c["latest"])}</a></li>')
        nav += [
            f'<li><a href="{CATEGORY_PREFIX}{_h(s)}">{_h(_section_label(s, language))}</a></li>'
            for s in sections
        ]
        nav.append(f'<li><a href="{ABOUT_PATH}">{_h(c["about"])}</a></li>')
        feed = (
            f'<link rel="alternate" type="{FEED_TYPES[self.feed_kind].split(";")[0]}"'
            f' title="{_h(self.display_name)}" href="{self.feed_path}">'
            if self.feed_kind
            else ""
        )
        direction = ' dir="rtl"' if language in _RTL else ""
        name = _h(self.display_name)
        return f"""<!DOCTYPE html>
<html lang="{_h(language)}"{direction}>
<head>
<meta charset="{_h(charset)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_h(title)}</title>
{feed}
{head}
<link rel="stylesheet" href="/static/site.css">
<script async src="/static/analytics.js"></script>
</head>
<body class="{body_class}">
<div class="cookie-banner" role="dialog" aria-live="polite">
<p>{_h(c["cookie"])}</p>
<button type="button" class="accept">{_h(c["accept"])}</button>
<button type="button" class="manage">{_h(c["manage"])}</button>
</div>
<header class="site-header">
<a class="logo" href="/">{name}</a>
<p class="tagline">{_h(self.tagline)}</p>
<nav class="main-nav" aria-label="main"><ul>
{"".join(nav)}
</ul></nav>
</header>
<main id="content">
{main}
</main>
<footer class="site-footer">
<p>&copy; {name}. {_h(c["footer"])}</p>
<ul class="footer-links">
<li><a href="{ABOUT_PATH}">{_h(c["about"])}</a></li>
<li><a href="/privacy.html">Privacy</a></li>
<li><a href="/contact.html">Contact</a></li>
</ul>
</footer>
</body>
</html>
"""

    def render_article(
        self,
        article: SiteArticle,
        base_url: str,
        related: list[_Entry],
        sections: list[str],
    ) -> str:
        """The article page as text (the caller encodes it in `article.charset`)."""
        if article.kind == "video":
            return self._video_page(article, related, sections)
        if self.render_js:
            return self._js_shell(article, sections)
        lang = article.language
        c = _chrome(lang)
        own_path = self.path_for(article)
        canonical = article.canonical or own_path
        if not canonical.startswith(("http://", "https://")):
            canonical = base_url + canonical
        published = self.local(article.published_at)
        modified = self.local(article.modified_at or article.published_at)
        head = [
            f'<meta name="description" content="{_h(article.teaser)}">',
            f'<link rel="canonical" href="{_h(canonical)}">',
        ]
        if article.date_markup == "jsonld":
            ld: dict[str, Any] = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
                "headline": article.title,
                "description": article.teaser,
                "inLanguage": lang,
                "datePublished": published.isoformat(),
                "dateModified": modified.isoformat(),
                "author": [{"@type": "Person", "name": a} for a in article.authors]
                or {"@type": "Organization", "name": self.display_name},
                "publisher": {"@type": "Organization", "name": self.display_name},
                "articleSection": _section_label(article.section, lang),
            }
            head += [
                '<meta property="og:type" content="article">',
                f'<meta property="og:title" content="{_h(article.title)}">',
                f'<meta property="og:description" content="{_h(article.teaser)}">',
                f'<meta property="og:url" content="{_h(canonical)}">',
                f'<meta property="og:site_name" content="{_h(self.display_name)}">',
                f'<script type="application/ld+json">{_json_script(ld)}</script>',
            ]
        elif article.date_markup == "meta":
            head += [
                f'<meta property="og:title" content="{_h(article.title)}">',
                f'<meta property="article:published_time" content="{published.isoformat()}">',
            ]
            head += [f'<meta name="author" content="{_h(a)}">' for a in article.authors]
        dateline = article.dateline_text or format_dateline(
            article.published_at, lang, self.timezone
        )
        byline = (
            f'<p class="byline">{_h(c["by"])} {_h(", ".join(article.authors))}</p>'
            if article.authors
            else ""
        )
        others = [e for e in related if e.path != (article.link_path or own_path)][:4]
        paragraphs = [f"<p>{_h(p)}</p>" for p in article.paragraphs]
        if self.layout == 1 and others and len(paragraphs) > 2:
            also = (
                f'<div class="inline-related"><strong>{_h(c["also"])}:</strong> '
                f'<a href="{_h(others[0].path)}">{_h(others[0].title)}</a></div>'
            )
            paragraphs.insert(2, also)
        related_box = "".join(f'<li><a href="{_h(e.path)}">{_h(e.title)}</a></li>' for e in others)
        section = _section_label(article.section, lang)
        share = (
            f'<div class="share"><span>{_h(c["share"])}</span> '
            '<a href="#share-mail">Email</a> <a href="#share-copy">Link</a></div>'
        )
        if self.layout == 1:
            story = f"""<div class="story-wrapper">
<article class="story">
<h1 class="story__title">{_h(article.title)}</h1>
<div class="story__meta">{byline}<p class="dateline">{_h(dateline)}</p></div>
<section class="story__content">
{chr(10).join(paragraphs)}
</section>
{share}
</article>
<aside class="sidebar related"><h2>{_h(c["related"])}</h2><ul>{related_box}</ul></aside>
</div>"""
        else:
            story = f"""<nav class="breadcrumb"><a href="/">{_h(c["home"])}</a> &rsaquo;
<a href="{CATEGORY_PREFIX}{_h(article.section)}">{_h(section)}</a></nav>
<article class="article">
<header class="article-header">
<h1>{_h(article.title)}</h1>
{byline}
<p class="dateline">{_h(dateline)}</p>
</header>
<div class="article-body">
{chr(10).join(paragraphs)}
</div>
{share}
</article>
<aside class="related"><h2>{_h(c["related"])}</h2><ul>{related_box}</ul></aside>"""
        main = f"""{story}
{article.extra_html}
<section class="newsletter">
<h2>{_h(c["newsletter"])}</h2>
<form action="/newsletter" method="post"><input type="email" name="email">
<button type="submit">{_h(c["subscribe"])}</button></form>
</section>
{_filler(article.padding)}"""
        return self._page(
            language=lang,
            title=f"{article.title} | {self.display_name}",
            head="\n".join(head),
            main=main,
            sections=sections,
            body_class=f"article-page section-{article.section}",
            charset=article.charset,
        )

    def _video_page(self, article: SiteArticle, related: list[_Entry], sections: list[str]) -> str:
        c = _chrome(article.language)
        others = [e for e in related if e.kind == "article"][:4]
        links = "".join(f'<li><a href="{_h(e.path)}">{_h(e.title)}</a></li>' for e in others)
        main = f"""<div class="video-page">
<h1>{_h(c["video"])}: {_h(article.title)}</h1>
<div class="player"><video controls preload="none" poster="/media/{_h(article.slug)}.jpg">
<source src="/media/{_h(article.slug)}.mp4" type="video/mp4"></video></div>
<p class="caption">{_h(" ".join(article.paragraphs))}</p>
</div>
<aside class="related"><h2>{_h(c["related"])}</h2><ul>{links}</ul></aside>"""
        return self._page(
            language=article.language,
            title=f"{c['video']}: {article.title} | {self.display_name}",
            head=f'<meta property="og:type" content="video.other">'
            f'<meta property="og:title" content="{_h(article.title)}">',
            main=main,
            sections=sections,
            body_class="video-page",
            charset=article.charset,
        )

    def _js_shell(self, article: SiteArticle, sections: list[str]) -> str:
        api = f"/api/article/{_h(article.slug)}.json"
        script = f"""<script>
(function () {{
  var app = document.getElementById("app");
  fetch("{api}").then(function (r) {{ return r.json(); }}).then(function (a) {{
    document.title = a.title + " | " + a.site;
    var art = document.createElement("article");
    var h1 = document.createElement("h1");
    h1.textContent = a.title;
    art.appendChild(h1);
    var by = document.createElement("p");
    by.className = "byline";
    by.textContent = a.byline;
    art.appendChild(by);
    var t = document.createElement("time");
    t.setAttribute("datetime", a.datePublished);
    t.textContent = a.dateline;
    art.appendChild(t);
    a.paragraphs.forEach(function (text) {{
      var p = document.createElement("p");
      p.textContent = text;
      art.appendChild(p);
    }});
    app.replaceChildren(art);
  }});
}})();
</script>"""
        main = (
            '<div id="app"><div class="spinner">Loading&hellip;</div>'
            "<noscript>Please enable JavaScript to read this site.</noscript></div>"
            f"\n{script}"
        )
        return self._page(
            language=article.language,
            title=self.display_name,
            head="",
            main=main,
            sections=sections,
            body_class="app",
        )

    def render_article_json(self, article: SiteArticle) -> bytes:
        """The API document a render_js article page loads."""
        c = _chrome(article.language)
        doc = {
            "site": self.display_name,
            "title": article.title,
            "byline": f"{c['by']} {', '.join(article.authors)}" if article.authors else "",
            "datePublished": self.local(article.published_at).isoformat(),
            "dateline": article.dateline_text
            or format_dateline(article.published_at, article.language, self.timezone),
            "paragraphs": article.paragraphs,
        }
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")

    def render_listing(
        self, entries: list[_Entry], *, heading: str, language: str | None = None
    ) -> str:
        """A listing page: article links first, then videos and other sections."""
        lang = language or self.language
        c = _chrome(lang)
        ordered = sorted(entries, key=_newest_first)
        stories = [
            f'<li class="teaser"><h3><a href="{_h(e.path)}">{_h(e.title)}</a></h3>'
            f"<p>{_h(e.summary)}</p>"
            f'<a class="more" href="{_h(e.path)}">{_h(c["more"])}</a></li>'
            for e in ordered
            if e.kind != "video"
        ]
        videos = [
            f'<li><a href="{_h(e.path)}">{_h(c["video"])}: {_h(e.title)}</a></li>'
            for e in ordered
            if e.kind == "video"
        ]
        sections = self._sections(entries)
        more = [
            f'<li><a href="{CATEGORY_PREFIX}{_h(s)}">{_h(_section_label(s, lang))}</a></li>'
            for s in sections
        ]
        main = f"""<h1>{_h(heading)}</h1>
<ul class="stream">
{chr(10).join(stories)}
</ul>
<section class="videos"><h2>{_h(c["video"])}</h2><ul>{"".join(videos)}</ul></section>
<section class="sections"><ul>{"".join(more)}</ul></section>
<p class="about-link"><a href="{ABOUT_PATH}">{_h(c["about"])}</a></p>"""
        return self._page(
            language=lang,
            title=f"{heading} | {self.display_name}",
            head="",
            main=main,
            sections=sections,
            body_class="listing-page",
        )

    def render_about(self, sections: list[str]) -> str:
        c = _chrome(self.language)
        main = (
            f'<div class="static-page"><h1>{_h(c["about"])}</h1>'
            f"<p>{_h(self.display_name)} &middot; {_h(self.tagline)}</p>"
            '<p><a href="/contact.html">Contact</a></p></div>'
        )
        return self._page(
            language=self.language,
            title=f"{c['about']} | {self.display_name}",
            head="",
            main=main,
            sections=sections,
            body_class="static-page",
        )

    def render_error(self, status: int, sections: list[str]) -> str:
        c = _chrome(self.language)
        text = c["not_found"] if status == 404 else c["error"]
        return self._page(
            language=self.language,
            title=f"{status} | {self.display_name}",
            head='<meta name="robots" content="noindex">',
            main=f'<div class="error-page"><h1>{status}</h1><p>{_h(text)}</p></div>',
            sections=sections,
            body_class="error-page",
        )


# ---------------------------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RouteRequest:
    """What an extra route's handler is told about the request."""

    publisher: str
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    base_url: str


RouteHandler = Callable[[RouteRequest], tuple[int, Mapping[str, str], bytes]]


class _PublisherServer(ThreadingHTTPServer):
    daemon_threads = True  # a slow route must not keep close() or the interpreter waiting

    def __init__(self, site: NewsSite, publisher: str) -> None:
        self.site = site
        self.publisher = publisher
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _PublisherServer
    server_version = "NewsSite/1.0"

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        status, headers, body = self.server.site._handle(
            self.server.publisher, self.command, self.path, dict(self.headers.items())
        )
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if not any(k.lower() == "content-length" for k in headers):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a crawler's timeout or size limit): nothing left to do.
            return

    def log_message(self, format: str, *args: Any) -> None:
        return  # requests are counted in NewsSite.hits; stderr stays quiet


class NewsSite:
    """Several publishers, each served on its own 127.0.0.1 port.

    Use as a context manager (`with NewsSite(...) as site:`) or call start()/close().
    Articles can be added before or while serving with publish(); extra routes with add_route().
    """

    def __init__(
        self, publishers: Iterable[Publisher], articles: Iterable[SiteArticle] = ()
    ) -> None:
        self.publishers: dict[str, Publisher] = {}
        for pub in publishers:
            if pub.name in self.publishers:
                raise ValueError(f"duplicate publisher {pub.name!r}")
            self.publishers[pub.name] = pub
        self._lock = threading.RLock()
        self._articles: dict[str, list[SiteArticle]] = {name: [] for name in self.publishers}
        self._pages: dict[tuple[str, str], SiteArticle] = {}
        self._links: dict[str, list[_Entry]] = {name: [] for name in self.publishers}
        self._routes: dict[tuple[str, str], RouteHandler] = {}
        self._hits: Counter[tuple[str, str]] = Counter()
        self._servers: dict[str, _PublisherServer] = {}
        self._threads: list[threading.Thread] = []
        for article in articles:
            self.publish(article)

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind one server per publisher on 127.0.0.1:0 and serve in daemon threads."""
        if self._servers:
            return self
        for name in self.publishers:
            server = _PublisherServer(self, name)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"newssite-{name}",
                daemon=True,
            )
            thread.start()
            self._servers[name] = server
            self._threads.append(thread)
        return self

    def close(self) -> None:
        """Stop all servers. Requests still sleeping in a route finish on their own."""
        servers, self._servers = self._servers, {}
        stoppers = [threading.Thread(target=s.shutdown) for s in servers.values()]
        for t in stoppers:
            t.start()
        for t in stoppers:
            t.join()
        for server in servers.values():
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    @property
    def running(self) -> bool:
        return bool(self._servers)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- addresses ----------------------------------------------------------------------------

    def base_url(self, publisher: str) -> str:
        """ "http://127.0.0.1:PORT" (no trailing slash) of a running publisher."""
        self._publisher(publisher)
        server = self._servers.get(publisher)
        if server is None:
            raise RuntimeError("the site is not running: call start() first")
        return f"http://127.0.0.1:{server.server_address[1]}"

    def path(self, article: SiteArticle) -> str:
        """The path the article's page is served at."""
        return self._publisher(article.publisher).path_for(article)

    def url(self, article: SiteArticle) -> str:
        """Absolute URL of the article's own page (after any redirect)."""
        return self.base_url(article.publisher) + self.path(article)

    def link_url(self, article: SiteArticle) -> str:
        """Absolute URL that feeds, sitemaps and listings give for the article."""
        return self.base_url(article.publisher) + (article.link_path or self.path(article))

    def feed_urls(self, publisher: str) -> list[str]:
        base = self.base_url(publisher)
        return [base + p for p in self._publisher(publisher).feed_paths]

    def sitemap_urls(self, publisher: str) -> list[str]:
        pub = self._publisher(publisher)
        return [self.base_url(publisher) + SITEMAP_PATH] if pub.sitemap else []

    def listing_urls(self, publisher: str) -> list[str]:
        pub = self._publisher(publisher)
        return [self.base_url(publisher) + LISTING_PATH] if pub.listing else []

    # -- content ------------------------------------------------------------------------------

    def publish(self, article: SiteArticle) -> None:
        """Add an article (thread-safe); feed, sitemap and listing show it from now on."""
        pub = self._publisher(article.publisher)
        path = pub.path_for(article)
        with self._lock:
            for key in {path, article.link_path or path}:
                if (pub.name, key) in self._pages:
                    raise ValueError(f"{pub.name}: a page already exists at {key}")
            self._articles[pub.name].append(article)
            self._pages[(pub.name, path)] = article

    def add_link(
        self,
        publisher: str,
        path: str,
        title: str,
        published_at: datetime,
        summary: str = "",
    ) -> None:
        """List a path in feed, sitemap and listing that is not an article of this site
        (a dead link, or a page served by add_route)."""
        pub = self._publisher(publisher)
        if published_at.utcoffset() is None:
            raise ValueError(f"{path}: published_at must be timezone-aware")
        entry = _Entry(
            path=path,
            title=title,
            published_at=published_at,
            modified_at=published_at,
            summary=summary or title,
            authors=(),
            language=pub.language,
            section="world",
            kind="article",
            in_feed=True,
        )
        with self._lock:
            self._links[publisher].append(entry)

    def add_route(self, publisher: str, path: str, handler: RouteHandler) -> None:
        """Serve `path` with handler(RouteRequest) -> (status, headers, body).

        Routes win over the built-in pages, so a route can also wrap one (sleep, then return
        default_response()). The handler runs in the request's thread and may block."""
        self._publisher(publisher)
        with self._lock:
            self._routes[(publisher, path)] = handler

    def articles(self, publisher: str | None = None) -> list[SiteArticle]:
        with self._lock:
            if publisher is not None:
                return list(self._articles[self._publisher(publisher).name])
            return [a for items in self._articles.values() for a in items]

    # -- request accounting -----------------------------------------------------------------

    @property
    def hits(self) -> Counter[tuple[str, str]]:
        """A snapshot: (publisher, path) -> number of requests (query strings dropped)."""
        with self._lock:
            return Counter(self._hits)

    def reset_hits(self) -> None:
        with self._lock:
            self._hits.clear()

    def article_hits(self, publisher: str | None = None) -> int:
        """Requests for article pages (their own paths, whichever route served them)."""
        with self._lock:
            return sum(
                n
                for (pub, path), n in self._hits.items()
                if (publisher is None or pub == publisher)
                and (page := self._pages.get((pub, path))) is not None
                and page.kind == "article"
            )

    # -- responses ----------------------------------------------------------------------------

    def article_response(self, article: SiteArticle) -> Response:
        """The article page as served: status, headers, body in the article's charset."""
        pub = self._publisher(article.publisher)
        entries = self._entries(pub.name)
        related = sorted(
            (e for e in entries if e.kind == "article" and e.in_feed), key=_newest_first
        )
        text = pub.render_article(
            article, self._base_or_empty(pub.name), related, pub._sections(entries)
        )
        body = text.encode(article.charset, errors="xmlcharrefreplace")
        return 200, {"Content-Type": f"text/html; charset={article.charset}"}, body

    def default_response(self, publisher: str, path: str) -> Response:
        """What the built-in site serves at `path`, ignoring extra routes."""
        pub = self._publisher(publisher)
        base = self._base_or_empty(publisher)
        with self._lock:
            page = self._pages.get((publisher, path))
        entries = self._entries(publisher)
        sections = pub._sections(entries)
        if page is not None:
            return self.article_response(page)
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, pub.render_robots(base)
        if pub.feed_kind and path == pub.feed_path:
            return 200, {"Content-Type": FEED_TYPES[pub.feed_kind]}, pub.render_feed(entries, base)
        if pub.sitemap and path == SITEMAP_PATH:
            xml_type = {"Content-Type": "application/xml; charset=utf-8"}
            if pub.sitemap == "news":
                return 200, xml_type, pub.render_news_sitemap(entries, base)
            return 200, xml_type, pub.render_sitemap_index(entries, base)
        if pub.sitemap == "index_gz" and path == NEWS_SITEMAP_GZ_PATH:
            data = gzip.compress(pub.render_news_sitemap(entries, base), mtime=0)
            return 200, {"Content-Type": "application/x-gzip"}, data
        if path == "/" or (pub.listing and path == LISTING_PATH):
            heading = pub.display_name if path == "/" else _chrome(pub.language)["latest"]
            return _html(pub.render_listing(entries, heading=heading))
        if path.startswith(CATEGORY_PREFIX):
            section = path[len(CATEGORY_PREFIX) :].strip("/")
            if section in sections:
                chosen = [e for e in entries if e.section == section]
                heading = _section_label(section, pub.language)
                return _html(pub.render_listing(chosen, heading=heading))
        if path == ABOUT_PATH:
            return _html(pub.render_about(sections))
        if pub.render_js and path.startswith("/api/article/") and path.endswith(".json"):
            slug = path[len("/api/article/") : -len(".json")]
            for article in self.articles(publisher):
                if article.slug == slug:
                    return (
                        200,
                        {"Content-Type": "application/json"},
                        pub.render_article_json(article),
                    )
        return _html(pub.render_error(404, sections), status=404)

    def _handle(
        self, publisher: str, method: str, raw_path: str, headers: dict[str, str]
    ) -> Response:
        parts = urlsplit(raw_path)
        path = parts.path or "/"
        with self._lock:
            self._hits[(publisher, path)] += 1
            route = self._routes.get((publisher, path))
        if route is None:
            return _conditional(self.default_response(publisher, path), headers)
        request = RouteRequest(
            publisher=publisher,
            method=method,
            path=path,
            query=parts.query,
            headers=headers,
            base_url=self._base_or_empty(publisher),
        )
        status, out_headers, body = route(request)
        return status, dict(out_headers), body

    # -- helpers ------------------------------------------------------------------------------

    def _publisher(self, name: str) -> Publisher:
        try:
            return self.publishers[name]
        except KeyError:
            raise KeyError(f"no publisher named {name!r}") from None

    def _base_or_empty(self, publisher: str) -> str:
        server = self._servers.get(publisher)
        return f"http://127.0.0.1:{server.server_address[1]}" if server else ""

    def _entries(self, publisher: str) -> list[_Entry]:
        pub = self.publishers[publisher]
        with self._lock:
            articles = list(self._articles[publisher])
            links = list(self._links[publisher])
        entries = [
            _Entry(
                path=a.link_path or pub.path_for(a),
                title=a.title,
                published_at=a.published_at,
                modified_at=a.modified_at or a.published_at,
                summary=a.teaser,
                authors=tuple(a.authors),
                language=a.language,
                section=a.section,
                kind=a.kind,
                in_feed=a.listed_in_feed,
            )
            for a in articles
        ]
        return entries + links


# ---------------------------------------------------------------------------------------------
# Config
# ---------------------------------------------------------------------------------------------


def config_yaml(site: NewsSite, store_url: str, sources: Iterable[str] | None = None) -> str:
    """A newswatch config with one source per publisher (or per name in `sources`).

    Only the keys that apply are written: a publisher without a feed gets no `feeds:`.
    """
    names = list(site.publishers) if sources is None else list(sources)
    lines = [f"store: {_yaml_str(store_url)}", "sources:"]
    for name in names:
        pub = site.publishers[name]
        lines.append(f"  - name: {_yaml_str(pub.name)}")
        for key, urls in (
            ("feeds", site.feed_urls(name)),
            ("sitemaps", site.sitemap_urls(name)),
            ("listings", site.listing_urls(name)),
        ):
            if urls:
                lines.append(f"    {key}: [{', '.join(_yaml_str(u) for u in urls)}]")
        if pub.article_pattern:
            lines.append(f"    article_pattern: {_yaml_str(pub.article_pattern, force=True)}")
        lines.append(f"    language: {_yaml_str(pub.language)}")
        lines.append(f"    timezone: {_yaml_str(pub.timezone)}")
        if pub.render_js:
            lines.append("    render_js: true")
    return "\n".join(lines) + "\n"


_PLAIN_YAML = re.compile(r"^[A-Za-z0-9_./:@+-]+$")
_YAML_WORDS = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


def _yaml_str(value: str, *, force: bool = False) -> str:
    if not force and _PLAIN_YAML.match(value) and value.lower() not in _YAML_WORDS:
        return value
    return "'" + value.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _x(text: str) -> str:
    return _xml_escape(text, {'"': "&quot;"})


def _rfc822(when: datetime) -> str:
    return email.utils.format_datetime(when)


def _newest_first(entry: _Entry) -> float:
    return -entry.published_at.timestamp()


def _conditional(response: Response, request_headers: Mapping[str, str]) -> Response:
    """An ETag on every built-in page, and 304 Not Modified when the client already has it
    (the conditional GET of a crawler that keeps validators)."""
    status, headers, body = response
    if status != 200:
        return response
    etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
    asked = {k.lower(): v for k, v in request_headers.items()}.get("if-none-match", "")
    if etag in [tag.strip() for tag in asked.split(",")]:
        return 304, {"ETag": etag}, b""
    return status, {**headers, "ETag": etag}, body


def _json_script(data: dict[str, Any]) -> str:
    # No raw "<" at all: "</script>" or "<!--" in a headline must not end or confuse the
    # <script> element. JSON readers decode \u003c back to "<".
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def _html(text: str, status: int = 200) -> Response:
    return status, {"Content-Type": "text/html; charset=utf-8"}, text.encode("utf-8")


@lru_cache(maxsize=4)
def _filler(size: int) -> str:
    """At least `size` characters of the bulk a heavy page carries after its article.

    A few hundred ad tiles, then an inline JSON state blob: the shape of a real 10 MB news
    page (hydration data, tracking config), with almost no prose.
    """
    if size <= 0:
        return ""
    tile = (
        '<div class="promo-tile" data-slot="{0}"><a href="/promo/{0}" rel="sponsored">'
        '<img src="/static/promo/{0}.jpg" alt="" width="300" height="250"></a>'
        '<span class="ad-label">Ad</span></div>\n'
    )
    tiles = "".join(tile.format(i) for i in range(300))
    record = '{{"id":{0},"slot":"rail-{0}","kind":"teaser","score":0.{0:06d},"seen":false}},'
    head = f'<section class="promo-grid" aria-hidden="true">\n{tiles}</section>\n'
    head += '<script type="application/json" id="page-state">{"items":['
    parts = [head]
    total = len(head)
    i = 0
    while total < size:
        piece = "".join(record.format(n) for n in range(i, i + 1000))
        parts.append(piece)
        total += len(piece)
        i += 1000
    parts.append('{"id":-1}]}</script>')
    return "".join(parts)
