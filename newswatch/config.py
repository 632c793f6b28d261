"""Load and validate the YAML configuration.

Every mistake is reported as one `ConfigError` naming the file, the key (as a path such as
`sources[2].every`) and what is wrong; the CLI prints it and exits with status 2. `${NAME}`
in any string is replaced by the environment variable NAME (for secrets); a missing variable
is an error too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from newswatch.records import QUALITY_FLAGS

DEFAULT_STORE = "sqlite:///newswatch.db"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_URL_PASSWORD = re.compile(r"(//[^/:@\s'\"]*:)[^/@\s'\"]+@")
_INTERVAL = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ConfigError(ValueError):
    """A configuration mistake: `file: key: what is wrong`."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file, self.key, self.problem = file, key, problem
        where = f"{file}: {key}: " if key else f"{file}: "
        super().__init__(where + problem)


@dataclass(frozen=True)
class Source:
    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    article_pattern: str | None = None
    language: str | None = None
    timezone: str | None = None
    render_js: bool | str = False
    every: timedelta | None = None
    cron: str | None = None
    allowed_domains: tuple[str, ...] = ()
    # adaptive polling bounds (None: poll at `every`, unchanged)
    adaptive: tuple[timedelta, timedelta] | None = None
    # seconds between two requests to the site (at least; robots.txt Crawl-delay may raise it)
    delay: float = 0.0

    @property
    def start_urls(self) -> tuple[str, ...]:
        return self.feeds + self.sitemaps + self.listings


@dataclass(frozen=True)
class Topic:
    name: str
    query: str
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    alert_on: tuple[str, ...] = ("article",)
    notify: tuple[str, ...] = ()
    digest: str | None = None
    # pages kept although not full articles (Article.quality) that this topic ignores
    exclude_quality: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notifier:
    name: str
    type: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Health:
    failures: int = 3  # failed crawls in a row before a health alert
    notify: tuple[str, ...] = ()  # notifiers (default: all)


@dataclass(frozen=True)
class Config:
    path: str
    store: str = DEFAULT_STORE
    sources: tuple[Source, ...] = ()
    topics: tuple[Topic, ...] = ()
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    health: Health = Health()

    def __deepcopy__(self, memo: dict[int, Any]) -> Config:
        # A loaded config is a value nobody changes; Scrapy copies a crawl's settings (and
        # this object in them) for every crawl: with 5,000 sources that copy was the crawl.
        return self

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(self.path, "sources", f"no source named {name!r} (known: {known})")


def parse_interval(text: str) -> timedelta:
    """`30s`, `10m`, `2h`, `1d` -> timedelta; ValueError otherwise."""
    match = _INTERVAL.match(str(text))
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not an interval (use e.g. 30s, 10m, 2h, 1d)")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def load_config(path: str | os.PathLike[str], environ: dict[str, str] | None = None) -> Config:
    """Read, expand and validate a configuration file."""
    file = str(path)
    try:
        text = Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(file, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(file, "", f"cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(file, "", f"invalid YAML: {where}{problem}") from None
    return _Validator(file, os.environ if environ is None else environ).config(data)


class _Validator:
    def __init__(self, file: str, environ: Any) -> None:
        self.file = file
        self.environ = environ
        self.expanded: dict[str, str] = {}  # value -> NAME of each ${NAME} put in

    def fail(self, key: str, problem: str) -> ConfigError:
        # Never echo a secret: a value that came from ${NAME} is shown as ${NAME}, and a
        # password written in a URL as ***.
        for value in sorted(self.expanded, key=len, reverse=True):
            for form in {value, repr(value)[1:-1]}:
                problem = problem.replace(form, "${" + self.expanded[value] + "}")
        problem = _URL_PASSWORD.sub(r"\1***@", problem)
        return ConfigError(self.file, key, problem)

    # -- scalars -----------------------------------------------------------------------
    def string(self, value: Any, key: str) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(key, f"expected a string, got {type(value).__name__}")
        text = str(value)

        def expand(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in self.environ:
                raise self.fail(key, f"environment variable {name} is not set")
            value = str(self.environ[name])
            if len(value) >= 4:  # shorter ones would garble messages, and are no secrets
                self.expanded.setdefault(value, name)
            return value

        return _ENV.sub(expand, text)

    def strings(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {type(value).__name__}")
        return tuple(self.string(item, f"{key}[{i}]") for i, item in enumerate(value))

    def urls(self, value: Any, key: str) -> tuple[str, ...]:
        urls = self.strings(value, key)
        for i, url in enumerate(urls):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise self.fail(f"{key}[{i}]", f"{url!r} is not an http(s) URL")
        return urls

    def name(self, value: Any, key: str) -> str:
        text = self.string(value, key)
        if not _NAME.match(text):
            raise self.fail(key, f"{text!r} is not a valid name (letters, digits, . _ -)")
        return text

    def mapping(self, value: Any, key: str, allowed: set[str], required: set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a mapping, got {type(value).__name__}")
        for k in value:
            if k not in allowed:
                raise self.fail(
                    f"{key}.{k}" if key else str(k),
                    f"unknown key (allowed: {', '.join(sorted(allowed))})",
                )
        for k in sorted(required - set(value)):
            raise self.fail(f"{key}.{k}" if key else k, "missing required key")
        return value

    # -- sections ----------------------------------------------------------------------
    def config(self, data: Any) -> Config:
        if data is None:
            data = {}
        top = self.mapping(
            data, "", {"store", "sources", "topics", "notifiers", "health"}, {"sources"}
        )
        store = self.store(top.get("store"))
        sources = self.listof(top.get("sources"), "sources", self.source)
        if not sources:
            raise self.fail("sources", "at least one source is required")
        self.unique([s.name for s in sources], "sources")
        notifiers = {}
        raw_notifiers = top.get("notifiers") or {}
        if not isinstance(raw_notifiers, dict):
            raise self.fail("notifiers", "expected a mapping of name -> notifier")
        for name, spec in raw_notifiers.items():
            notifiers[name] = self.notifier(name, spec, f"notifiers.{name}")
        topics = self.listof(top.get("topics"), "topics", self.topic)
        self.unique([t.name for t in topics], "topics")
        source_names = {s.name for s in sources}
        for i, topic in enumerate(topics):
            for j, ref in enumerate(topic.notify):
                if ref not in notifiers:
                    raise self.fail(f"topics[{i}].notify[{j}]", f"no notifier named {ref!r}")
            for j, ref in enumerate(topic.sources):
                if ref not in source_names:
                    raise self.fail(f"topics[{i}].sources[{j}]", f"no source named {ref!r}")
        # A topic that names no notifier goes to all of them.
        topics = [t if t.notify else replace(t, notify=tuple(notifiers)) for t in topics]
        health = self.health(top.get("health"), notifiers)
        return Config(self.file, store, tuple(sources), tuple(topics), notifiers, health)

    def health(self, value: Any, notifiers: dict[str, Notifier]) -> Health:
        if value is None:
            return Health()
        raw = self.mapping(value, "health", {"failures", "notify"}, set())
        failures = raw.get("failures", 3)
        if isinstance(failures, bool) or not isinstance(failures, int) or failures < 1:
            raise self.fail("health.failures", f"{failures!r}: expected a whole number >= 1")
        notify = self.strings(raw.get("notify"), "health.notify")
        for j, ref in enumerate(notify):
            if ref not in notifiers:
                raise self.fail(f"health.notify[{j}]", f"no notifier named {ref!r}")
        return Health(failures, notify)

    def store(self, value: Any) -> str:
        """The store URL. Elasticsearch options are checked here (newswatch.store_options);
        a mapping of them (hosts or cloud_id, api_key, ca_certs, ...) becomes such a URL."""
        from newswatch.store_options import StoreOptionError, parse_url, url_from_mapping

        try:
            if isinstance(value, dict):
                options = {
                    k: self.strings(v, f"store.{k}") if isinstance(v, list)
                    else v if isinstance(v, bool | int | float) or v is None
                    else self.string(v, f"store.{k}")
                    for k, v in value.items()
                }  # fmt: skip
                return url_from_mapping(options)
            store = self.string(value or DEFAULT_STORE, "store")
            if urlsplit(store).scheme not in ("sqlite", "http", "https"):
                raise self.fail("store", f"{store!r}: use sqlite:///path.db or http(s)://host:9200")
            if urlsplit(store).scheme != "sqlite":
                parse_url(store)
            return store
        except StoreOptionError as exc:
            raise self.fail(f"store.{exc.key}" if exc.key else "store", exc.problem) from None

    def listof(self, value: Any, key: str, parse: Any) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {type(value).__name__}")
        return [parse(item, f"{key}[{i}]") for i, item in enumerate(value)]

    def unique(self, names: list[str], key: str) -> None:
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                raise self.fail(f"{key}[{i}].name", f"duplicate name {name!r}")
            seen.add(name)

    def source(self, value: Any, key: str) -> Source:
        allowed = {
            "name", "feeds", "sitemaps", "listings", "article_pattern", "language",
            "timezone", "render_js", "every", "cron", "allowed_domains", "adaptive", "delay",
        }  # fmt: skip
        raw = self.mapping(value, key, allowed, {"name"})
        name = self.name(raw["name"], f"{key}.name")
        feeds = self.urls(raw.get("feeds"), f"{key}.feeds")
        sitemaps = self.urls(raw.get("sitemaps"), f"{key}.sitemaps")
        listings = self.urls(raw.get("listings"), f"{key}.listings")
        if not (feeds or sitemaps or listings):
            raise self.fail(key, "a source needs at least one of feeds, sitemaps, listings")
        pattern = raw.get("article_pattern")
        if pattern is not None:
            pattern = self.string(pattern, f"{key}.article_pattern")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise self.fail(f"{key}.article_pattern", f"invalid regex: {exc}") from None
        timezone = raw.get("timezone")
        if timezone is not None:
            timezone = self.string(timezone, f"{key}.timezone")
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise self.fail(f"{key}.timezone", f"unknown time zone {timezone!r}") from None
        render_js = raw.get("render_js", False)
        if render_js not in (True, False, "auto"):
            raise self.fail(f"{key}.render_js", "expected true, false or auto")
        every = None
        if raw.get("every") is not None:
            try:
                every = parse_interval(self.string(raw["every"], f"{key}.every"))
            except ValueError as exc:
                raise self.fail(f"{key}.every", str(exc)) from None
        cron = raw.get("cron")
        if cron is not None:
            cron = self.string(cron, f"{key}.cron")
            if every is not None:
                raise self.fail(f"{key}.cron", "give either every or cron, not both")
            if len(cron.split()) != 5:
                raise self.fail(f"{key}.cron", f"{cron!r} is not a 5-field cron expression")
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(cron)
            except ValueError as exc:
                raise self.fail(f"{key}.cron", f"{cron!r}: {exc}") from None
        adaptive = self.adaptive(raw.get("adaptive"), f"{key}.adaptive", every)
        delay = raw.get("delay", 0)
        if isinstance(delay, str):
            try:
                delay = parse_interval(delay).total_seconds()
            except ValueError as exc:
                raise self.fail(f"{key}.delay", str(exc)) from None
        if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
            raise self.fail(f"{key}.delay", f"{delay!r}: expected seconds (e.g. 2 or 2s)")
        language = raw.get("language")
        return Source(
            name=name,
            feeds=feeds,
            sitemaps=sitemaps,
            listings=listings,
            article_pattern=pattern,
            language=self.string(language, f"{key}.language") if language else None,
            timezone=timezone,
            render_js=render_js,
            every=every,
            cron=cron,
            allowed_domains=self.strings(raw.get("allowed_domains"), f"{key}.allowed_domains"),
            adaptive=adaptive,
            delay=float(delay),
        )

    def adaptive(
        self, value: Any, key: str, every: timedelta | None
    ) -> tuple[timedelta, timedelta] | None:
        if value is None or value is False:
            return None
        raw = self.mapping(value, key, {"min", "max"}, {"min", "max"})
        bounds = []
        for name in ("min", "max"):
            try:
                bounds.append(parse_interval(self.string(raw[name], f"{key}.{name}")))
            except ValueError as exc:
                raise self.fail(f"{key}.{name}", str(exc)) from None
        if bounds[0] > bounds[1]:
            raise self.fail(key, "min is longer than max")
        if every is None:
            raise self.fail(key, "adaptive polling needs `every` (not cron)")
        if not bounds[0] <= every <= bounds[1]:
            raise self.fail(key, "`every` must lie between min and max")
        return bounds[0], bounds[1]

    def topic(self, value: Any, key: str) -> Topic:
        allowed = {"name", "query", "languages", "sources", "alert_on", "notify", "digest",
                   "exclude_quality"}  # fmt: skip
        raw = self.mapping(value, key, allowed, {"name", "query"})
        alert_on = self.strings(raw.get("alert_on") or ["article"], f"{key}.alert_on")
        for i, kind in enumerate(alert_on):
            if kind not in ("article", "statement"):
                raise self.fail(f"{key}.alert_on[{i}]", f"{kind!r}: use article or statement")
        exclude = self.strings(raw.get("exclude_quality"), f"{key}.exclude_quality")
        for i, flag in enumerate(exclude):
            if flag not in QUALITY_FLAGS:
                raise self.fail(
                    f"{key}.exclude_quality[{i}]", f"{flag!r}: use {', '.join(QUALITY_FLAGS)}"
                )
        digest = raw.get("digest")
        if digest not in (None, "hourly", "daily"):
            raise self.fail(f"{key}.digest", f"{digest!r}: use null, hourly or daily")
        from newswatch.topics import TopicQuery, TopicQueryError

        query = self.string(raw["query"], f"{key}.query")
        try:
            TopicQuery.parse(query)
        except TopicQueryError as exc:
            raise self.fail(f"{key}.query", f"bad query: {exc}") from None
        return Topic(
            name=self.name(raw["name"], f"{key}.name"),
            query=query,
            languages=self.strings(raw.get("languages"), f"{key}.languages"),
            sources=self.strings(raw.get("sources"), f"{key}.sources"),
            alert_on=alert_on,
            notify=self.strings(raw.get("notify"), f"{key}.notify"),
            digest=digest,
            exclude_quality=exclude,
        )

    def notifier(self, name: Any, value: Any, key: str) -> Notifier:
        name = self.name(name, key)
        if not isinstance(value, dict) or "type" not in value:
            raise self.fail(f"{key}.type", "missing required key (email, slack or apprise)")
        kind = value["type"]
        required = {"email": {"smtp", "from", "to"}, "slack": {"webhook_url"}, "apprise": {"url"}}
        if kind not in required:
            raise self.fail(f"{key}.type", f"{kind!r}: use email, slack or apprise")
        options: dict[str, Any] = {}
        for k, v in value.items():
            if k == "type":
                continue
            if isinstance(v, list):
                options[k] = list(self.strings(v, f"{key}.{k}"))
            elif isinstance(v, bool | int | float) or v is None:
                options[k] = v
            else:
                options[k] = self.string(v, f"{key}.{k}")
        for k in sorted(required[kind] - set(options)):
            raise self.fail(f"{key}.{k}", f"missing required key for a {kind} notifier")
        return Notifier(name, kind, options)
