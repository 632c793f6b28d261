"""The first stage: drop items that cannot be articles, fill in derived fields."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newswatch.records import Article

MAX_TITLE = 1_000
MAX_BODY = 500_000


def content_hash(body: str) -> str:
    """Hash of the body with case, punctuation and white space folded away."""
    text = unicodedata.normalize("NFKC", body).casefold()
    text = re.sub(r"[\W_]+", " ", text).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        for name in ("url", "title", "body"):
            if name == "body" and item.quality:  # a page kept, flagged, may have none
                continue
            if not getattr(item, name).strip():
                self.crawler.stats.inc_value(f"validate/dropped/no_{name}")
                raise DropItem(f"no {name}: {item.url}")
        item.title = item.title.strip()[:MAX_TITLE]
        if len(item.body) > MAX_BODY:
            item.body = item.body[:MAX_BODY]
            self.crawler.stats.inc_value("validate/body_truncated")
        item.content_hash = content_hash(item.body)
        return item
