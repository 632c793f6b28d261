"""Scale: many sources, most of them unchanged, polled by a pool of 1, 2 or 3 `newswatch run`
workers on one Elasticsearch.

A local site (a few publishers) serves one feed per source (`<feed>?s=<n>`, each with one
article, answered 304 when unchanged). Every source is polled every `--every` seconds. After
a warm-up (every source crawled once: its article stored, its validators saved), the
benchmark measures `--polls` intervals in steady state and prints, per run:

  lag p50/p95/max   seconds from when a crawl was due to when it started (the `lag` of the
                    monitor's `crawled` events)
  crawls            crawls done in the window, against sources x polls
  crawl s           seconds a crawl took (the `seconds` of its `crawled` event), p50 and p95
  HTTP per crawl    requests the site answered per crawl (target: at most 2 for an
                    unchanged source)
  ES per crawl      requests Elasticsearch answered per crawl, counted by a proxy in front of
                    it (target: at most 3)
  CPU               CPU seconds per minute of each worker (with its extraction workers)
  RSS               the most resident memory of a worker (with its extraction workers)

and how they grow from the smallest to the largest number of sources. Needs the local
Elasticsearch of scripts/elasticsearch.sh.

    python benchmarks/scale.py                                  # 500 sources, 1-3 workers
    python benchmarks/scale.py --sources 500 5000 --workers 3 --every 300 --polls 2
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._env import cpu_model, versions  # noqa: E402
from benchmarks._procs import descendants  # noqa: E402
from newswatch.demo.site import NewsSite, Publisher  # noqa: E402
from tests.site.stream import off_topic  # noqa: E402

PUBLISHERS = ("alpha", "bravo", "charlie", "delta", "echo")
ES_SCRIPT = ROOT / "scripts" / "elasticsearch.sh"


class CountingProxy:
    """Forwards every request to Elasticsearch and counts them."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 9200
        self.count = 0
        self.kinds: Counter[str] = Counter()  # "METHOD /<index kind>/<api>"
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                conn = http.client.HTTPConnection(proxy.host, proxy.port, timeout=120)
                try:
                    conn.request(self.command, self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                finally:
                    conn.close()
                with proxy.lock:
                    proxy.count += 1
                    proxy.kinds[_kind(self.command, self.path)] += 1
                self.send_response(resp.status)
                for key, value in resp.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

            def log_message(self, format: str, *args: Any) -> None:
                return

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                return  # a client closing an idle keep-alive connection: nothing to report

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> tuple[int, Counter[str]]:
        with self.lock:
            n, kinds = self.count, self.kinds
            self.count, self.kinds = 0, Counter()
        return n, kinds


def _kind(method: str, path: str) -> str:
    """A request's kind for the breakdown: the method, the index's role (articles or one of
    its side indices: -leases, -sources, …) and the API ("_search", "_doc", …)."""
    parts = [p for p in urlsplit(path).path.split("/") if p]
    index = next((p for p in parts if not p.startswith("_")), "")
    role = index.rsplit("-", 1)[-1] if "-" in index else index
    api = next((p for p in parts if p.startswith("_")), "")
    return f"{method} {role[:12]} {api}".strip()


def tree(pid: int) -> list[int]:
    """pid and the processes below it."""
    return [pid, *descendants(pid)]


def cpu_seconds(pid: int) -> float:
    total = 0.0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def rss_mb(pid: int) -> float:
    total = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def events(log: Path) -> list[dict[str, Any]]:
    out = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return out


def run(sources: int, workers: int, every: int, polls: int, es_url: str) -> dict[str, Any]:
    proxy = CountingProxy(es_url)
    site = NewsSite([Publisher(n, "en", "UTC") for n in PUBLISHERS]).start()
    for n, pub in enumerate(PUBLISHERS):
        site.publish(off_topic(pub, 100 + n))
    index = f"newswatch-scale-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory(prefix="newswatch-scale-") as tmp:
        config = Path(tmp) / "newswatch.yaml"
        lines = [f'store: "{proxy.url}?index={index}"', "sources:"]
        for n in range(sources):
            pub = PUBLISHERS[n % len(PUBLISHERS)]
            feed = site.feed_urls(pub)[0]
            lines.append(
                f'  - {{name: "s{n:05d}", feeds: ["{feed}?s={n}"], language: en, every: {every}s}}'
            )
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        setup = subprocess.run(
            [sys.executable, "-m", "newswatch", "setup", "-c", str(config)],
            capture_output=True,
            text=True,
        )
        if setup.returncode:
            raise SystemExit(f"newswatch setup failed: {setup.stderr.strip()}")
        logs = [Path(tmp) / f"w{k}.jsonl" for k in range(workers)]
        procs = []
        for log in logs:
            with log.open("w") as out:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "newswatch", "run", "-c", str(config), "--json"],
                        stdout=out,
                        stderr=subprocess.DEVNULL,
                    )
                )
        try:
            # warm-up: every source crawled once (its article stored, its validators saved)
            deadline = time.monotonic() + 3 * every + 120
            while time.monotonic() < deadline:
                done = {e["source"] for log in logs for e in events(log) if e["event"] == "crawled"}
                if len(done) >= sources:
                    break
                time.sleep(2)
            warm = {e["source"] for log in logs for e in events(log) if e["event"] == "crawled"}
            site.reset_hits()
            proxy.reset()
            seen = [len(events(log)) for log in logs]
            cpu0 = [cpu_seconds(p.pid) for p in procs]
            t0 = time.monotonic()
            peak = [0.0] * workers
            while time.monotonic() - t0 < polls * every:
                peak = [max(m, rss_mb(p.pid)) for m, p in zip(peak, procs, strict=True)]
                time.sleep(2)
            window = time.monotonic() - t0
            cpu = [cpu_seconds(p.pid) - c for p, c in zip(procs, cpu0, strict=True)]
            crawled = [
                e
                for log, k in zip(logs, seen, strict=True)
                for e in events(log)[k:]
                if e["event"] == "crawled"
            ]
            http_requests = sum(site.hits.values())
            es_requests, es_kinds = proxy.reset()
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=120)
                except subprocess.TimeoutExpired:
                    p.kill()
    site.close()
    proxy.server.shutdown()
    _drop(es_url, index)
    lags = sorted(e["lag"] for e in crawled if e.get("lag") is not None)
    took = sorted(e["seconds"] for e in crawled if e.get("seconds") is not None)
    n = len(crawled)
    return {
        "sources": sources,
        "workers": workers,
        "every_s": every,
        "warm_sources": len(warm),
        "window_s": round(window),
        "crawls": n,
        "crawls_expected": sources * polls,
        "lag_p50": _q(lags, 0.5),
        "lag_p95": _q(lags, 0.95),
        "lag_max": lags[-1] if lags else None,
        "crawl_s_p50": _q(took, 0.5),
        "crawl_s_p95": _q(took, 0.95),
        "http_per_crawl": round(http_requests / n, 2) if n else None,
        "es_per_crawl": round(es_requests / n, 2) if n else None,
        "es_per_crawl_by_kind": {k: round(v / n, 2) for k, v in es_kinds.most_common(12)}
        if n
        else {},
        "cpu_s_per_min": [round(c / window * 60, 1) for c in cpu],
        "rss_mb": [round(m) for m in peak],
    }


def _q(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1], 2)


def _drop(es_url: str, index: str) -> None:
    from newswatch.storage.elasticsearch import ElasticsearchStore

    store = ElasticsearchStore.from_url(f"{es_url}?index={index}")
    try:
        store.drop()
    except Exception as exc:  # cleanup only
        print(f"  could not delete the indices of {index}: {exc}", file=sys.stderr)
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, nargs="+", default=[500])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--every", type=int, default=60, help="polling interval, seconds")
    parser.add_argument("--polls", type=int, default=2, help="intervals measured")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    done = subprocess.run(["bash", str(ES_SCRIPT), "start"], capture_output=True, text=True)
    es_url = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if not es_url.startswith("http"):
        raise SystemExit(f"Elasticsearch did not start: {done.stderr.strip()}")
    env = {"cpu": cpu_model(), **versions("scrapy", "elasticsearch", "apscheduler")}
    rows = []
    for sources in args.sources:
        for workers in args.workers:
            print(f"  {sources} sources, {workers} worker(s), every {args.every} s ...",
                  file=sys.stderr)  # fmt: skip
            rows.append(run(sources, workers, args.every, args.polls, es_url))
    if args.json:
        print(json.dumps({"environment": env, "runs": rows}))
        return 0
    print(f"# {env}")
    head = (f"{'sources':>8}{'workers':>8}{'crawls':>14}{'lag p50':>9}{'p95':>7}{'max':>7}"
            f"{'HTTP/crawl':>11}{'ES/crawl':>9}  CPU s/min per worker   RSS MB per worker")
    print(head)  # fmt: skip
    for r in rows:
        print(
            f"{r['sources']:>8}{r['workers']:>8}{r['crawls']:>7}/{r['crawls_expected']:<6}"
            f"{_f(r['lag_p50']):>9}{_f(r['lag_p95']):>7}{_f(r['lag_max']):>7}"
            f"{_f(r['http_per_crawl']):>11}{_f(r['es_per_crawl']):>9}  "
            f"{str(r['cpu_s_per_min']):<22}{r['rss_mb']}"
        )
    for r in rows:
        print(f"  crawl duration, {r['sources']} x {r['workers']}: p50 {_f(r['crawl_s_p50'])} s, "
              f"p95 {_f(r['crawl_s_p95'])} s")  # fmt: skip
        kinds = ", ".join(f"{k} {v:g}" for k, v in r["es_per_crawl_by_kind"].items())
        print(f"  ES requests per crawl, {r['sources']} x {r['workers']}: {kinds}")
    print("targets: lag p95 < 30 s; an unchanged source at most 2 HTTP and 3 Elasticsearch "
          "requests per poll")  # fmt: skip
    return 0


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


if __name__ == "__main__":
    sys.exit(main())
