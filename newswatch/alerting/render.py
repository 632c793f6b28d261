"""Alert messages from Jinja2 templates (text and HTML, HTML autoescaped) and Slack blocks.

Users override a template by putting a file of the same name (alert.txt.j2, alert.html.j2)
in the folder named by NEWSWATCH_TEMPLATES.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape

from newswatch.records import Alert


@lru_cache(maxsize=4)
def _environment(user_dir: str | None) -> Environment:
    loaders: list[Any] = [PackageLoader("newswatch.alerting", "templates")]
    if user_dir:
        loaders.insert(0, FileSystemLoader(user_dir))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=True,
    )


def render(template: str, alerts: list[Alert]) -> str:
    env = _environment(os.environ.get("NEWSWATCH_TEMPLATES"))
    return env.get_template(template).render(alerts=alerts)


def subject(alerts: list[Alert]) -> str:
    first = alerts[0]
    if len(alerts) > 1:
        return f"[newswatch] {first.topic}: {len(alerts)} new stories and statements"
    if first.kind == "statement":
        return f"[newswatch] {first.topic}: {first.speaker}: {_clip(first.quote or '', 80)}"
    if first.kind == "health":
        return f"[newswatch] {first.topic}: {_clip(first.title, 140)}"
    return f"[newswatch] {first.topic}: {_clip(first.title, 100)}"


def _clip(text: str, size: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= size else text[: size - 1] + "…"


def slack_escape(text: str) -> str:
    """Slack mrkdwn control characters; a headline cannot become a link or a mention."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(alerts: list[Alert]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    for alert in alerts:
        if alert.kind == "statement":
            speaker, quote = slack_escape(alert.speaker or ""), slack_escape(alert.quote or "")
            head = f"*New statement on {slack_escape(alert.topic)}*\n*{speaker}*: “{quote}”"
        elif alert.kind == "health":
            head = f"*Source health:* {slack_escape(alert.title)}"
        else:
            head = f"*New on {slack_escape(alert.topic)}:* {slack_escape(alert.title)}"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": head}})
        for s in alert.statements:
            who, said = slack_escape(s.get("speaker") or ""), slack_escape(s.get("quote") or "")
            line = f"> *{who}*: “{said}”"
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": line}})
        links = " · ".join(
            f"<{url.replace('|', '%7C').replace('>', '%3E')}|{slack_escape(outlet)}>"
            for url, outlet in zip(alert.urls, alert.outlets, strict=False)
        )
        if links:
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": links}]})
        blocks.append({"type": "divider"})
    return {"text": slack_escape(subject(alerts)), "blocks": blocks[:50]}
