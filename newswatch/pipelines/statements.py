"""The statements stage: who said what in the article (`item.statements`).

Runs `newswatch.statements.extract_statements` on the body in the article's language
(detected, else the source's hint), or takes what the extraction worker found on the same
body in the same language (`newswatch.crawler.workers.extract_page`), and stores its records
({kind, quote, speaker, speaker_in_text, cue, start, end, confidence, language}) on the item;
alerts use those at or above `newswatch.statements.ALERT_CONFIDENCE`. A failure never drops
the article: it is logged and counted (`statements/error`).

Stats: `statements/found` (statements), `statements/articles` (articles with at least one),
`statements/kind/direct`, `statements/kind/indirect`.

Setting: `NEWSWATCH_STATEMENTS_MAX` (default 200) caps the statements kept per article.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from newswatch.crawler import settings as defaults  # every default lives there
from newswatch.records import Article
from newswatch.statements import extract_statements

logger = logging.getLogger(__name__)


class StatementsPipeline:
    def __init__(self, crawler: Crawler, max_statements: int = 200) -> None:
        self.crawler = crawler
        self.max_statements = max_statements

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatementsPipeline:
        return cls(
            crawler,
            crawler.settings.getint("NEWSWATCH_STATEMENTS_MAX", defaults.NEWSWATCH_STATEMENTS_MAX),
        )

    def process_item(self, item: Article) -> Article:
        if not isinstance(item, Article):
            return item
        stats = self.crawler.stats
        language = item.language or item.hints.get("source_language")
        body = item.body or ""
        early = item.hints.get("statements")
        if early is not None and early[0] == language and early[1] == len(body):
            found = early[2]  # read in the extraction worker, on this body
        else:
            try:
                found = extract_statements(body, language)
            except Exception:  # extraction is best effort; the article is still stored
                logger.exception("statement extraction failed for %s", item.url)
                stats.inc_value("statements/error")
                return item
        found = found[: self.max_statements]
        item.statements = found
        if found:
            stats.inc_value("statements/found", len(found))
            stats.inc_value("statements/articles")
            for st in found:
                stats.inc_value(f"statements/kind/{st['kind']}")
        return item
