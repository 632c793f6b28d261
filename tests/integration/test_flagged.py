"""A page the feed lists is never dropped silently: short news is stored, flagged `thin`,
counted in `newswatch status`, and alerts on the topics that do not leave such pages out."""

from __future__ import annotations

import json
from pathlib import Path

from newswatch.demo.site import NewsSite, Publisher, SiteArticle, config_yaml
from tests.cli import newswatch
from tests.site.stream import NOW, on_topic

TOPICS = """
topics:
  - name: all-pages
    query: '"North Korea" AND troops'
  - name: full-articles
    query: '"North Korea" AND troops'
    exclude_quality: [thin, no_body, not_article]
"""


def test_short_news_in_the_feed_is_kept_flagged_counted_and_alerted_where_wanted(
    tmp_path: Path,
) -> None:
    full = on_topic("alpha", 1)
    brief = SiteArticle(
        publisher="alpha",
        slug="nk-troops-brief",
        title="Brief: North Korea troops seen at the border",
        body="North Korea moved troops to the border on Tuesday, officials said.",
        language="en",
        published_at=NOW,
    )
    site = NewsSite([Publisher("alpha", "en", "UTC")], [full, brief]).start()
    try:
        config = tmp_path / "nw.yaml"
        config.write_text(config_yaml(site, f"sqlite:///{tmp_path / 's.db'}") + TOPICS, "utf-8")
        crawl = newswatch("crawl", "-c", str(config), "--json")
        assert crawl.returncode == 0, crawl.stderr
        summary = json.loads(crawl.stdout.splitlines()[0])
        assert (summary["new"], summary["flagged"], summary["not_article"]) == (2, 1, 1)
        brief_url, full_url = site.url(brief), site.url(full)
    finally:
        site.close()

    exported = newswatch("export", "-c", str(config))
    records = {r["url"]: r for r in map(json.loads, exported.stdout.splitlines())}
    assert records[brief_url]["quality"] == "thin"
    assert "North Korea moved troops to the border on Tuesday" in records[brief_url]["body"]
    assert records[full_url]["quality"] is None

    status = newswatch("status", "-c", str(config), "--json")
    row = json.loads(status.stdout.splitlines()[0])
    assert (row["articles"], row["flagged"]) == (2, 1)
    assert "flagged" in newswatch("status", "-c", str(config)).stdout

    alerts = [json.loads(line) for line in newswatch("alerts", "-c", str(config), "--json")
              .stdout.splitlines()]  # fmt: skip
    by_topic: dict[str, set[str]] = {}
    for alert in alerts:
        by_topic.setdefault(alert["topic"], set()).update(alert["urls"])
    assert brief_url in by_topic["all-pages"]
    assert brief_url not in by_topic["full-articles"]
    assert full_url in by_topic["full-articles"]
