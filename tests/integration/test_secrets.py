"""Secrets in the config never reach the terminal, the logs or the files newswatch writes.

A config carries every kind of secret the README allows, through `${ENV}`: the basic-auth
password and an API key in the Elasticsearch store URL, the SMTP password in the smtp URL
and the Slack webhook URL (its path is the secret). Every command that prints anything runs
as a real `newswatch` process against the real Elasticsearch, a real SMTP server and a
webhook receiver that fails (so that delivery errors are logged and kept in the ledger), with
DEBUG logs (`-vv`) where a command has them; config mistakes and an unreachable store are
run too. No secret may appear in stdout, stderr or any file the commands wrote.

To cover another command (e.g. `status` once it exists everywhere), add it to
`COMMANDS` - `assert_no_secret_printed` does the rest.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newswatch.demo.site import NewsSite, Publisher, SiteArticle
from tests.cli import drop_es_store, es_store_url
from tests.servers import Receiver, SMTPServer, free_port

# Distinctive values: any occurrence in output is a leak, never a coincidence.
ES_PASSWORD = "EsPw-9c41d7e2b8q"
ES_API_KEY = "EsApiKey-5b2e8f01aaZ"
SMTP_PASSWORD = "SmtpPw-3e77c1f0d4x"
SLACK_TOKEN = "SlackTok-a81f5c92e0k"
LITERAL_PASSWORD = "Literal-Pw-77aa"  # written in the config itself, not through ${ENV}
SECRETS = (ES_PASSWORD, ES_API_KEY, SMTP_PASSWORD, SLACK_TOKEN, LITERAL_PASSWORD)
ENV = {
    "NW_ES_PASSWORD": ES_PASSWORD,
    "NW_ES_API_KEY": ES_API_KEY,
    "NW_SMTP_PASSWORD": SMTP_PASSWORD,
}

# Commands run after one crawl, each with -c CONFIG appended. Extend here (e.g. "status").
COMMANDS: list[tuple[str, ...]] = [
    ("alerts",),
    ("alerts", "--json"),
    ("notify", "-vv"),
    ("notify", "--json"),
    ("setup",),
    ("setup", "--json"),
    ("status",),
    ("status", "--json"),
    ("topics", "test", "ferry"),
    ("export", "--json"),
]

NOW = datetime.now(UTC).replace(microsecond=0)
PUBLISHER = Publisher("secretpost", "en", "Europe/London", title="Secret Post")
TEXT = (
    "The new ferry between the two islands carried its first passengers on {day}, after a "
    "decade of planning and two years of delays at the shipyard. “We finally have a reliable "
    "link to the mainland,” said Maria Jensen, the mayor of the smaller island. The operator "
    "expects more than four hundred thousand passengers a year and plans a second vessel."
)


def articles() -> list[SiteArticle]:
    return [
        SiteArticle(
            publisher="secretpost",
            slug=f"island-ferry-{n}",
            title=f"Island ferry carries first passengers ({n})",
            body="\n\n".join(TEXT.format(day=day) for day in ("Monday", "Tuesday", "Friday")),
            language="en",
            published_at=NOW - timedelta(hours=n),
        )
        for n in (1, 2)
    ]


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    import os
    import sys

    return subprocess.run(
        [sys.executable, "-m", "newswatch.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **env},
    )


def assert_no_secret_printed(proc: subprocess.CompletedProcess[str], what: str) -> None:
    """The helper every case uses: no secret (nor its URL-encoded form) in the output."""
    from urllib.parse import quote

    for secret in SECRETS:
        for form in {secret, quote(secret, safe="")}:
            for stream, text in (("stdout", proc.stdout), ("stderr", proc.stderr)):
                assert form not in text, f"{what}: secret leaked on {stream}:\n{text[-3000:]}"


def assert_no_secret_in_files(folder: Path, skip: set[Path]) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and path not in skip:
            data = path.read_bytes()
            for secret in SECRETS:
                assert secret.encode() not in data, f"secret written to {path}"


def config_text(store: str, feed: str, smtp_port: int, slack_env: str = "${NW_SLACK_URL}") -> str:
    return f"""store: "{store}"
sources:
  - name: secretpost
    feeds: ["{feed}"]
topics:
  - name: ferry
    query: ferry
    alert_on: [article, statement]
    notify: [desk, room]
notifiers:
  desk:
    type: email
    smtp: "smtp://watch:${{NW_SMTP_PASSWORD}}@127.0.0.1:{smtp_port}"
    from: watch@example.org
    to: [desk@example.org]
    retry_seconds: 1
  room:
    type: slack
    webhook_url: "{slack_env}"
    retry_seconds: 1
"""


@pytest.fixture(scope="module")
def world(es_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("secrets")
    receiver = Receiver(fail=10_000, path=f"/services/T0/B0/{SLACK_TOKEN}")
    smtp = SMTPServer().start()  # offers no AUTH: logging in with the password fails
    plain_store = es_store_url(es_url, "newswatch-secrets")
    parts = urlsplit(plain_store)
    store = f"{parts.scheme}://watch:${{NW_ES_PASSWORD}}@{parts.netloc}{parts.path}?{parts.query}"
    env = {**ENV, "NW_SLACK_URL": receiver.url}
    with NewsSite([PUBLISHER], articles()) as site:
        config = folder / "newswatch.yaml"
        config.write_text(
            config_text(store, site.feed_urls("secretpost")[0], smtp.port), encoding="utf-8"
        )
        crawl = run_cli("crawl", "-c", str(config), "-vv", "--workers", "0", env=env)
        yield {"folder": folder, "config": config, "env": env, "crawl": crawl,
               "receiver": receiver, "smtp": smtp, "es_url": es_url}  # fmt: skip
    smtp.stop()
    receiver.close()
    drop_es_store(es_url, plain_store)


@pytest.mark.elasticsearch
def test_crawl_with_debug_logs_prints_no_secret(world: dict[str, Any]) -> None:
    crawl = world["crawl"]
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    # The run did what leaks are made of: DEBUG lines, a store written, deliveries failed.
    assert "DEBUG" in crawl.stderr
    assert world["receiver"].failed >= 1
    assert "alerts: 0 sent" in crawl.stdout
    assert_no_secret_printed(crawl, "crawl -vv")


@pytest.mark.elasticsearch
def test_commands_print_no_secret(world: dict[str, Any]) -> None:
    help_text = run_cli("--help", env={}).stdout
    commands = [c for c in COMMANDS if c[0] in help_text]
    assert ("alerts",) in commands and ("setup",) in commands

    def one(command: tuple[str, ...]) -> tuple[tuple[str, ...], subprocess.CompletedProcess]:
        head, rest = command[:1], command[1:]
        if command[:2] == ("topics", "test"):
            head, rest = command[:3], command[3:]
        args = (*head, "-c", str(world["config"]), *rest)
        return command, run_cli(*args, env=world["env"])

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, commands))
    for command, proc in results:
        assert proc.returncode == 0, f"{command}: {proc.stderr[-2000:]}"
        assert_no_secret_printed(proc, " ".join(command))
    alerts = dict(results)[("alerts", "--json")]
    recorded = [json.loads(line) for line in alerts.stdout.splitlines()]
    errors = [d.get("last_error") for a in recorded for d in a["deliveries"].values()]
    assert any(errors), "the deliveries should have failed and kept their error"
    assert_no_secret_in_files(world["folder"], skip={world["config"]})


CONFIG_MISTAKES = {
    "store scheme": 'store: "ftp://watch:${NW_ES_PASSWORD}@127.0.0.1/db"\n'
    "sources: [{name: a, feeds: [http://127.0.0.1:9/feed]}]\n",
    "feed URL": "sources: [{name: a, feeds: ['ftp://127.0.0.1/${NW_SMTP_PASSWORD}/feed']}]\n",
    "interval": "sources: [{name: a, feeds: [http://127.0.0.1:9/f], every: '${NW_ES_API_KEY}'}]\n",
    "timezone": "sources: [{name: a, feeds: [http://127.0.0.1:9/f], "
    "timezone: '${NW_ES_PASSWORD}'}]\n",
    "literal password": 'store: "ftp://watch:Literal-Pw-77aa@127.0.0.1/db"\n'
    "sources: [{name: a, feeds: [http://127.0.0.1:9/f]}]\n",
    "notifier type": "sources: [{name: a, feeds: [http://127.0.0.1:9/f]}]\n"
    "notifiers: {x: {type: '${NW_SMTP_PASSWORD}', url: y}}\n",
    "store option": 'store: "http://127.0.0.1:9/?index=a&request_timeout=${NW_ES_API_KEY}"\n'
    "sources: [{name: a, feeds: [http://127.0.0.1:9/f]}]\n",
}


@pytest.mark.parametrize("case", sorted(CONFIG_MISTAKES))
def test_config_errors_print_no_secret(case: str, tmp_path: Path) -> None:
    config = tmp_path / "newswatch.yaml"
    config.write_text(CONFIG_MISTAKES[case], encoding="utf-8")
    proc = run_cli("setup", "-c", str(config), env=ENV)
    assert proc.returncode in (1, 2), proc.stderr
    assert proc.stderr.startswith("newswatch: "), proc.stderr
    assert_no_secret_printed(proc, f"config error ({case})")


@pytest.mark.elasticsearch
def test_store_with_api_key_prints_no_secret(es_url: str, tmp_path: Path) -> None:
    plain = es_store_url(es_url, "newswatch-secrets-key")
    config = tmp_path / "newswatch.yaml"
    config.write_text(
        f'store: "{plain}&api_key=${{NW_ES_API_KEY}}"\n'
        "sources: [{name: a, feeds: [http://127.0.0.1:9/f]}]\n",
        encoding="utf-8",
    )
    try:
        for command in (("setup", "-vv"), ("setup", "--json"), ("export",), ("crawl", "-vv")):
            proc = run_cli(command[0], "-c", str(config), *command[1:], env=ENV)
            assert proc.returncode == 0, f"{command}: {proc.stderr[-2000:]}"
            assert_no_secret_printed(proc, " ".join(command))
        assert_no_secret_in_files(tmp_path, skip={config})
    finally:
        drop_es_store(es_url, plain)


def test_unreachable_store_error_prints_no_secret(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    config = tmp_path / "newswatch.yaml"
    config.write_text(
        f'store: "http://watch:${{NW_ES_PASSWORD}}@127.0.0.1:{port}/?index=x"\n'
        "sources: [{name: a, feeds: [http://127.0.0.1:9/f]}]\n",
        encoding="utf-8",
    )
    for command in (("setup", "-vv"), ("crawl", "-vv"), ("export",)):
        proc = run_cli(command[0], "-c", str(config), *command[1:], env=ENV)
        # A crawl goes on with the store down (its articles wait in the spool); the others
        # cannot do their work without it.
        expected = 0 if command[0] == "crawl" else 1
        assert proc.returncode == expected, f"{command}: {proc.stderr[-2000:]}"
        assert f"127.0.0.1:{port}" in proc.stderr
        assert_no_secret_printed(proc, " ".join(command))
