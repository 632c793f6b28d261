"""The demo site `newswatch demo` serves: three small outlets in English, Indonesian and German.

Eight articles from the last few days. One story, on North Korean troops sent to Russia, runs
on two outlets with the same text under different headlines (Kabar Nusantara carries the
wire copy in its English section), and is reported separately in Indonesian and German, so
a topic such as

    ("North Korea" OR "Korea Utara" OR Nordkorea) AND (troops OR pasukan OR Soldaten)

matches in three languages and alerts once for the syndicated story. It quotes a named
speaker, so statement alerts have something to find. All text was written for this demo;
the people in it are invented.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from newswatch.demo.site import NewsSite, Publisher, SiteArticle

DEMO_TOPIC_QUERY = (
    '("North Korea" OR "Korea Utara" OR Nordkorea) AND (troops OR pasukan OR Soldaten)'
)

PUBLISHERS: tuple[Publisher, ...] = (
    Publisher(
        "herald",
        "en",
        "Europe/London",
        feed_kind="rss2",
        listing=True,
        article_path="/news/{yyyy}/{mm}/{dd}/{slug}.html",
        article_pattern=r"/news/\d{4}/",
        title="Harbourside Herald",
        tagline="Your coast, your news",
    ),
    Publisher(
        "nusantara",
        "id",
        "Asia/Jakarta",
        feed_kind="atom",
        article_path="/berita/{yyyy}{mm}{dd}/{slug}",
        title="Kabar Nusantara",
        tagline="Berita terkini, tepercaya",
    ),
    Publisher(
        "rheinblick",
        "de",
        "Europe/Berlin",
        feed_kind=None,
        sitemap="news",
        article_path="/nachrichten/{slug}-{id}.html",
        title="Rheinblick",
        tagline="Nachrichten vom Rhein und aus aller Welt",
    ),
)


def _text(text: str) -> str:
    blocks = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in b.splitlines()) for b in blocks)


_WIRE = _text(
    """
    North Korea has sent a second contingent of troops to Russia, South Korean lawmakers were
    told at a closed briefing by the country's intelligence service, bringing the total number
    of its soldiers there to well over 10,000.

    “North Korea has sent a second group of about 3,000 troops, and we expect more to follow
    before the winter,” said Lee Jun-ho, a member of the parliamentary intelligence committee,
    after the briefing in Seoul.

    According to the lawmakers, the new arrivals include artillery crews and engineers as well
    as infantry, and most were flown to Russia rather than moved by sea as the first group was.
    The intelligence service also believes that a number of senior officers have travelled to
    observe the fighting.

    Neither Moscow nor Pyongyang has commented on the reports. Both governments have previously
    dismissed talk of a deployment as an attempt to stir up tension.

    Officials in Seoul say they are watching closely for any transfer of Russian military
    technology to the North in return, particularly for satellites and submarines. The
    government has said it will consider all options, including changes to its policy on arms
    exports, if the cooperation deepens.
    """
)

_NUSANTARA_TROOPS = _text(
    """
    Korea Utara dilaporkan kembali mengirim ribuan pasukan ke Rusia. Informasi itu disampaikan
    badan intelijen Korea Selatan dalam rapat tertutup dengan anggota parlemen di Seoul.

    "Korea Utara sudah mengirim gelombang kedua berisi sekitar 3.000 tentara, dan kami
    memperkirakan akan ada pengiriman lagi sebelum musim dingin," kata anggota komisi intelijen
    parlemen, Lee Jun-ho, seusai rapat.

    Menurut Lee, pasukan gelombang kedua itu tidak hanya terdiri atas infanteri, tetapi juga
    awak artileri dan zeni. Sebagian besar diterbangkan ke Rusia, berbeda dengan gelombang
    pertama yang diberangkatkan lewat laut.

    Pemerintah Rusia maupun Korea Utara belum memberikan tanggapan. Seoul menyatakan terus
    memantau kemungkinan adanya imbalan berupa teknologi militer dari Moskow kepada Pyongyang.
    """
)

_RHEINBLICK_TROOPS = _text(
    """
    Nordkorea hat nach Angaben aus Seoul weitere Soldaten nach Russland geschickt. Der
    südkoreanische Geheimdienst unterrichtete Abgeordnete in einer vertraulichen
    Sitzung über eine zweite Gruppe von rund 3000 Mann.

    „Nordkorea hat eine zweite Gruppe von etwa 3000 Soldaten geschickt, und wir rechnen damit,
    dass vor dem Winter weitere folgen“, sagte der Abgeordnete Lee Jun-ho nach der Sitzung.

    Anders als die erste Gruppe seien die neuen Kräfte überwiegend per Flugzeug nach Russland
    gebracht worden. Neben Infanteristen gehörten auch Artilleristen und Pioniere dazu. Moskau
    und Pjöngjang äußerten sich nicht zu den Berichten.

    In Seoul wächst die Sorge, dass Russland im Gegenzug Militärtechnik an Nordkorea liefern
    könnte, etwa für Satelliten oder U-Boote.
    """
)

_HERALD_LIFEBOAT = _text(
    """
    Two kayakers were rescued off the headland in the afternoon after strong winds pushed
    them away from the shore and one of their boats capsized near the rocks below the
    lighthouse.

    The lifeboat crew launched within ten minutes of the alarm being raised by a walker on the
    cliff path. Volunteers pulled both paddlers from the water and brought them back to the
    harbour, where paramedics checked them for cold shock. Neither needed hospital treatment.

    “They did the right thing by staying with the boat and keeping their buoyancy aids on,” said
    Gareth Lloyd, the lifeboat station's helm on the day. “Conditions change very quickly
    around the point, even on a sunny day.”

    The coastguard reminded visitors to check the forecast and tide times before going out, and
    to carry a way of calling for help.
    """
)

_HERALD_BAKERY = _text(
    """
    A family-run bakery that started with a single shop on the quayside will open ten new
    branches across the region over the next two years, creating around 150 jobs.

    The company, which is known for its sourdough and seaweed buns, said rising demand from
    cafés and hotels had persuaded it to build a larger central bakery on the industrial
    estate outside town.

    “We were baking through the night in a kitchen built for one shop. Now we finally have room
    to grow,” said Maggie Rowe, who founded the business with her brother fifteen years ago.

    The first of the new shops will open in the spring. The owners say they will keep buying
    flour from mills in the region.
    """
)

_NUSANTARA_BUS = _text(
    """
    Pemerintah Kota Surabaya menambah 40 unit bus listrik untuk melayani empat rute baru yang
    menghubungkan kawasan permukiman di pinggiran kota dengan pusat perkantoran dan kampus.

    Bus-bus tersebut mulai beroperasi pekan depan dengan tarif yang sama seperti bus kota
    lainnya. Penumpang dapat membayar menggunakan kartu elektronik atau aplikasi di telepon
    genggam.

    "Kami ingin warga beralih dari kendaraan pribadi. Bus listrik lebih senyap dan tidak
    menambah polusi udara," kata Kepala Dinas Perhubungan Surabaya, Andri Wicaksono.

    Pemerintah kota juga membangun sepuluh halte baru yang dilengkapi atap, tempat duduk, dan
    papan informasi jadwal kedatangan bus.
    """
)

_RHEINBLICK_PEGEL = _text(
    """
    Nach tagelangem Regen steigt der Rhein bei Köln deutlich an. Der Pegel lag am Morgen bei
    gut sechs Metern, bis zum Wochenende erwarten die Fachleute mehr als sieben Meter.

    Die Stadt hat erste mobile Schutzwände in der Altstadt aufgebaut. Einige Uferwege und
    Parkplätze am Fluss sind gesperrt, die Personenschifffahrt hat ihre Fahrten vorerst
    eingestellt.

    „Für die Innenstadt besteht derzeit keine Gefahr, aber wir bleiben wachsam“, sagte ein
    Sprecher der Hochwasserschutzzentrale. Anwohnerinnen und Anwohner in tief gelegenen
    Straßen sollten Keller und Tiefgaragen im Blick behalten.
    """
)


def _ago(now: datetime, hours: float) -> datetime:
    return now - timedelta(hours=hours)


def demo_articles(now: datetime | None = None) -> list[SiteArticle]:
    """The demo's pages, dated relative to `now` (default: the current minute)."""
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    wire_authors = ["Mina Cho"]
    return [
        SiteArticle(
            "herald",
            "north-korea-second-contingent",
            "North Korea sends second contingent of troops to Russia, lawmakers told",
            _WIRE,
            "en",
            _ago(now, 5),
            wire_authors,
        ),
        SiteArticle(
            "nusantara",
            "pyongyang-more-soldiers-russia",
            "Seoul lawmakers say Pyongyang has dispatched more soldiers to Russia",
            _WIRE,
            "en",
            _ago(now, 4),
            wire_authors,
            date_markup="meta",
            path="/en/news/pyongyang-more-soldiers-russia",
            section="world",
        ),
        SiteArticle(
            "nusantara",
            "korea-utara-kirim-pasukan-tambahan",
            "Korea Utara Kirim Ribuan Pasukan Tambahan ke Rusia",
            _NUSANTARA_TROOPS,
            "id",
            _ago(now, 3),
            ["Putri Handayani"],
            date_markup="meta",
        ),
        SiteArticle(
            "rheinblick",
            "nordkorea-weitere-soldaten",
            "Nordkorea schickt weitere Soldaten nach Russland",
            _RHEINBLICK_TROOPS,
            "de",
            _ago(now, 6),
            ["Lena Hofmann"],
            date_markup="dateline",
        ),
        SiteArticle(
            "herald",
            "kayakers-rescued-headland",
            "Lifeboat crew rescues two kayakers off the headland",
            _HERALD_LIFEBOAT,
            "en",
            _ago(now, 26),
            ["Owen Price"],
            section="national",
        ),
        SiteArticle(
            "herald",
            "quayside-bakery-expands",
            "Quayside bakery to open ten new shops",
            _HERALD_BAKERY,
            "en",
            _ago(now, 50),
            ["Owen Price"],
            section="business",
        ),
        SiteArticle(
            "nusantara",
            "surabaya-bus-listrik",
            "Surabaya Tambah 40 Bus Listrik untuk Empat Rute Baru",
            _NUSANTARA_BUS,
            "id",
            _ago(now, 30),
            ["Bayu Pratama"],
            date_markup="meta",
            section="national",
        ),
        SiteArticle(
            "rheinblick",
            "rheinpegel-koeln-steigt",
            "Rheinpegel in Köln steigt nach Dauerregen",
            _RHEINBLICK_PEGEL,
            "de",
            _ago(now, 44),
            [],
            date_markup="dateline",
            section="national",
        ),
        SiteArticle(
            "herald",
            "lifeboat-launch-video",
            "Watch the lifeboat launch into a rising swell",
            "The volunteer crew launching from the slipway into a rising swell.",
            "en",
            _ago(now, 25),
            kind="video",
            path="/video/lifeboat-launch.html",
        ),
    ]


def demo_site(now: datetime | None = None) -> NewsSite:
    """The demo site, not yet started: `with demo_site() as site: ...`."""
    return NewsSite(PUBLISHERS, demo_articles(now))
