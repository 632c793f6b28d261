"""The fixture news site the tests crawl: publishers, articles, hostile cases, ground truth.

from tests.site import EXPECTED, expected_for, fixture_site

with fixture_site() as site:
    config = config_yaml(site, "sqlite:///" + str(tmp_path / "t.db"))
    ...
    truth = expected_for(site)  # EXPECTED with absolute URLs for this run's ports
"""

from tests.site.content import (
    EXPECTED,
    JS_PUBLISHER,
    PUBLISHERS,
    TOPIC_QUERIES,
    expected_for,
    fixture_articles,
    fixture_site,
    late_articles,
)

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
