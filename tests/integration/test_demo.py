"""`newswatch demo`, the newcomer's first command: the whole pipeline with no setup."""

import json

from tests.cli import newswatch


def test_demo_stores_searches_and_alerts_once_per_story() -> None:
    done = newswatch("demo", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["articles"] == 8
    assert len(result["search"]["troops"]) == 2
    assert all(s["errors"] == 0 for s in result["sources"])
    outlets = sorted(len(a["outlets"]) for a in result["alerts"])
    # The shared story is one alert naming both outlets; the id and de reports are their own.
    assert outlets[-1] == 2 and len(result["alerts"]) == 3
