"""`newswatch explain URL`: one page fetched (or read from a file) and every decision shown:
the headlines it declares and the one taken, each date candidate and its reading, the date
chosen, whether it is an article, the statements."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from newswatch.demo.site import NewsSite, Publisher, config_yaml
from tests.cli import newswatch
from tests.site.stream import on_topic


def test_explain_fetches_the_page_and_shows_each_decision(tmp_path: Path) -> None:
    article = on_topic("alpha", 7, hours_ago=5)
    site = NewsSite([Publisher("alpha", "en", "Asia/Jakarta")], [article]).start()
    try:
        config = tmp_path / "nw.yaml"
        config.write_text(config_yaml(site, f"sqlite:///{tmp_path / 's.db'}"), "utf-8")
        url = site.url(article)
        done = newswatch("explain", url, "-c", str(config), "--json")
        human = newswatch("explain", url, "-c", str(config))
    finally:
        site.close()
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["source"], report["timezone"]) == ("alpha", "Asia/Jakarta")
    assert report["verdict"] == "article" and report["quality"] is None
    assert report["headline"] == article.title
    assert report["headline_candidates"][0]["taken_as"] == article.title
    published = datetime.fromisoformat(report["published_at"])
    assert published == article.published_at.astimezone(UTC).replace(microsecond=0)
    readings = [c["reads_as"] for c in report["date_candidates"]]
    assert report["published_at"] in readings
    assert report["body_words"] > 50
    assert human.returncode == 0
    assert "published_at:" in human.stdout and article.title in human.stdout


def test_explain_reads_a_saved_page_and_says_what_a_thin_one_would_be(tmp_path: Path) -> None:
    page = tmp_path / "brief.html"
    page.write_text(
        "<html><head><title>Ferry delayed | Harbour Times</title>"
        '<meta property="og:site_name" content="Harbour Times"></head><body><h1>Ferry '
        "delayed</h1><p>The morning ferry left an hour late, the operator said.</p>"
        "<time datetime='2024-11-13T07:30:00+01:00'>13 Nov</time></body></html>",
        "utf-8",
    )
    done = newswatch("explain", "https://harbour.example/brief", "--html", str(page), "--json",
                     "-c", str(tmp_path / "none.yaml"))  # fmt: skip
    assert done.returncode == 2, "a named config that does not exist is an error"
    done = newswatch("explain", "https://harbour.example/brief", "--html", str(page), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["quality"] == "thin" and report["verdict"].startswith("kept as thin")
    assert report["headline"] == "Ferry delayed"
    title = next(c for c in report["headline_candidates"] if c["where"] == "title")
    assert title["written"] == "Ferry delayed | Harbour Times"
    assert title["taken_as"] == "Ferry delayed"
    assert report["published_at"] == "2024-11-13T06:30:00+00:00"
    missing = newswatch("explain", "http://127.0.0.1:9/nothing")
    assert missing.returncode == 1 and "cannot fetch" in missing.stderr
