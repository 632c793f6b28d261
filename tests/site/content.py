"""Publishers, articles and hostile cases of the fixture site, with the ground truth.

All article text here was written for this test suite; people quoted in it are invented.

Publishers (one 127.0.0.1 server each):

- planet      en  Europe/London     RSS 2.0, JSON-LD pages
- courier     en  America/New_York  Atom + listing (/latest) + article_pattern, JSON-LD
- meridian    en  Asia/Singapore    plain news sitemap only, JSON-LD with a later dateModified
- kabar       id  Asia/Jakarta      RSS 2.0 (+0700 dates), meta-only pages (WIB datelines)
- tagesblick  de  Europe/Berlin     sitemap index -> gzipped news sitemap, dateline-only pages
- zarya       ru  Europe/Moscow     RSS 1.0 (RDF, dc:date), mixed date markup
- alsahil     ar  Asia/Riyadh       listing + article_pattern only, JSON-LD
- hostile     en  Europe/London     RSS 2.0 linking to robots-disallowed, redirected, missing,
                                    failing, slow, cp1251, 10 MB and non-article pages, plus a
                                    truncated second feed /broken.xml
- jsonly      en  Europe/Dublin     (only with include_js=True) article text is loaded by
                                    JavaScript from /api/article/{slug}.json

One wire story (story "kursk-wire") runs on planet, courier and meridian with the same text
under different headlines; meridian's copy is cut short. The same event is reported
separately in id, de, ru and ar (event "kursk-combat"), and planet has an unrelated story on
the same topic (EU sanctions). late_articles() are a new story and its syndicated copy, to
publish() while a test runs.
"""

from __future__ import annotations

import copy
import re
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from newswatch.demo.site import (
    NewsSite,
    Publisher,
    RouteHandler,
    RouteRequest,
    SiteArticle,
    format_dateline,
)

TOPIC_QUERIES: dict[str, str] = {
    "nk-troops": (
        '("North Korea" OR "Korea Utara" OR Nordkorea) AND (troops OR pasukan OR Soldaten)'
    ),
}

PUBLISHERS: tuple[Publisher, ...] = (
    Publisher(
        "planet",
        "en",
        "Europe/London",
        feed_kind="rss2",
        title="Planet Desk",
        tagline="News from London and the world",
    ),
    Publisher(
        "courier",
        "en",
        "America/New_York",
        feed_kind="atom",
        listing=True,
        article_path="/{yyyy}/{mm}/{dd}/{slug}",
        article_pattern=r"/\d{4}/\d{2}/\d{2}/",
        title="Harbor City Courier",
        tagline="Independent local journalism since 1921",
        layout=1,
    ),
    Publisher(
        "meridian",
        "en",
        "Asia/Singapore",
        feed_kind=None,
        sitemap="news",
        article_path="/article/{slug}-{id}",
        title="The Meridian",
        tagline="Southeast Asia, every day",
    ),
    Publisher(
        "kabar",
        "id",
        "Asia/Jakarta",
        feed_kind="rss2",
        article_path="/berita/{id}/{slug}",
        title="Kabar Harian",
        tagline="Berita terkini dari Nusantara",
    ),
    Publisher(
        "tagesblick",
        "de",
        "Europe/Berlin",
        feed_kind=None,
        sitemap="index_gz",
        article_path="/artikel/{slug}-{id}.html",
        title="Tagesblick",
        tagline="Nachrichten aus Deutschland und der Welt",
        layout=1,
    ),
    Publisher(
        "zarya",
        "ru",
        "Europe/Moscow",
        feed_kind="rss1",
        article_path="/{yyyy}/{mm}/{dd}/{slug}/",
        title="Заря",
        tagline="Новости дня",
    ),
    Publisher(
        "alsahil",
        "ar",
        "Asia/Riyadh",
        feed_kind=None,
        listing=True,
        article_path="/news/{yyyy}/{mm}/{dd}/{id}.html",
        article_pattern=r"/news/\d{4}/",
        title="الساحل",
        tagline="أخبار الخليج والعالم",
        layout=1,
    ),
    Publisher(
        "hostile",
        "en",
        "Europe/London",
        feed_kind="rss2",
        disallow=("/private/",),
        extra_feeds=("/broken.xml",),
        title="The Awkward Gazette",
        tagline="A harbour town newspaper with a difficult website",
    ),
)

JS_PUBLISHER = Publisher(
    "jsonly",
    "en",
    "Europe/Dublin",
    feed_kind="rss2",
    render_js=True,
    title="Pulse",
    tagline="News, rendered in your browser",
)

_TZ = {p.name: p.timezone for p in (*PUBLISHERS, JS_PUBLISHER)}

# Hostile paths (what the hostile feed links to).
PRIVATE_PATH = "/private/2024/11/13/harbour-budget-memo.html"
REDIRECT_START = "/go/cranes"
REDIRECT_CHAIN = (
    (301, "/go/cranes/step-2"),
    (302, "/go/cranes/step-3"),
    (301, "/news/2024/11/13/harbour-cranes-return.html"),
)
NOT_FOUND_PATH = "/news/2024/11/12/harbour-review-published.html"
SERVER_ERROR_PATH = "/news/2024/11/12/fishing-quota-talks.html"
SLOW_PATH = "/news/2024/11/13/ferry-winter-timetable.html"
CP1251_PATH = "/ru/2024/11/13/tver-library.html"
HUGE_PATH = "/news/2024/11/12/stadium-roof-repairs.html"
HUGE_PADDING = 10 * 1024 * 1024
HOSTILE_VIDEO_PATH = "/video/2024/11/13/storm-waves.html"
BROKEN_FEED_PATH = "/broken.xml"


def _at(local: str, publisher: str) -> datetime:
    """'2024-11-14 15:30' in the publisher's timezone, as an aware datetime."""
    return datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(_TZ[publisher]))


def _text(text: str) -> str:
    """Paragraphs written wrapped in the source -> one line each, separated by blank lines."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in b.splitlines()) for b in blocks)


# ---------------------------------------------------------------------------------------------
# Texts
# ---------------------------------------------------------------------------------------------

_WIRE_KURSK = _text(
    """
    North Korean soldiers sent to Russia have begun taking part in combat operations in the
    Kursk region, South Korea's military said on Thursday, the clearest sign yet that a
    deployment first described as a training mission has moved to the front line.

    “We assess that a considerable number of North Korean troops are no longer confined to rear
    areas and are now fighting alongside Russian airborne and marine units,” said Park Min-seo,
    a spokeswoman for the Joint Chiefs of Staff in Seoul. She declined to say how many soldiers
    had been committed or whether any had been killed.

    Officials in Seoul have estimated that North Korea has sent more than 10,000 soldiers to
    Russia since October. Most were first moved by ship to Vladivostok and then by rail to
    training grounds in the Far East before being transported west.

    Ukrainian commanders have reported for several weeks that units from the North were being
    prepared for an attempt to push Ukrainian forces out of the part of Kursk they have held
    since August. Neither Moscow nor Pyongyang has publicly confirmed the deployment, and
    Russian officials have described reports of it as speculation.

    Analysts say the arrival of North Korean troops on the battlefield gives Russia additional
    manpower without a new round of mobilisation at home, while giving Pyongyang's army its
    first combat experience in decades. In exchange, they believe, the North may be seeking
    oil, money and military technology.

    The reports have alarmed governments in Europe and Asia. South Korea has said it is
    reviewing its long-standing policy of not supplying weapons directly to countries at war,
    and officials in Seoul said on Thursday that all options remained under consideration.

    “What happens in Kursk does not stay in Kursk,” said Tomas Reinholt, a researcher at the
    Halvard Centre for Security Studies in Oslo. “Every lesson the North Korean army learns
    there will be studied on the Korean peninsula.”
    """
)
_WIRE_KURSK_CUT = "\n\n".join(_WIRE_KURSK.split("\n\n")[:4])
_WIRE_STATEMENTS = [
    {
        "speaker": "Park Min-seo",
        "quote": "We assess that a considerable number of North Korean troops are no longer "
        "confined to rear areas and are now fighting alongside Russian airborne and marine "
        "units",
    },
    {"speaker": "Tomas Reinholt", "quote": "What happens in Kursk does not stay in Kursk"},
]

_PLANET_SANCTIONS = _text(
    """
    Foreign ministers from the European Union discussed new sanctions on Wednesday aimed at the
    shipping companies and banks that they say have helped move North Korea's troops and
    munitions to Russia, diplomats said after a meeting in Brussels.

    The proposals would add around a dozen vessels and several trading firms registered outside
    the bloc to its sanctions list. Diplomats said a decision could come before the end of the
    year, although two member states have asked for more time to study the legal basis.

    “Pyongyang is not a bystander any more; it has become a party to this war, and our measures
    must reflect that,” said Helena Marsh, the bloc's deputy envoy for Asia, after the talks.

    Ministers also discussed how to support South Korea and Japan, which have both raised
    concerns about the technology the North might receive in return for sending soldiers. Some
    delegations want closer intelligence sharing with Seoul, while others prefer to wait for a
    joint statement by the Group of Seven.

    Critics say sanctions against North Korea have had limited effect because the country
    already trades very little with Europe. Supporters argue that targeting the ships that
    carry weapons and the firms that insure them could make the transfers slower and more
    expensive.

    The ministers are due to meet again in December.
    """
)

_PLANET_RAIL = _text(
    """
    Several railway lines across northern England were closed on Tuesday after a night of
    torrential rain flooded tracks and triggered a landslip on an embankment in the Calder
    Valley, disrupting journeys for tens of thousands of commuters.

    Engineers spent the morning inspecting cuttings and culverts along the route between Leeds
    and Manchester, and the line is not expected to reopen before Wednesday evening.
    Replacement buses were running, but passengers were warned that journeys could take twice
    as long as usual.

    Forecasters had issued warnings for rain across parts of Yorkshire and Lancashire, where
    more than 70mm fell in some places in less than a day. Several schools delayed opening and
    river levels were still rising in the afternoon.

    “Our teams have been out all night clearing mud and fallen trees, and we will reopen each
    line as soon as it is safe to do so,” said Karen Doyle, who manages the route for the rail
    operator.

    Travellers were advised to check timetables before setting out and to avoid non-essential
    journeys until the weekend, when drier weather is expected.
    """
)

_PLANET_BUSES = _text(
    """
    Night workers and students in Leeds will be able to catch a bus home at any hour from
    January after councillors approved a year-long trial of all-night services on five of the
    city's busiest routes.

    The buses will run every 30 minutes between midnight and 5am from Thursday to Sunday,
    linking the city centre with hospitals, the university campuses and several large housing
    estates. The trial will cost about £1.2m, most of it paid from a regional transport fund.

    Hospital staff and hospitality workers had campaigned for the change for several years,
    saying that taxis were too expensive and that many shifts ended long after the last bus.

    “If you finish work at two in the morning, you should not have to choose between a £25
    taxi and a long walk in the dark,” said Amira Shah, a nurse who helped organise the
    campaign.

    Operators will report passenger numbers every three months. If the routes prove popular,
    councillors say the service could be extended to the rest of the week.
    """
)

_COURIER_DOORS = _text(
    """
    Transit officials said on Wednesday that glass barriers would be installed along the
    platform edges at three subway stations next year, part of a pilot aimed at preventing
    people from falling or being pushed onto the tracks.

    The barriers, with sliding doors that open only when a train has stopped, are common in
    cities such as Seoul, Singapore and Paris, but have long been resisted here because many
    older stations have curved platforms and trains of different lengths.

    Engineers chose stations where the platforms are straight and the trains always stop in
    the same place. Installation is expected to take about nine months and to cost roughly
    $100 million, including the software needed to synchronize the doors with the trains.

    “This is not a gimmick. If it works at these three stations, we will have a plan for dozens
    more,” said Daniel Ortiz, the agency's chief of station modernization.

    Rider advocates welcomed the test but said the agency should also put more staff on
    platforms and fix the elevators that have been out of service for months.
    """
)

_COURIER_SMOKE = _text(
    """
    Residents across much of New Jersey were urged to limit time outdoors on Tuesday as smoke
    from several brush fires burning in the state's forests drifted over towns and highways,
    leaving a haze and a strong smell of burning wood.

    State officials issued air-quality alerts for 12 counties, warning that fine particles in
    the smoke could cause problems for children, older people and anyone with asthma or heart
    disease. Some schools kept pupils indoors during breaks.

    The fires have been fueled by one of the driest autumns on record. Firefighters said the
    largest blaze had burned about 3,000 acres and was 60 percent contained by the afternoon,
    helped by lighter winds.

    “We need rain, and we need people to stop burning leaves in their yards,” said Megan Walsh,
    a state forest fire warden.

    A statewide ban on outdoor fires remains in place, and officials said anyone caught
    breaking it could face fines of up to $1,000.
    """
)

_MERIDIAN_SOLAR = _text(
    """
    A floating solar farm on one of Singapore's northern reservoirs has doubled in size, making
    it one of the largest installations of its kind in Southeast Asia, the national water
    agency said on Wednesday.

    About 120,000 panels now cover roughly a third of the reservoir's surface, producing enough
    electricity to power the nearby waterworks and several thousand homes. The panels are
    mounted on plastic floats anchored to the reservoir bed and angled to shed rainwater
    quickly.

    Land is scarce in Singapore, and officials have turned to reservoirs, rooftops and even the
    sea to increase the share of electricity generated from sunlight.

    “Every reservoir surface we can use is land we do not have to clear,” said Tan Wei Ling,
    who leads the agency's renewable energy programme.

    Scientists monitoring the project say they have so far found no measurable effect on water
    quality or on the birds and fish living in the reservoir, but they will continue to take
    samples every month.
    """
)

_MERIDIAN_FLIGHTS = _text(
    """
    Two low-cost airlines will launch direct flights from Singapore to Da Nang and Cebu next
    month, adding capacity on routes that have become popular with families and younger
    travellers looking for beach holidays closer to home.

    One carrier will fly daily to the central Vietnamese city, while the other plans four
    flights a week to Cebu in the Philippines. Introductory fares start at about S$89 one way,
    excluding taxes and baggage.

    Travel agents say demand for short trips in the region has grown strongly this year, helped
    by easier visa rules and weaker currencies in several destination countries.

    “People want a change of scenery for a long weekend without spending half of it on a
    plane,” said Rachel Lim, who runs a travel agency in Tampines.

    Airport officials expect passenger traffic in December to approach the levels recorded
    before the pandemic, with the school holidays traditionally the busiest period of the
    year.
    """
)

_KABAR_KURSK = _text(
    """
    Militer Korea Selatan menyatakan pasukan Korea Utara yang dikirim ke Rusia kini sudah ikut
    bertempur di wilayah Kursk, tidak lagi hanya menjalani pelatihan di garis belakang.

    "Kami menilai sebagian besar tentara Korea Utara kini bertempur bersama unit lintas udara
    dan marinir Rusia," kata juru bicara Kepala Staf Gabungan Korea Selatan, Park Min-seo, di
    Seoul, Kamis (14/11/2024).

    Park tidak menyebutkan jumlah tentara yang terlibat dalam pertempuran maupun kemungkinan
    adanya korban jiwa. Menurut perkiraan badan intelijen Seoul, Pyongyang telah mengirim
    lebih dari 10.000 tentara ke Rusia sejak Oktober.

    Pasukan itu awalnya diberangkatkan dengan kapal ke Vladivostok, lalu diangkut dengan kereta
    ke sejumlah lokasi latihan sebelum dipindahkan ke wilayah barat Rusia. Baik Moskow maupun
    Pyongyang belum pernah mengakui pengiriman tersebut secara terbuka.

    Pengamat menilai kehadiran tentara Korea Utara memberi Rusia tambahan tenaga tanpa harus
    menggelar mobilisasi baru. Sebagai imbalannya, Pyongyang diperkirakan mengincar minyak,
    uang tunai, dan teknologi militer.

    Pemerintah Korea Selatan menyebut sedang meninjau kembali kebijakan yang selama ini
    melarang pengiriman senjata secara langsung ke negara yang sedang berperang. "Semua opsi
    masih dipertimbangkan," ujar seorang pejabat kantor kepresidenan.
    """
)

_KABAR_ROB = _text(
    """
    Banjir rob kembali merendam sejumlah permukiman di pesisir Jakarta Utara sejak Rabu dini
    hari. Ketinggian air di beberapa gang di kawasan Muara Angke dan Pluit mencapai 40
    sentimeter, sehingga warga terpaksa memindahkan barang-barang ke tempat yang lebih tinggi.

    Badan meteorologi sebelumnya telah memperingatkan potensi pasang maksimum air laut yang
    bertepatan dengan fase bulan purnama. Kondisi itu diperkirakan berlangsung hingga akhir
    pekan, terutama pada pagi dan sore hari.

    "Setiap bulan kami harus bersiap. Kalau air sudah masuk rumah, kami tidur di lantai dua,"
    kata Siti Rahmawati, warga Muara Angke yang sudah tinggal di kawasan itu selama 20 tahun.

    Petugas pemadam kebakaran dan dinas sumber daya air menyiagakan pompa portabel di
    titik-titik rawan. Pemerintah kota juga mengimbau nelayan agar tidak melaut ketika
    gelombang tinggi.

    Para ahli menyebut penurunan muka tanah di Jakarta Utara membuat banjir rob semakin sering
    terjadi. Mereka mendesak pengendalian pengambilan air tanah dan percepatan pembangunan
    tanggul pantai. Tanpa langkah tersebut, sebagian kawasan pesisir diperkirakan akan terendam
    secara permanen dalam beberapa dekade mendatang.
    """
)

_KABAR_BERAS = _text(
    """
    Harga beras medium di sejumlah pasar tradisional di Jawa Barat dan Jawa Tengah naik dalam
    dua pekan terakhir. Di Pasar Kosambi, Bandung, beras medium kini dijual Rp14.000 per
    kilogram, naik sekitar Rp1.000 dibandingkan awal bulan.

    Pedagang menyebut pasokan dari penggilingan berkurang karena musim panen sudah lewat,
    sementara panen berikutnya baru diperkirakan pada Februari. Kenaikan harga gabah di tingkat
    petani juga ikut mendorong harga jual.

    "Pembeli sekarang lebih banyak membeli dalam jumlah kecil, satu atau dua liter saja," ujar
    Dedi Supriadi, pedagang beras di Pasar Kosambi.

    Pemerintah berencana menggelar operasi pasar dengan menyalurkan beras dari cadangan
    nasional ke daerah-daerah yang mengalami kenaikan harga paling tinggi. Langkah itu
    diharapkan dapat menahan harga hingga akhir tahun.

    Ekonom pertanian mengingatkan bahwa operasi pasar hanya bersifat sementara. Menurut mereka,
    produktivitas sawah dan perbaikan jaringan irigasi perlu ditingkatkan agar pasokan beras
    lebih stabil sepanjang tahun.

    Bagi keluarga berpenghasilan rendah, beras menyerap bagian terbesar dari belanja makanan,
    sehingga kenaikan harga sekecil apa pun langsung terasa. Sejumlah warung makan di Bandung
    mengaku mulai mengurangi porsi nasi agar tidak perlu menaikkan harga menu.
    """
)

_TAGESBLICK_KURSK = _text(
    """
    Nordkoreanische Soldaten sind nach Angaben des südkoreanischen Militärs inzwischen direkt
    an den Kämpfen in der russischen Grenzregion Kursk beteiligt. Bislang war lediglich von
    einer Ausbildung hinter der Front die Rede gewesen.

    „Wir gehen davon aus, dass eine beträchtliche Zahl nordkoreanischer Soldaten nicht mehr nur
    in rückwärtigen Gebieten steht, sondern gemeinsam mit russischen Luftlande- und
    Marineinfanterieeinheiten kämpft“, sagte die Sprecherin des Generalstabs in Seoul, Park
    Min-seo. Zur Zahl der eingesetzten Soldaten und zu möglichen Verlusten äußerte sie sich
    nicht.

    Südkoreanische Stellen schätzen, dass Nordkorea seit Oktober mehr als 10.000 Soldaten nach
    Russland geschickt hat. Sie wurden demnach zunächst per Schiff nach Wladiwostok gebracht
    und später mit der Bahn in den Westen des Landes verlegt. Weder Moskau noch Pjöngjang haben
    den Einsatz offiziell bestätigt.

    Fachleute sehen in dem Schritt einen Gewinn für beide Seiten: Russland erhält zusätzliche
    Kräfte, ohne eine neue Mobilmachung ausrufen zu müssen, das Regime in Pjöngjang sammelt
    Kampferfahrung und hofft auf Öl, Devisen und Militärtechnik.

    „Jede Erfahrung, die die nordkoreanische Armee in Kursk macht, wird später auf der
    koreanischen Halbinsel ausgewertet“, sagte der Sicherheitsforscher Martin Ebeling. Die
    Bundesregierung verurteilte den Einsatz und kündigte an, mit den europäischen Partnern über
    weitere Sanktionen zu beraten.
    """
)

_TAGESBLICK_TRAM = _text(
    """
    In Leipzig hat am Mittwoch eine neue Straßenbahnlinie den Betrieb aufgenommen. Die Linie 17
    verbindet die wachsenden Wohngebiete im Süden der Stadt mit dem Hauptbahnhof und soll nach
    Angaben der Verkehrsbetriebe täglich rund 18.000 Fahrgäste befördern.

    Für den Bau wurden knapp vier Kilometer neue Gleise verlegt, sieben Haltestellen neu
    errichtet und zwei Kreuzungen umgestaltet. Die Arbeiten dauerten gut zwei Jahre und
    kosteten rund 64 Millionen Euro, von denen Bund und Land den größten Teil übernahmen.

    „Wer bisher im Stau stand, kommt jetzt in zwanzig Minuten in die Innenstadt“, sagte die
    Verkehrsdezernentin Sabine Kröger bei der Eröffnungsfahrt. Die Bahnen fahren tagsüber alle
    zehn Minuten, am Abend und am Wochenende alle fünfzehn Minuten.

    Anwohner hatten während der Bauzeit über Lärm und gesperrte Zufahrten geklagt. Einige
    Geschäftsleute an der Strecke hoffen nun auf mehr Laufkundschaft. Der Fahrgastverband
    begrüßte die Eröffnung, forderte aber zusätzliche Fahrradstellplätze an den Haltestellen
    und eine bessere Anbindung an die S-Bahn.
    """
)

_TAGESBLICK_GAS = _text(
    """
    Viele Haushalte in Norddeutschland können im kommenden Jahr mit niedrigeren Heizkosten
    rechnen. Mehrere Stadtwerke kündigten an, ihre Gaspreise zum Jahreswechsel um bis zu zwölf
    Prozent zu senken.

    Hintergrund sind die gesunkenen Einkaufspreise im Großhandel, die nach Angaben der
    Versorger nun mit Verzögerung an die Kundschaft weitergegeben werden. Für einen
    Vierpersonenhaushalt mit einem Verbrauch von 20.000 Kilowattstunden bedeutet das eine
    Ersparnis von bis zu 240 Euro im Jahr.

    „Wir geben die Entlastung vollständig weiter, sobald unsere langfristigen Verträge das
    zulassen“, sagte Henrik Paulsen, Sprecher eines kommunalen Versorgers an der Ostseeküste.
    Verbraucherschützer raten dennoch, die eigenen Tarife zu vergleichen, weil manche Anbieter
    ihre Preise kaum oder gar nicht anpassen.

    Zugleich steigen zum Jahreswechsel die Netzentgelte in einigen Regionen, und auch der
    CO2-Preis erhöht sich. Ein Teil der Ersparnis könnte dadurch wieder aufgezehrt werden.
    Fachleute gehen davon aus, dass die Gaspreise im kommenden Jahr insgesamt stabil bleiben,
    solange die Speicher gut gefüllt sind.
    """
)

_ZARYA_KURSK = _text(
    """
    Военнослужащие КНДР, направленные в Россию, начали участвовать в боевых действиях в Курской
    области, заявили в четверг в Объединённом комитете начальников штабов Южной Кореи. Ранее
    речь шла лишь о подготовке северокорейских солдат в тылу.

    «По нашей оценке, значительная часть северокорейских военных уже не находится в тыловых
    районах и воюет вместе с российскими подразделениями», — заявила официальный представитель
    ведомства Пак Мин Со. Она не уточнила, сколько военных задействовано в боях и есть ли среди
    них погибшие.

    По данным южнокорейской разведки, с октября Пхеньян отправил в Россию более 10 тысяч
    военнослужащих. Сначала их доставили морем во Владивосток, затем по железной дороге на
    полигоны, откуда позднее перебросили на запад страны.

    В Москве и Пхеньяне официально не подтверждали эти сведения. Российские официальные лица
    ранее называли сообщения о переброске войск «спекуляциями».

    Эксперты полагают, что участие северокорейских войск позволяет России восполнить потери без
    новой волны мобилизации, а КНДР получает боевой опыт и, возможно, рассчитывает на поставки
    нефти, валюты и военных технологий. Сеул сообщил, что пересматривает свою политику,
    запрещающую прямые поставки оружия странам, ведущим войну.
    """
)

_ZARYA_BRIDGE = _text(
    """
    В Казани в среду открыли пешеходный мост через реку Казанку, который соединил набережную в
    центре города с новым жилым районом на противоположном берегу. Длина конструкции
    составляет 420 метров, ширина — восемь метров.

    Строительство продолжалось почти два года. На мосту устроены велосипедные дорожки,
    смотровые площадки и подогрев покрытия, чтобы зимой пешеходам не приходилось идти по льду.
    Вечером конструкцию подсвечивают несколько сотен светодиодных светильников.

    «Раньше жителям приходилось делать крюк в три километра, теперь до центра можно дойти
    пешком за пятнадцать минут», — сказала главный архитектор проекта Алсу Гарипова на
    церемонии открытия.

    Горожане в первые же часы начали фотографироваться на смотровых площадках. Некоторые
    жители, впрочем, жалуются, что вблизи моста пока не хватает парковок. В мэрии пообещали до
    конца года обустроить рядом сквер и разместить пункты проката велосипедов и самокатов.

    Проект моста выбрали по итогам открытого конкурса, в котором участвовали архитектурные
    бюро из нескольких городов. Победившая команда предложила изогнутую форму пролёта,
    повторяющую линию берега, и деревянные скамейки вдоль перил. По словам организаторов, летом
    на мосту будут проходить концерты и ярмарки.
    """
)

_ZARYA_FROST = _text(
    """
    Синоптики предупредили жителей Урала о резком похолодании. В ближайшие дни ночная
    температура в Свердловской и Челябинской областях может опуститься до минус 25 градусов, а
    на севере региона — ещё ниже.

    Похолодание принесёт арктический воздух, который придёт на смену влажной и относительно
    тёплой погоде последних недель. Днём ожидается от минус 12 до минус 17 градусов, местами
    пройдёт небольшой снег, на дорогах возможна гололедица.

    «Такие морозы в середине ноября бывают не каждый год, но ничего аномального в них нет», —
    пояснила ведущий специалист регионального гидрометцентра Ирина Соколова. По её словам,
    холодная погода продержится как минимум до конца недели.

    Коммунальные службы перевели котельные на усиленный режим работы. Водителям рекомендуют
    заранее сменить шины и не оставлять автомобили надолго на открытых стоянках, а родителям —
    следить за тем, чтобы дети не выходили на лёд водоёмов, который ещё недостаточно прочен.

    Энергетики заверили, что сети готовы к пиковым нагрузкам: за осень на подстанциях региона
    заменили изношенное оборудование, а аварийные бригады будут дежурить круглосуточно. Решение
    об отмене занятий для младших классов школы примут, если температура опустится ниже минус
    28 градусов.
    """
)

_ZARYA_BUCKWHEAT = _text(
    """
    Гречневая крупа в российских магазинах за последний месяц подорожала в среднем на семь
    процентов, следует из данных мониторинга цен, которые приводят аналитики розничных сетей.
    Быстрее всего цены росли в Сибири и на Дальнем Востоке.

    Производители объясняют подорожание слабым урожаем: из-за засушливого лета в ряде регионов
    собрали заметно меньше гречихи, чем годом ранее. Кроме того, выросли расходы на
    транспортировку и упаковку.

    «Паники на рынке нет, запасов достаточно, но дешёвой гречки в этом сезоне ждать не стоит»,
    — сказал руководитель отраслевого союза производителей круп Виктор Лаптев.

    Экономисты отмечают, что гречка традиционно служит для покупателей своего рода
    индикатором: её подорожание быстро замечают и обсуждают. Розничные сети, по их словам, пока
    стараются сдерживать цены за счёт акций и собственных торговых марок, однако к началу
    следующего года стоимость крупы может вырасти ещё на несколько процентов.

    Аналитики советуют покупателям не делать запасов впрок: по их словам, ажиотажный спрос лишь
    ускоряет рост цен и приводит к временным перебоям на полках. Новый урожай, который
    ожидается в конце следующего лета, может вернуть цены к прежнему уровню, если погода будет
    благоприятной.
    """
)

_ALSAHIL_KURSK = _text(
    """
    قالت هيئة الأركان المشتركة في كوريا الجنوبية يوم الخميس إن جنوداً من كوريا الشمالية أُرسلوا
    إلى روسيا بدأوا المشاركة في المعارك في منطقة كورسك، بعد أسابيع من التقارير التي تحدثت عن
    تدريبهم خلف خطوط القتال.

    وقالت المتحدثة باسم الهيئة بارك مين سو للصحفيين في سيول: «نقدّر أن عدداً كبيراً من الجنود
    الكوريين الشماليين لم يعودوا في المناطق الخلفية، وأنهم يقاتلون الآن إلى جانب وحدات روسية».
    ولم تحدد عدد الجنود المشاركين أو ما إذا كان بينهم قتلى.

    وتقدّر أجهزة الاستخبارات في سيول أن بيونغ يانغ أرسلت أكثر من عشرة آلاف جندي إلى روسيا منذ
    أكتوبر الماضي، نُقل معظمهم بحراً إلى فلاديفوستوك ثم بالقطارات إلى معسكرات تدريب قبل نقلهم
    غرباً.

    ولم تؤكد موسكو ولا بيونغ يانغ عملية النشر رسمياً، فيما وصف مسؤولون روس التقارير بأنها
    تكهنات.

    ويرى محللون أن مشاركة القوات الكورية الشمالية تمنح روسيا قوة بشرية إضافية من دون الحاجة
    إلى تعبئة جديدة، بينما قد تحصل بيونغ يانغ في المقابل على النفط والأموال والتكنولوجيا
    العسكرية. وقالت كوريا الجنوبية إنها تراجع سياستها القائمة على عدم تزويد الدول المتحاربة
    بالأسلحة مباشرة، مؤكدة أن جميع الخيارات مطروحة.
    """
)

_ALSAHIL_SHIPPING = _text(
    """
    ارتفعت تكاليف التأمين على السفن التجارية التي تعبر البحر الأحمر إلى مستويات غير مسبوقة خلال
    الأسبوع الجاري، وفق ما أفاد به وسطاء في سوق التأمين البحري، ما دفع مزيداً من شركات الشحن
    إلى تحويل مسار سفنها حول رأس الرجاء الصالح.

    وقال الوسيط البحري سامر الحداد إن «أقساط تأمين مخاطر الحرب لرحلة واحدة باتت تعادل في بعض
    الحالات واحداً في المئة من قيمة السفينة»، مضيفاً أن شركات كثيرة لم تعد ترى جدوى في المرور
    عبر المضيق.

    ويضيف الالتفاف حول أفريقيا ما بين عشرة أيام وأسبوعين إلى مدة الرحلة بين آسيا وأوروبا، كما
    يرفع استهلاك الوقود وأجور الطواقم. ويقول مستوردون في المنطقة إن هذه التكاليف بدأت تنعكس
    على أسعار بعض السلع، خصوصاً قطع الغيار والأجهزة الكهربائية.

    في المقابل، تسعى موانئ على ساحل البحر الأحمر إلى طمأنة شركات الشحن عبر تقديم خصومات على
    رسوم الرسو والتخزين. وقال مسؤول في أحد الموانئ إن حركة الحاويات تراجعت بنحو الربع مقارنة
    بالعام الماضي، لكنه توقع تحسناً تدريجياً إذا استقرت الأوضاع الأمنية في الأشهر المقبلة.
    """
)

_ALSAHIL_WATER = _text(
    """
    بدأت محطة جديدة لتحلية مياه البحر في محافظة ينبع تشغيلها التجريبي هذا الأسبوع، بطاقة
    إنتاجية تبلغ ثلاثمئة ألف متر مكعب يومياً، على أن تصل إلى طاقتها الكاملة مطلع العام المقبل.

    وتعتمد المحطة على تقنية التناضح العكسي، التي تستهلك طاقة أقل من محطات التقطير الحرارية
    القديمة، كما زُوّدت بألواح شمسية تغطي جزءاً من احتياجاتها من الكهرباء. وستُضخ المياه
    المحلاة عبر خط أنابيب جديد إلى المدن والقرى المحيطة.

    وقالت مديرة المشروع المهندسة ريم العتيبي: «هذه المحطة ستخفف الضغط على المياه الجوفية،
    وستمنحنا مرونة أكبر في أشهر الصيف عندما يرتفع الطلب». وأوضحت أن فرق الصيانة تلقت تدريباً
    على أنظمة مراقبة رقمية تتيح اكتشاف التسربات بسرعة.

    ويقول خبراء في مجال المياه إن التوسع في التحلية ضروري لتلبية الطلب المتزايد، لكنهم يحذرون
    من أثر المياه شديدة الملوحة التي تعاد إلى البحر على الشعاب المرجانية، ويدعون إلى مراقبة
    بيئية مستمرة قرب مخارج التصريف.

    ومن المتوقع أن توفر المحطة عند تشغيلها الكامل نحو ألف وظيفة مباشرة وغير مباشرة، معظمها
    لمهندسين وفنيين من أبناء المنطقة، بحسب ما أعلنته الجهة المشغلة.
    """
)

_HOSTILE_MEMO = _text(
    """
    A draft memo circulated among harbour board members proposes cutting next year's
    maintenance budget by almost a fifth, delaying repairs to two ageing piers and the
    replacement of navigation lights at the harbour mouth.

    The document, which has not been approved, says rising insurance premiums and lower income
    from cruise ships have left a gap of about £3m in the board's accounts. It suggests
    postponing dredging of the inner basin for at least a year.

    Fishermen who use the harbour said they were worried that silt would make the inner berths
    unusable at low tide. “Every year without dredging makes the next job more expensive,” said
    Colin Marsh, who chairs the local fishermen's association.

    The board said it would not comment on internal drafts and that a final budget would be
    published in the spring after a consultation with harbour users and the town council. A
    decision on the dredging contract is expected before the end of March.
    """
)

_HOSTILE_CRANES = _text(
    """
    The two container cranes at the town's harbour returned to service on Wednesday, six weeks
    after one of them was damaged during an autumn storm and the other was taken out of use for
    safety checks.

    Engineers replaced a cracked section of the boom on the larger crane and installed new wind
    sensors on both, which will automatically stop the machines if gusts exceed a safe limit.
    The repairs cost around £450,000.

    During the closure, several shipping lines diverted cargo to larger ports further along the
    coast, and dock workers were moved to other duties. Harbour managers said the backlog of
    containers waiting to be unloaded should be cleared by the end of next week.

    “It has been a difficult few weeks, but the cranes are now in better condition than they
    were before the storm,” said Priya Natarajan, the harbour's operations manager.

    Shipping lines have confirmed that regular calls will resume this month.
    """
)

_HOSTILE_FERRY = _text(
    """
    Ferry services between the mainland and the islands will run less often from the start of
    December under a winter timetable published by the operator on Wednesday, a change that
    residents say will make it harder to reach hospitals and schools.

    Instead of six return sailings a day, there will be four on weekdays and three at weekends.
    The operator said fewer passengers travel in winter and that one of its two vessels must go
    into dry dock for an engine overhaul.

    Island councillors said they had asked for an earlier first sailing so that pupils could
    reach the mainland secondary school on time, but the request was refused.

    “We understand the need for maintenance, but people here depend on the ferry for almost
    everything,” said Morag Campbell, a councillor for the northern isles.

    The operator said it would review passenger numbers in February and could add sailings if
    demand was higher than expected.
    """
)

_HOSTILE_LIBRARY = _text(
    """
    В Твери завершилась реставрация здания старейшей городской библиотеки, построенного в конце
    XIX века. Работы продолжались почти три года и обошлись областному бюджету примерно в 180
    миллионов рублей.

    Реставраторы восстановили лепнину на фасаде, дубовые лестницы и витражи в читальном зале,
    которые были частично утрачены во время ремонта в 1960-х годах. Заодно в здании заменили
    инженерные сети, установили лифт и оборудовали помещение для хранения редких книг с
    постоянной температурой и влажностью.

    «Мы старались сохранить всё, что можно было сохранить, и заново сделать только то, что уже
    нельзя было спасти», — рассказала руководитель реставрационной мастерской Елена Баранова.

    Библиотека откроется для читателей в начале декабря. В первые недели посетителям предложат
    бесплатные экскурсии по отреставрированным залам, а в читальном зале покажут выставку
    старинных изданий из фондов библиотеки.

    Средства на реставрацию выделили после того, как специалисты обнаружили трещины в несущих
    стенах и закрыли часть помещений для посетителей. На время работ книжный фонд перевезли во
    временное хранилище на окраине города.
    """
)

_HOSTILE_STADIUM = _text(
    """
    Repairs to the damaged roof of the city's football stadium will be finished before next
    month's derby, the club said on Tuesday, ending weeks of uncertainty over whether the match
    would have to be played elsewhere.

    Strong winds tore several panels from the roof of the east stand in October, and the stand
    has been closed since then while engineers assessed the steel frame. The club said
    inspections had found no structural damage and that new panels were being fitted this week.

    About 4,000 season-ticket holders who normally sit in the east stand have been moved to
    other parts of the ground. The club said they would be able to return to their usual seats
    for the derby.

    “Safety came first, and we were not going to reopen the stand until every bolt had been
    checked,” said Graham Pike, the club's stadium manager.

    The repairs are covered by the club's insurance, and season-ticket holders will not be
    charged for the disruption.
    """
)

_LATE_KURSK = _text(
    """
    Ukraine's military intelligence agency said on Friday that North Korean troops fighting
    alongside Russian forces in the Kursk region had suffered their first significant losses,
    after a Ukrainian strike on a command post near the border.

    “Several dozen North Korean soldiers were killed or wounded in the strike, including
    officers who had arrived only days earlier,” said Oleksandr Hrytsenko, a spokesman for the
    agency. He did not provide evidence for the figure, and it could not be independently
    verified.

    The statement came a day after South Korea's military said North Korean units had moved
    from training areas to the front line. Officials in Seoul have estimated that more than
    10,000 soldiers from North Korea have been sent to Russia since October.

    Russian officials did not comment on the report. State media in Pyongyang have not
    mentioned the deployment at all, and there has been no public acknowledgement there of any
    casualties.

    Military analysts said the language barrier and unfamiliar terrain could make the North
    Korean units vulnerable in the early weeks of fighting, particularly against drones, which
    Ukrainian forces use extensively to spot and strike targets.
    """
)

_JS_LIBRARY = _text(
    """
    The central library will stay open until ten at night on weekdays during the winter exam
    season, the city council said on Monday, after students complained that there were not
    enough quiet places to study in the evenings.

    The extended hours will run from the first week of December until the end of January. Two
    reading rooms on the upper floor will be reserved for silent study, and the café on the
    ground floor will stay open until nine.

    Librarians said the building was often full by mid-afternoon last winter, with students
    queueing on the stairs for a free desk. Additional security staff will be hired for the
    late shifts.

    “We want the library to be the place people think of first when they need to concentrate,”
    said Siobhan Kelly, the council's head of library services.

    If the trial is successful, the council says it may keep the longer hours throughout the
    academic year.
    """
)

_JS_ORCHARD = _text(
    """
    Volunteers planted 200 apple trees on a former car park at the edge of the city on
    Saturday, creating what organisers say will become the largest community orchard in the
    county.

    The site was donated by a housing association that had been unable to find a use for it.
    Local schools chose the varieties, which include several old Irish apples that are rarely
    grown commercially, and each class will look after its own row of trees.

    The first fruit is expected in about three years. Until then, the orchard will be used for
    outdoor lessons, and beehives will be placed along the southern fence in the spring.

    “Everybody who lives nearby will be able to pick apples here, free of charge, for as long
    as the trees stand,” said Declan Byrne, who chairs the orchard trust.

    The trust is still looking for volunteers to help with pruning in the winter months.
    """
)


# ---------------------------------------------------------------------------------------------
# Articles and their ground truth
# ---------------------------------------------------------------------------------------------


def _statement(speaker: str, quote: str) -> dict[str, str]:
    return {"speaker": speaker, "quote": quote}


def _catalogue() -> list[tuple[SiteArticle, dict[str, Any]]]:
    """Every page of the fixture site (and the JS-only publisher), with the facts the page
    does not carry itself: statements, topics, story and event, whether it should be stored."""
    nk = ["nk-troops"]
    wire_meta = {
        "story": "kursk-wire",
        "event": "kursk-combat",
        "topics": nk,
        "statements": _WIRE_STATEMENTS,
    }
    items: list[tuple[SiteArticle, dict[str, Any]]] = [
        # --- planet (en, RSS 2.0, JSON-LD) --------------------------------------------------
        (
            SiteArticle(
                "planet",
                "kursk-combat-seoul",
                "North Korean troops join Russian assaults in Kursk, Seoul says",
                _WIRE_KURSK,
                "en",
                _at("2024-11-14 08:30", "planet"),
                ["Anna Kovac"],
            ),
            wire_meta,
        ),
        (
            SiteArticle(
                "planet",
                "eu-sanctions-north-korea",
                "European ministers weigh fresh sanctions over North Korea's troop deployment",
                _PLANET_SANCTIONS,
                "en",
                _at("2024-11-13 16:20", "planet"),
                ["Oliver Grant"],
                section="politics",
            ),
            {
                "topics": nk,
                "statements": [
                    _statement(
                        "Helena Marsh",
                        "Pyongyang is not a bystander any more; it has become a party to this "
                        "war, and our measures must reflect that",
                    )
                ],
            },
        ),
        (
            SiteArticle(
                "planet",
                "northern-rail-floods",
                "Heavy rain closes rail lines across northern England",
                _PLANET_RAIL,
                "en",
                _at("2024-11-12 07:45", "planet"),
                ["Hannah Price"],
                section="national",
            ),
            {
                "statements": [
                    _statement(
                        "Karen Doyle",
                        "Our teams have been out all night clearing mud and fallen trees, and we "
                        "will reopen each line as soon as it is safe to do so",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "planet",
                "leeds-night-buses",
                "Leeds approves all-night buses on five routes",
                _PLANET_BUSES,
                "en",
                _at("2024-11-12 18:05", "planet"),
                ["Hannah Price", "Tom Ellis"],
                section="national",
            ),
            {
                "statements": [
                    _statement(
                        "Amira Shah",
                        "If you finish work at two in the morning, you should not have to "
                        "choose between a £25 taxi and a long walk in the dark",
                    )
                ]
            },
        ),
        # --- courier (en, Atom + listing, America/New_York) ---------------------------------
        (
            SiteArticle(
                "courier",
                "north-korean-soldiers-fighting",
                "Seoul: North Korean soldiers now fighting alongside Russian forces",
                _WIRE_KURSK,
                "en",
                _at("2024-11-14 04:10", "courier"),
                ["Anna Kovac"],
                extra_html=(
                    '<div class="wire-credit"><p>This article was provided by a news '
                    "agency partner.</p></div>"
                ),
            ),
            wire_meta,
        ),
        (
            SiteArticle(
                "courier",
                "subway-platform-doors",
                "Subway to test platform screen doors at three stations",
                _COURIER_DOORS,
                "en",
                _at("2024-11-13 10:15", "courier"),
                ["Luis Romero"],
                section="national",
            ),
            {
                "statements": [
                    _statement(
                        "Daniel Ortiz",
                        "This is not a gimmick. If it works at these three stations, we will "
                        "have a plan for dozens more",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "courier",
                "brush-fire-smoke-alerts",
                "Smoke from brush fires prompts air-quality alerts across New Jersey",
                _COURIER_SMOKE,
                "en",
                _at("2024-11-12 16:40", "courier"),
                ["Beth Carroll"],
                section="national",
            ),
            {
                "statements": [
                    _statement(
                        "Megan Walsh",
                        "We need rain, and we need people to stop burning leaves in their yards",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "courier",
                "harbor-fireworks",
                "Fireworks over the harbor",
                "Thousands watched the autumn fireworks display from the piers on Saturday.",
                "en",
                _at("2024-11-13 20:00", "courier"),
                kind="video",
                path="/video/2024/11/13/harbor-fireworks",
            ),
            {"non_article": "video page linked from the listing; matches article_pattern"},
        ),
        # --- meridian (en, news sitemap, Asia/Singapore) ------------------------------------
        (
            SiteArticle(
                "meridian",
                "kursk-north-korea-combat",
                "North Korean troops in combat in Russia's Kursk region, South Korea says",
                _WIRE_KURSK_CUT,
                "en",
                _at("2024-11-14 17:45", "meridian"),
                ["Anna Kovac"],
                modified_at=_at("2024-11-14 19:05", "meridian"),
            ),
            {**wire_meta, "cut_short": True, "statements": _WIRE_STATEMENTS[:1]},
        ),
        (
            SiteArticle(
                "meridian",
                "floating-solar-doubles",
                "Floating solar farm on northern reservoir doubles in size",
                _MERIDIAN_SOLAR,
                "en",
                _at("2024-11-13 11:00", "meridian"),
                ["Nur Aisyah"],
                section="business",
                modified_at=_at("2024-11-13 15:30", "meridian"),
            ),
            {
                "statements": [
                    _statement(
                        "Tan Wei Ling",
                        "Every reservoir surface we can use is land we do not have to clear",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "meridian",
                "budget-flights-da-nang-cebu",
                "Budget carriers add direct flights to Da Nang and Cebu",
                _MERIDIAN_FLIGHTS,
                "en",
                _at("2024-11-12 09:30", "meridian"),
                ["Jonathan Koh"],
                section="business",
            ),
            {
                "statements": [
                    _statement(
                        "Rachel Lim",
                        "People want a change of scenery for a long weekend without spending "
                        "half of it on a plane",
                    )
                ]
            },
        ),
        # --- kabar (id, RSS 2.0, meta-only, WIB) --------------------------------------------
        (
            SiteArticle(
                "kabar",
                "pasukan-korea-utara-bertempur-di-kursk",
                "Korsel: Pasukan Korea Utara Sudah Ikut Bertempur di Kursk",
                _KABAR_KURSK,
                "id",
                _at("2024-11-14 17:05", "kabar"),
                ["Rina Marlina"],
                date_markup="meta",
            ),
            {
                "event": "kursk-combat",
                "topics": nk,
                "statements": [
                    _statement(
                        "Park Min-seo",
                        "Kami menilai sebagian besar tentara Korea Utara kini bertempur bersama "
                        "unit lintas udara dan marinir Rusia",
                    )
                ],
            },
        ),
        (
            SiteArticle(
                "kabar",
                "banjir-rob-jakarta-utara",
                "Banjir Rob Rendam Permukiman di Pesisir Jakarta Utara",
                _KABAR_ROB,
                "id",
                _at("2024-11-13 06:20", "kabar"),
                ["Agus Setiawan"],
                date_markup="meta",
                section="national",
            ),
            {
                "statements": [
                    _statement(
                        "Siti Rahmawati",
                        "Setiap bulan kami harus bersiap. Kalau air sudah masuk rumah, kami "
                        "tidur di lantai dua",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "kabar",
                "harga-beras-medium-naik",
                "Harga Beras Medium Naik di Sejumlah Pasar Tradisional",
                _KABAR_BERAS,
                "id",
                _at("2024-11-12 14:00", "kabar"),
                ["Dewi Lestari"],
                date_markup="meta",
                section="business",
            ),
            {
                "statements": [
                    _statement(
                        "Dedi Supriadi",
                        "Pembeli sekarang lebih banyak membeli dalam jumlah kecil, satu atau dua "
                        "liter saja",
                    )
                ]
            },
        ),
        # --- tagesblick (de, gzipped news sitemap, dateline only) ---------------------------
        (
            SiteArticle(
                "tagesblick",
                "nordkorea-soldaten-kursk",
                "Nordkoreas Soldaten kämpfen offenbar an der Front in Kursk",
                _TAGESBLICK_KURSK,
                "de",
                _at("2024-11-14 11:40", "tagesblick"),
                ["Jonas Albers"],
                date_markup="dateline",
            ),
            {
                "event": "kursk-combat",
                "topics": nk,
                "statements": [
                    _statement(
                        "Park Min-seo",
                        "Wir gehen davon aus, dass eine beträchtliche Zahl nordkoreanischer "
                        "Soldaten nicht mehr nur in rückwärtigen Gebieten steht, sondern "
                        "gemeinsam mit russischen Luftlande- und Marineinfanterieeinheiten "
                        "kämpft",
                    ),
                    _statement(
                        "Martin Ebeling",
                        "Jede Erfahrung, die die nordkoreanische Armee in Kursk macht, wird "
                        "später auf der koreanischen Halbinsel ausgewertet",
                    ),
                ],
            },
        ),
        (
            SiteArticle(
                "tagesblick",
                "leipzig-strassenbahn-linie-17",
                "Neue Straßenbahnlinie verbindet Leipziger Süden mit dem Zentrum",
                _TAGESBLICK_TRAM,
                "de",
                _at("2024-11-13 15:10", "tagesblick"),
                ["Katrin Vogt"],
                date_markup="dateline",
                dateline_text="Leipzig, 13. November 2024, 15:10 Uhr",
                section="national",
            ),
            {
                "statements": [
                    _statement(
                        "Sabine Kröger",
                        "Wer bisher im Stau stand, kommt jetzt in zwanzig Minuten in die "
                        "Innenstadt",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "tagesblick",
                "stadtwerke-gaspreise",
                "Stadtwerke senken Gaspreise zum Jahreswechsel",
                _TAGESBLICK_GAS,
                "de",
                _at("2024-11-12 08:55", "tagesblick"),
                [],
                date_markup="dateline",
                section="business",
            ),
            {
                "statements": [
                    _statement(
                        "Henrik Paulsen",
                        "Wir geben die Entlastung vollständig weiter, sobald unsere "
                        "langfristigen Verträge das zulassen",
                    )
                ]
            },
        ),
        # --- zarya (ru, RSS 1.0, mixed) -----------------------------------------------------
        (
            SiteArticle(
                "zarya",
                "kndr-kursk-boi",
                "Сеул: военные КНДР участвуют в боях в Курской области",
                _ZARYA_KURSK,
                "ru",
                _at("2024-11-14 13:20", "zarya"),
                ["Ольга Смирнова"],
                date_markup="jsonld",
            ),
            {
                "event": "kursk-combat",
                "statements": [
                    _statement(
                        "Пак Мин Со",
                        "По нашей оценке, значительная часть северокорейских военных уже не "
                        "находится в тыловых районах и воюет вместе с российскими "
                        "подразделениями",
                    )
                ],
            },
        ),
        (
            SiteArticle(
                "zarya",
                "kazan-most",
                "В Казани открыли новый пешеходный мост через Казанку",
                _ZARYA_BRIDGE,
                "ru",
                _at("2024-11-13 12:00", "zarya"),
                ["Рустам Хайруллин"],
                date_markup="meta",
                section="national",
            ),
            {
                "statements": [
                    _statement(
                        "Алсу Гарипова",
                        "Раньше жителям приходилось делать крюк в три километра, теперь до "
                        "центра можно дойти пешком за пятнадцать минут",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "zarya",
                "ural-morozy",
                "На Урал идут морозы до минус 25 градусов",
                _ZARYA_FROST,
                "ru",
                _at("2024-11-12 09:30", "zarya"),
                ["Ирина Волкова"],
                date_markup="dateline",
                section="national",
            ),
            {
                "statements": [
                    _statement(
                        "Ирина Соколова",
                        "Такие морозы в середине ноября бывают не каждый год, но ничего "
                        "аномального в них нет",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "zarya",
                "grechka-podorozhala",
                "Цены на гречку выросли за месяц на семь процентов",
                _ZARYA_BUCKWHEAT,
                "ru",
                _at("2024-11-11 18:45", "zarya"),
                [],
                date_markup="jsonld",
                section="business",
            ),
            {
                "statements": [
                    _statement(
                        "Виктор Лаптев",
                        "Паники на рынке нет, запасов достаточно, но дешёвой гречки в этом "
                        "сезоне ждать не стоит",
                    )
                ]
            },
        ),
        # --- alsahil (ar, listing + pattern only, JSON-LD) ----------------------------------
        (
            SiteArticle(
                "alsahil",
                "north-korea-kursk",
                "سيول: جنود من كوريا الشمالية يشاركون في المعارك في كورسك",
                _ALSAHIL_KURSK,
                "ar",
                _at("2024-11-14 14:00", "alsahil"),
                ["سارة المنصور"],
            ),
            {
                "event": "kursk-combat",
                "statements": [
                    _statement(
                        "بارك مين سو",
                        "نقدّر أن عدداً كبيراً من الجنود الكوريين الشماليين لم يعودوا في "
                        "المناطق الخلفية، وأنهم يقاتلون الآن إلى جانب وحدات روسية",
                    )
                ],
            },
        ),
        (
            SiteArticle(
                "alsahil",
                "red-sea-insurance",
                "ارتفاع تكاليف التأمين على السفن المارة في البحر الأحمر",
                _ALSAHIL_SHIPPING,
                "ar",
                _at("2024-11-13 10:30", "alsahil"),
                ["خالد الزهراني"],
                section="business",
            ),
            {
                "statements": [
                    _statement(
                        "سامر الحداد",
                        "أقساط تأمين مخاطر الحرب لرحلة واحدة باتت تعادل في بعض الحالات واحداً "
                        "في المئة من قيمة السفينة",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "alsahil",
                "yanbu-desalination",
                "تشغيل محطة جديدة لتحلية المياه في ينبع",
                _ALSAHIL_WATER,
                "ar",
                _at("2024-11-12 09:00", "alsahil"),
                ["نورة القحطاني"],
                section="national",
            ),
            {
                "statements": [
                    _statement(
                        "ريم العتيبي",
                        "هذه المحطة ستخفف الضغط على المياه الجوفية، وستمنحنا مرونة أكبر في "
                        "أشهر الصيف عندما يرتفع الطلب",
                    )
                ]
            },
        ),
        (
            SiteArticle(
                "alsahil",
                "turtles-video",
                "صغار السلاحف تعود إلى البحر",
                "مئات من صغار السلاحف تشق طريقها إلى البحر على شاطئ محمي.",
                "ar",
                _at("2024-11-13 18:00", "alsahil"),
                kind="video",
                path="/video/2024/11/13/sea-turtles.html",
            ),
            {"non_article": "video page linked from the listing"},
        ),
        # --- hostile (en, RSS 2.0) ----------------------------------------------------------
        (
            SiteArticle(
                "hostile",
                "harbour-budget-memo",
                "Draft memo outlines cuts to harbour maintenance budget",
                _HOSTILE_MEMO,
                "en",
                _at("2024-11-13 09:00", "hostile"),
                ["Eleanor Hughes"],
                path=PRIVATE_PATH,
            ),
            {"stored": False, "hostile": "robots"},
        ),
        (
            SiteArticle(
                "hostile",
                "harbour-cranes-return",
                "Harbour cranes back in service after storm repairs",
                _HOSTILE_CRANES,
                "en",
                _at("2024-11-13 11:30", "hostile"),
                ["Eleanor Hughes"],
                path=REDIRECT_CHAIN[-1][1],
                link_path=REDIRECT_START,
                section="business",
            ),
            {
                "hostile": "redirect",
                "statements": [
                    _statement(
                        "Priya Natarajan",
                        "It has been a difficult few weeks, but the cranes are now in better "
                        "condition than they were before the storm",
                    )
                ],
            },
        ),
        (
            SiteArticle(
                "hostile",
                "ferry-winter-timetable",
                "Island ferry timetable trimmed for the winter months",
                _HOSTILE_FERRY,
                "en",
                _at("2024-11-13 13:00", "hostile"),
                ["Callum Reid"],
                path=SLOW_PATH,
                section="national",
            ),
            {
                "hostile": "slow",
                "statements": [
                    _statement(
                        "Morag Campbell",
                        "We understand the need for maintenance, but people here depend on the "
                        "ferry for almost everything",
                    )
                ],
            },
        ),
        (
            SiteArticle(
                "hostile",
                "tver-library",
                "В Твери отреставрировали здание старейшей городской библиотеки",
                _HOSTILE_LIBRARY,
                "ru",
                _at("2024-11-13 14:30", "hostile"),
                ["Мария Орлова"],
                date_markup="meta",
                charset="windows-1251",
                path=CP1251_PATH,
            ),
            {
                "hostile": "cp1251",
                "statements": [
                    _statement(
                        "Елена Баранова",
                        "Мы старались сохранить всё, что можно было сохранить, и заново сделать "
                        "только то, что уже нельзя было спасти",
                    )
                ],
            },
        ),
        (
            SiteArticle(
                "hostile",
                "stadium-roof-repairs",
                "Stadium roof repairs to finish before the derby",
                _HOSTILE_STADIUM,
                "en",
                _at("2024-11-12 15:00", "hostile"),
                ["Callum Reid"],
                padding=HUGE_PADDING,
                path=HUGE_PATH,
                section="national",
            ),
            {
                "hostile": "huge",
                "statements": [
                    _statement(
                        "Graham Pike",
                        "Safety came first, and we were not going to reopen the stand until "
                        "every bolt had been checked",
                    )
                ],
            },
        ),
        (
            SiteArticle(
                "hostile",
                "storm-waves",
                "Storm waves break over the harbour wall",
                "Waves up to six metres high broke over the harbour wall on Tuesday night.",
                "en",
                _at("2024-11-13 07:00", "hostile"),
                kind="video",
                path=HOSTILE_VIDEO_PATH,
                in_feed=True,
            ),
            {"non_article": "video page with a one-line caption, linked from the feed"},
        ),
        # --- jsonly (en, RSS 2.0, pages rendered by JavaScript; opt-in) ---------------------
        (
            SiteArticle(
                "jsonly",
                "library-late-opening",
                "Central library to open late during exam season",
                _JS_LIBRARY,
                "en",
                _at("2024-11-13 10:00", "jsonly"),
                ["Aoife Brennan"],
                section="national",
            ),
            {
                "render_js": True,
                "statements": [
                    _statement(
                        "Siobhan Kelly",
                        "We want the library to be the place people think of first when they "
                        "need to concentrate",
                    )
                ],
            },
        ),
        (
            SiteArticle(
                "jsonly",
                "community-orchard",
                "Volunteers plant 200 apple trees in new community orchard",
                _JS_ORCHARD,
                "en",
                _at("2024-11-12 16:30", "jsonly"),
                ["Aoife Brennan"],
                section="national",
            ),
            {
                "render_js": True,
                "statements": [
                    _statement(
                        "Declan Byrne",
                        "Everybody who lives nearby will be able to pick apples here, free of "
                        "charge, for as long as the trees stand",
                    )
                ],
            },
        ),
    ]
    return items


def _late_catalogue() -> list[tuple[SiteArticle, dict[str, Any]]]:
    meta = {
        "story": "kursk-late",
        "event": "kursk-losses",
        "topics": ["nk-troops"],
        "statements": [
            _statement(
                "Oleksandr Hrytsenko",
                "Several dozen North Korean soldiers were killed or wounded in the strike, "
                "including officers who had arrived only days earlier",
            )
        ],
    }
    return [
        (
            SiteArticle(
                "planet",
                "kursk-first-losses",
                "Ukraine says North Korean troops suffered first losses in Kursk",
                _LATE_KURSK,
                "en",
                _at("2024-11-15 09:00", "planet"),
                ["Anna Kovac"],
            ),
            meta,
        ),
        (
            SiteArticle(
                "courier",
                "kyiv-north-korean-casualties",
                "Kyiv reports first North Korean casualties in Kursk fighting",
                _LATE_KURSK,
                "en",
                _at("2024-11-15 05:30", "courier"),
                ["Anna Kovac"],
            ),
            meta,
        ),
    ]


def fixture_articles(*, include_js: bool = False) -> list[SiteArticle]:
    """Fresh SiteArticle objects for every page of the fixture site."""
    return [a for a, _ in _catalogue() if include_js or a.publisher != JS_PUBLISHER.name]


def late_articles() -> list[SiteArticle]:
    """Articles that are not on the site at first: publish() them during a test.

    A new story on planet and its syndicated copy on courier (same text, other headline)."""
    return [a for a, _ in _late_catalogue()]


def fixture_site(*, slow_seconds: float = 3.0, include_js: bool = False) -> NewsSite:
    """The fixture site, not yet started: `with fixture_site() as site: ...`."""
    publishers = list(PUBLISHERS) + ([JS_PUBLISHER] if include_js else [])
    site = NewsSite(publishers, fixture_articles(include_js=include_js))
    _add_hostile_routes(site, slow_seconds)
    return site


def _add_hostile_routes(site: NewsSite, slow_seconds: float) -> None:
    hostile = site.publishers["hostile"]

    def redirect(status: int, target: str, absolute: bool) -> RouteHandler:
        def handler(request: RouteRequest) -> tuple[int, dict[str, str], bytes]:
            location = request.base_url + target if absolute else target
            return status, {"Location": location, "Content-Type": "text/html"}, b"Moved"

        return handler

    hops = [REDIRECT_START, *(path for _, path in REDIRECT_CHAIN[:-1])]
    for i, (source, (status, target)) in enumerate(zip(hops, REDIRECT_CHAIN, strict=True)):
        # A relative Location first, absolute ones after: servers send both.
        site.add_route("hostile", source, redirect(status, target, absolute=i > 0))

    def server_error(request: RouteRequest) -> tuple[int, dict[str, str], bytes]:
        page = hostile.render_error(500, ["world"]).encode("utf-8")
        return 500, {"Content-Type": "text/html; charset=utf-8"}, page

    def slow(request: RouteRequest) -> tuple[int, dict[str, str], bytes]:
        time.sleep(slow_seconds)
        return site.default_response(request.publisher, request.path)

    def broken_feed(request: RouteRequest) -> tuple[int, dict[str, str], bytes]:
        _, headers, body = site.default_response(request.publisher, "/feed.xml")
        # Cut mid-document, the way a proxy timeout or a full disk leaves a feed.
        return 200, headers, body[: len(body) * 3 // 5]

    site.add_route("hostile", SERVER_ERROR_PATH, server_error)
    site.add_route("hostile", SLOW_PATH, slow)
    site.add_route("hostile", BROKEN_FEED_PATH, broken_feed)
    site.add_link(
        "hostile",
        NOT_FOUND_PATH,
        "Council publishes long-awaited harbour review",
        _at("2024-11-12 10:00", "hostile"),
    )
    site.add_link(
        "hostile",
        SERVER_ERROR_PATH,
        "Fishing quota talks resume after two-week pause",
        _at("2024-11-12 12:00", "hostile"),
    )


# ---------------------------------------------------------------------------------------------
# EXPECTED
# ---------------------------------------------------------------------------------------------

_ALL_PUBLISHERS = {p.name: p for p in (*PUBLISHERS, JS_PUBLISHER)}


def _iso_utc(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat() if when is not None else None


def _truth(article: SiteArticle, meta: dict[str, Any]) -> dict[str, Any]:
    pub = _ALL_PUBLISHERS[article.publisher]
    path = pub.path_for(article)
    return {
        "key": f"{article.publisher}/{article.slug}",
        "publisher": article.publisher,
        "path": path,
        "link_path": article.link_path or path,
        "title": article.title,
        "paragraphs": article.paragraphs,
        "language": article.language,
        "published_at": _iso_utc(article.published_at),
        "published_at_local": pub.local(article.published_at).isoformat(),
        "modified_at": _iso_utc(article.modified_at),
        "dateline": article.dateline_text
        or format_dateline(article.published_at, article.language, pub.timezone),
        "date_markup": "js" if pub.render_js else article.date_markup,
        "authors": list(article.authors),
        "statements": [dict(s) for s in meta.get("statements", [])],
        "topics": list(meta.get("topics", [])),
        "story": meta.get("story"),
        "event": meta.get("event"),
        "cut_short": meta.get("cut_short", False),
        "stored": meta.get("stored", True),
        "render_js": meta.get("render_js", False),
        "charset": article.charset,
        "hostile": meta.get("hostile"),
    }


def _build_expected() -> dict[str, Any]:
    articles: dict[str, dict[str, Any]] = {}
    non_articles: list[dict[str, Any]] = []
    for article, meta in _catalogue():
        if article.kind == "video":
            pub = _ALL_PUBLISHERS[article.publisher]
            non_articles.append(
                {
                    "publisher": article.publisher,
                    "path": pub.path_for(article),
                    "reason": meta["non_article"],
                    # what the feed lists is kept, flagged; a listing's link is not
                    "kept_as": "not_article" if article.listed_in_feed else None,
                }
            )
            continue
        truth = _truth(article, meta)
        articles[truth["key"]] = truth
    late = {t["key"]: t for t in (_truth(a, m) for a, m in _late_catalogue())}

    stories: dict[str, list[str]] = {}
    events: dict[str, list[str]] = {}
    for truth in (*articles.values(), *late.values()):
        if truth["story"]:
            stories.setdefault(truth["story"], []).append(truth["key"])
        if truth["event"]:
            events.setdefault(truth["event"], []).append(truth["key"])

    by_case = {t["hostile"]: t["key"] for t in articles.values() if t["hostile"]}
    cases: dict[str, dict[str, Any]] = {
        "robots": {"link": PRIVATE_PATH, "stored": False, "article": by_case["robots"]},
        "redirect": {
            "link": REDIRECT_START,
            "stored": True,
            "article": by_case["redirect"],
            "chain": [[status, path] for status, path in REDIRECT_CHAIN],
        },
        "not_found": {"link": NOT_FOUND_PATH, "stored": False, "article": None, "status": 404},
        "server_error": {
            "link": SERVER_ERROR_PATH,
            "stored": False,
            "article": None,
            "status": 500,
        },
        "slow": {"link": SLOW_PATH, "stored": True, "article": by_case["slow"], "delay": 3.0},
        "cp1251": {
            "link": CP1251_PATH,
            "stored": True,
            "article": by_case["cp1251"],
            "charset": "windows-1251",
        },
        "huge": {
            "link": HUGE_PATH,
            "stored": True,
            "article": by_case["huge"],
            "min_bytes": HUGE_PADDING,
        },
        "not_article": {
            "link": HOSTILE_VIDEO_PATH,
            "stored": True,
            "quality": "not_article",
            "article": None,
        },
    }
    return {
        "topics": dict(TOPIC_QUERIES),
        "articles": articles,
        "late": late,
        "stories": stories,
        "events": events,
        "non_articles": non_articles,
        "hostile": {
            "publisher": "hostile",
            "feeds": {"good": "/feed.xml", "malformed": BROKEN_FEED_PATH},
            "disallowed": ["/private/"],
            "cases": cases,
        },
    }


EXPECTED: dict[str, Any] = _build_expected()
"""Ground truth for fixture_site(); paths only, since ports change per run (see expected_for).

{
  "topics": {"nk-troops": query},
  "articles": {key: Truth},        # every article page, key "publisher/slug"
  "late": {key: Truth},            # late_articles(), not on the site until published
  "stories": {story: [key, ...]},  # copies of one text: must share a story_id
  "events": {event: [key, ...]},   # same news in other words/languages: may share one
  "non_articles": [{"publisher", "path", "reason", "kept_as"}],  # kept_as: quality or None
  "hostile": {"publisher", "feeds": {"good", "malformed"}, "disallowed": [...],
              "cases": {case: {"link", "stored", "article": key | None, ...}}},
}
Truth = {key, publisher, path, link_path, title, paragraphs, language,
         published_at (UTC ISO), published_at_local, modified_at (UTC ISO | None), dateline,
         date_markup (jsonld | meta | dateline | js), authors, statements [{speaker, quote}],
         topics, story, event, cut_short, stored, render_js, charset, hostile (case | None)}
"""


def expected_for(site: NewsSite) -> dict[str, Any]:
    """EXPECTED for a running site: only its publishers, with absolute URLs added.

    Adds "url" (the page itself) and "link_url" (what the feed links to) to every Truth,
    "url" to every non-article, and "url" (the link) to every hostile case.
    """
    out = copy.deepcopy(EXPECTED)

    def absolute(publisher: str, path: str) -> str:
        return site.base_url(publisher) + path

    for group in ("articles", "late"):
        kept = {}
        for key, truth in out[group].items():
            if truth["publisher"] not in site.publishers:
                continue
            truth["url"] = absolute(truth["publisher"], truth["path"])
            truth["link_url"] = absolute(truth["publisher"], truth["link_path"])
            kept[key] = truth
        out[group] = kept
    known = set(out["articles"]) | set(out["late"])
    out["stories"] = {s: [k for k in keys if k in known] for s, keys in out["stories"].items()}
    out["events"] = {e: [k for k in keys if k in known] for e, keys in out["events"].items()}
    out["non_articles"] = [
        {**item, "url": absolute(item["publisher"], item["path"])}
        for item in out["non_articles"]
        if item["publisher"] in site.publishers
    ]
    if "hostile" in site.publishers:
        for case in out["hostile"]["cases"].values():
            case["url"] = absolute("hostile", case["link"])
    return out


__all__ = [
    "EXPECTED",
    "JS_PUBLISHER",
    "PUBLISHERS",
    "TOPIC_QUERIES",
    "expected_for",
    "fixture_articles",
    "fixture_site",
    "late_articles",
]
