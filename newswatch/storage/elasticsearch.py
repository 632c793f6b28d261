"""The Elasticsearch store: article records in monthly indices behind one alias.

**Layout.** The articles live in one index per month, `<index>-YYYY.MM`, and every read (search,
export, Kibana) goes through the alias `<index>` over all of them, so an old month can be
closed, snapshotted or deleted on its own. `setup()` installs a composable index template
(settings and mappings shipped as data in `mappings/articles.json`, `dynamic: strict`) whose
pattern matches the monthly indices, and makes sure the alias exists. A document goes to the
month of its `published_at`, else its `fetched_at`, else the month it is first written in;
the month's index is created, with the alias, on first use.

**Idempotent by id.** An alias over several indices cannot take writes by itself, so the
store writes to the month's index directly. Before a batch is written, its ids are looked up
through the alias (and in the ids this store wrote moments ago, which a search cannot see
yet), so a repeated write replaces the document where it is, and an article whose date
changed is moved: deleted from the old month in the same bulk request.

**Languages.** Besides `title` and `body` (the `standard` analyzer, as topics and the SQLite
store match words), an article's text is indexed a second time in `title_<lang>` and
`body_<lang>` for its own language (`en`, `id`, `de`, ... 37 of them), analyzed by that
language's built-in analyzer (stemming, stop words): Indonesian "pasukan" finds
"pasukannya", German "Soldaten" finds "Soldat". Those fields are excluded from `_source`, so
the text is not stored twice. A cluster without the language analyzers (a bare integ-test
node: they live in the analysis-common module) gets the same fields with the `standard`
analyzer; `setup()` finds out which, and `describe()` says so.

**Upgrades.** `reindex()` copies every article into a new generation of monthly indices
(`<index>-g2-YYYY.MM`, ...) made from the current template, checks that nothing is missing,
and swaps the alias in one atomic step; it also moves a store of the old one-index layout
(an index named `<index>`) behind the alias. The old indices are blocked for writes while
they are copied, so a writer that was not stopped fails loudly instead of losing an article.

**ILM.** When the cluster has index lifecycle management, a policy `<index>` is attached to
the monthly indices (force-merge a month 30 days after it ends; delete it `retention` after
it ends, if the store URL sets one); without ILM (the test server) nothing is attached.

Every failure of the server or the network becomes a `StoreError` with one line that names
the server, never its password. Only server-core APIs are used (no reindex or ingest module,
no scripting), so the plain integ-test distribution of Elasticsearch is enough.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from elastic_transport import SerializationError, TransportError
from elasticsearch import ApiError, Elasticsearch

from newswatch.crawler.items import RECORD_FIELDS
from newswatch.storage.base import SIGNATURE_FIELDS, Record, StoreError, distinct
from newswatch.storage.es_options import DEFAULT_INDEX, parse_url
from newswatch.storage.es_options import redact as _redact_url

MAPPING_FILE = "mappings/articles.json"
SIGNATURES_MAPPING_FILE = "mappings/signatures.json"
SIGNATURES_SUFFIX = "-signatures"  # the side index of story signatures: <index>-signatures
BULK_DOCS = 500
TERMS_CHUNK = 1000
PAGE = 500
SEARCH_FIELDS = ["title^2", "body"]
JSON_FIELDS = ("authors", "statements", "topics")  # lists; every other field is text or null
TEXT_FIELDS = ("title", "body")
LANGUAGE_ALIASES = {"nb": "no", "nn": "no", "in": "id", "iw": "he", "zh_hans": "zh"}
RECENT_IDS = 50_000  # ids this store wrote, remembered until a search can see them
WARM_AFTER = timedelta(days=30)  # ILM: force-merge a month's index this long after it ends

T = TypeVar("T")
_ERRNO = re.compile(r"\[Errno -?\d+\][^)>\]]*")
_MONTH = re.compile(r"^(\d{4})-(\d{2})")


def redact(url: str) -> str:
    """The URL without user:password@ and secret options (a secret must never reach a log)."""
    return _redact_url(url)


def load_template() -> dict[str, Any]:
    """The index template body shipped with the package (without index_patterns)."""
    text = resources.files("newswatch.storage").joinpath(MAPPING_FILE).read_text("utf-8")
    template: dict[str, Any] = json.loads(text)
    return template


def load_signatures_index() -> dict[str, Any]:
    """Settings and mappings of the story-signature side index (shipped as data)."""
    text = resources.files("newswatch.storage").joinpath(SIGNATURES_MAPPING_FILE).read_text("utf-8")
    body: dict[str, Any] = json.loads(text)
    body.pop("_meta", None)
    return body


def language_analyzers() -> dict[str, str]:
    """Language code -> analyzer of its `title_<code>`/`body_<code>` fields, from the
    shipped mapping (the one place that lists them)."""
    properties = load_template()["template"]["mappings"]["properties"]
    return {
        name[len("body_") :]: spec["analyzer"]
        for name, spec in properties.items()
        if name.startswith("body_") and "analyzer" in spec
    }


def language_code(language: str | None, codes: Iterable[str]) -> str | None:
    """The code of the language fields for a record's `language` (`de-AT` -> `de`, `nb` ->
    `no`), or None when there are none for it."""
    if not language:
        return None
    tag = language.strip().lower().replace("-", "_")
    known = set(codes)
    for candidate in (tag, tag.split("_")[0]):
        candidate = LANGUAGE_ALIASES.get(candidate, candidate)
        if candidate in known:
            return candidate
    return None


def month_of(document: Record, now: datetime | None = None) -> str:
    """`YYYY.MM` of the document's published_at, else fetched_at, else now (all UTC)."""
    for name in ("published_at", "fetched_at"):
        value = document.get(name)
        if not isinstance(value, str):
            continue
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            continue  # Elasticsearch will refuse the date and say why
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return f"{moment.year:04d}.{moment.month:02d}"
    moment = now or datetime.now(UTC)
    return f"{moment.year:04d}.{moment.month:02d}"


def _month_end(month: str) -> datetime:
    year, number = (int(part) for part in month.split("."))
    return datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)


def describe_lines(details: dict[str, Any]) -> list[str]:
    """`ElasticsearchStore.describe()` for people: what `newswatch setup` prints."""
    indices = details["indices"]
    shown = ", ".join(indices) if len(indices) <= 4 else f"{indices[0]} ... {indices[-1]}"
    if details["analyzers"] == "language":
        analyzers = (
            f"built in ({len(details['languages'])} languages: title_<lang>/body_<lang> "
            "are stemmed)"
        )
    else:
        analyzers = (
            "missing on this cluster (no analysis-common module): title_<lang>/body_<lang> "
            "use the standard analyzer, without stemming"
        )
    policy = details["ilm_policy"]
    return [
        f"layout: alias {details['alias']!r} over {len(indices)} monthly index(es): {shown}",
        f"language analyzers: {analyzers}",
        f"ILM: policy {policy!r} attached" if policy else "ILM: not on this cluster (none used)",
    ]


@dataclass
class ReindexReport:
    """What `reindex()` did."""

    copied: int = 0
    old_indices: list[str] = field(default_factory=list)
    new_indices: list[str] = field(default_factory=list)
    generation: int = 1


class ElasticsearchStore:
    """Article records in monthly Elasticsearch indices behind an alias (9.x server and
    elasticsearch-py 9.x client)."""

    def __init__(
        self,
        hosts: list[str] | str,
        index: str = DEFAULT_INDEX,
        *,
        retention: timedelta | None = None,
        **client_options: Any,
    ) -> None:
        host_list = [hosts] if isinstance(hosts, str) else list(hosts)
        if not host_list:
            raise StoreError("no Elasticsearch host given")
        self.index = index  # the alias every read goes through
        self.template_name = index
        self.policy_name = index
        self.retention = retention
        self.url = redact(host_list[0])
        self._where = self.url  # the server, as error messages name it
        self._secrets = _secrets_of(host_list, client_options)
        client_options.setdefault("request_timeout", 30)
        client_options.setdefault("max_retries", 2)
        client_options.setdefault("retry_on_timeout", True)
        try:
            self._client = Elasticsearch(host_list, **client_options)
        except (ValueError, TypeError) as exc:
            message = self._clean(f"bad Elasticsearch settings for {self._where}: {exc}")
            raise StoreError(message) from None
        self._ready = False
        self.signatures_index = index + SIGNATURES_SUFFIX
        self._signatures_ready = False
        self._codes = language_analyzers()
        self.analyzers: str | None = None  # "language" or "standard", known after setup()
        self.ilm: bool | None = None  # whether the cluster has ILM, known after setup()
        self._generation = 1
        self._months: dict[str, str] = {}  # "2024.10" -> the concrete index in the alias
        self._recent: OrderedDict[str, str] = OrderedDict()  # id -> index, written lately
        self._own = re.compile(rf"^{re.escape(index)}-(?:g(\d+)-)?(\d{{4}}\.\d{{2}})$")

    @property
    def client(self) -> Elasticsearch:
        """The connected client, for components that keep their own indices beside the
        articles (the alert ledger)."""
        return self._client

    @classmethod
    def from_url(cls, url: str, **client_options: Any) -> ElasticsearchStore:
        """A store URL: hosts, credentials and options (see newswatch.storage.es_options)."""
        connection = parse_url(url)
        options = {**connection.client_options, **client_options}
        store = cls(
            connection.hosts, index=connection.index, retention=connection.retention, **options
        )
        store.url = connection.display
        if len(connection.hosts) > 1:
            store._where = f"{store._where} (and {len(connection.hosts) - 1} more node(s))"
        return store

    # -- names -----------------------------------------------------------------------------

    def index_for(self, month: str, generation: int | None = None) -> str:
        """The concrete index of a month in a generation (1: `<index>-YYYY.MM`)."""
        generation = self._generation if generation is None else generation
        if generation <= 1:
            return f"{self.index}-{month}"
        return f"{self.index}-g{generation}-{month}"

    def _parse_own(self, name: str) -> tuple[int, str] | None:
        match = self._own.match(name)
        return (int(match.group(1) or 1), match.group(2)) if match else None

    # -- setup -----------------------------------------------------------------------------

    def setup(self) -> None:
        self._probe_cluster()
        if self._layout() == "single":
            raise self._old_layout_error()
        self._generation = self._installed_generation() or 1
        if self.ilm:
            self._put_policy()
        self._put_template(self._generation)
        self._months = self._load_months()
        if self._months:
            # Existing months get the fields added since they were created; a conflicting
            # change fails here with Elasticsearch's reason and the way out.
            try:
                self._client.indices.put_mapping(index=self.index, body=self._mappings())
            except ApiError as exc:
                if exc.meta.status == 400:
                    raise StoreError(
                        self._clean(
                            f"Elasticsearch at {self._where}: the indices of {self.index!r} "
                            f"cannot take the new mapping ({_error_reason(exc)}): run "
                            "`newswatch setup --reindex` to copy them into new ones"
                        )
                    ) from None
                raise self._api_error("update the index mapping", exc) from None
            except TransportError as exc:
                raise self._transport_error("update the index mapping", exc) from None
        else:
            # The alias exists from the start, so reads of an empty store work.
            self._month_index(month_of({}))
        self._call(
            "wait for the index",
            self._client.cluster.health,
            index=self.index,
            wait_for_status="yellow",
            timeout="30s",
        )
        self._ready = True

    def describe(self) -> dict[str, Any]:
        """What `newswatch setup` reports: layout, analyzers, ILM."""
        if not self._ready:
            self.setup()
        return {
            "alias": self.index,
            "indices": sorted(self._load_months().values()),
            "generation": self._generation,
            "analyzers": self.analyzers,
            "languages": sorted(self._codes),
            "ilm_policy": self.policy_name if self.ilm else None,
        }

    def _probe_cluster(self) -> None:
        if self.analyzers is None:
            # The language analyzers come together (analysis-common): one stands for all.
            try:
                self._client.indices.analyze(analyzer="english", text="probe")
                self.analyzers = "language"
            except ApiError as exc:
                if exc.meta.status == 403:
                    self.analyzers = "language"  # not allowed to ask: a normal cluster has them
                elif exc.meta.status == 400:
                    self.analyzers = "standard"  # "failed to find global analyzer [english]"
                else:
                    raise self._api_error("check the analyzers", exc) from None
            except TransportError as exc:
                raise self._transport_error("check the analyzers", exc) from None
        if self.ilm is None:
            try:
                self._client.ilm.get_status()
                self.ilm = True
            except ApiError:
                self.ilm = False  # no ILM module (400/404), or no right to use it (403)
            except TransportError as exc:
                raise self._transport_error("check for ILM", exc) from None

    def _layout(self) -> str:
        """`alias` (monthly indices), `single` (an index named like the alias: the layout
        before monthly indices) or `none` (nothing yet)."""
        if self._call("check the alias", self._client.indices.exists_alias, name=self.index):
            return "alias"
        if self._call("check the index", self._client.indices.exists, index=self.index):
            return "single"
        return "none"

    def _old_layout_error(self) -> StoreError:
        return StoreError(
            f"Elasticsearch at {self._where}: {self.index!r} is a single index (the layout "
            "before monthly indices): run `newswatch setup --reindex` once to move its "
            "articles into monthly indices behind an alias of the same name"
        )

    def _installed_generation(self) -> int | None:
        response = self._call(
            "read the index template",
            self._client.options(ignore_status=404).indices.get_index_template,
            name=self.template_name,
        )
        for item in response.get("index_templates", []):
            meta = item["index_template"].get("_meta") or {}
            if isinstance(meta.get("newswatch_generation"), int):
                return int(meta["newswatch_generation"])
        return None

    def _mappings(self) -> dict[str, Any]:
        mappings: dict[str, Any] = load_template()["template"]["mappings"]
        mappings["_meta"] = {**mappings.get("_meta", {}), "newswatch_alias": self.index}
        if self.analyzers == "standard":
            for name, spec in mappings["properties"].items():
                if "analyzer" in spec and name.split("_", 1)[0] in TEXT_FIELDS:
                    spec["analyzer"] = "standard"
        return mappings

    def _put_template(self, generation: int) -> None:
        body = load_template()
        body["template"]["mappings"] = self._mappings()
        body["index_patterns"] = [f"{self.index}-*.*"]
        # A longer (more specific) name wins where two stores' patterns overlap, e.g.
        # `news-*.*` and `news-de-*.*`; equal priorities with overlapping patterns are refused.
        body["priority"] = 100 + len(self.index)
        body["_meta"] = {
            **body.get("_meta", {}),
            "newswatch_alias": self.index,
            "newswatch_generation": generation,
            "newswatch_analyzers": self.analyzers,
        }
        if self.ilm:
            body["template"]["settings"]["index"]["lifecycle"] = {"name": self.policy_name}
        self._call(
            "install the index template",
            self._client.indices.put_index_template,
            name=self.template_name,
            body=body,
        )

    def _put_policy(self) -> None:
        phases: dict[str, Any] = {
            "hot": {"min_age": "0ms", "actions": {}},
            "warm": {
                "min_age": f"{WARM_AFTER.days}d",
                "actions": {"forcemerge": {"max_num_segments": 1}},
            },
        }
        if self.retention is not None:
            hours = max(1, int(self.retention.total_seconds() // 3600))
            phases["delete"] = {"min_age": f"{hours}h", "actions": {"delete": {}}}
        self._call(
            "install the lifecycle policy",
            self._client.ilm.put_lifecycle,
            name=self.policy_name,
            policy={"phases": phases, "_meta": {"managed_by": "newswatch"}},
        )

    def _load_months(self) -> dict[str, str]:
        response = self._call(
            "list the monthly indices",
            self._client.options(ignore_status=404).indices.get_alias,
            name=self.index,
        )
        found: dict[str, tuple[int, str]] = {}
        for name in response:
            parsed = self._parse_own(name)
            if parsed is None:
                continue
            generation, month = parsed
            if month not in found or found[month][0] < generation:
                found[month] = (generation, name)
        return {month: name for month, (_, name) in found.items()}

    def _month_index(self, month: str) -> str:
        """The index of a month in the alias, created (with the alias) if it is new."""
        name = self._months.get(month)
        if name is not None:
            return name
        name = self.index_for(month)
        self._create_index(name, month, alias=True)
        self._months[month] = name
        return name

    def _create_index(self, name: str, month: str, *, alias: bool) -> None:
        settings: dict[str, Any] = {}
        if self.ilm:
            # ILM ages a month's index from the end of its month, not from when it was made.
            end = _month_end(month)
            settings["index.lifecycle.origination_date"] = int(end.timestamp() * 1000)
        try:
            self._client.indices.create(
                index=name,
                aliases={self.index: {}} if alias else None,
                settings=settings or None,
            )
        except ApiError as exc:
            if _error_type(exc) != "resource_already_exists_exception":
                raise self._api_error(f"create the index {name!r}", exc) from None
            if alias:  # made by another writer at the same moment: make sure it is in
                self._call(
                    "add an index to the alias",
                    self._client.indices.put_alias,
                    index=name,
                    name=self.index,
                )
        except TransportError as exc:
            raise self._transport_error(f"create the index {name!r}", exc) from None

    # -- Store protocol --------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        wanted = distinct(urls)
        found: set[str] = set()
        for start in range(0, len(wanted), TERMS_CHUNK):
            chunk = wanted[start : start + TERMS_CHUNK]
            # Terms aggregations restricted to the asked values answer "which exist" exactly,
            # however many articles share a URL.
            response = self._call(
                "look up known URLs",
                self._client.search,
                index=self.index,
                size=0,
                query={
                    "bool": {
                        "should": [
                            {"terms": {"url": chunk}},
                            {"terms": {"canonical_url": chunk}},
                        ],
                        "minimum_should_match": 1,
                    }
                },
                aggregations={
                    field: {"terms": {"field": field, "include": chunk, "size": len(chunk)}}
                    for field in ("url", "canonical_url")
                },
            )
            for aggregation in response["aggregations"].values():
                found.update(bucket["key"] for bucket in aggregation["buckets"])
        return found.intersection(wanted)

    def put_articles(self, records: list[Record]) -> int:
        documents = list({d["id"]: d for d in map(_to_document, records)}.values())
        if not documents:
            return 0
        if not self._ready:
            self.setup()  # never let a write auto-create an index with dynamic mappings
        created = 0
        for start in range(0, len(documents), BULK_DOCS):
            created += self._write(documents[start : start + BULK_DOCS])
        return created

    def _write(self, documents: list[dict[str, Any]]) -> int:
        where = self._locate([document["id"] for document in documents])
        operations: list[dict[str, Any]] = []
        targets: dict[str, str] = {}
        for document in documents:
            target = self._month_index(month_of(document))
            operations.append({"index": {"_index": target, "_id": document["id"]}})
            operations.append(self._indexed(document))
            targets[document["id"]] = target
        response = self._call("store articles", self._client.bulk, operations=operations)
        failures: list[str] = []
        moved: list[dict[str, Any]] = []
        created = 0
        for item in response["items"]:
            result = item["index"]
            if "error" in result:
                error = result["error"]
                reason, deepest = error.get("reason"), _deepest_reason(error)
                if deepest and deepest != reason:
                    reason = f"{reason} ({deepest})"
                failures.append(f"{result['_id']}: {_shorten(str(reason), 300)}")
                continue
            article_id = result["_id"]
            self._remember(article_id, targets[article_id])
            previous = where.get(article_id)
            if previous is None and result.get("result") == "created":
                created += 1
            elif previous is not None and previous != targets[article_id]:
                # Its date moved it to another month: the new copy is written, drop the old.
                moved.append({"delete": {"_index": previous, "_id": article_id}})
        if moved:
            self._call("remove moved articles", self._client.bulk, operations=moved)
        if failures:
            more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
            raise StoreError(
                self._clean(
                    f"Elasticsearch at {self._where} rejected {len(failures)} article(s) in "
                    f"index {self.index!r}: " + "; ".join(failures[:3]) + more
                )
            )
        return created

    def _locate(self, ids: list[str]) -> dict[str, str]:
        """Which index holds each of these ids now (the ones stored already)."""
        response = self._call(
            "look up stored articles",
            self._client.search,
            index=self.index,
            query={"ids": {"values": ids}},
            size=len(ids),
            source=False,
            track_total_hits=False,
        )
        where = {hit["_id"]: hit["_index"] for hit in response["hits"]["hits"]}
        # A search sees what was refreshed; this store's own latest writes it may not see yet.
        for article_id in ids:
            if article_id in self._recent:
                where[article_id] = self._recent[article_id]
        return where

    def _remember(self, article_id: str, index: str) -> None:
        self._recent[article_id] = index
        self._recent.move_to_end(article_id)
        while len(self._recent) > RECENT_IDS:
            self._recent.popitem(last=False)

    def _indexed(self, document: dict[str, Any]) -> dict[str, Any]:
        """The document as indexed: the record, plus its text in its language's fields."""
        code = language_code(document.get("language"), self._codes)
        if code is None:
            return document
        extra = {f"{name}_{code}": document[name] for name in TEXT_FIELDS if document[name]}
        return {**document, **extra}

    def get_article(self, article_id: str) -> Record | None:
        if article_id in self._recent:
            found = self._get_from([self._recent[article_id]], article_id)
            if found is not None:
                return found
        indices = sorted(self._load_months().values())
        if not indices:
            if self._layout() == "single":
                indices = [self.index]  # reads work on the old layout until it is moved
            else:
                raise StoreError(
                    f"Elasticsearch at {self._where} has no index {self.index!r}: "
                    "run `newswatch setup` first"
                )
        return self._get_from(indices, article_id)

    def _get_from(self, indices: list[str], article_id: str) -> Record | None:
        # A realtime get in each month (a search would miss what is not refreshed yet).
        response = self._call(
            "read an article",
            self._client.mget,
            docs=[{"_index": index, "_id": article_id} for index in indices],
        )
        for doc in response["docs"]:
            if doc.get("found"):
                return _to_record(doc["_source"])
        return None

    def iter_articles(
        self, since: datetime | None = None, source: str | None = None
    ) -> Iterator[Record]:
        query = _filters(since, source)
        sort = [{"published_at": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
        after: list[Any] | None = None
        while True:
            extra = {"search_after": after} if after is not None else {}
            response = self._call(
                "list articles",
                self._client.search,
                index=self.index,
                query=query,
                sort=sort,
                size=PAGE,
                track_total_hits=False,
                **extra,
            )
            hits = response["hits"]["hits"]
            for hit in hits:
                yield _to_record(hit["_source"])
            if len(hits) < PAGE:
                return
            after = hits[-1]["sort"]

    def search(self, query: str, since: datetime | None = None, limit: int = 20) -> list[Record]:
        if not query.strip():
            raise StoreError("cannot understand the search query '': it is empty")
        text_query = {
            "query_string": {
                "query": query,
                "fields": SEARCH_FIELDS,
                "default_operator": "AND",
                "allow_leading_wildcard": False,
            }
        }
        filters = _filters(since, None)["bool"]["filter"]
        try:
            response = self._client.search(
                index=self.index,
                query={"bool": {"must": [text_query], "filter": filters}},
                sort=["_score", {"id": "asc"}],
                size=max(0, limit),
            )
        except ApiError as exc:
            if exc.meta.status == 400 and _error_type(exc) != "index_not_found_exception":
                # Everything but the user's text is ours: a 400 means the query itself.
                raise StoreError(
                    f"cannot understand the search query {_shorten(query)!r}: {_error_reason(exc)}"
                ) from None
            raise self._api_error("search", exc) from None
        except TransportError as exc:
            raise self._transport_error("search", exc) from None
        return [_to_record(hit["_source"]) for hit in response["hits"]["hits"]]

    def count(self, source: str | None = None) -> int:
        response = self._call(
            "count articles", self._client.count, index=self.index, query=_filters(None, source)
        )
        return int(response["count"])

    def flush(self) -> None:
        self._call("refresh the index", self._client.indices.refresh, index=self.index)
        self._recent.clear()  # a search sees them all now
        if self._signatures_ready:
            self._call(
                "refresh the signature index",
                self._client.indices.refresh,
                index=self.signatures_index,
            )

    # -- upgrades and housekeeping ---------------------------------------------------------

    def reindex(self, progress: Callable[[int, int], None] | None = None) -> ReindexReport:
        """Copy every article into a new generation of monthly indices built from the
        current template, verify the copy, swap the alias atomically, delete the old indices.

        Also moves a store of the single-index layout behind the alias. Stop crawls first:
        the old indices are write-blocked while they are copied. `progress(done, total)` is
        called after each batch.
        """
        self._probe_cluster()
        layout = self._layout()
        if layout == "none":
            self.setup()
            return ReindexReport(generation=self._generation)
        old = [self.index] if layout == "single" else sorted(self._load_months().values())
        previous = self._installed_generation() or 1
        generation = (
            max([previous] + [parsed[0] for name in old if (parsed := self._parse_own(name))]) + 1
        )
        if self.ilm:
            self._put_policy()
        self._put_template(generation)
        self._generation = generation
        report = ReindexReport(old_indices=old, generation=generation)
        new: dict[str, str] = {}
        self._block_writes(old, True)
        try:
            report.copied = self._copy(old, new, progress)
            if not new:  # nothing to copy: the alias still needs an index
                month = month_of({})
                new[month] = self.index_for(month)
                self._create_index(new[month], month, alias=False)
            self._finish_copy(list(new.values()))
            copied = self._call(
                "count the copied articles",
                self._client.count,
                index=",".join(new.values()),
            )["count"]
            if copied != report.copied:
                raise StoreError(
                    f"Elasticsearch at {self._where}: the copy has {copied} articles, "
                    f"{report.copied} were written; nothing was changed"
                )
        except BaseException:
            self._abandon(new, old, previous)
            raise
        actions: list[dict[str, Any]] = [
            {"add": {"index": name, "alias": self.index}} for name in new.values()
        ]
        if layout == "single":
            actions.append({"remove_index": {"index": self.index}})
        else:
            actions += [{"remove": {"index": name, "alias": self.index}} for name in old]
        self._call("swap the alias", self._client.indices.update_aliases, actions=actions)
        if layout != "single":  # remove_index already deleted the single index
            self._call("delete the old indices", self._client.indices.delete, index=old)
        report.new_indices = sorted(new.values())
        self._months = self._load_months()
        self._recent.clear()
        self._ready = True
        return report

    def _copy(
        self,
        old: list[str],
        new: dict[str, str],
        progress: Callable[[int, int], None] | None,
    ) -> int:
        pit = self._call(
            "open a point in time", self._client.open_point_in_time, index=old, keep_alive="5m"
        )["id"]
        copied, total, after = 0, 0, None
        try:
            while True:
                extra: dict[str, Any] = {"search_after": after} if after is not None else {}
                response = self._call(
                    "read the old indices",
                    self._client.search,
                    pit={"id": pit, "keep_alive": "5m"},
                    sort=["_shard_doc"],
                    size=BULK_DOCS,
                    track_total_hits=after is None,
                    **extra,
                )
                pit = response.get("pit_id", pit)
                if after is None:
                    total = response["hits"]["total"]["value"]
                hits = response["hits"]["hits"]
                if not hits:
                    break
                operations: list[dict[str, Any]] = []
                for hit in hits:
                    document = _to_document(_to_record(hit["_source"]))
                    month = month_of(document)
                    if month not in new:
                        new[month] = self.index_for(month)
                        self._create_index(new[month], month, alias=False)
                        self._call(
                            "pause refreshes of the copy",
                            self._client.indices.put_settings,
                            index=new[month],
                            settings={"index": {"refresh_interval": "-1"}},
                        )
                    operations.append({"index": {"_index": new[month], "_id": document["id"]}})
                    operations.append(self._indexed(document))
                result = self._call("copy articles", self._client.bulk, operations=operations)
                failed = [item["index"] for item in result["items"] if "error" in item["index"]]
                if failed:
                    reason = _deepest_reason(failed[0]["error"]) or failed[0]["error"]
                    raise StoreError(
                        self._clean(
                            f"Elasticsearch at {self._where} refused {len(failed)} article(s) "
                            f"of the copy ({failed[0]['_id']}: {_shorten(str(reason), 200)}); "
                            "nothing was changed"
                        )
                    )
                copied += sum(1 for item in result["items"] if item["index"]["result"] == "created")
                after = hits[-1]["sort"]
                if progress is not None:
                    progress(copied, total)
        finally:
            self._client.options(ignore_status=404).close_point_in_time(id=pit)
        return copied

    def _finish_copy(self, names: list[str]) -> None:
        if names:
            self._call(
                "resume refreshes of the copy",
                self._client.indices.put_settings,
                index=names,
                settings={"index": {"refresh_interval": None}},
            )
            self._call("refresh the copy", self._client.indices.refresh, index=names)

    def _block_writes(self, names: list[str], block: bool) -> None:
        if names:
            self._call(
                "block writes to the old indices" if block else "unblock the old indices",
                self._client.indices.put_settings,
                index=names,
                settings={"index": {"blocks": {"write": True if block else None}}},
            )

    def _abandon(self, new: dict[str, str], old: list[str], generation: int) -> None:
        """Undo a failed reindex: delete the partial copy, reopen the old indices for
        writes, restore the template's generation. Errors here must not hide the first one."""
        try:
            if new:
                self._client.options(ignore_status=404).indices.delete(index=list(new.values()))
            self._block_writes(old, False)
            self._put_template(generation)
            self._generation = generation
        except (ApiError, TransportError, StoreError):
            pass

    def drop(self) -> None:
        """Delete everything this store made: its monthly indices (or the single index of
        the old layout), its side indices, the index template and the lifecycle policy."""
        names = set(self._load_months().values())
        listed = self._call(
            "list the indices",
            self._client.options(ignore_status=404).indices.get,
            index=f"{self.index}-*",
            expand_wildcards="open,closed",
            filter_path="*.mappings._meta",
        )
        for name, body in dict(listed).items():
            meta = (body.get("mappings") or {}).get("_meta") or {}
            if self._parse_own(name) and meta.get("newswatch_alias") == self.index:
                names.add(name)  # e.g. the copy of an interrupted reindex
        names.update(
            self.index + suffix for suffix in (SIGNATURES_SUFFIX, "-alerts", "-outbox", "-sources")
        )
        if self._layout() == "single":
            names.add(self.index)
        for name in sorted(names):
            self._client.options(ignore_status=404).indices.delete(index=name)
        self._client.options(ignore_status=404).indices.delete_index_template(
            name=self.template_name
        )
        # Absent, or no ILM on this cluster (400): nothing to delete either way.
        self._client.options(ignore_status=[400, 404]).ilm.delete_lifecycle(name=self.policy_name)
        self._ready = self._signatures_ready = False
        self._months, self._recent = {}, OrderedDict()

    # -- story signatures: a side index, created on the first write --------------------------
    # Article documents keep exactly the record fields (strict mapping); the LSH band keys are
    # keyword values of documents in <index>-signatures, found with term queries.

    def put_signatures(self, entries: list[Record]) -> None:
        documents = [_signature_document(entry) for entry in entries]
        if not documents:
            return
        self._setup_signatures()
        operations: list[dict[str, Any]] = []
        for document in documents:
            operations.append({"index": {"_index": self.signatures_index, "_id": document["id"]}})
            operations.append(document)
        response = self._call("store signatures", self._client.bulk, operations=operations)
        if response.get("errors"):
            failures = [
                f"{result['_id']}: {_shorten(str(result['error'].get('reason')), 200)}"
                for result in (item["index"] for item in response["items"])
                if "error" in result
            ]
            raise StoreError(
                self._clean(
                    f"Elasticsearch at {self._where} rejected {len(failures)} signature(s) in "
                    f"index {self.signatures_index!r}: " + "; ".join(failures[:3])
                )
            )

    def find_signatures(
        self,
        ids: Iterable[str] = (),
        content_hashes: Iterable[str] = (),
        bands: Iterable[str] = (),
        limit: int = 20,
    ) -> list[Record]:
        ids = distinct(ids, TERMS_CHUNK)
        hashes = distinct(content_hashes, TERMS_CHUNK)
        band_keys = distinct(bands, TERMS_CHUNK)
        # One terms query per kind; their constant scores rank id over content hash over band
        # matches; ties (e.g. all band matches) oldest first. Scoring one clause per shared
        # band would also rank by how many bands are shared, at several times the cost.
        should: list[dict[str, Any]] = []
        if ids:
            should.append({"terms": {"id": ids, "boost": 4.0}})
        if hashes:
            should.append({"terms": {"content_hash": hashes, "boost": 2.0}})
        if band_keys:
            should.append({"terms": {"bands": band_keys, "boost": 1.0}})
        if not should or limit <= 0:
            return []
        try:
            response = self._client.search(
                index=self.signatures_index,
                query={"bool": {"should": should, "minimum_should_match": 1}},
                sort=["_score", {"seen_at": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
                size=limit,
                source_includes=list(SIGNATURE_COLUMNS),
                track_total_hits=False,
                filter_path=["hits.hits._source"],
            )
        except ApiError as exc:
            if _error_type(exc) == "index_not_found_exception":
                return []  # no signature written yet
            raise self._api_error("find signatures", exc) from None
        except TransportError as exc:
            raise self._transport_error("find signatures", exc) from None
        found = []
        for hit in response.get("hits", {}).get("hits", []):  # filter_path drops empty hits
            source = hit["_source"]
            found.append({name: source.get(name) for name in SIGNATURE_COLUMNS})
        return found

    def _setup_signatures(self) -> None:
        if self._signatures_ready:
            return
        body = load_signatures_index()
        exists = self._call(
            "check the signature index", self._client.indices.exists, index=self.signatures_index
        )
        if exists:
            self._call(
                "update the signature index mapping",
                self._client.indices.put_mapping,
                index=self.signatures_index,
                **body["mappings"],
            )
        else:
            try:
                self._client.indices.create(index=self.signatures_index, **body)
            except ApiError as exc:
                if _error_type(exc) != "resource_already_exists_exception":
                    raise self._api_error("create the signature index", exc) from None
            except TransportError as exc:
                raise self._transport_error("create the signature index", exc) from None
        self._signatures_ready = True

    def close(self) -> None:
        self._client.close()

    # -- errors ----------------------------------------------------------------------------

    def _call(self, what: str, method: Callable[..., T], **kwargs: Any) -> T:
        try:
            return method(**kwargs)
        except ApiError as exc:
            raise self._api_error(what, exc) from None
        except TransportError as exc:
            raise self._transport_error(what, exc) from None

    def _transport_error(self, what: str, exc: TransportError) -> StoreError:
        if isinstance(exc, SerializationError):  # our side: a value JSON cannot carry
            return StoreError(self._clean(f"cannot {what} in Elasticsearch: {exc}"))
        return self._unreachable(exc)

    def _unreachable(self, exc: TransportError) -> StoreError:
        text = str(exc.message) if getattr(exc, "message", None) else str(exc)
        errno = _ERRNO.search(text)
        reason = errno.group(0).strip() if errno else f"{type(exc).__name__}: {text}"
        return StoreError(self._clean(f"Elasticsearch at {self._where} is not reachable: {reason}"))

    def _api_error(self, what: str, exc: ApiError) -> StoreError:
        kind = _error_type(exc)
        if kind == "index_not_found_exception":
            return StoreError(
                f"Elasticsearch at {self._where} has no index {self.index!r}: "
                "run `newswatch setup` first"
            )
        reason = _error_reason(exc)
        return StoreError(
            self._clean(
                f"Elasticsearch at {self._where} could not {what} (HTTP {exc.meta.status}"
                f"{', ' + kind if kind else ''}): {reason}"
            )
        )

    def _clean(self, message: str) -> str:
        message = redact(message).splitlines()[0] if message else message
        for secret in self._secrets:
            message = message.replace(secret, "***")
        return message

    def __repr__(self) -> str:
        return f"ElasticsearchStore({self.url!r}, index={self.index!r})"


def _secrets_of(hosts: list[str], options: dict[str, Any]) -> list[str]:
    secrets: list[str] = []
    for host in hosts:
        password = urlsplit(host).password if "//" in host else None
        if password:
            secrets.extend({password, unquote(password)})
    auth = options.get("basic_auth")
    if isinstance(auth, tuple | list) and len(auth) == 2 and auth[1]:
        secrets.append(str(auth[1]))
    for key in ("api_key", "bearer_auth"):
        value = options.get(key)
        if isinstance(value, str) and value:
            secrets.append(value)
        elif isinstance(value, tuple | list):
            secrets.extend(str(part) for part in value[1:] if part)
    return [secret for secret in secrets if len(secret) >= 3]


def _error_type(exc: ApiError) -> str | None:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    return error.get("type") if isinstance(error, dict) else None


def _error_reason(exc: ApiError) -> str:
    """The most specific reason Elasticsearch gave, on one line."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    if not isinstance(error, dict):
        return _shorten(str(error or exc.message), 300)
    return _shorten(_deepest_reason(error) or str(error.get("type")), 300)


def _deepest_reason(error: dict[str, Any]) -> str | None:
    # Shard failures ("all shards failed") carry the cause; the innermost one says what is
    # wrong (for a query_string: the Lucene parser's "Encountered ... at line 1, column 7").
    failures = error.get("failed_shards") or []
    if failures and isinstance(failures[0], dict) and isinstance(failures[0].get("reason"), dict):
        error = failures[0]["reason"]
    else:
        causes = error.get("root_cause") or []
        if not error.get("caused_by") and causes and isinstance(causes[0], dict):
            error = causes[0]
    reason = error.get("reason")
    cause = error.get("caused_by")
    while isinstance(cause, dict):
        reason = cause.get("reason") or reason
        cause = cause.get("caused_by")
    # Lucene appends a multi-line "Was expecting one of: ..." list; the first line says it.
    return str(reason).strip().splitlines()[0] if reason and str(reason).strip() else None


def _shorten(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 3] + "..."


def _utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _filters(since: datetime | None, source: str | None) -> dict[str, Any]:
    clauses: list[dict[str, Any]] = []
    if since is not None:
        clauses.append({"range": {"published_at": {"gte": _utc_iso(since)}}})
    if source is not None:
        clauses.append({"term": {"source": source}})
    return {"bool": {"filter": clauses}}


SIGNATURE_COLUMNS = tuple(name for name in SIGNATURE_FIELDS if name != "bands")


def _signature_document(entry: Record) -> dict[str, Any]:
    unknown = set(entry) - set(SIGNATURE_FIELDS)
    if unknown:
        raise StoreError(f"signature {entry.get('id')!r} has unknown fields: {sorted(unknown)}")
    if not entry.get("id") or not isinstance(entry["id"], str):
        raise StoreError("signature without a string id")
    document = {name: entry.get(name) for name in SIGNATURE_FIELDS}
    document["size"] = int(document["size"] or 0)
    document["bands"] = [str(band) for band in document["bands"] or []]
    return document


def _to_document(record: Record) -> dict[str, Any]:
    unknown = set(record) - set(RECORD_FIELDS)
    if unknown:
        raise StoreError(f"record {record.get('id')!r} has unknown fields: {sorted(unknown)}")
    if not record.get("id") or not isinstance(record["id"], str):
        raise StoreError(f"record without a string id: url={record.get('url')!r}")
    if not record.get("url"):
        raise StoreError(f"record {record['id']!r} has no url")
    document = {name: record.get(name) for name in RECORD_FIELDS}
    for name in JSON_FIELDS:
        document[name] = document[name] or []
        try:
            json.dumps(document[name])
        except (TypeError, ValueError) as exc:
            raise StoreError(f"record {record['id']!r}: {name} is not JSON: {exc}") from None
    for name in ("title", "body"):
        document[name] = document[name] or ""
    for name, value in document.items():
        if name in JSON_FIELDS or value is None or isinstance(value, str):
            continue
        # The SQLite store takes the same records: text (ISO dates) or null.
        raise StoreError(
            f"record {record['id']!r}: {name} must be a string or None, not {type(value).__name__}"
        )
    return document


def _to_record(source: dict[str, Any]) -> Record:
    record = {name: source.get(name) for name in RECORD_FIELDS}
    for name in JSON_FIELDS:
        record[name] = record[name] or []
    return record
