"""`newswatch explain URL`: what newswatch makes of one page, and why.

It runs what a crawl runs on the page (extraction, the date resolver with the source's
language and zone, the statement extractor) and keeps every candidate: the headlines the
page declares and which one is taken, each date candidate and the instant it reads as, the
date chosen and the checks that fired, whether the page is an article or would be kept
flagged, and the statements with their confidence.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from newswatch.config import Config, Source
from newswatch.crawler import settings as defaults
from newswatch.crawler.extraction.article import extract_article, headline_report
from newswatch.dates import DateResolver
from newswatch.statements import alert_statements, extract_statements

MAX_BYTES = 20 * 1024 * 1024


class FetchError(RuntimeError):
    """The page could not be fetched (one line for the user)."""


def fetch(url: str, timeout: float = 30.0) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": defaults.USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read(MAX_BYTES)
            charset = response.headers.get_content_charset() or "utf-8"
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot fetch {url}: {reason}") from None
    return raw.decode(charset, "replace")


def source_for(config: Config | None, url: str, name: str | None = None) -> Source | None:
    """The configured source the URL belongs to (by name, else by host)."""
    if config is None:
        return None
    if name:
        return config.source(name)
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    for source in config.sources:
        hosts = {(urlsplit(u).hostname or "").lower().removeprefix("www.")
                 for u in source.start_urls} | set(source.allowed_domains)  # fmt: skip
        if any(host == h or host.endswith("." + h) for h in hosts if h):
            return source
    return None


@dataclass
class Explanation:
    url: str
    source: str | None
    language: str | None
    timezone: str | None
    record: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"url": self.url, "source": self.source, "language": self.language,
                "timezone": self.timezone, **self.record}  # fmt: skip


def explain_page(
    html: str, url: str, source: Source | None = None, fetched_at: datetime | None = None
) -> Explanation:
    fetched_at = fetched_at or datetime.now(UTC).replace(microsecond=0)
    extracted = extract_article(html, url)
    language = extracted.language or (source.language if source else None)
    timezone = source.timezone if source else None
    resolver = DateResolver()
    result = resolver.resolve_detailed(extracted.dates, language, timezone, fetched_at)
    readings = resolver.readings(extracted.dates, language, timezone, fetched_at)
    statements = extract_statements(extracted.body, language)
    published = result.published
    record = {
        "verdict": "article" if extracted.is_article else f"kept as {extracted.quality} "
        f"if a feed or sitemap lists it ({extracted.not_article})",
        "quality": extracted.quality,
        "headline": extracted.title,
        "headline_candidates": [
            {"where": where, "written": written, "taken_as": taken}
            for where, written, taken in headline_report(html, url)
        ],
        "published_at": published.instant.isoformat() if published else None,
        "published_at_source": published.source if published else "fetched",
        "published_at_raw": published.raw if published else None,
        "modified_at": result.modified.instant.isoformat() if result.modified else None,
        "date_checks": dict(result.checks),
        "date_candidates": [
            {"source": c.source, "kind": c.kind, "field": c.field, "raw": c.raw,
             "reads_as": instant.isoformat() if instant else None}  # fmt: skip
            for c, instant in readings
        ],
        "body_words": len(extracted.body.split()),
        "body_start": extracted.body[:300],
        "authors": extracted.authors,
        "statements": statements,
        "alert_statements": len(alert_statements(statements)),
    }
    return Explanation(url, source.name if source else None, language, timezone, record)


def render(explanation: Explanation) -> str:
    """The explanation for a person."""
    r = explanation.record
    where = explanation.source or "no configured source (no language or zone hints)"
    lines = [
        explanation.url,
        f"  source: {where}; language {explanation.language or '-'}, "
        f"zone {explanation.timezone or '-'}",
        f"  verdict: {r['verdict']}",
        f"  headline: {r['headline']!r}",
    ]
    for c in r["headline_candidates"]:
        taken = "" if c["taken_as"] == c["written"] else f" -> {c['taken_as']!r}"
        lines.append(f"      {c['where']:<14} {c['written'][:90]!r}{taken}")
    lines.append(
        f"  published_at: {r['published_at'] or 'none found (the fetch time is used)'}"
        f" from {r['published_at_source']} {r['published_at_raw']!r}"
    )
    if r["date_checks"]:
        lines.append(f"      checks that fired: {r['date_checks']}")
    for c in r["date_candidates"]:
        reads = c["reads_as"] or "unreadable, implausible or in the future"
        lines.append(f"      {c['source']}/{c['kind']:<9} {c['raw'][:60]!r} -> {reads}")
    if r["modified_at"]:
        lines.append(f"  modified_at: {r['modified_at']}")
    lines.append(f"  body: {r['body_words']} words: {r['body_start'][:160]!r}")
    lines.append(
        f"  statements: {len(r['statements'])} ({r['alert_statements']} sure enough to alert)"
    )
    for s in r["statements"][:12]:
        lines.append(
            f"      {s.get('confidence', 0):.2f} {s.get('kind')}: {s.get('speaker') or '?'}: "
            f"{s.get('quote', '')[:90]!r}"
        )
    return "\n".join(lines)
