"""Fault campaign: `newswatch run` on Elasticsearch while a site publishes, with the monitor
SIGKILLed at random moments, Elasticsearch stopped for a minute, and SMTP and the Slack
webhook failing for a minute. Nothing may be lost and nothing repeated.

Timeline (seconds from the start; `--scale` stretches it):
  0 ..  publish  a new article every ~4 s on one of four publishers (half on the topic)
  every ~12 s    SIGKILL the monitor (with `--workers N`: one of the N monitors of a pool, at
                 random) at a random moment (crawling or delivering) and restart it
  120 .. 180     Elasticsearch stopped (scripts/elasticsearch.sh stop), then started again
  240 .. 300     SMTP answers 451 and the webhook 500 to everything
  360            publishing stops; the monitor runs on undisturbed until every alert is out

Printed: articles published vs stored (and duplicates), alerts expected vs delivered per
channel (and duplicates: for email, also resends with the same Message-ID, which mail
clients drop), the number of SIGKILLs, and the processes of the killed monitors (their
extraction workers and forkservers, read from /proc before each kill) still running at the
end. Needs the local Elasticsearch of scripts/elasticsearch.sh (it is stopped and started:
do not run it beside the test suite).

    python benchmarks/faults.py                # the full campaign (about 8 minutes)
    python benchmarks/faults.py --scale 0.5    # a shorter one
    python benchmarks/faults.py --workers 3    # three monitors of one pool, one killed at a time
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from benchmarks._procs import descendants, running  # noqa: E402
from benchmarks.latency import free_port  # noqa: E402
from newswatch.demo.site import NewsSite, Publisher, config_yaml  # noqa: E402
from tests.site.stream import off_topic, on_topic  # noqa: E402

PUBLISHERS = ("alpha", "bravo", "charlie", "delta")
ES_SCRIPT = ROOT / "scripts" / "elasticsearch.sh"


class Outage:
    """A switch both fake-failing servers read."""

    def __init__(self) -> None:
        self.on = False


class FlakyInbox:
    def __init__(self, outage: Outage) -> None:
        self.outage = outage
        self.messages: list[tuple[str, str]] = []  # (subject, Message-ID)
        self.refused = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.outage.on:
            self.refused += 1
            return "451 4.3.0 mail system unavailable, try later"
        message = message_from_bytes(envelope.content)
        self.messages.append((str(message["Subject"]), str(message["Message-ID"])))
        return "250 OK"


class FlakyWebhook:
    def __init__(self, outage: Outage) -> None:
        self.posts: list[str] = []
        self.refused = 0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                failing = outage.on
                if failing:
                    hook.refused += 1
                else:
                    hook.posts.append(body.decode("utf-8", "replace"))
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T/B/x"


def es(command: str) -> str:
    done = subprocess.run(["bash", str(ES_SCRIPT), command], capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def campaign(scale: float, seed: int, workers: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    es_url = es("url") or "http://127.0.0.1:9200"
    if subprocess.run(["bash", str(ES_SCRIPT), "status"], capture_output=True).returncode:
        es_url = es("start")
    index = f"newswatch-faults-{uuid.uuid4().hex[:8]}"
    outage = Outage()
    inbox = FlakyInbox(outage)
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port(), ready_timeout=60)
    smtp.start()
    hook = FlakyWebhook(outage)
    site = NewsSite([Publisher(n, "en", "UTC") for n in PUBLISHERS]).start()
    published: list[tuple[str, bool]] = []
    stop_publishing = threading.Event()

    def publish() -> None:
        n = 0
        while not stop_publishing.wait(rng.uniform(2, 6)):
            n += 1
            tracked = n % 2 == 0
            site.publish((on_topic if tracked else off_topic)(rng.choice(PUBLISHERS), 7000 + n))
            published.append((f"update {7000 + n} " if tracked else f"news {7000 + n}:", tracked))

    kills = 0
    with tempfile.TemporaryDirectory(prefix="newswatch-faults-") as tmp:
        config = Path(tmp) / "newswatch.yaml"
        text = config_yaml(site, f"{es_url}?index={index}")
        text = text.replace("    language: en\n", "    language: en\n    every: 5s\n")
        text += f"""
topics:
  - name: nk
    query: '"North Korea" AND troops'
notifiers:
  desk: {{type: email, smtp: "smtp://127.0.0.1:{smtp.port}", from: a@example.org,
         to: [b@example.org], retry_seconds: 2, max_attempts: 50}}
  slack: {{type: slack, webhook_url: "{hook.url}", retry_seconds: 2, max_attempts: 50}}
"""
        config.write_text(text, encoding="utf-8")
        log = Path(tmp) / "run.log"

        def start() -> subprocess.Popen[bytes]:
            with log.open("a") as out:
                return subprocess.Popen(
                    [sys.executable, "-m", "newswatch", "run", "-c", str(config)],
                    stdout=out,
                    stderr=out,
                )

        procs = [start() for _ in range(workers)]
        orphans_watched: set[int] = set()
        threading.Thread(target=publish, daemon=True).start()
        t0 = time.monotonic()
        phase = {"es_down": False, "es_up": False, "out_on": False, "out_off": False}
        next_kill = t0 + rng.uniform(6, 18) * scale
        try:
            while (now := time.monotonic() - t0) < 360 * scale:
                if not phase["es_down"] and now >= 120 * scale:
                    phase["es_down"] = True
                    es("stop")
                    print(f"  {now:5.0f} s: Elasticsearch stopped", file=sys.stderr)
                if not phase["es_up"] and now >= 180 * scale:
                    phase["es_up"] = True
                    es("start")
                    print(f"  {now:5.0f} s: Elasticsearch started", file=sys.stderr)
                if not phase["out_on"] and now >= 240 * scale:
                    phase["out_on"] = outage.on = True
                    print(f"  {now:5.0f} s: SMTP and webhook failing", file=sys.stderr)
                if not phase["out_off"] and now >= 300 * scale:
                    phase["out_off"] = True
                    outage.on = False
                    print(f"  {now:5.0f} s: SMTP and webhook back", file=sys.stderr)
                if time.monotonic() >= next_kill:
                    victim = rng.randrange(len(procs))
                    orphans_watched |= descendants(procs[victim].pid)
                    procs[victim].send_signal(signal.SIGKILL)
                    procs[victim].wait()
                    kills += 1
                    procs[victim] = start()
                    next_kill = time.monotonic() + rng.uniform(6, 18) * scale
                time.sleep(0.2)
            stop_publishing.set()
            print(f"  publishing stopped after {len(published)} articles; {kills} SIGKILLs; "
                  "settling", file=sys.stderr)  # fmt: skip
            expected = sum(1 for _, tracked in published if tracked)
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                if len({s for s, _ in inbox.messages}) >= expected and len(hook.posts) >= expected:
                    break
                time.sleep(1)
            time.sleep(10)  # anything more that would arrive (a repeat) arrives now
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                proc.wait(timeout=120)
        time.sleep(5)  # the killed monitors' workers had time to notice
        orphans = sorted(pid for pid in orphans_watched if running(pid))
        export = subprocess.run(
            [sys.executable, "-m", "newswatch", "export", "-c", str(config)],
            capture_output=True,
            text=True,
        )
        stored = [json.loads(line) for line in export.stdout.splitlines() if line]
    site.close()
    smtp.stop()
    hook.server.shutdown()
    _drop(es_url, index)

    tracked_keys = [key for key, tracked in published if tracked]
    titles = [r["title"] for r in stored]
    subjects = [s for s, _ in inbox.messages]
    return {
        "workers": workers,
        "sigkills": kills,
        "processes_of_killed_monitors": len(orphans_watched),
        "left_running": len(orphans),
        "published": len(published),
        "stored": sum(1 for key, _ in published if any(key in t for t in titles)),
        "stored_duplicates": len(stored) - len({r["url"] for r in stored}),
        "alerts_expected": len(tracked_keys),
        "email_delivered": sum(1 for k in tracked_keys if any(k in s for s in subjects)),
        "email_duplicates": len(subjects) - len(set(subjects)),
        "email_duplicates_same_message_id": len(inbox.messages) - len(set(inbox.messages)),
        "email_refused_during_outage": inbox.refused,
        "slack_delivered": sum(1 for k in tracked_keys if any(k in p for p in hook.posts)),
        "slack_duplicates": sum(
            max(0, sum(1 for p in hook.posts if k in p) - 1) for k in tracked_keys
        ),
        "slack_refused_during_outage": hook.refused,
    }


def _drop(es_url: str, index: str) -> None:
    from newswatch.storage.elasticsearch import ElasticsearchStore

    store = ElasticsearchStore.from_url(f"{es_url}?index={index}")
    try:
        store.drop()  # its monthly indices, side indices and template
    except Exception as exc:  # cleanup only: say so and go on
        print(f"  could not delete the indices of {index}: {exc}", file=sys.stderr)
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="stretch the timeline")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--workers", type=int, default=1, help="monitors of one pool")
    args = parser.parse_args()
    r = campaign(args.scale, args.seed, args.workers)
    if args.json:
        print(json.dumps(r))
        return 0
    print(f"fault campaign: {r['workers']} worker(s), {r['sigkills']} SIGKILLs, "
          "Elasticsearch down 60 s, SMTP and webhook down 60 s")  # fmt: skip
    print(f"  processes of the killed monitors: {r['processes_of_killed_monitors']} seen, "
          f"{r['left_running']} left running")  # fmt: skip
    print(f"  articles: {r['published']} published, {r['stored']} stored, "
          f"{r['stored_duplicates']} duplicates")  # fmt: skip
    print(f"  email: {r['alerts_expected']} expected, {r['email_delivered']} delivered, "
          f"{r['email_duplicates']} duplicates ({r['email_duplicates_same_message_id']} with "
          f"the same Message-ID); {r['email_refused_during_outage']} refused in the outage")
    print(f"  slack: {r['alerts_expected']} expected, {r['slack_delivered']} delivered, "
          f"{r['slack_duplicates']} duplicates; {r['slack_refused_during_outage']} refused "
          "in the outage")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
