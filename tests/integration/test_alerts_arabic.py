"""Arabic statements through the real path: `newswatch crawl` of Arabic pages on 127.0.0.1,
statements stored with the articles, alerts to a real SMTP server and a webhook receiver.

1. The fixture site's Arabic publisher (alsahil): every labelled quote is stored with its
   speaker, and a topic on the story sends one email naming the speaker and the quote.
2. Outlets written for this test: a story with two statements sends one alert naming both;
   copies from another outlet send nothing; a new statement by a third speaker sends one
   statement alert. Same on SQLite and on Elasticsearch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newswatch.demo.site import NewsSite, Publisher, SiteArticle, config_yaml
from tests.cli import drop_es_store, es_store_url, newswatch
from tests.servers import Receiver, SMTPServer, subject_of, text_of
from tests.site import expected_for, fixture_site

NOW = datetime.now(UTC).replace(microsecond=0)


def backends() -> list[Any]:
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("elasticsearch", marks=pytest.mark.elasticsearch, id="elasticsearch"),
    ]


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'arabic.db'}"
        return
    es_url = request.getfixturevalue("es_url")
    url = es_store_url(es_url, "newswatch-arabic")
    try:
        yield url
    finally:
        drop_es_store(es_url, url)


@pytest.fixture
def receivers() -> Iterator[tuple[SMTPServer, Receiver]]:
    smtp, hook = SMTPServer().start(), Receiver()
    yield smtp, hook
    smtp.stop()
    hook.close()


def alerting(query: str, smtp: SMTPServer, hook: Receiver) -> str:
    return f"""topics:
  - name: ar-watch
    query: '{query}'
    alert_on: [article, statement]
    notify: [desk, newsroom]
notifiers:
  desk: {{type: email, smtp: "smtp://127.0.0.1:{smtp.port}", from: watch@example.org,
         to: [desk@example.org]}}
  newsroom: {{type: slack, webhook_url: "{hook.url}"}}
"""


def crawl(config: Path, *sources: str) -> None:
    done = newswatch("crawl", "-c", str(config), *sources)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


# --- 1. the fixture site's Arabic publisher --------------------------------------------------


@pytest.mark.parametrize("store_url", backends(), indirect=True)
def test_fixture_site_arabic_quotes_are_stored_and_alerted(
    store_url: str, receivers: tuple[SMTPServer, Receiver], tmp_path: Path
) -> None:
    smtp, hook = receivers
    with fixture_site() as site:
        config = tmp_path / "newswatch.yaml"
        text = config_yaml(site, store_url, sources=["alsahil"]) + alerting("كورسك", smtp, hook)
        config.write_text(text, encoding="utf-8")
        crawl(config, "alsahil")
        truth = expected_for(site)["articles"]
        exported = newswatch("export", "-c", str(config))
        assert exported.returncode == 0, exported.stderr
    records = {r["canonical_url"]: r for r in map(json.loads, exported.stdout.splitlines())}
    labelled = [t for t in truth.values() if t["language"] == "ar" and t.get("statements")]
    assert len(labelled) == 3
    for t in labelled:
        stored = {(s["speaker"], s["quote"]) for s in records[t["url"]]["statements"]}
        for expected in t["statements"]:
            assert (expected["speaker"], expected["quote"]) in stored, t["key"]
        assert all(s["language"] == "ar" for s in records[t["url"]]["statements"])

    # The Kursk story is on the topic: one email, one Slack post, naming who said what.
    [kursk] = [t for t in labelled if t.get("event") == "kursk-combat"]
    [said] = kursk["statements"]
    assert len(smtp.mailbox.messages) == 1 and len(hook.posts) == 1
    mail = text_of(smtp.mailbox.messages[0])
    html = text_of(smtp.mailbox.messages[0], "html")
    slack = json.dumps(hook.posts[0], ensure_ascii=False)
    for part in (mail, html, slack):
        assert said["speaker"] in part and said["quote"] in part
        assert kursk["url"] in part
    # right-to-left text set in its own direction in the HTML part
    assert f'<li dir="auto"><b>{said["speaker"]}</b>' in html
    assert f'<span dir="auto">{kursk["title"]}</span>' in html


# --- 2. a story of our own, its copies and a new statement ----------------------------------

LEAD = (
    "غمرت الفيضانات أحياء واسعة في بلدة سرحان بعد أمطار غزيرة استمرت ثلاثة أيام، وأجبرت "
    "مئات العائلات على مغادرة منازلها."
)
GOVERNOR = ("طارق الشامي", "نقلنا أكثر من ألف شخص إلى مدارس آمنة، ولن نترك أحداً وحده")
DOCTOR = ("سلمى حداد", "المستشفى يعمل بكامل طاقته ولدينا مخزون من الأدوية يكفي أسبوعين")
VOLUNTEER = ("نبيل عيسى", "متطوعونا يوزعون الخبز والماء على العائلات في كل حي")
PARAGRAPHS = [
    LEAD,
    f"وقال محافظ المنطقة {GOVERNOR[0]} للصحفيين: «{GOVERNOR[1]}».",
    "وامتدت المياه إلى الطريق الرئيسي الذي يربط البلدة بالعاصمة، ما أدى إلى قطعه لساعات طويلة.",
    f"«{DOCTOR[1]}»، قالت مديرة المستشفى الدكتورة {DOCTOR[0]}.",
    "ويتوقع خبراء الأرصاد تراجع الأمطار تدريجياً خلال الأيام المقبلة، مع بقاء خطر السيول في "
    "الأودية القريبة من البلدة.",
]
THIRD = f"وقال رئيس جمعية الهلال الأحمر المحلية {VOLUNTEER[0]}: «{VOLUNTEER[1]}»."


def story(publisher: str, slug: str, title: str, paragraphs: list[str], hours: float) -> Any:
    return SiteArticle(
        publisher=publisher,
        slug=slug,
        title=title,
        body="\n\n".join(paragraphs),
        language="ar",
        published_at=NOW - timedelta(hours=hours),
    )


@pytest.mark.parametrize("store_url", backends(), indirect=True)
def test_arabic_story_one_alert_then_one_per_new_statement(
    store_url: str, receivers: tuple[SMTPServer, Receiver], tmp_path: Path
) -> None:
    smtp, hook = receivers
    publishers = [Publisher(name, "ar", "Asia/Riyadh") for name in ("sahil", "nahr")]
    first = story("sahil", "sarhan-floods", "فيضانات تغمر بلدة سرحان", PARAGRAPHS, 3)
    site = NewsSite(publishers, [first]).start()
    try:
        config = tmp_path / "newswatch.yaml"
        text = config_yaml(site, store_url) + alerting("سرحان AND الفيضانات", smtp, hook)
        config.write_text(text, encoding="utf-8")
        crawl(config)
        assert len(smtp.mailbox.messages) == 1 and len(hook.posts) == 1
        mail = text_of(smtp.mailbox.messages[0])
        slack = json.dumps(hook.posts[0], ensure_ascii=False)
        for speaker, quote in (GOVERNOR, DOCTOR):
            assert speaker in mail and quote in mail
            assert speaker in slack and quote in slack

        # Another outlet carries the story: no new alert.
        site.publish(story("nahr", "sarhan-copy", "سرحان تحت المياه", PARAGRAPHS, 2))
        crawl(config)
        assert len(smtp.mailbox.messages) == 1 and len(hook.posts) == 1

        # It adds a statement by a third speaker: one statement alert, about it alone.
        updated = [*PARAGRAPHS[:4], THIRD, *PARAGRAPHS[4:]]
        site.publish(story("nahr", "sarhan-relief", "متطوعون يساعدون سكان سرحان", updated, 1))
        crawl(config)
        assert len(smtp.mailbox.messages) == 2 and len(hook.posts) == 2
        second = text_of(smtp.mailbox.messages[1])
        assert VOLUNTEER[0] in second and VOLUNTEER[1] in second
        assert GOVERNOR[0] not in second and DOCTOR[0] not in second
        assert VOLUNTEER[0] in subject_of(smtp.mailbox.messages[1])
        assert VOLUNTEER[1] in json.dumps(hook.posts[1], ensure_ascii=False)

        listed = newswatch("alerts", "-c", str(config), "--json")
        alerts = [json.loads(line) for line in listed.stdout.splitlines()]
        [article] = [a for a in alerts if a["kind"] == "article"]
        assert set(article["outlets"]) == {"sahil", "nahr"}
        # the first two statements are recorded as covered by the article's alert
        statements = {
            (a["speaker"], a["quote"]): {d["status"] for d in a["deliveries"].values()}
            for a in alerts
            if a["kind"] == "statement"
        }
        assert statements == {GOVERNOR: {"covered"}, DOCTOR: {"covered"}, VOLUNTEER: {"sent"}}
    finally:
        site.close()
