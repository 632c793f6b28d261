"""Soak: `newswatch run` for a long while against a site that publishes steadily.

A local site with four publishers gets a new article every `--every` seconds (half of them on
the tracked topic), one publisher whose feed always answers 500, and dead links (404) in
another's feed. `newswatch run` polls every source every `--interval` seconds and mails its
alerts to a real SMTP server (aiosmtpd) in this process. Printed at the end:

- memory of the monitor (its process and children: the extraction workers): peak, final,
  the quarter points, and the slope over the second half (MB/hour; ~0 means no steady growth);
- CPU use while idle between crawls (median over 5 s samples in which no crawl ran), and
  overall;
- fetch cost of a crawl of an unchanged source: requests per crawl, and whether its feed
  answered 304 Not Modified;
- articles published vs stored (and duplicates), topic alerts expected vs received (and
  duplicates), and the health alert of the failing source.

    python benchmarks/soak.py                 # 30 minutes
    python benchmarks/soak.py --minutes 5 --json
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

from benchmarks.latency import Inbox, free_port, watch_config  # noqa: E402
from newswatch.demo.site import NewsSite, Publisher, RouteRequest  # noqa: E402
from tests.site.stream import NOW, off_topic, on_topic  # noqa: E402

PUBLISHERS = ("alpha", "bravo", "charlie", "delta")
FAILING = "broken"


def tree_usage(proc: psutil.Process) -> tuple[float, float]:
    """(RSS in MB, CPU seconds) of a process and its children."""
    rss, cpu = 0.0, 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            rss += p.memory_info().rss
            times = p.cpu_times()
            cpu += times.user + times.system
        except psutil.Error:
            continue
    return rss / 2**20, cpu


def soak(minutes: float, interval: int, every: float) -> dict[str, Any]:
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port(), ready_timeout=60)
    smtp.start()
    publishers = [Publisher(n, "en", "UTC") for n in (*PUBLISHERS, FAILING)]
    site = NewsSite(publishers).start()

    def broken(request: RouteRequest) -> tuple[int, dict[str, str], bytes]:
        return 500, {"Content-Type": "text/plain"}, b"feed generator crashed"

    feed_path = "/" + site.feed_urls(FAILING)[0].split("/", 3)[3]
    site.add_route(FAILING, feed_path, broken)
    for i in range(3):  # dead links in charlie's feed
        site.add_link("charlie", f"/news/gone-{i}.html", f"Removed story {i}", NOW)
    published: list[tuple[str, bool]] = []
    stop = threading.Event()

    def publish() -> None:
        rng = random.Random(11)
        n = 0
        while not stop.wait(rng.uniform(0.5, 1.5) * every):
            n += 1
            publisher = rng.choice(PUBLISHERS)
            tracked = n % 2 == 0
            make = on_topic if tracked else off_topic
            site.publish(make(publisher, 5000 + n))
            published.append((f"update {5000 + n} " if tracked else f"news {5000 + n}:", tracked))

    with tempfile.TemporaryDirectory(prefix="newswatch-soak-") as tmp:
        config = watch_config(site, Path(tmp), smtp.port, interval, "health: {failures: 3}\n")
        log = Path(tmp) / "run.jsonl"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "newswatch", "run", "-c", str(config), "--json"],
                stdout=out,
                stderr=subprocess.DEVNULL,
            )
        monitor = psutil.Process(proc.pid)
        publisher = threading.Thread(target=publish, daemon=True)
        publisher.start()
        samples: list[tuple[float, float, float]] = []  # (time, rss MB, cpu s)
        started = time.time()
        deadline = started + minutes * 60
        try:
            while time.time() < deadline:
                rss, cpu = tree_usage(monitor)
                samples.append((time.time(), rss, cpu))
                left = (deadline - time.time()) / 60
                print(f"  soak: {left:5.1f} min left, {rss:6.0f} MB, "
                      f"{len(published)} published, {inbox.count} mails", end="\r",
                      file=sys.stderr)  # fmt: skip
                time.sleep(5)
            stop.set()
            time.sleep(interval + 15)  # the last articles get crawled and alerted
        finally:
            stop.set()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=180)
        print(" " * 79, end="\r", file=sys.stderr)
        events = [json.loads(line) for line in log.read_text().splitlines() if line]
        export = subprocess.run(
            [sys.executable, "-m", "newswatch", "export", "-c", str(config)],
            capture_output=True,
            text=True,
            check=True,
        )
        stored = [json.loads(line) for line in export.stdout.splitlines()]
    site.close()
    smtp.stop()
    return summarise(samples, events, stored, published, inbox)


def summarise(
    samples: list[tuple[float, float, float]],
    events: list[dict[str, Any]],
    stored: list[dict[str, Any]],
    published: list[tuple[str, bool]],
    inbox: Inbox,
) -> dict[str, Any]:
    crawls = [e for e in events if e["event"] == "crawled"]
    busy = []
    for e in crawls:
        end = datetime.fromisoformat(e["at"]).timestamp()
        busy.append((end - e["seconds"] - 1, end + 1))
    idle_cpu, all_cpu = [], []
    for (t0, _, c0), (t1, _, c1) in zip(samples, samples[1:], strict=False):
        share = (c1 - c0) / (t1 - t0) * 100
        all_cpu.append(share)
        if not any(b0 < t1 and t0 < b1 for b0, b1 in busy):
            idle_cpu.append(share)
    rss = [s[1] for s in samples]
    half = samples[len(samples) // 2 :]
    slope = 0.0
    if len(half) > 2:
        xs = [(t - half[0][0]) / 3600 for t, _, _ in half]
        ys = [r for _, r, _ in half]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        denominator = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / denominator
    unchanged = [e for e in crawls if e.get("new") == 0 and e["source"] in PUBLISHERS]
    titles = [r["title"] for r in stored]
    subjects = list(inbox.arrived)
    expected_alerts = [key for key, tracked in published if tracked]
    received = sum(1 for key in expected_alerts if any(key in s for s in subjects))
    topic_mails = sum(1 for s in subjects if "source-health" not in s)
    return {
        "minutes": round((samples[-1][0] - samples[0][0]) / 60, 1),
        "crawls": len(crawls),
        "rss_peak_mb": round(max(rss)),
        "rss_final_mb": round(rss[-1]),
        "rss_quarters_mb": [round(rss[int(q * (len(rss) - 1))]) for q in (0.25, 0.5, 0.75, 1)],
        "rss_slope_second_half_mb_per_h": round(slope, 1),
        "cpu_idle_median_pct": round(statistics.median(idle_cpu), 2) if idle_cpu else None,
        "idle_samples": len(idle_cpu),
        "cpu_overall_pct": round(statistics.fmean(all_cpu), 1) if all_cpu else None,
        "unchanged_crawls": len(unchanged),
        "requests_per_unchanged_crawl": statistics.median(e["pages"] for e in unchanged)
        if unchanged
        else None,
        "unchanged_answered_304": sum(1 for e in unchanged if e.get("not_modified")),
        "published": len(published),
        "stored": sum(1 for key, _ in published if any(key in t for t in titles)),
        "stored_duplicates": len(stored) - len({r["url"] for r in stored}),
        "alerts_expected": len(expected_alerts),
        "alerts_received": received,
        "alert_mails": topic_mails,
        "alert_duplicates": inbox.count - len(inbox.arrived),
        "health_alert": any("source-health" in s and FAILING in s for s in subjects),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--interval", type=int, default=30, help="polling interval, seconds")
    parser.add_argument("--every", type=float, default=20.0, help="seconds between articles")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = soak(args.minutes, args.interval, args.every)
    if args.json:
        print(json.dumps(result))
        return 0
    r = result
    print(f"soak: newswatch run for {r['minutes']} min, every {args.interval}s, "
          f"{r['crawls']} crawls")  # fmt: skip
    print(f"  memory (run + workers): peak {r['rss_peak_mb']} MB, final {r['rss_final_mb']} MB,"
          f" quarters {r['rss_quarters_mb']}, second-half slope "
          f"{r['rss_slope_second_half_mb_per_h']} MB/h")  # fmt: skip
    print(f"  CPU: {r['cpu_idle_median_pct']}% idle between crawls (median of "
          f"{r['idle_samples']} samples), {r['cpu_overall_pct']}% overall")  # fmt: skip
    print(f"  unchanged source: {r['requests_per_unchanged_crawl']} requests per crawl, "
          f"feed 304 in {r['unchanged_answered_304']}/{r['unchanged_crawls']} crawls")  # fmt: skip
    print(f"  articles: {r['published']} published, {r['stored']} stored, "
          f"{r['stored_duplicates']} duplicates")  # fmt: skip
    print(f"  alerts: {r['alerts_expected']} expected, {r['alerts_received']} received, "
          f"{r['alert_duplicates']} duplicates; health alert for the failing source: "
          f"{'yes' if r['health_alert'] else 'NO'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
