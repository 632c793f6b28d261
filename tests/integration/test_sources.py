"""Per-source behaviour across crawls (real `newswatch crawl` processes): politeness hints
from the site are obeyed, and a source that breaks raises one health alert."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

from newswatch.demo.site import NewsSite, Publisher, RouteRequest, config_yaml
from tests.cli import newswatch
from tests.servers import SMTPServer, free_port, text_of
from tests.site import JS_PUBLISHER, expected_for
from tests.site.content import fixture_articles
from tests.site.stream import on_topic


def write(site: NewsSite, tmp_path: Path, extra: str = "") -> str:
    config = tmp_path / "nw.yaml"
    config.write_text(config_yaml(site, f"sqlite:///{tmp_path / 's.db'}") + extra, "utf-8")
    return str(config)


def timed_route(site: NewsSite, publisher: str, path: str, hits: list[float]) -> None:
    def handler(request: RouteRequest) -> tuple[int, dict[str, str], bytes]:
        hits.append(time.monotonic())
        return site.default_response(publisher, request.path)

    site.add_route(publisher, path, handler)


def test_robots_crawl_delay_spaces_the_requests(tmp_path: Path) -> None:
    site = NewsSite([Publisher("alpha", "en", "UTC")]).start()
    try:
        hits: list[float] = []
        for n in (1, 2, 3):
            article = on_topic("alpha", n, hours_ago=n)
            site.publish(article)
            timed_route(site, "alpha", site.path(article), hits)
        site.add_route(
            "alpha",
            "/robots.txt",
            lambda r: (200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 1\n"),
        )
        done = newswatch("crawl", "-c", write(site, tmp_path), "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.splitlines()[0])["new"] == 3
        gaps = [b - a for a, b in zip(sorted(hits), sorted(hits)[1:], strict=False)]
        assert len(hits) == 3 and min(gaps) >= 0.9, gaps
    finally:
        site.close()


def test_retry_after_on_429_is_waited_for(tmp_path: Path) -> None:
    site = NewsSite([Publisher("alpha", "en", "UTC")]).start()
    try:
        article = on_topic("alpha", 1)
        site.publish(article)
        hits: list[float] = []

        def busy_once(request: RouteRequest) -> tuple[int, dict[str, str], bytes]:
            hits.append(time.monotonic())
            if len(hits) == 1:
                return 429, {"Retry-After": "2", "Content-Type": "text/plain"}, b"slow down"
            return site.default_response("alpha", request.path)

        site.add_route("alpha", site.path(article), busy_once)
        done = newswatch("crawl", "-c", write(site, tmp_path), "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.splitlines()[0])["new"] == 1
        assert len(hits) == 2 and hits[1] - hits[0] >= 1.9, hits
    finally:
        site.close()


def test_a_failing_source_raises_one_health_alert_and_status_shows_it(tmp_path: Path) -> None:
    site = NewsSite([Publisher("alpha", "en", "UTC"), Publisher("bravo", "en", "UTC")]).start()
    smtp = SMTPServer(free_port()).start()
    try:
        feed = "/" + site.feed_urls("bravo")[0].split("/", 3)[3]
        site.add_route("bravo", feed, lambda r: (500, {"Content-Type": "text/plain"}, b"down"))
        config = write(
            site,
            tmp_path,
            f"""
notifiers:
  desk: {{type: email, smtp: "smtp://127.0.0.1:{smtp.port}", from: a@example.org,
         to: [b@example.org]}}
health:
  failures: 2
""",
        )
        for _ in range(3):
            done = newswatch("crawl", "-c", config)
            assert done.returncode == 0, done.stderr
            assert "Traceback" not in done.stderr
        subjects = [str(m["Subject"]) for m in smtp.mailbox.messages]
        assert len(subjects) == 1, subjects
        assert "bravo" in subjects[0] and "failing" in subjects[0]
        text = text_of(smtp.mailbox.messages[0])
        assert text.startswith("Source health: source bravo is failing"), text
        assert "HTTP 500" in text

        status = newswatch("status", "-c", config, "--json")
        rows = {r["source"]: r for r in map(json.loads, status.stdout.splitlines())}
        assert rows["alpha"]["health"] == "ok"
        assert rows["bravo"]["health"] == "failing"
        assert rows["bravo"]["consecutive_failures"] == 3
        text = newswatch("status", "-c", config).stdout
        assert "bravo" in text and "failing" in text and "HTTP 500" in text
    finally:
        smtp.stop()
        site.close()


def test_an_updated_feed_entry_is_fetched_once_more_as_a_revision(tmp_path: Path) -> None:
    site = NewsSite([Publisher("alpha", "en", "UTC", feed_kind="atom")]).start()
    try:
        article = on_topic("alpha", 1, hours_ago=2)
        site.publish(article)
        config = write(site, tmp_path)
        assert newswatch("crawl", "-c", config).returncode == 0
        # The outlet corrects the story: new paragraph, <updated> moves on in the feed.
        article.body += "\n\nCorrection: an earlier version misstated the number of troops."
        article.modified_at = datetime.now(UTC)
        site.reset_hits()
        done = newswatch("crawl", "-c", config, "--json")
        assert done.returncode == 0, done.stderr
        assert site.article_hits() == 1
        records = [json.loads(x) for x in newswatch("export", "-c", config).stdout.splitlines()]
        assert len(records) == 1 and "Correction:" in records[0]["body"]
        # Once: the next crawl leaves it alone.
        site.reset_hits()
        assert newswatch("crawl", "-c", config).returncode == 0
        assert site.article_hits() == 0
    finally:
        site.close()


def test_render_js_auto_falls_back_to_chromium_for_empty_pages(tmp_path: Path) -> None:
    pages = [a for a in fixture_articles(include_js=True) if a.publisher == JS_PUBLISHER.name]
    site = NewsSite([JS_PUBLISHER], pages).start()
    try:
        truth = [t for t in expected_for(site)["articles"].values()
                 if t["publisher"] == JS_PUBLISHER.name]  # fmt: skip
        config = tmp_path / "nw.yaml"
        text = config_yaml(site, f"sqlite:///{tmp_path / 'js.db'}")
        assert "render_js: true" in text
        config.write_text(text.replace("render_js: true", "render_js: auto"), "utf-8")
        done = newswatch("crawl", "-c", str(config), "--json")
        assert done.returncode == 0, done.stderr
        records = {json.loads(x)["title"]: json.loads(x) for x in
                   newswatch("export", "-c", str(config)).stdout.splitlines()}  # fmt: skip
        assert len(records) == len(truth) == 2
        for item in truth:
            body = records[item["title"]]["body"]
            assert all(paragraph in body for paragraph in item["paragraphs"])
    finally:
        site.close()
