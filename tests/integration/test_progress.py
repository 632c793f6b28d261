"""`newswatch crawl` shows its progress on one updating line on a terminal (a real pty), and
prints nothing of it when stderr is a pipe or with --json."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from newswatch.demo.content import demo_site
from newswatch.demo.site import config_yaml
from newswatch.scheduler.progress import progress_line


def _crawl_on_a_terminal(config: Path) -> tuple[int, str]:
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newswatch", "crawl", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=60)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return code, seen.decode("utf-8", "replace")


def test_progress_on_a_terminal_and_nothing_in_a_pipe(tmp_path: Path) -> None:
    with demo_site() as site:
        config = tmp_path / "newswatch.yaml"
        config.write_text(config_yaml(site, f"sqlite:///{tmp_path}/n.db"), encoding="utf-8")
        code, terminal = _crawl_on_a_terminal(config)
        assert code == 0, terminal
        assert "\rcrawling: " in terminal, terminal
        assert "sources done" in terminal and "new articles" in terminal
        assert terminal.rstrip(" ").endswith("\r"), "the line is cleared before the summary"

        piped = subprocess.run(
            [sys.executable, "-m", "newswatch", "crawl", "-c", str(config)],
            capture_output=True,
            text=True,
            timeout=240,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        assert piped.returncode == 0, piped.stderr
        assert "crawling:" not in piped.stderr and "crawling:" not in piped.stdout


def test_progress_line_counts() -> None:
    stats = [
        {"finish_reason": "finished", "discovery/read": 2, "response_received_count": 9,
         "store/new": 6, "errors/http_500": 1},
        {"discovery/not_modified": 1, "response_received_count": 3, "store/new": 2,
         "discovery/damaged": 1},
    ]  # fmt: skip
    line = progress_line(stats, 4.0)
    assert line == (
        "crawling: 1/2 sources done, 3 feeds/sitemaps/listings read, 12 pages, "
        "8 new articles (2.0/s), 2 errors"
    )
