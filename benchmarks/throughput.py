"""End-to-end crawl throughput: `newswatch crawl` against a local site of real pages.

    python benchmarks/throughput.py                 # 2,000 pages: SQLite, ES, news-please
    python benchmarks/throughput.py --pages 300     # a quick run
    python benchmarks/throughput.py --json          # one JSON object
    python benchmarks/throughput.py --profile       # also: cProfile of an in-process crawl

The site (stdlib ThreadingHTTPServer on 127.0.0.1, in a thread of this process) serves
`--pages` article pages at /p/<n>.html, cycling through the 439 real pages of
`../shared/data/fundus-publishers` (258) and `../shared/data/article-extraction-benchmark`
(181), listed by `--feeds` RSS feeds (/feed/<k>.xml), with an allow-all /robots.txt. Each copy
gets its own URL and a `<meta name="newswatch-bench-copy">` tag; a page whose rel=canonical
is relative (it would resolve onto 127.0.0.1 and fold copies together) has it rewritten to
its copy's own URL.

Measured for each store: a temporary config is written and `newswatch crawl -c CONFIG --json`
runs as a subprocess; wall time is from spawning it to its exit (interpreter start, imports,
worker pool start, discovery, fetching, extraction, storing), and articles/s = articles in the
store afterwards / wall time. Memory is the peak over the run of the summed RSS of the crawl
process and all its descendants (the extraction workers), sampled every 50 ms with psutil if
installed, else from /proc; the summed PSS (shared pages split between processes) is shown
too where /proc allows it.

Stores: SQLite in a temporary directory always; Elasticsearch when a URL is given by --es,
$NEWSWATCH_BENCH_ES_URL or $NEWSWATCH_TEST_ES_URL (start one with
`bash scripts/elasticsearch.sh start`), into a fresh `bench-<random>` index deleted afterwards.

Reference, in the same run: news-please `NewsPlease.from_html(html, url=..., fetch_images=False)`
over the same pages in one process (a subprocess of this script, so its memory is measured
the same way); an "article" is a result with a non-empty maintext.

Politeness stays as configured (robots.txt, AutoThrottle, 8 requests per domain). `--set
KEY=VALUE` overrides a Scrapy setting for a what-if run (e.g. `--set AUTOTHROTTLE_ENABLED=False`);
the CLI has no such switch, so the crawl then runs through `benchmarks/_crawl.py`, which makes
the same calls as `newswatch crawl` plus the overrides, and the report says so.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import pstats
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from _env import cpu_model, versions  # benchmarks/_env.py

REPO = Path(__file__).resolve().parents[1]
FUNDUS = "fundus-publishers"
AEB = "article-extraction-benchmark"
TARGET_ARTICLES_PER_S = 40.0
TARGET_RATIO = 5.0
TARGET_TRAFILATURA = 1.3  # CPU per article / trafilatura.bare_extraction alone (issue 16)
_CANONICAL = re.compile(rb"""<link\b[^>]*\brel\s*=\s*["']?canonical["']?[^>]*>""", re.IGNORECASE)
_HREF = re.compile(rb"""\bhref\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)


def shared_data_dir() -> Path:
    env = os.environ.get("NEWSWATCH_SHARED_DATA")
    if env:
        return Path(env)
    return REPO.parent / "shared" / "data"


# -- the pages -----------------------------------------------------------------------------
def load_pages(data: Path) -> list[bytes]:
    """The 439 real pages, decompressed, in a fixed order (fundus manifest, then the
    extraction benchmark by item id)."""
    pages: list[bytes] = []
    with (data / FUNDUS / "manifest.jsonl").open(encoding="utf-8") as manifest:
        for line in manifest:
            if line.strip():
                pages.append(
                    gzip.decompress((data / FUNDUS / json.loads(line)["file"]).read_bytes())
                )
    for path in sorted((data / AEB / "html").glob("*.html.gz")):
        pages.append(gzip.decompress(path.read_bytes()))
    return pages


def page_copy(pages: list[bytes], n: int, base_url: str) -> bytes:
    """Page n of the site: real page n mod len(pages), marked as copy n."""
    html = pages[n % len(pages)]
    own = f"{base_url}/p/{n}.html".encode()

    def fix_canonical(match: re.Match[bytes]) -> bytes:
        tag = match.group(0)
        href = _HREF.search(tag)
        if href and re.match(rb"\s*(https?:)?//", href.group(2), re.IGNORECASE):
            return tag  # absolute: points at the publisher, so copies stay apart
        return b'<link rel="canonical" href="' + own + b'">'

    html = _CANONICAL.sub(fix_canonical, html)
    marker = b'<meta name="newswatch-bench-copy" content="' + str(n).encode() + b'">'
    head = _HEAD.search(html)
    if head:
        return html[: head.end()] + marker + html[head.end() :]
    return marker + html


def feed_xml(base_url: str, feed: int, items: range) -> bytes:
    now = time.time()
    entries = []
    for n in items:
        entries.append(
            f"<item><title>Bench article {n}</title><link>{base_url}/p/{n}.html</link>"
            f'<guid isPermaLink="true">{base_url}/p/{n}.html</guid>'
            f"<pubDate>{formatdate(now - 60 * n, usegmt=True)}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>newswatch bench feed {feed}</title><link>{base_url}/</link>"
        f"<description>bench</description>{''.join(entries)}</channel></rss>"
    ).encode()


class Site:
    """The benchmark site, served from a thread; counts what it served."""

    def __init__(self, pages: list[bytes], count: int, feeds: int) -> None:
        self.pages, self.count, self.feeds = pages, count, max(1, min(feeds, count))
        per_feed = -(-count // self.feeds)
        self.feed_items = [
            range(k * per_feed, min(count, (k + 1) * per_feed)) for k in range(self.feeds)
        ]
        self.lock = threading.Lock()
        self.reset()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                site.serve(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reset(self) -> None:
        with self.lock:
            self.article_requests = 0
            self.first_article: float | None = None
            self.last_article: float | None = None

    def feed_urls(self) -> list[str]:
        return [f"{self.base_url}/feed/{k}.xml" for k in range(self.feeds)]

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        body: bytes | None = None
        kind = "text/html; charset=utf-8"
        match = re.fullmatch(r"/p/(\d+)\.html", path)
        if match and int(match.group(1)) < self.count:
            body = page_copy(self.pages, int(match.group(1)), self.base_url)
            with self.lock:
                self.article_requests += 1
                self.first_article = self.first_article or time.perf_counter()
        elif (match := re.fullmatch(r"/feed/(\d+)\.xml", path)) and int(
            match.group(1)
        ) < self.feeds:
            body = feed_xml(
                self.base_url, int(match.group(1)), self.feed_items[int(match.group(1))]
            )
            kind = "application/rss+xml; charset=utf-8"
        elif path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        status = 200 if body is not None else 404
        body = body if body is not None else b"not found"
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        if match and status == 200 and path.startswith("/p/"):
            with self.lock:
                self.last_article = time.perf_counter()

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- memory of a process tree --------------------------------------------------------------
try:
    import psutil  # type: ignore[import-not-found]
except ImportError:  # the /proc fallback below does the same on Linux
    psutil = None

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _proc_children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces or parentheses: fields start after the last ')'
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def tree_pids(root: int) -> list[int]:
    if psutil is not None:
        try:
            proc = psutil.Process(root)
            return [root] + [p.pid for p in proc.children(recursive=True)]
        except psutil.Error:
            return []
    children = _proc_children()
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack.extend(children.get(pid, []))
    return pids


def rss_bytes(pid: int) -> int:
    if psutil is not None:
        try:
            return int(psutil.Process(pid).memory_info().rss)
        except psutil.Error:
            return 0
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def pss_bytes(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of one process so far."""
    if psutil is not None:
        try:
            times = psutil.Process(pid).cpu_times()
            return float(times.user + times.system)
        except psutil.Error:
            return None
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
    except (OSError, IndexError, ValueError):
        return None


def machine_busy_seconds() -> float | None:
    """CPU time all processes of the machine have used since boot (all cores)."""
    try:
        with open("/proc/stat", "rb") as f:
            ticks = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / _TICK


class TreeSampler:
    """Peak summed RSS (and PSS) of a process and its descendants, their CPU time (the
    process itself and its descendants apart), and the CPU the rest of the machine used
    meanwhile (other people's jobs on a shared machine), sampled from a thread.

    RSS and CPU are read every `interval` (50 ms); PSS only every `pss_interval` (1 s):
    reading it (/proc/PID/smaps_rollup) makes the kernel walk the memory maps of every
    process of the tree (measured: 38 ms for a tree of four Python processes), which every
    50 ms kept a third of a core or more busy: on 2 cores, taken from the crawl measured."""

    def __init__(self, pid: int, interval: float = 0.05, pss_interval: float = 1.0) -> None:
        self.pid, self.interval, self.pss_interval = pid, interval, pss_interval
        self._last_pss = float("-inf")
        self.peak_rss = 0
        self.peak_pss: int | None = None
        self.peak_processes = 0
        self.cpu: dict[int, float] = {}
        self.series: list[tuple[float, float]] = []  # (perf_counter, tree CPU seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._busy_start = machine_busy_seconds()
        self._start = time.perf_counter()
        self._self_start = time.process_time()
        self.bench_cores = 0.0  # this script: the site's server threads and this sampler
        self.others_cores: float | None = None

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = tree_pids(self.pid)
            self.peak_processes = max(self.peak_processes, len(pids))
            self.peak_rss = max(self.peak_rss, sum(rss_bytes(p) for p in pids))
            if time.perf_counter() - self._last_pss >= self.pss_interval:
                self._last_pss = time.perf_counter()
                pss = [pss_bytes(p) for p in pids]
                if pss and all(v is not None for v in pss):
                    total = sum(v for v in pss if v is not None)
                    self.peak_pss = max(self.peak_pss or 0, total)
            for pid in pids:
                used = cpu_seconds(pid)
                if used is not None:
                    self.cpu[pid] = max(used, self.cpu.get(pid, 0.0))
            self.series.append((time.perf_counter(), sum(self.cpu.values())))
            self._stop.wait(self.interval)

    def cpu_at(self, moment: float) -> float | None:
        """The tree's CPU seconds at `moment` (perf_counter), from the nearest samples."""
        if not self.series or moment < self.series[0][0]:
            return None
        for (t0, c0), (t1, c1) in zip(self.series, self.series[1:], strict=False):
            if t0 <= moment <= t1:
                return c0 + (c1 - c0) * ((moment - t0) / (t1 - t0) if t1 > t0 else 0.0)
        return self.series[-1][1]

    def steady_ms(self, first: float | None, last: float | None, pages: int) -> float | None:
        """CPU ms per page between the first and the last page fetched: the crawl's steady
        state, without interpreter start, imports, the worker pool's start and the tail."""
        if first is None or last is None or pages < 2 or last <= first:
            return None
        a, b = self.cpu_at(first), self.cpu_at(last)
        if a is None or b is None:
            return None
        return (b - a) * 1000 / (pages - 1)

    @property
    def cpu_main(self) -> float:
        return self.cpu.get(self.pid, 0.0)

    @property
    def cpu_children(self) -> float:
        return sum(v for pid, v in self.cpu.items() if pid != self.pid)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        busy_end = machine_busy_seconds()
        elapsed = time.perf_counter() - self._start
        mine = time.process_time() - self._self_start
        self.bench_cores = mine / elapsed if elapsed > 0 else 0.0
        if self._busy_start is not None and busy_end is not None and elapsed > 0:
            tree = self.cpu_main + self.cpu_children
            rest = busy_end - self._busy_start - tree - mine
            self.others_cores = max(0.0, rest / elapsed)


# -- newswatch crawl -----------------------------------------------------------------------
def write_config(workdir: Path, store: str, site: Site) -> Path:
    feeds = "".join(f"      - {url}\n" for url in site.feed_urls())
    path = workdir / "bench.yaml"
    path.write_text(f"store: {json.dumps(store)}\nsources:\n  - name: bench\n    feeds:\n{feeds}")
    return path


def crawl_command(config: Path, workers: int | None, overrides: dict[str, str]) -> list[str]:
    if overrides:
        cmd = [sys.executable, str(REPO / "benchmarks" / "_crawl.py"), str(config)]
        cmd += [f"{k}={v}" for k, v in overrides.items()]
        if workers is not None:
            cmd.append(f"NEWSWATCH_EXTRACT_WORKERS={workers}")
        return cmd
    cmd = [sys.executable, "-m", "newswatch.cli", "crawl", "-c", str(config), "--json"]
    return cmd + (["--workers", str(workers)] if workers is not None else [])


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def run_crawl(
    store: str, site: Site, workdir: Path, workers: int | None, overrides: dict[str, str]
) -> dict[str, Any]:
    from newswatch.storage import open_store

    config = write_config(workdir, store, site)
    site.reset()
    cmd = crawl_command(config, workers, overrides)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
    with TreeSampler(proc.pid) as memory:
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    cpu = memory.cpu_main + memory.cpu_children
    if proc.returncode != 0:
        raise RuntimeError(
            f"crawl exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}"
        )
    summaries = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    db = open_store(store)
    try:
        db.flush()
        stored = db.count()
    finally:
        db.close()
    window = (
        site.last_article - site.first_article
        if site.first_article is not None and site.last_article is not None
        else None
    )
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "cpu_main_s": memory.cpu_main,
        "cpu_workers_s": memory.cpu_children,
        "articles_per_cpu_s": stored / cpu if cpu else None,
        # CPU per stored article: the figure to compare changes by on a shared machine
        "cpu_ms_per_article": cpu * 1000 / stored if stored else None,
        "cpu_main_ms_per_article": memory.cpu_main * 1000 / stored if stored else None,
        "cpu_workers_ms_per_article": memory.cpu_children * 1000 / stored if stored else None,
        "steady_cpu_ms_per_article": memory.steady_ms(
            site.first_article, site.last_article, site.article_requests
        ),
        "site_server_cores": memory.bench_cores,
        "other_load_cores": memory.others_cores,
        "articles": stored,
        "articles_per_s": stored / wall,
        "pages_fetched": site.article_requests,
        "fetch_window_s": window,
        "peak_rss_mb": memory.peak_rss / 2**20,
        "peak_pss_mb": memory.peak_pss / 2**20 if memory.peak_pss else None,
        "peak_processes": memory.peak_processes,
        "summary": summaries,
        "stderr_tail": err.decode(errors="replace").strip().splitlines()[-5:],
    }


def es_url(args: argparse.Namespace) -> str | None:
    if args.no_es:
        return None
    return (
        args.es
        or os.environ.get("NEWSWATCH_BENCH_ES_URL")
        or os.environ.get("NEWSWATCH_TEST_ES_URL")
    )


def es_reachable(url: str) -> str | None:
    """None when the node answers, else why not."""
    try:
        health = url.split("?", 1)[0].rstrip("/") + "/_cluster/health"
        with urllib.request.urlopen(health, timeout=5) as response:
            response.read()
        return None
    except (urllib.error.URLError, OSError) as exc:
        return str(exc)


def es_cleanup(url: str, index: str) -> None:
    """Delete the benchmark's index, the side indices the store made beside it (named
    `<index>-...`) and their templates: everything whose name starts with the random index."""
    from newswatch.storage import open_store

    store = open_store(f"{url}?index={index}")
    try:
        client = store._client  # type: ignore[attr-defined]
        for name in client.indices.get(index=f"{index}*", expand_wildcards="all"):
            client.options(ignore_status=404).indices.delete(index=name)
        templates = client.options(ignore_status=404).indices.get_index_template(name=f"{index}*")
        for template in templates.get("index_templates", []):
            client.options(ignore_status=404).indices.delete_index_template(name=template["name"])
    finally:
        store.close()


def run_store(
    kind: str, args: argparse.Namespace, site: Site, overrides: dict[str, str]
) -> dict[str, Any]:
    runs = []
    for _ in range(args.repeat):
        workdir = Path(tempfile.mkdtemp(prefix="newswatch-bench-"))
        index = None
        try:
            if kind == "sqlite":
                store = f"sqlite:///{workdir / 'bench.db'}"
            else:
                base = es_url(args)
                assert base is not None
                index = f"bench-{secrets.token_hex(4)}"
                store = f"{base.rstrip('/')}?index={index}"
            runs.append(run_crawl(store, site, workdir, args.workers, overrides))
        finally:
            if index is not None:
                es_cleanup(es_url(args).rstrip("/"), index)  # type: ignore[union-attr]
            if args.keep:
                print(f"kept {workdir}", file=sys.stderr)
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    return aggregate(runs)


def aggregate(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median over the runs of every numeric figure; the runs themselves under "runs"."""
    out: dict[str, Any] = {}
    for key, value in runs[0].items():
        if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
            values = [r[key] for r in runs if isinstance(r.get(key), int | float)]
            out[key] = statistics.median(values) if values else None
    out["runs"] = runs
    return out


# -- news-please (reference) ---------------------------------------------------------------
def reference_worker(count: int) -> int:
    """Runs in a subprocess: news-please over the same pages, one process; prints JSON."""
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    from newsplease import NewsPlease

    pages = load_pages(shared_data_dir())
    base_url = "http://127.0.0.1:8000"
    htmls = [page_copy(pages, n, base_url).decode("utf-8", "replace") for n in range(count)]
    articles = errors = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for n, html in enumerate(htmls):
        try:
            result = NewsPlease.from_html(html, url=f"{base_url}/p/{n}.html", fetch_images=False)
        except Exception:  # noqa: BLE001 - count and go on, as a crawl would
            errors += 1
            continue
        articles += bool(result is not None and (result.maintext or "").strip())
    wall = time.perf_counter() - start
    print(
        json.dumps(
            {
                "pages": count,
                "articles": articles,
                "errors": errors,
                "wall_s": wall,
                "cpu_s": time.process_time() - cpu_start,
            }
        )
    )
    return 0


def run_reference(args: argparse.Namespace) -> dict[str, Any]:
    runs = []
    for _ in range(args.repeat):
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--reference-worker",
            "--pages",
            str(args.pages),
        ]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env()
        )
        with TreeSampler(proc.pid) as memory:
            out, err = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"news-please run failed: {err.decode(errors='replace')[-2000:]}")
        result = json.loads(out.decode().strip().splitlines()[-1])
        result["articles_per_s"] = result["articles"] / result["wall_s"]
        result["pages_per_s"] = result["pages"] / result["wall_s"]
        result["peak_rss_mb"] = memory.peak_rss / 2**20
        result["articles_per_cpu_s"] = result["articles"] / result["cpu_s"]
        result["cpu_ms_per_article"] = (
            result["cpu_s"] * 1000 / result["articles"] if result["articles"] else None
        )
        result["other_load_cores"] = memory.others_cores
        result["peak_pss_mb"] = memory.peak_pss / 2**20 if memory.peak_pss else None
        runs.append(result)
    return aggregate(runs)


# -- profile -------------------------------------------------------------------------------
def run_profile(site: Site, top: int, workers: int = 0) -> str:
    """cProfile of a crawl (a child process) with extraction inline (workers=0: the whole
    pipeline on the one thread the profiler sees), or with N workers (then the profile is the
    crawl process alone: Scrapy, the pipelines and the store, and waiting for the workers)."""
    workdir = Path(tempfile.mkdtemp(prefix="newswatch-bench-prof-"))
    try:
        config = write_config(workdir, f"sqlite:///{workdir / 'bench.db'}", site)
        prof = workdir / "crawl.prof"
        cmd = [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(prof),
            "-m",
            "newswatch.cli",
            "crawl",
            "-c",
            str(config),
            "--json",
            "--workers",
            str(workers),
        ]
        site.reset()
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=child_env())
        wall = time.perf_counter() - start
        text = io.StringIO()
        stats = pstats.Stats(str(prof), stream=text)
        text.write(
            f"crawl (workers={workers}) under cProfile: {wall:.1f} s wall, "
            f"{site.article_requests} pages\n"
        )
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)
        return text.getvalue()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# -- report --------------------------------------------------------------------------------
def _fmt(value: Any, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def run_floor(site: Site) -> dict[str, Any]:
    """Scrapy alone (`_scrapy_floor.py`: the same feeds and fetch settings, no extraction,
    pipelines or store) in a subprocess measured like the crawl: what fetching costs."""
    site.reset()
    cmd = [sys.executable, str(REPO / "benchmarks" / "_scrapy_floor.py"), *site.feed_urls()]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
    with TreeSampler(proc.pid) as memory:
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(
            f"Scrapy alone exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}"
        )
    pages = json.loads(out.decode().strip().splitlines()[-1])["pages"]
    cpu = memory.cpu_main + memory.cpu_children
    return {
        "pages": pages,
        "steady_cpu_ms_per_page": memory.steady_ms(
            site.first_article, site.last_article, site.article_requests
        ),
        "wall_s": wall,
        "cpu_s": cpu,
        "cpu_ms_per_page": cpu * 1000 / pages if pages else None,
        "other_load_cores": memory.others_cores,
    }


PACKAGES = ("scrapy", "trafilatura", "lxml", "htmldate", "dateparser", "numpy",
            "datasketch", "elasticsearch", "news-please")  # fmt: skip


def environment() -> dict[str, Any]:
    """What the figures depend on: CPU model, Python and the versions of the packages doing
    the work (a fresh install with other versions gives other figures: requirements.txt
    pins the ones CI tests)."""
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "python": platform.python_version(),
            "packages": versions(*PACKAGES)}  # fmt: skip


def trafilatura_alone(pages: list[bytes]) -> dict[str, Any]:
    """`trafilatura.bare_extraction` alone over the distinct real pages, in this process:
    CPU ms per page, the floor of what extraction in newswatch can cost."""
    import trafilatura

    texts = [page.decode("utf-8", "replace") for page in pages]
    for html in texts[:5]:  # warm the imports and caches
        trafilatura.bare_extraction(html)
    began = time.process_time()
    for html in texts:
        trafilatura.bare_extraction(html)
    cpu = time.process_time() - began
    return {"pages": len(texts), "cpu_s": cpu, "cpu_ms_per_page": cpu * 1000 / len(texts)}


def print_table(report: dict[str, Any]) -> None:
    env = report["environment"]
    print(
        f"# cpu: {env['cpu']} ({env['cores']} cores) | python {env['python']} | "
        + " | ".join(f"{k} {v}" for k, v in env["packages"].items() if v)
    )
    print(
        f"crawl throughput: {report['pages']} pages ({report['distinct_pages']} distinct real "
        f"pages), {report['feeds']} RSS feeds, {report['cores']} cores, "
        f"median of {report['repeat']} run(s)"
    )
    if report["overrides"]:
        print(
            f"NOTE: politeness overridden via --set: {report['overrides']} (runs through "
            "benchmarks/_crawl.py)"
        )
    head = (
        f"{'run':<26} {'articles':>8} {'wall s':>7} {'articles/s':>10} {'CPU s':>7} "
        f"{'CPU ms/art':>10} {'art/CPU-s':>9} {'peak RSS MB':>11} {'peak PSS MB':>11} "
        f"{'other load':>10}"
    )
    print(head)
    print("-" * len(head))
    rows = report["results"]
    for name, label in (
        ("sqlite", "newswatch -> SQLite"),
        ("elasticsearch", "newswatch -> Elasticsearch"),
        ("news-please", "news-please (1 process)"),
    ):
        r = rows.get(name)
        if r is None:
            print(f"{label:<26} skipped: {report['skipped'].get(name, 'not run')}")
            continue
        print(
            f"{label:<26} {r['articles']:>8.0f} {r['wall_s']:>7.1f} {r['articles_per_s']:>10.1f} "
            f"{_fmt(r['cpu_s']):>7} {_fmt(r.get('cpu_ms_per_article')):>10} "
            f"{_fmt(r.get('articles_per_cpu_s')):>9} "
            f"{_fmt(r['peak_rss_mb'], '.0f'):>11} {_fmt(r['peak_pss_mb'], '.0f'):>11} "
            f"{_fmt(r.get('other_load_cores'), '.2f'):>10}"
        )
    print(
        "CPU s: the crawl process and its descendants (news-please: its own process); CPU "
        "ms/art: that per stored article; other load: cores busy outside them (other jobs on "
        "the machine, not this script)"
    )
    for name in ("sqlite", "elasticsearch"):
        r = rows.get(name)
        if not r:
            continue
        fetched, window = r["pages_fetched"], r["fetch_window_s"]
        print(
            f"{name}: {fetched:.0f} pages fetched, first to last in {_fmt(window)} s "
            f"({_fmt(fetched / window if window else None)} pages/s while fetching); CPU "
            f"{_fmt(r['cpu_main_s'])} s ({_fmt(r.get('cpu_main_ms_per_article'))} ms/article) in "
            f"the crawl process (Scrapy, pipelines, store), {_fmt(r['cpu_workers_s'])} s "
            f"({_fmt(r.get('cpu_workers_ms_per_article'))} ms/article) in extraction workers; "
            f"site server used {_fmt(r['site_server_cores'], '.2f')} cores"
        )
    floor = rows.get("scrapy-alone")
    if floor:
        print(
            f"Scrapy alone (same feeds and fetch settings, nothing kept): {floor['pages']} pages "
            f"in {floor['wall_s']:.1f} s, CPU {floor['cpu_s']:.1f} s = "
            f"{_fmt(floor['cpu_ms_per_page'])} ms per page (other load "
            f"{_fmt(floor['other_load_cores'], '.2f')} cores)"
        )
    print()
    for name, value in report["ratios"].items():
        print(f"{name:<44} {value:.2f}x")
    for line in report["verdicts"]:
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages (default 2000)")
    parser.add_argument("--feeds", type=int, default=10, help="RSS feeds listing them (10)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians (1)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="`newswatch crawl --workers` (default: its own, one per core)",
    )
    parser.add_argument(
        "--es", help="Elasticsearch URL (default $NEWSWATCH_BENCH_ES_URL or $NEWSWATCH_TEST_ES_URL)"
    )
    parser.add_argument("--no-es", action="store_true", help="skip Elasticsearch")
    parser.add_argument("--no-reference", action="store_true", help="skip news-please")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a Scrapy setting (politeness what-ifs); see the docstring",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile a crawl with cProfile (see --profile-workers)",
    )
    parser.add_argument(
        "--profile-workers",
        type=int,
        default=0,
        help="extraction workers in the profiled crawl (default 0: all inline, one thread)",
    )
    parser.add_argument("--profile-top", type=int, default=30, help="functions listed (30)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--reference-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.repeat = max(1, args.repeat)

    data = shared_data_dir()
    if not (data / FUNDUS / "manifest.jsonl").is_file() or not (data / AEB / "html").is_dir():
        print(
            f"shared data not found at {data}: throughput benchmark skipped "
            "(set NEWSWATCH_SHARED_DATA to the folder holding it)"
        )
        return 0
    if args.reference_worker:
        return reference_worker(args.pages)
    overrides = dict(item.split("=", 1) for item in args.set)

    pages = load_pages(data)
    log = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))
    results: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    profile = None
    with Site(pages, args.pages, args.feeds) as site:
        log(f"site: {site.base_url}, {args.pages} pages, {site.feeds} feeds")
        log("crawling into SQLite ...")
        results["sqlite"] = run_store("sqlite", args, site, overrides)
        url = es_url(args)
        if url is None:
            skipped["elasticsearch"] = (
                "no URL (--es, $NEWSWATCH_BENCH_ES_URL, "
                "$NEWSWATCH_TEST_ES_URL); start one with "
                "`bash scripts/elasticsearch.sh start`"
            )
        elif (why := es_reachable(url)) is not None:
            skipped["elasticsearch"] = f"{url} not reachable: {why}"
        else:
            log("crawling into Elasticsearch ...")
            results["elasticsearch"] = run_store("elasticsearch", args, site, overrides)
        log("Scrapy alone (fetch only, same settings) ...")
        results["scrapy-alone"] = run_floor(site)
        if args.profile:
            log(f"profiling a crawl (workers={args.profile_workers}) ...")
            profile = run_profile(site, args.profile_top, args.profile_workers)
    if "elasticsearch" in skipped:
        log(f"Elasticsearch skipped: {skipped['elasticsearch']}")
    if args.no_reference:
        skipped["news-please"] = "--no-reference"
    else:
        try:
            import newsplease  # noqa: F401
        except ImportError:
            skipped["news-please"] = "not installed (pip install -e '.[bench]')"
        else:
            log("news-please over the same pages ...")
            results["news-please"] = run_reference(args)

    log("trafilatura.bare_extraction alone over the distinct pages ...")
    results["trafilatura"] = trafilatura_alone(pages[: args.pages])

    ratios: dict[str, float] = {}
    reference = results.get("news-please")
    for name in ("sqlite", "elasticsearch"):
        if name in results and reference and reference["articles_per_s"]:
            ratios[f"newswatch->{name} / news-please articles/s"] = (
                results[name]["articles_per_s"] / reference["articles_per_s"]
            )
            ratios[f"newswatch->{name} / news-please peak RSS"] = (
                results[name]["peak_rss_mb"] / reference["peak_rss_mb"]
            )
    verdicts = []
    if "sqlite" in results:
        rate = results["sqlite"]["articles_per_s"]
        verdicts.append(
            f"target >= {TARGET_ARTICLES_PER_S:.0f} articles/s into SQLite: "
            f"{rate:.1f} -> {'MET' if rate >= TARGET_ARTICLES_PER_S else 'NOT MET'}"
        )
        other = results["sqlite"].get("other_load_cores") or 0.0
        if other > 0.25:
            verdicts.append(
                f"  (other jobs kept {other:.2f} of {os.cpu_count()} cores busy during that run: "
                "the figure is low; rerun on a quiet machine)"
            )
        per_cpu = results["sqlite"].get("articles_per_cpu_s")
        if per_cpu:
            ceiling = per_cpu * (os.cpu_count() or 1)
            verdicts.append(
                f"  CPU ceiling with all {os.cpu_count()} cores free: {per_cpu:.1f} articles per "
                f"CPU-second x {os.cpu_count()} = {ceiling:.0f} articles/s (startup included)"
            )
    key = "newswatch->sqlite / news-please articles/s"
    if key in ratios:
        verdicts.append(
            f"target >= {TARGET_RATIO:.0f}x news-please: {ratios[key]:.1f}x -> "
            f"{'MET' if ratios[key] >= TARGET_RATIO else 'NOT MET'}"
        )
        per_cpu_ratio = (results["sqlite"].get("articles_per_cpu_s") or 0) / (
            reference.get("articles_per_cpu_s") or float("inf")  # type: ignore[union-attr]
        )
        verdicts.append(f"  per CPU-second (both using the same CPU): {per_cpu_ratio:.1f}x")
    alone = results.get("trafilatura")
    if alone and "sqlite" in results and results["sqlite"].get("cpu_ms_per_article"):
        ratio = results["sqlite"]["cpu_ms_per_article"] / alone["cpu_ms_per_page"]
        met = "MET" if ratio <= TARGET_TRAFILATURA else "NOT MET"
        ratios["newswatch->sqlite CPU ms per article / trafilatura alone CPU ms per page"] = ratio
        verdicts.append(
            f"CPU per article {results['sqlite']['cpu_ms_per_article']:.1f} ms (crawl process "
            f"+ workers, everything included) vs trafilatura.bare_extraction alone "
            f"{alone['cpu_ms_per_page']:.1f} ms per page: {ratio:.2f}x "
            f"(target <= {TARGET_TRAFILATURA:.1f}x: {met})"
        )
    floor = results.get("scrapy-alone")
    if alone and floor and floor.get("cpu_ms_per_page") and "sqlite" in results:
        fetch, extract = floor["cpu_ms_per_page"], alone["cpu_ms_per_page"]
        best = (fetch + extract) / extract
        ratios["Scrapy alone + trafilatura alone / trafilatura alone"] = best
        rest = (results["sqlite"].get("cpu_ms_per_article") or 0) - fetch - extract
        verdicts.append(
            f"  Scrapy alone fetching the same pages: {fetch:.1f} ms per page; with "
            f"bare_extraction that is {fetch + extract:.1f} ms, {best:.2f}x, the least any "
            f"Scrapy crawl that extracts with trafilatura can reach here; newswatch spends "
            f"{rest:.1f} ms per article beyond both (dates, statements, dedupe, store)"
        )
    steady = (results.get("sqlite") or {}).get("steady_cpu_ms_per_article")
    if alone and steady:
        floor_steady = (floor or {}).get("steady_cpu_ms_per_page")
        ratio = steady / alone["cpu_ms_per_page"]
        ratios["steady state: newswatch CPU ms per article / trafilatura alone"] = ratio
        verdicts.append(
            f"  steady state (first to last page fetched, no start-up or tail): newswatch "
            f"{steady:.1f} ms per article, {ratio:.2f}x trafilatura alone"
            + (f"; Scrapy alone {floor_steady:.1f} ms per page" if floor_steady else "")
        )
    report = {
        "benchmark": "throughput",
        "environment": environment(),
        "date": time.strftime("%Y-%m-%d"),
        "cores": os.cpu_count(),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "pages": args.pages,
        "distinct_pages": min(len(pages), args.pages),
        "feeds": min(args.feeds, args.pages),
        "repeat": args.repeat,
        "workers": args.workers,
        "overrides": overrides,
        "memory_sampler": "psutil" if psutil is not None else "/proc",
        "results": results,
        "skipped": skipped,
        "ratios": ratios,
        "verdicts": verdicts,
        "profile": profile,
    }
    if args.json:
        print(json.dumps(report))
    else:
        print_table(report)
        if profile:
            print("\n" + profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
