"""A small news site served from 127.0.0.1, for the test suite, the benchmarks and the demo.

Each `Publisher` runs its own HTTP server (its own port, so its own base URL and robots.txt)
and renders its feed (RSS 2.0, RSS 1.0/RDF or Atom), news sitemap (plain, or an index pointing
at a gzipped sitemap), listing page and article pages with the usual chrome around the
`<article>`: navigation, cookie banner, related links, newsletter box, footer. Articles carry
their publication date in one of three ways (JSON-LD, an `article:published_time` meta tag,
or only a visible dateline in the local format), so date normalisation has something to do.

`NewsSite` can publish articles while it runs, counts every request, and takes extra routes
(`add_route`) for the hostile cases a test needs: redirects, errors, slow or odd responses.

Standard library only: `http.server.ThreadingHTTPServer` in daemon threads, port 0.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from newswatch.demo.model import (
    ABOUT_PATH,
    CATEGORY_PREFIX,
    FEED_TYPES,
    LISTING_PATH,
    NEWS_SITEMAP_GZ_PATH,
    SITEMAP_PATH,
    Response,
    SiteArticle,
    _Entry,
    _html,
    _newest_first,
    format_dateline,
)
from newswatch.demo.pages import _chrome, _section_label
from newswatch.demo.publisher import Publisher

__all__ = [
    "NewsSite",
    "Publisher",
    "RouteHandler",
    "RouteRequest",
    "Response",
    "SiteArticle",
    "config_yaml",
    "format_dateline",
]


@dataclass(frozen=True)
class RouteRequest:
    """What an extra route's handler is told about the request."""

    publisher: str
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    base_url: str


RouteHandler = Callable[[RouteRequest], tuple[int, Mapping[str, str], bytes]]


class _PublisherServer(ThreadingHTTPServer):
    daemon_threads = True  # a slow route must not keep close() or the interpreter waiting

    def __init__(self, site: NewsSite, publisher: str) -> None:
        self.site = site
        self.publisher = publisher
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _PublisherServer
    server_version = "NewsSite/1.0"

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        status, headers, body = self.server.site._handle(
            self.server.publisher, self.command, self.path, dict(self.headers.items())
        )
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if not any(k.lower() == "content-length" for k in headers):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a crawler's timeout or size limit): nothing left to do.
            return

    def log_message(self, format: str, *args: Any) -> None:
        return  # requests are counted in NewsSite.hits; stderr stays quiet


class NewsSite:
    """Several publishers, each served on its own 127.0.0.1 port.

    Use as a context manager (`with NewsSite(...) as site:`) or call start()/close().
    Articles can be added before or while serving with publish(); extra routes with add_route().
    """

    def __init__(
        self, publishers: Iterable[Publisher], articles: Iterable[SiteArticle] = ()
    ) -> None:
        self.publishers: dict[str, Publisher] = {}
        for pub in publishers:
            if pub.name in self.publishers:
                raise ValueError(f"duplicate publisher {pub.name!r}")
            self.publishers[pub.name] = pub
        self._lock = threading.RLock()
        self._articles: dict[str, list[SiteArticle]] = {name: [] for name in self.publishers}
        self._pages: dict[tuple[str, str], SiteArticle] = {}
        self._links: dict[str, list[_Entry]] = {name: [] for name in self.publishers}
        self._routes: dict[tuple[str, str], RouteHandler] = {}
        self._hits: Counter[tuple[str, str]] = Counter()
        self._servers: dict[str, _PublisherServer] = {}
        self._threads: list[threading.Thread] = []
        for article in articles:
            self.publish(article)

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind one server per publisher on 127.0.0.1:0 and serve in daemon threads."""
        if self._servers:
            return self
        for name in self.publishers:
            server = _PublisherServer(self, name)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"newssite-{name}",
                daemon=True,
            )
            thread.start()
            self._servers[name] = server
            self._threads.append(thread)
        return self

    def close(self) -> None:
        """Stop all servers. Requests still sleeping in a route finish on their own."""
        servers, self._servers = self._servers, {}
        stoppers = [threading.Thread(target=s.shutdown) for s in servers.values()]
        for t in stoppers:
            t.start()
        for t in stoppers:
            t.join()
        for server in servers.values():
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    @property
    def running(self) -> bool:
        return bool(self._servers)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- addresses ----------------------------------------------------------------------------

    def base_url(self, publisher: str) -> str:
        """ "http://127.0.0.1:PORT" (no trailing slash) of a running publisher."""
        self._publisher(publisher)
        server = self._servers.get(publisher)
        if server is None:
            raise RuntimeError("the site is not running: call start() first")
        return f"http://127.0.0.1:{server.server_address[1]}"

    def path(self, article: SiteArticle) -> str:
        """The path the article's page is served at."""
        return self._publisher(article.publisher).path_for(article)

    def url(self, article: SiteArticle) -> str:
        """Absolute URL of the article's own page (after any redirect)."""
        return self.base_url(article.publisher) + self.path(article)

    def link_url(self, article: SiteArticle) -> str:
        """Absolute URL that feeds, sitemaps and listings give for the article."""
        return self.base_url(article.publisher) + (article.link_path or self.path(article))

    def feed_urls(self, publisher: str) -> list[str]:
        base = self.base_url(publisher)
        return [base + p for p in self._publisher(publisher).feed_paths]

    def sitemap_urls(self, publisher: str) -> list[str]:
        pub = self._publisher(publisher)
        return [self.base_url(publisher) + SITEMAP_PATH] if pub.sitemap else []

    def listing_urls(self, publisher: str) -> list[str]:
        pub = self._publisher(publisher)
        return [self.base_url(publisher) + LISTING_PATH] if pub.listing else []

    # -- content ------------------------------------------------------------------------------

    def publish(self, article: SiteArticle) -> None:
        """Add an article (thread-safe); feed, sitemap and listing show it from now on."""
        pub = self._publisher(article.publisher)
        path = pub.path_for(article)
        with self._lock:
            for key in {path, article.link_path or path}:
                if (pub.name, key) in self._pages:
                    raise ValueError(f"{pub.name}: a page already exists at {key}")
            self._articles[pub.name].append(article)
            self._pages[(pub.name, path)] = article

    def add_link(
        self,
        publisher: str,
        path: str,
        title: str,
        published_at: datetime,
        summary: str = "",
    ) -> None:
        """List a path in feed, sitemap and listing that is not an article of this site
        (a dead link, or a page served by add_route)."""
        pub = self._publisher(publisher)
        if published_at.utcoffset() is None:
            raise ValueError(f"{path}: published_at must be timezone-aware")
        entry = _Entry(
            path=path,
            title=title,
            published_at=published_at,
            modified_at=published_at,
            summary=summary or title,
            authors=(),
            language=pub.language,
            section="world",
            kind="article",
            in_feed=True,
        )
        with self._lock:
            self._links[publisher].append(entry)

    def add_route(self, publisher: str, path: str, handler: RouteHandler) -> None:
        """Serve `path` with handler(RouteRequest) -> (status, headers, body).

        Routes win over the built-in pages, so a route can also wrap one (sleep, then return
        default_response()). The handler runs in the request's thread and may block."""
        self._publisher(publisher)
        with self._lock:
            self._routes[(publisher, path)] = handler

    def articles(self, publisher: str | None = None) -> list[SiteArticle]:
        with self._lock:
            if publisher is not None:
                return list(self._articles[self._publisher(publisher).name])
            return [a for items in self._articles.values() for a in items]

    # -- request accounting -----------------------------------------------------------------

    @property
    def hits(self) -> Counter[tuple[str, str]]:
        """A snapshot: (publisher, path) -> number of requests (query strings dropped)."""
        with self._lock:
            return Counter(self._hits)

    def reset_hits(self) -> None:
        with self._lock:
            self._hits.clear()

    def article_hits(self, publisher: str | None = None) -> int:
        """Requests for article pages (their own paths, whichever route served them)."""
        with self._lock:
            return sum(
                n
                for (pub, path), n in self._hits.items()
                if (publisher is None or pub == publisher)
                and (page := self._pages.get((pub, path))) is not None
                and page.kind == "article"
            )

    # -- responses ----------------------------------------------------------------------------

    def article_response(self, article: SiteArticle) -> Response:
        """The article page as served: status, headers, body in the article's charset."""
        pub = self._publisher(article.publisher)
        entries = self._entries(pub.name)
        related = sorted(
            (e for e in entries if e.kind == "article" and e.in_feed), key=_newest_first
        )
        text = pub.render_article(
            article, self._base_or_empty(pub.name), related, pub._sections(entries)
        )
        body = text.encode(article.charset, errors="xmlcharrefreplace")
        return 200, {"Content-Type": f"text/html; charset={article.charset}"}, body

    def default_response(self, publisher: str, path: str) -> Response:
        """What the built-in site serves at `path`, ignoring extra routes."""
        pub = self._publisher(publisher)
        base = self._base_or_empty(publisher)
        with self._lock:
            page = self._pages.get((publisher, path))
        entries = self._entries(publisher)
        sections = pub._sections(entries)
        if page is not None:
            return self.article_response(page)
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, pub.render_robots(base)
        if pub.feed_kind and path == pub.feed_path:
            return 200, {"Content-Type": FEED_TYPES[pub.feed_kind]}, pub.render_feed(entries, base)
        if pub.sitemap and path == SITEMAP_PATH:
            xml_type = {"Content-Type": "application/xml; charset=utf-8"}
            if pub.sitemap == "news":
                return 200, xml_type, pub.render_news_sitemap(entries, base)
            return 200, xml_type, pub.render_sitemap_index(entries, base)
        if pub.sitemap == "index_gz" and path == NEWS_SITEMAP_GZ_PATH:
            data = gzip.compress(pub.render_news_sitemap(entries, base), mtime=0)
            return 200, {"Content-Type": "application/x-gzip"}, data
        if path == "/" or (pub.listing and path == LISTING_PATH):
            heading = pub.display_name if path == "/" else _chrome(pub.language)["latest"]
            return _html(pub.render_listing(entries, heading=heading))
        if path.startswith(CATEGORY_PREFIX):
            section = path[len(CATEGORY_PREFIX) :].strip("/")
            if section in sections:
                chosen = [e for e in entries if e.section == section]
                heading = _section_label(section, pub.language)
                return _html(pub.render_listing(chosen, heading=heading))
        if path == ABOUT_PATH:
            return _html(pub.render_about(sections))
        if pub.render_js and path.startswith("/api/article/") and path.endswith(".json"):
            slug = path[len("/api/article/") : -len(".json")]
            for article in self.articles(publisher):
                if article.slug == slug:
                    return (
                        200,
                        {"Content-Type": "application/json"},
                        pub.render_article_json(article),
                    )
        return _html(pub.render_error(404, sections), status=404)

    def _handle(
        self, publisher: str, method: str, raw_path: str, headers: dict[str, str]
    ) -> Response:
        parts = urlsplit(raw_path)
        path = parts.path or "/"
        with self._lock:
            self._hits[(publisher, path)] += 1
            route = self._routes.get((publisher, path))
        if route is None:
            return _conditional(self.default_response(publisher, path), headers)
        request = RouteRequest(
            publisher=publisher,
            method=method,
            path=path,
            query=parts.query,
            headers=headers,
            base_url=self._base_or_empty(publisher),
        )
        status, out_headers, body = route(request)
        return status, dict(out_headers), body

    # -- helpers ------------------------------------------------------------------------------

    def _publisher(self, name: str) -> Publisher:
        try:
            return self.publishers[name]
        except KeyError:
            raise KeyError(f"no publisher named {name!r}") from None

    def _base_or_empty(self, publisher: str) -> str:
        server = self._servers.get(publisher)
        return f"http://127.0.0.1:{server.server_address[1]}" if server else ""

    def _entries(self, publisher: str) -> list[_Entry]:
        pub = self.publishers[publisher]
        with self._lock:
            articles = list(self._articles[publisher])
            links = list(self._links[publisher])
        entries = [
            _Entry(
                path=a.link_path or pub.path_for(a),
                title=a.title,
                published_at=a.published_at,
                modified_at=a.modified_at or a.published_at,
                summary=a.teaser,
                authors=tuple(a.authors),
                language=a.language,
                section=a.section,
                kind=a.kind,
                in_feed=a.listed_in_feed,
            )
            for a in articles
        ]
        return entries + links


def config_yaml(site: NewsSite, store_url: str, sources: Iterable[str] | None = None) -> str:
    """A newswatch config with one source per publisher (or per name in `sources`).

    Only the keys that apply are written: a publisher without a feed gets no `feeds:`.
    """
    names = list(site.publishers) if sources is None else list(sources)
    lines = [f"store: {_yaml_str(store_url)}", "sources:"]
    for name in names:
        pub = site.publishers[name]
        lines.append(f"  - name: {_yaml_str(pub.name)}")
        for key, urls in (
            ("feeds", site.feed_urls(name)),
            ("sitemaps", site.sitemap_urls(name)),
            ("listings", site.listing_urls(name)),
        ):
            if urls:
                lines.append(f"    {key}: [{', '.join(_yaml_str(u) for u in urls)}]")
        if pub.article_pattern:
            lines.append(f"    article_pattern: {_yaml_str(pub.article_pattern, force=True)}")
        lines.append(f"    language: {_yaml_str(pub.language)}")
        lines.append(f"    timezone: {_yaml_str(pub.timezone)}")
        if pub.render_js:
            lines.append("    render_js: true")
    return "\n".join(lines) + "\n"


_PLAIN_YAML = re.compile(r"^[A-Za-z0-9_./:@+-]+$")


_YAML_WORDS = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "~"}


def _yaml_str(value: str, *, force: bool = False) -> str:
    if not force and _PLAIN_YAML.match(value) and value.lower() not in _YAML_WORDS:
        return value
    return "'" + value.replace("'", "''") + "'"


def _conditional(response: Response, request_headers: Mapping[str, str]) -> Response:
    """An ETag on every built-in page, and 304 Not Modified when the client already has it
    (the conditional GET of a crawler that keeps validators)."""
    status, headers, body = response
    if status != 200:
        return response
    etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
    asked = {k.lower(): v for k, v in request_headers.items()}.get("if-none-match", "")
    if etag in [tag.strip() for tag in asked.split(",")]:
        return 304, {"ETag": etag}, b""
    return status, {**headers, "ETag": etag}, body
