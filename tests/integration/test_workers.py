"""Extraction workers die with the process that crawls: a SIGKILLed crawl (or monitor) leaves
no worker and no forkserver running. A real process pool in a real child process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import asyncio, sys, time
from newswatch.crawler import workers

async def main():
    pool = workers.ExtractorPool(2)
    html = "<html><body><article><h1>Title</h1><p>" + "word " * 300 + "</p></article></body></html>"
    await asyncio.gather(*(pool.extract(html, f"https://x.example/news/a-{n}") for n in range(4)))
    executor = workers._shared[2]
    print(" ".join(str(pid) for pid in executor._processes), flush=True)
    time.sleep(600)

asyncio.run(main())
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "\nState:\tZ" not in state


def _parent(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("\nPPid:\t", 1)[1].split("\n", 1)[0])


def test_workers_exit_when_the_crawling_process_is_killed() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        pids = [int(p) for p in line.split()]
        assert len(pids) == 2, f"no workers reported: {line!r}"
        assert all(_running(pid) for pid in pids)
        # the workers' parent: the forkserver (also the crawl's, and to go with it)
        servers = {_parent(pid) for pid in pids} - {child.pid}
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        deadline = time.monotonic() + 15  # the workers look every second
        while time.monotonic() < deadline and any(_running(p) for p in [*pids, *servers]):
            time.sleep(0.2)
        left = [pid for pid in [*pids, *servers] if _running(pid)]
        assert not left, f"processes of the killed crawl still running: {left}"
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout:
            child.stdout.close()
