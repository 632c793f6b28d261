"""Does a change keep the records? Crawl the test fixture site with this working tree and
with an earlier commit, export both stores, and compare the records field by field (the
crawl's own timestamps aside). Meant for refactorings, which must change nothing.

    python scripts/same_records.py a09bf23          # exit 0 when every record is the same
    python scripts/same_records.py a09bf23 --json   # the differences, one JSON object

Both trees crawl the same running site (same ports, same articles), source after source in
the same order, each into its own SQLite store, in child processes with the tree first on
PYTHONPATH.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newswatch.demo.site import config_yaml  # noqa: E402
from tests.site import fixture_site  # noqa: E402

VOLATILE = ("fetched_at",)  # when this crawl ran


def tree_at(ref: str, into: Path) -> Path:
    """The files of commit `ref`, unpacked into `into`."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True,
                          check=True).stdout  # fmt: skip
    with tarfile.open(fileobj=BytesIO(data)) as archive:
        archive.extractall(into, filter="data")
    return into


def crawl_and_export(
    tree: Path, site_config: str, sources: list[str], folder: Path
) -> list[dict[str, Any]]:
    """One source after the other, in a fixed order (the first report of a story names it)."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "newswatch.yaml"
    config.write_text(site_config.replace("@STORE@", str(folder / "store.db")), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONWARNINGS": "ignore"}
    cli = [sys.executable, "-m", "newswatch"]
    for source in sources:
        subprocess.run([*cli, "crawl", source, "-c", str(config), "--json"], env=env,
                       cwd=tree, check=True, capture_output=True)  # fmt: skip
    done = subprocess.run([*cli, "export", "-c", str(config)], env=env, cwd=tree, check=True,
                          capture_output=True, text=True)  # fmt: skip
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    for record in records:
        for key in VOLATILE:
            record.pop(key, None)
    return sorted(records, key=lambda r: r["url"])


def differences(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    old = {r["url"]: r for r in before}
    new = {r["url"]: r for r in after}
    found = [f"only before: {u}" for u in sorted(old.keys() - new.keys())]
    found += [f"only after: {u}" for u in sorted(new.keys() - old.keys())]
    for url in sorted(old.keys() & new.keys()):
        for key in sorted(old[url].keys() | new[url].keys()):
            if old[url].get(key) != new[url].get(key):
                found.append(f"{url} {key}: {old[url].get(key)!r} -> {new[url].get(key)!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ref", help="the earlier commit to compare with (e.g. a09bf23)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, fixture_site() as site:
        site_config = config_yaml(site, "sqlite:///@STORE@")
        sources = sorted(site.publishers)
        before = crawl_and_export(tree_at(args.ref, Path(tmp) / "ref"), site_config, sources,
                                  Path(tmp) / "before")  # fmt: skip
        after = crawl_and_export(ROOT, site_config, sources, Path(tmp) / "after")
    found = differences(before, after)
    if args.json:
        print(json.dumps({"ref": args.ref, "records": [len(before), len(after)],
                          "differences": found}, ensure_ascii=False))  # fmt: skip
    else:
        print(f"{len(before)} records at {args.ref}, {len(after)} in this tree: "
              f"{len(found)} differences (apart from {', '.join(VOLATILE)})")  # fmt: skip
        for line in found:
            print("  " + line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
