"""The Elasticsearch store: article records as documents of one index, for search and Kibana.

`setup()` installs a composable index template (mappings shipped as data in
`mappings/articles.json`, `dynamic: strict`) and creates the index. Documents are keyed by the
record `id`, so writing a record again replaces it. Every failure of the server or the network
becomes a `StoreError` with one line that names the server, never its password.

Only server-core APIs are used (no ILM, data streams, security or scripting), so the plain
integ-test distribution of Elasticsearch is enough.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from importlib import resources
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from elastic_transport import SerializationError, TransportError
from elasticsearch import ApiError, Elasticsearch

from newswatch.crawler.items import RECORD_FIELDS
from newswatch.storage.base import SIGNATURE_FIELDS, Record, StoreError, distinct

DEFAULT_INDEX = "newswatch-articles"
MAPPING_FILE = "mappings/articles.json"
SIGNATURES_MAPPING_FILE = "mappings/signatures.json"
SIGNATURES_SUFFIX = "-signatures"  # the side index of story signatures: <index>-signatures
BULK_DOCS = 500
TERMS_CHUNK = 1000
PAGE = 500
SEARCH_FIELDS = ["title^2", "body"]
JSON_FIELDS = ("authors", "statements", "topics")  # lists; every other field is text or null

T = TypeVar("T")
_USERINFO = re.compile(r"(?<=//)[^/@\s]+@")
_ERRNO = re.compile(r"\[Errno -?\d+\][^)>\]]*")


def redact(url: str) -> str:
    """The URL without user:password@ (a password must never reach a log or an error)."""
    return _USERINFO.sub("", url)


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


class ElasticsearchStore:
    """Article records in an Elasticsearch index (9.x server, elasticsearch-py 9.x client)."""

    def __init__(
        self, hosts: list[str] | str, index: str = DEFAULT_INDEX, **client_options: Any
    ) -> None:
        host_list = [hosts] if isinstance(hosts, str) else list(hosts)
        if not host_list:
            raise StoreError("no Elasticsearch host given")
        self.index = index
        self.template_name = index
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

    @property
    def client(self) -> Elasticsearch:
        """The connected client, for components that keep their own indices beside the
        articles (the alert ledger)."""
        return self._client

    @classmethod
    def from_url(cls, url: str, **client_options: Any) -> ElasticsearchStore:
        """`http(s)://[user:password@]host[:port][/path][?index=name]`.

        Without a port, http means 9200 (Elasticsearch's own) and https means 443 (a proxy or
        a hosted service).
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"bad Elasticsearch URL {redact(url)!r}: expected http(s)://host:port")
        try:
            port = parts.port or (9200 if parts.scheme == "http" else 443)
        except ValueError as exc:
            raise StoreError(f"bad Elasticsearch URL {redact(url)!r}: {exc}") from None
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        node = urlunsplit((parts.scheme, f"{host}:{port}", parts.path.rstrip("/"), "", ""))
        query = parse_qs(parts.query)
        index = query.get("index", [DEFAULT_INDEX])[-1] or DEFAULT_INDEX
        if parts.username is not None:
            client_options.setdefault(
                "basic_auth", (unquote(parts.username), unquote(parts.password or ""))
            )
        store = cls(node, index=index, **client_options)
        if "index" in query:
            store.url = f"{node}?index={index}"
        return store

    # -- Store protocol --------------------------------------------------------------------

    def setup(self) -> None:
        template = load_template()
        template["index_patterns"] = [self.index]
        self._call(
            "install the index template",
            self._client.indices.put_index_template,
            name=self.template_name,
            **template,
        )
        exists = self._call("check the index", self._client.indices.exists, index=self.index)
        if not exists:
            try:
                self._client.indices.create(index=self.index)
            except ApiError as exc:
                if _error_type(exc) != "resource_already_exists_exception":
                    raise self._api_error("create the index", exc) from None
            except TransportError as exc:
                raise self._transport_error("create the index", exc) from None
        else:
            # An existing index gets the fields added since it was created; a conflicting
            # change fails here with Elasticsearch's reason.
            self._call(
                "update the index mapping",
                self._client.indices.put_mapping,
                index=self.index,
                **template["template"]["mappings"],
            )
        self._call(
            "wait for the index",
            self._client.cluster.health,
            index=self.index,
            wait_for_status="yellow",
            timeout="30s",
        )
        self._ready = True

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
        documents = [_to_document(record) for record in records]
        if not documents:
            return 0
        if not self._ready:
            self.setup()  # never let a write auto-create the index with dynamic mappings
        created: set[str] = set()
        for start in range(0, len(documents), BULK_DOCS):
            operations: list[dict[str, Any]] = []
            for document in documents[start : start + BULK_DOCS]:
                operations.append({"index": {"_index": self.index, "_id": document["id"]}})
                operations.append(document)
            response = self._call("store articles", self._client.bulk, operations=operations)
            failures: list[str] = []
            for item in response["items"]:
                result = item["index"]
                if "error" in result:
                    error = result["error"]
                    reason, deepest = error.get("reason"), _deepest_reason(error)
                    if deepest and deepest != reason:
                        reason = f"{reason} ({deepest})"
                    failures.append(f"{result['_id']}: {_shorten(str(reason), 300)}")
                elif result.get("result") == "created":
                    created.add(result["_id"])
            if failures:
                more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
                raise StoreError(
                    self._clean(
                        f"Elasticsearch at {self._where} rejected {len(failures)} article(s) in "
                        f"index {self.index!r}: " + "; ".join(failures[:3]) + more
                    )
                )
        return len(created)

    def get_article(self, article_id: str) -> Record | None:
        try:
            response = self._client.get(index=self.index, id=article_id)
        except ApiError as exc:
            if exc.meta.status == 404 and _error_type(exc) is None:
                return None  # the index exists, the document does not
            raise self._api_error("read an article", exc) from None
        except TransportError as exc:
            raise self._transport_error("read an article", exc) from None
        return _to_record(response["_source"])

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
        if self._signatures_ready:
            self._call(
                "refresh the signature index",
                self._client.indices.refresh,
                index=self.signatures_index,
            )

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
