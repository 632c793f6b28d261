"""`newswatch demo`: the whole pipeline on a news site of our own, with no setup.

Serves the demo site on 127.0.0.1, writes a config for it next to a temporary SQLite store,
crawls it, then shows what was stored and what a search finds.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TextIO

from newswatch.config import load_config
from newswatch.demo.content import DEMO_TOPIC_QUERY, demo_site
from newswatch.demo.site import config_yaml
from newswatch.scheduler.crawling import run_crawls
from newswatch.storage import open_ledger, open_store

DEMO_QUERY = "troops"


def run_demo(out: TextIO, keep: bool = False, as_json: bool = False) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="newswatch-demo-"))
    store_url = f"sqlite:///{workdir / 'demo.db'}"
    with demo_site() as site:
        config_path = workdir / "newswatch.yaml"
        # A topic with no channel: its alerts are recorded in the ledger and shown below.
        topic = f"topics:\n  - name: nk-troops\n    query: '{DEMO_TOPIC_QUERY}'\n"
        config_path.write_text(config_yaml(site, store_url) + topic, encoding="utf-8")
        config = load_config(config_path)
        store = open_store(config.store)
        store.setup()
        store.close()
        if not as_json:
            out.write(f"demo site serving {len(config.sources)} publishers on 127.0.0.1; "
                      "crawling...\n")  # fmt: skip
        summaries = run_crawls(config, list(config.sources), {"NEWSWATCH_EXTRACT_WORKERS": 0})
    store = open_store(store_url)
    ledger = open_ledger(store_url)
    try:
        articles = list(store.iter_articles())
        hits = store.search(DEMO_QUERY)
        alerts = list(ledger.alerts())
    finally:
        store.close()
        ledger.close()
    if as_json:
        out.write(json.dumps({
            "store": store_url, "config": str(config_path),
            "sources": [s.as_dict() for s in summaries],
            "articles": len(articles), "search": {DEMO_QUERY: [h["id"] for h in hits]},
            "alerts": [a.record() for a in alerts],
        }) + "\n")  # fmt: skip
    else:
        width = max((len(a["source"]) for a in articles), default=8)
        out.write(f"\nstored {len(articles)} articles:\n")
        for a in articles:
            when = (a["published_at"] or "")[:16].replace("T", " ")
            out.write(f"  {when} UTC  [{a['language']}] {a['source']:<{width}} {a['title'][:70]}\n")
        out.write(f"\nnewswatch search '{DEMO_QUERY}' finds {len(hits)}:\n")
        for h in hits:
            out.write(f"  {h['source']:<{width}} {h['title'][:70]}\n")
        out.write(f"\nalerts on topic nk-troops (one per story, not per outlet): {len(alerts)}\n")
        for a in alerts:
            out.write(f"  {a.title[:70]}  [{', '.join(a.outlets)}]\n")
        if keep:
            out.write(f"\nkept: the config is {config_path}; try\n"
                      f"  newswatch search -c {config_path} Korea\n")  # fmt: skip
    if not keep:
        for path in sorted(workdir.iterdir(), reverse=True):
            path.unlink()
        workdir.rmdir()
    return 0 if articles else 1
