"""Article records: idempotent bulk writes by id (moved when their month changes), reads,
search, count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError

from newswatch.records import RECORD_FIELDS
from newswatch.storage.base import Record, StoreError, distinct
from newswatch.storage.elasticsearch.connection import (
    _deepest_reason,
    _error_reason,
    _error_type,
    _shorten,
)
from newswatch.storage.elasticsearch.layout import TEXT_FIELDS, month_of
from newswatch.storage.elasticsearch.names import language_code
from newswatch.storage.elasticsearch.signatures import TERMS_CHUNK, Signatures

BULK_DOCS = 500


PAGE = 500


SEARCH_FIELDS = ["title^2", "body"]


JSON_FIELDS = ("authors", "statements", "topics")  # lists; every other field is text or null


RECENT_IDS = 50_000  # ids this store wrote, remembered until a search can see them


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


class Articles(Signatures):
    """Article records: idempotent bulk writes by id, reads, search, count."""

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
