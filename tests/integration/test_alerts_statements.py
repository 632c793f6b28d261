"""Statement alerts name the right person when the quote does not: a real `newswatch crawl`
of a French and a Russian article on 127.0.0.1, alerts to a real SMTP server (aiosmtpd) and
a local Slack webhook receiver; assertions on what they received.

In each article the speaker is introduced by full name and role in the first paragraph,
without a quote; later paragraphs quote them by pronoun ("a-t-elle déclaré", "— заявил
он", a dialogue dash "— …, — подчеркнул он."), by role ("a ajouté la ministre", "— добавил
министр") or not at all (a quote paragraph right after an attributed one). In between,
another person is named who says nothing (the trap for "the last name before the pronoun"),
and a programme name or a scare quote in guillemets (« Loire vivante », «зелёный коридор»)
must not become a statement.

The topic alerts on statements only, so every quote goes out as its own statement alert:
one email and one Slack post each. Both articles are written for this test; the people,
places and events are invented.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newswatch.demo.site import NewsSite, Publisher, SiteArticle, config_yaml
from tests.cli import drop_es_store, es_store_url, newswatch
from tests.servers import Receiver, SMTPServer, subject_of, text_of

NOW = datetime.now(UTC).replace(microsecond=0)
TOPIC = "river-works"
QUERY = "(Loire AND digues) OR (реконструкции AND моста)"

# --- the French article ---------------------------------------------------------------------

FR_SPEAKER = "Hélène Marchetti"
FR_PRONOUN = (  # attributed by pronoun only; the last name before it is the distractor's
    "Nous ne laisserons plus une seule commune attendre des années pour être protégée"
)
FR_NOTHING = (  # a quote paragraph of its own, right after the attributed one
    "L'État a trop longtemps considéré ces digues comme un décor de carte postale."
)
FR_ROLE = (  # attributed by role only
    "Les premiers chantiers commenceront dès cet automne, et chaque euro dépensé sera publié "
    "en ligne"
)
FR_PARAGRAPHS = [
    f"La ministre de la Transition écologique, {FR_SPEAKER}, a présenté mardi à Orléans un "
    "plan de 400 millions d'euros destiné à renforcer les digues de la Loire, trois mois après "
    "les crues qui ont inondé plusieurs quartiers de Blois et de Tours.",
    "Le programme prévoit la rénovation de 180 kilomètres d'ouvrages d'ici 2030, la création "
    "de zones d'expansion des crues en amont des villes et un fonds d'indemnisation pour les "
    "agriculteurs dont les terres seront inondées volontairement.",
    "Dans la matinée, elle a rencontré le maire de Blois, Julien Ferrand, ainsi que des "
    "représentants des sinistrés, dont beaucoup attendent encore le versement de leurs "
    "indemnités.",
    f"« {FR_PRONOUN} », a-t-elle déclaré devant la préfecture du Loiret.",
    f"« {FR_NOTHING} »",
    "Le plan s'inscrit dans le programme « Loire vivante », lancé l'an dernier par "
    "l'établissement public chargé du fleuve, qui doit aussi restaurer des bras morts et des "
    "prairies inondables.",
    "Les associations de riverains ont salué un premier pas, tout en jugeant l'enveloppe "
    "insuffisante face à l'ampleur des travaux recensés par les services de l'État.",
    f"« {FR_ROLE} », a ajouté la ministre, qui doit revenir dans la région en décembre.",
]

# --- the Russian article --------------------------------------------------------------------

RU_SPEAKER = "Глеб Ларионов"
RU_PRONOUN = "Мост простоял шестьдесят лет, и мы обязаны дать ему ещё столько же"
RU_DASH = "Мы не отступим от графика, даже если подрядчику придётся работать в три смены"
RU_ROLE = "Мы выслушаем каждого, а стройплощадку огородят шумозащитными экранами"
RU_PARAGRAPHS = [
    f"Министр транспорта Заречной области {RU_SPEAKER} в понедельник представил план "
    "реконструкции Северного моста в Озёрске, который закрыли для грузовиков после весеннего "
    "паводка.",
    "Работы рассчитаны на два года и обойдутся областному бюджету в 3,2 миллиарда рублей. "
    "Легковые машины и автобусы продолжат ездить по мосту, но по одной полосе в каждую "
    "сторону.",
    "Накануне министр осмотрел опоры моста вместе с главой Озёрска Семёном Вайнером, который "
    "ещё зимой просил область ускорить ремонт.",
    f"«{RU_PRONOUN}», — заявил он на пресс-конференции в областном правительстве.",
    "На время работ для грузовиков организуют так называемый «зелёный коридор» по объездной "
    "дороге через промзону, а по ночам там будет дежурить дорожная полиция.",
    f"— {RU_DASH}, — подчеркнул он.",
    "Жители соседних улиц опасаются шума и пыли: петицию с просьбой перенести стройплощадку "
    "подписали более тысячи человек.",
    f"«{RU_ROLE}», — добавил министр.",
]

FR_EXPECTED = {(FR_SPEAKER, FR_PRONOUN), (FR_SPEAKER, FR_NOTHING), (FR_SPEAKER, FR_ROLE)}
RU_EXPECTED = {(RU_SPEAKER, RU_PRONOUN), (RU_SPEAKER, RU_DASH), (RU_SPEAKER, RU_ROLE)}
# Named in between but quoted nowhere (stems: Russian names are declined).
DISTRACTORS = {"fr": "Ferrand", "ru": "Вайнер"}
# Names in quotation marks that nobody said.
NOT_QUOTES = {"fr": ["Loire vivante"], "ru": ["зелёный коридор"]}

PUBLISHERS = [
    Publisher(
        "loirematin",
        "fr",
        "Europe/Paris",
        title="Loire Matin",
        tagline="L'actualité du Val de Loire",
    ),
    Publisher(
        "ozerskvesti",
        "ru",
        "Europe/Moscow",
        feed_kind="rss1",
        article_path="/{yyyy}/{mm}/{dd}/{slug}/",
        title="Озёрские вести",
        tagline="Новости Заречной области",
    ),
]
ARTICLES = [
    SiteArticle(
        publisher="loirematin",
        slug="loire-digues-plan",
        title="Crues de la Loire : 400 millions d'euros pour les digues",
        body="\n\n".join(FR_PARAGRAPHS),
        language="fr",
        published_at=NOW - timedelta(hours=3),
    ),
    SiteArticle(
        publisher="ozerskvesti",
        slug="severny-most-rekonstrukciya",
        title="В Озёрске начнут реконструкцию Северного моста",
        body="\n\n".join(RU_PARAGRAPHS),
        language="ru",
        published_at=NOW - timedelta(hours=2),
    ),
]

# --- what the channels received -------------------------------------------------------------

_EDGES = " \t\n\u00a0\u202f.,;:!?…—–-\"'«»“”„"


def norm(text: str) -> str:
    """Whitespace collapsed, curly apostrophes straightened, end punctuation dropped: the
    extractor may keep or drop a final period or the spaces inside French guillemets."""
    text = re.sub(r"\s+", " ", text.replace("’", "'"))
    return text.strip(_EDGES)


@dataclass(frozen=True)
class Said:
    speaker: str
    quote: str

    @classmethod
    def of(cls, speaker: str, quote: str) -> Said:
        return cls(norm(speaker), norm(quote))


EXPECTED = {"fr": {Said.of(*s) for s in FR_EXPECTED}, "ru": {Said.of(*s) for s in RU_EXPECTED}}

_MAIL_LINE = re.compile(r'^New statement on (?P<topic>\S+): (?P<who>.+?): "(?P<quote>.*)"$', re.M)
_SLACK_HEAD = re.compile(
    r"^\*New statement on (?P<topic>.+?)\*\n\*(?P<who>.+?)\*: “(?P<quote>.*)”$"
)


def _slack_unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mailed(world: dict[str, Any]) -> list[Said]:
    """Speaker and quote of every email, read from its text part (the alert template's
    first line); its subject must name the same speaker."""
    out = []
    for message in world["smtp"].mailbox.messages:
        text, subject = text_of(message).replace("\r\n", "\n"), subject_of(message)
        found = _MAIL_LINE.search(text)
        assert found, f"not a statement alert email: {subject!r}\n{text}"
        assert found["topic"] == TOPIC
        # (decoding the encoded Subject may drop a space between encoded words)
        assert subject.startswith(f"[newswatch] {TOPIC}: {found['who']}:"), subject
        out.append(Said.of(found["who"], found["quote"]))
    return out


def posted(world: dict[str, Any]) -> list[Said]:
    """Speaker and quote of every Slack post, read from its first block."""
    out = []
    for post in world["receiver"].posts:
        head = post["blocks"][0]["text"]["text"]
        found = _SLACK_HEAD.match(head)
        assert found, f"not a statement alert post: {json.dumps(post, ensure_ascii=False)}"
        assert _slack_unescape(found["topic"]) == TOPIC
        out.append(Said.of(_slack_unescape(found["who"]), _slack_unescape(found["quote"])))
    return out


def listing(saids: list[Said]) -> str:
    return "\n".join(f"  {s.speaker!r}: {s.quote!r}" for s in saids) or "  (nothing)"


# --- one crawl per backend, shared by the tests below ---------------------------------------


def write_config(site: NewsSite, store_url: str, smtp: SMTPServer, hook: Receiver) -> str:
    return (
        config_yaml(site, store_url)
        + f"""topics:
  - name: {TOPIC}
    query: '{QUERY}'
    alert_on: [statement]
    notify: [desk, newsroom]
notifiers:
  desk: {{type: email, smtp: "smtp://127.0.0.1:{smtp.port}", from: watch@example.org,
         to: [desk@example.org], retry_seconds: 1}}
  newsroom: {{type: slack, webhook_url: "{hook.url}", retry_seconds: 1}}
"""
    )


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("elasticsearch", marks=pytest.mark.elasticsearch, id="elasticsearch"),
    ],
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """The two articles served, crawled once with `newswatch crawl`, then `newswatch notify`
    (it must find nothing left to send); what the servers got, the export and the ledger."""
    folder = tmp_path_factory.mktemp("statements")
    if request.param == "sqlite":
        store_url = f"sqlite:///{folder / 'statements.db'}"
    else:
        store_url = es_store_url(request.getfixturevalue("es_url"), "newswatch-statements")
    site = NewsSite(PUBLISHERS, ARTICLES).start()
    smtp, hook = SMTPServer().start(), Receiver()
    try:
        config = folder / "newswatch.yaml"
        config.write_text(write_config(site, store_url, smtp, hook), encoding="utf-8")
        done = newswatch("crawl", "-c", str(config))
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        notified = newswatch("notify", "-c", str(config))
        assert notified.returncode == 0, notified.stderr
        exported = newswatch("export", "-c", str(config))
        assert exported.returncode == 0, exported.stderr
        listed = newswatch("alerts", "-c", str(config), "--json")
        assert listed.returncode == 0, listed.stderr
        yield {
            "site": site,
            "smtp": smtp,
            "receiver": hook,
            "crawl": done.stdout,
            "notify": notified.stdout,
            "records": [json.loads(line) for line in exported.stdout.splitlines()],
            "alerts": [json.loads(line) for line in listed.stdout.splitlines()],
        }
    finally:
        smtp.stop()
        hook.close()
        site.close()
        if request.param != "sqlite":
            drop_es_store(request.getfixturevalue("es_url"), store_url)


# --- the tests ------------------------------------------------------------------------------


def test_crawl_stores_both_articles_on_the_topic(world: dict[str, Any]) -> None:
    """The fixture itself works: both pages fetched, extracted in their language, stored,
    matched by the topic; the crawl sent everything, so `notify` had nothing left."""
    site = world["site"]
    by_url = {r["canonical_url"]: r for r in world["records"]}
    for article in ARTICLES:
        record = by_url.get(site.url(article))
        assert record, f"{site.url(article)} not stored; crawl said:\n{world['crawl']}"
        assert record["language"] == article.language
        assert record["title"] == article.title
        assert TOPIC in record["topics"]
        assert article.paragraphs[1] in record["body"]
    assert "0 sent" in world["notify"], world["notify"]


@pytest.mark.parametrize("language", ["fr", "ru"])
def test_statement_alerts_name_the_speaker_introduced_earlier(
    world: dict[str, Any], language: str
) -> None:
    """Each quote gives one statement alert per channel naming the speaker by full name with
    the quote's text; none names the person mentioned in between; none carries the name in
    quotation marks that nobody said."""
    mails, posts = mailed(world), posted(world)
    emails, slacks = Counter(mails), Counter(posts)
    problems = [
        f"wanted once per channel, got {emails[s]} email(s) and {slacks[s]} Slack post(s): "
        f"{s.speaker!r}: {s.quote!r}"
        for s in sorted(EXPECTED[language], key=lambda s: s.quote)
        if (emails[s], slacks[s]) != (1, 1)
    ]
    distractor = DISTRACTORS[language]
    problems += [
        f"{channel} alert names {distractor}: {s.speaker!r}: {s.quote!r}"
        for channel, saids in (("email", mails), ("Slack", posts))
        for s in saids
        if distractor in s.speaker
    ]
    problems += [
        f"{channel} alert carries {name!r}: {s.speaker!r}: {s.quote!r}"
        for channel, saids in (("email", mails), ("Slack", posts))
        for s in saids
        for name in NOT_QUOTES[language]
        if name.lower() in s.quote.lower()
    ]
    got = f"emails:\n{listing(mails)}\nslack:\n{listing(posts)}"
    assert not problems, "\n".join(problems) + f"\nreceived\n{got}"


def test_every_statement_alert_is_delivered_once_per_channel_and_recorded(
    world: dict[str, Any],
) -> None:
    """Exactly the six statements went out, once by email and once on Slack, and the ledger
    holds the same six statement alerts, each sent on both channels."""
    wanted = Counter(EXPECTED["fr"] | EXPECTED["ru"])
    mails, posts = mailed(world), posted(world)
    assert Counter(mails) == wanted, f"emails:\n{listing(mails)}"
    assert Counter(posts) == wanted, f"slack:\n{listing(posts)}"
    ids = [m["Message-ID"] for m in world["smtp"].mailbox.messages]
    assert len(set(ids)) == len(ids)

    alerts = world["alerts"]
    assert {a["kind"] for a in alerts} == {"statement"}
    ledger = Counter(Said.of(a["speaker"], a["quote"]) for a in alerts)
    assert ledger == wanted, f"ledger:\n{listing(list(ledger))}"
    for alert in alerts:
        statuses = {name: d["status"] for name, d in alert["deliveries"].items()}
        assert statuses == {"desk": "sent", "newsroom": "sent"}, alert
