"""The news spider: one source of the config per crawl.

discover (feeds, sitemaps, listing pages; conditional GET with the validators of the last
crawl) -> skip URLs the store already has -> fetch the rest (through Chromium for render_js
sources) -> extract in worker processes -> yield `Article` items to the pipelines. The
source's state (validators, links gone) is `self.state`: the extension
`crawler.extensions.health.SourceHealth` reads it when the crawl opens, folds the crawl into
it and saves it when the crawl closes.

Stats (per crawl): discovery/read, discovery/not_modified, discovery/links, discovery/known,
discovery/offsite, discovery/errors, extract/articles, extract/not_article, extract/not_html,
extract/truncated, extract/rendered, discovery/updated (known URLs re-fetched as revisions),
discovery/gone (links that answered 404/410 before, not requested again), discovery/capped,
discovery/unusable (links no URL can be made of), errors/redirect_loop,
errors/<kind>.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newswatch.config import Source
from newswatch.crawler.configured import crawl_config, store_url
from newswatch.crawler.extraction.discovery import DiscoveryError, Entry, parse_discovery
from newswatch.crawler.extraction.headline import TitleAffixes, clean
from newswatch.crawler.extraction.urls import article_id, canonical_url, domain_of
from newswatch.crawler.workers import ExtractorPool
from newswatch.records import Article, SourceState
from newswatch.storage import Store, StoreError, open_store


def _instant(text: str | None) -> datetime | None:
    """A feed's or the store's timestamp (ISO 8601 or RFC 822) as an aware datetime."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# scrapy-playwright: wait for the page's own requests (an article loaded by fetch()).
_RENDER_META = {"playwright": True, "playwright_page_goto_kwargs": {"wait_until": "networkidle"}}


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, source: Source | str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source_arg = source

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        source = spider.source_arg
        if not isinstance(source, Source):
            if not source:
                raise ValueError("name a source: scrapy crawl news -a source=NAME")
            source = crawl_config(crawler.settings).source(str(source))
        spider.source = source
        spider.store: Store = open_store(store_url(crawler.settings))
        spider.extractor = ExtractorPool.from_crawler(crawler)
        spider.pattern = re.compile(source.article_pattern) if source.article_pattern else None
        hosts = {urlsplit(u).hostname or "" for u in source.start_urls}
        spider.allowed_domains = sorted({h for h in hosts if h} | set(source.allowed_domains))
        spider.fetched_at = datetime.now(UTC).replace(microsecond=0).isoformat()
        spider.last_error = None
        spider.article_failures = 0
        spider.state = SourceState(source.name)  # SourceHealth reads it on spider_opened
        return spider

    def _render_meta(self, role: str) -> dict[str, Any]:
        if self.source.render_js is True and role in ("article", "listing"):
            return dict(_RENDER_META)
        return {}

    # -- discovery ---------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for role, urls in (
            ("feed", self.source.feeds),
            ("sitemap", self.source.sitemaps),
            ("listing", self.source.listings),
        ):
            for url in urls:
                headers = {}
                known = self.state.validators.get(url, {})
                if known.get("etag"):
                    headers["If-None-Match"] = known["etag"]
                if known.get("last_modified"):
                    headers["If-Modified-Since"] = known["last_modified"]
                yield scrapy.Request(
                    url,
                    headers=headers,
                    callback=self.parse_discovery,
                    errback=self.on_error,
                    cb_kwargs={"role": role},
                    dont_filter=True,
                    meta={
                        "newswatch_role": role,
                        "newswatch_url": url,
                        "handle_httpstatus_list": [304],
                        **self._render_meta(role),
                    },
                )

    async def parse_discovery(self, response: Response, role: str) -> AsyncIterator[Any]:
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value("discovery/not_modified")
            return
        stats.inc_value("discovery/read")
        self._remember_validators(response)
        try:
            # Off the reactor thread: a big feed or sitemap must not stall the other crawls.
            found = await asyncio.to_thread(
                parse_discovery,
                response.body,
                response.url,
                article_pattern=self.source.article_pattern,
                listing_ok=role == "listing",
            )
        except DiscoveryError as exc:
            stats.inc_value("discovery/errors")
            self.logger.warning("source %s: %s %s: %s", self.source.name, role, response.url, exc)
            return
        if found.problem:
            stats.inc_value("discovery/damaged")
            self.logger.warning(
                "source %s: %s %s: %s (used the %d entries before the damage)",
                self.source.name,
                role,
                response.url,
                found.problem,
                len(found.entries),
            )
        if found.capped:
            stats.inc_value("discovery/capped")
            self.logger.warning(
                "source %s: %s %s lists more links than are read; used the first %d",
                self.source.name,
                role,
                response.url,
                len(found.entries),
            )
        if found.unusable:
            stats.inc_value("discovery/unusable", found.unusable)
        for child in found.children:
            yield response.follow(
                child,
                callback=self.parse_discovery,
                errback=self.on_error,
                cb_kwargs={"role": "sitemap"},
                meta={"newswatch_role": "sitemap"},
            )
        entries = self._eligible(found.entries, found.kind)
        stats.inc_value("discovery/links", len(entries))
        if not entries:
            return
        known = await self._known([e.url for e in entries])
        updated = await self._updated([e for e in entries if e.url in known or
                                       canonical_url(e.url) in known])  # fmt: skip
        for entry in entries:
            if entry.url in self.state.gone:
                stats.inc_value("discovery/gone")
                continue
            if entry.url in updated:
                stats.inc_value("discovery/updated")  # re-fetched once: a revision
            elif entry.url in known or canonical_url(entry.url) in known:
                stats.inc_value("discovery/known")
                continue
            yield scrapy.Request(
                entry.url,
                callback=self.parse_article,
                errback=self.on_error,
                cb_kwargs={"entry": entry},
                meta={"newswatch_role": "article", **self._render_meta("article")},
            )

    async def _updated(self, entries: list[Entry]) -> set[str]:
        """Known URLs whose feed entry says they changed after we fetched them."""
        changed = [e for e in entries if e.modified and e.modified != e.published]
        if not changed:
            return set()

        def check() -> set[str]:
            out = set()
            horizon = datetime.now(UTC) + timedelta(minutes=5)  # a clock ahead: ignored
            for entry in changed:
                modified = _instant(entry.modified)
                if modified is None or modified > horizon:
                    continue
                record = self.store.get_article(article_id(canonical_url(entry.url)))
                fetched = _instant(record.get("fetched_at")) if record else None
                if fetched is not None and modified > fetched:
                    out.add(entry.url)
            return out

        try:
            return await asyncio.to_thread(check)
        except StoreError as exc:
            self.logger.error("source %s: cannot check for updates: %s", self.source.name, exc)
            return set()

    def _remember_validators(self, response: Response) -> None:
        url = response.meta.get("newswatch_url")
        if not url:
            return  # a child sitemap: fetched whenever its index changed
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        validators = {}
        if etag:
            validators["etag"] = etag.decode("latin-1")
        if modified:
            validators["last_modified"] = modified.decode("latin-1")
        if validators:
            self.state.validators[url] = validators
        else:
            self.state.validators.pop(url, None)

    def _eligible(self, entries: Iterable[Entry], kind: str) -> list[Entry]:
        out: dict[str, Entry] = {}
        for entry in entries:
            host = urlsplit(entry.url).hostname or ""
            if not any(host == d or host.endswith("." + d) for d in self.allowed_domains):
                self.crawler.stats.inc_value("discovery/offsite")
                continue
            if kind != "feed" and self.pattern and not self.pattern.search(entry.url):
                continue
            out.setdefault(entry.url, entry)
        return list(out.values())

    async def _known(self, urls: list[str]) -> set[str]:
        candidates = set(urls) | {canonical_url(u) for u in urls}
        try:
            return await asyncio.to_thread(self.store.known_urls, candidates)
        except StoreError as exc:
            self.crawler.stats.inc_value("errors/store")
            self.logger.error("source %s: cannot check known URLs: %s", self.source.name, exc)
            return set()

    # -- articles ----------------------------------------------------------------------
    async def parse_article(self, response: Response, entry: Entry) -> AsyncIterator[Article]:
        stats = self.crawler.stats
        if (
            not isinstance(response, TextResponse)
            or b"html" not in (response.headers.get("Content-Type") or b"text/html").lower()
        ):
            stats.inc_value("extract/not_html")
            self.logger.info("source %s: %s is not an HTML page", self.source.name, response.url)
            return
        extracted = await self.extractor.extract(
            response.text, response.url, self.source.language
        )
        if extracted.truncated:
            stats.inc_value("extract/truncated")
        if response.meta.get("playwright"):
            stats.inc_value("extract/rendered")
        elif (
            self.source.render_js == "auto"
            and not extracted.is_article
            and (extracted.not_article or "").startswith(("no body", "body too short"))
        ):
            # render_js: auto - a page whose text only JavaScript puts there: once more, rendered
            stats.inc_value("extract/render_fallback")
            yield response.request.replace(  # type: ignore[misc]
                meta={**response.request.meta, **_RENDER_META}, dont_filter=True
            )
            return
        quality = extracted.quality
        if quality is not None:
            stats.inc_value("extract/not_article")
            # What the publisher lists as an item (feed, sitemap) is kept, flagged, however
            # thin; a listing page's link only when it has some text (not a section front).
            kept = entry.via != "listing" or quality == "thin"
            self.logger.info(
                "source %s: not an article (%s)%s: %s",
                self.source.name,
                extracted.not_article,
                f", kept as {quality}" if kept else "",
                response.url,
            )
            if not kept:
                return
            stats.inc_value(f"extract/flagged/{quality}")
        else:
            stats.inc_value("extract/articles")
        url = canonical_url(response.url)
        declared = extracted.canonical_url
        # rel=canonical is trusted within the site; one pointing elsewhere (a syndicated copy
        # naming its original) must not make this page overwrite the original's record.
        if declared and domain_of(declared) == domain_of(response.url):
            url = canonical_url(declared)
        yield Article(
            id=article_id(url),
            # As linked: a feed link that redirects is then known next time, unfetched.
            url=entry.url,
            canonical_url=url,
            source=self.source.name,
            domain=domain_of(url),
            title=TitleAffixes(self.state.title_affixes).apply(extracted.title)
            or clean(entry.title or "")
            or url,
            body=extracted.body,
            quality=quality,
            authors=extracted.authors,
            language=extracted.language or self.source.language,
            fetched_at=self.fetched_at,
            hints={
                "dates": extracted.dates,
                "entry": entry,
                "declared_canonical": declared,
                "source_language": self.source.language,
                "statements": extracted.statements,
                "fingerprint": extracted.fingerprint,
                "source_timezone": self.source.timezone,
            },
        )

    # -- errors ------------------------------------------------------------------------
    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        role = request.meta.get("newswatch_role", "page")
        if failure.check(HttpError):
            status = failure.value.response.status
            kind, reason = f"http_{status}", f"HTTP {status}"
        else:
            kind = type(failure.value).__name__
            reason = f"{kind}: {failure.getErrorMessage()}"[:200]
        if kind == "IgnoreRequest":
            if "max redirections" not in failure.getErrorMessage():
                return  # robots.txt and offsite filters count these themselves
            kind, reason = "redirect_loop", "too many redirects"
        self.crawler.stats.inc_value(f"errors/{kind}")
        if role == "article" and kind in ("http_404", "http_410"):
            # Gone for good: not requested again while the feed still links it.
            linked = (request.meta.get("redirect_urls") or [request.url])[0]
            self.state.remember_gone(linked, self.fetched_at)
        elif role == "article":
            self.article_failures += 1
        else:
            self.last_error = f"{role} {request.url}: {reason}"
        self.logger.warning(
            "source %s: %s %s failed: %s", self.source.name, role, request.url, reason
        )

    def closed(self, reason: str) -> None:
        # the source's state is saved by the SourceHealth extension
        self.store.close()
