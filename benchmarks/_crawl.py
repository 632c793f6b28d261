"""`newswatch crawl -c CONFIG --json` with Scrapy setting overrides, for what-if runs of
benchmarks/throughput.py (`--set KEY=VALUE`); the CLI itself has no such switch.

    python benchmarks/_crawl.py CONFIG KEY=VALUE ...

Makes the same calls as the CLI's crawl command (set up the store, crawl every source in one
reactor, print one JSON summary per source) with the overrides at command-line priority.
Values are parsed as YAML scalars, so `False`, `0.0` and `16` arrive typed.
"""

from __future__ import annotations

import json
import sys

import yaml

from newswatch.config import load_config
from newswatch.scheduler.crawling import run_crawls
from newswatch.storage import open_store


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    config = load_config(argv[0])
    overrides = {}
    for item in argv[1:]:
        key, _, value = item.partition("=")
        overrides[key] = yaml.safe_load(value)
    store = open_store(config.store)
    try:
        store.setup()
    finally:
        store.close()
    for summary in run_crawls(config, list(config.sources), overrides):
        print(json.dumps(summary.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
