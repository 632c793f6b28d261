"""`newswatch spool status` shows what waits in the store's spool; `newswatch spool requeue`
puts dead letters (records the store refused) back and writes them now: a record the store
takes is stored, one it refuses again stays a dead letter, nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

from newswatch.records import Article
from newswatch.storage.spool import Spool, spool_dir, spool_folder
from tests.cli import newswatch


def record(key: str) -> dict[str, object]:
    return Article(
        id=f"id-{key}",
        url=f"https://news.example.org/{key}",
        canonical_url=f"https://news.example.org/{key}",
        source="example",
        domain="news.example.org",
        title=f"Harbour story {key}",
        body=f"Body of the harbour story {key}.",
    ).record()


def test_dead_letters_are_shown_and_put_back(tmp_path: Path) -> None:
    config = tmp_path / "nw.yaml"
    store = f"sqlite:///{tmp_path / 'nw.db'}"
    config.write_text(
        f"store: {store}\nsources:\n  - name: example\n    feeds: [https://news.example.org/rss]\n",
        "utf-8",
    )
    spool = Spool(spool_dir(spool_folder(str(config)), store), store)
    # As an earlier crawl left them: one refused for a mapping since fixed, one still bad.
    spool.dead_letter(record("fixed"), "rejected 1 article: mapper_parsing_exception")
    spool.dead_letter({**record("bad"), "colour": "red"}, "record 'id-bad' has unknown fields")

    status = newswatch("spool", "status", "-c", str(config), "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["dead_letters"] == 2
    human = newswatch("spool", "status", "-c", str(config))
    assert "dead letters: 2" in human.stdout and "mapper_parsing_exception" in human.stdout

    done = newswatch("spool", "requeue", "-c", str(config), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"requeued": 2, "written": 1, "refused_again": 1,
                                       "still_pending": 0, "error": None}  # fmt: skip
    exported = newswatch("export", "-c", str(config)).stdout.splitlines()
    assert [json.loads(line)["id"] for line in exported] == ["id-fixed"]
    letters = spool.dead_letters()
    assert [letter["id"] for letter in letters] == ["id-bad"]

    only = newswatch("spool", "requeue", "--id", "id-nothing", "-c", str(config), "--json")
    assert json.loads(only.stdout)["requeued"] == 0
    assert len(spool.dead_letters()) == 1
