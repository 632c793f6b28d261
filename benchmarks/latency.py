"""Alert latency of `newswatch run`: from an article's appearance in a feed to its alert
arriving at a real SMTP server (aiosmtpd on 127.0.0.1).

A local site with several publishers is watched by `newswatch run` with `every: 30s` per
source. Articles on a tracked topic are published at random moments (one every few seconds,
on a random publisher), each a story of its own. For every article the benchmark records:

  appeared  the moment it was added to its publisher's feed
  fetched   the first request for its page (the crawler found it)
  alerted   the moment the SMTP server received its alert

and prints the median and maximum of `alerted - appeared` (targets: median <= 20 s, max <=
35 s with a 30 s interval: half an interval of waiting on average, plus processing) and of
`alerted - fetched`, the processing part alone (target: median <= 2 s).

Both ways of running crawls are measured in the same run, one after the other, so they can
be compared side by side: in-process (one reactor) and a subprocess per crawl.

    python benchmarks/latency.py                    # 20 articles per mode, both modes
    python benchmarks/latency.py --articles 30 --modes inprocess --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from newswatch.demo.site import NewsSite, Publisher, RouteRequest, config_yaml  # noqa: E402
from tests.site.stream import on_topic  # noqa: E402

PUBLISHERS = ("alpha", "bravo", "charlie", "delta")


class Inbox:
    """An aiosmtpd handler that notes when each subject arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        from email import message_from_bytes

        subject = str(message_from_bytes(envelope.content)["Subject"])
        self.count += 1
        self.arrived.setdefault(subject, time.time())
        return "250 OK"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def watch_config(
    site: NewsSite, folder: Path, smtp_port: int, interval: int, extra: str = ""
) -> Path:
    """A config that polls every publisher every `interval` seconds into a SQLite store in
    `folder`, with one topic whose alerts are mailed to 127.0.0.1:`smtp_port`."""
    config = folder / "newswatch.yaml"
    text = config_yaml(site, f"sqlite:///{folder / 'newswatch.db'}")
    text = text.replace("    language: en\n", f"    language: en\n    every: {interval}s\n")
    text += f"""
topics:
  - name: nk
    query: '"North Korea" AND troops'
notifiers:
  desk: {{type: email, smtp: "smtp://127.0.0.1:{smtp_port}", from: a@example.org,
         to: [b@example.org], retry_seconds: 2}}
{extra}"""
    config.write_text(text, encoding="utf-8")
    return config


def measure(mode: str, articles: int, interval: int, spacing: float) -> dict[str, Any]:
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port(), ready_timeout=60)
    smtp.start()
    site = NewsSite([Publisher(name, "en", "UTC") for name in PUBLISHERS]).start()
    fetched: dict[str, float] = {}
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="newswatch-latency-") as tmp:
        config = watch_config(site, Path(tmp), smtp.port, interval)
        log = Path(tmp) / "run.jsonl"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "newswatch", "run", "-c", str(config), "--json",
                 "--mode", mode],
                stdout=out,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
        try:
            _wait(lambda: log.read_text().count('"crawled"') >= len(PUBLISHERS), 120)
            rng = random.Random(7)
            appeared: dict[int, float] = {}
            for n in range(1, articles + 1):
                article = on_topic(rng.choice(PUBLISHERS), 1000 + n)
                path = site.path(article)

                def noted(request: RouteRequest, n: int = n, publisher: str = article.publisher):
                    with lock:
                        fetched.setdefault(str(n), time.time())
                    return site.default_response(publisher, request.path)

                site.add_route(article.publisher, path, noted)
                site.publish(article)
                appeared[n] = time.time()
                print(f"  {mode}: published {n}/{articles}", file=sys.stderr, end="\r")
                time.sleep(rng.uniform(0.5, 1.5) * spacing)
            _wait(lambda: inbox.count >= articles, interval + 60)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=120)
            site.close()
            smtp.stop()
    total, processing, missing = [], [], 0
    for n, start in appeared.items():
        subject = next((s for s in inbox.arrived if f"update {1000 + n} " in s), None)
        if subject is None:
            missing += 1
            continue
        total.append(inbox.arrived[subject] - start)
        if str(n) in fetched:
            processing.append(inbox.arrived[subject] - fetched[str(n)])
    print(" " * 60, file=sys.stderr, end="\r")
    return {
        "mode": mode,
        "interval_s": interval,
        "articles": articles,
        "alerted": len(total),
        "missing": missing,
        "emails": inbox.count,
        "total_median_s": round(statistics.median(total), 2) if total else None,
        "total_max_s": round(max(total), 2) if total else None,
        "processing_median_s": round(statistics.median(processing), 2) if processing else None,
        "processing_max_s": round(max(processing), 2) if processing else None,
    }


def _wait(check: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20, help="articles per mode")
    parser.add_argument("--interval", type=int, default=30, help="polling interval, seconds")
    parser.add_argument(
        "--spacing", type=float, default=7.0, help="mean seconds between two publications"
    )
    parser.add_argument("--modes", nargs="+", default=["inprocess", "subprocess"])
    parser.add_argument("--json", action="store_true", help="one JSON object per mode")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    results = [measure(m, args.articles, args.interval, args.spacing) for m in args.modes]
    if args.json:
        for result in results:
            print(json.dumps(result))
        return 0
    print(f"alert latency, {args.articles} articles per mode, every {args.interval}s, "
          f"{os.cpu_count()} cores")  # fmt: skip
    print(f"{'mode':<12}{'alerted':>8}{'dup':>5}{'appear→alert median':>22}{'max':>8}"
          f"{'fetch→alert median':>21}{'max':>8}")  # fmt: skip
    for r in results:
        dup = r["emails"] - r["alerted"]
        print(
            f"{r['mode']:<12}{r['alerted']:>5}/{r['articles']:<2}{dup:>5}"
            f"{_s(r['total_median_s']):>22}{_s(r['total_max_s']):>8}"
            f"{_s(r['processing_median_s']):>21}{_s(r['processing_max_s']):>8}"
        )
    print("targets: appear→alert median <= 20 s, max <= 35 s; fetch→alert median <= 2 s")
    return 0


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


if __name__ == "__main__":
    sys.exit(main())
