"""A percolator index for the tests and benchmarks that check `newswatch.topics.to_es_query`
against the real Elasticsearch: registered topics in one index, `match(article)` -> topic
names, exactly as `TopicMatcher.match` says in Python.

With the percolator module (every normal distribution) the topics are stored in a
`percolator` field and `match` runs a `percolate` query. The minimal `integ-test-zip`
distribution ships without it; there the index stores the translated queries as data and
`match` indexes the article once and runs all topics against it as named queries
(`matched_queries`, in batches via `_msearch`); only the topics whose anchor terms occur in the
article are sent, unless `prefilter=False`. `Percolator.mode` says which one is used.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from elasticsearch import BadRequestError, Elasticsearch

from newswatch.topics import (
    KEYWORD_FIELDS,
    STATEMENT_FIELDS,
    TEXT_FIELDS,
    Document,
    TopicQuery,
    TopicQueryError,
    topic_es_query,
)

if TYPE_CHECKING:
    from newswatch.config import Topic

ARTICLE_PROPERTIES: dict[str, Any] = {
    "title": {"type": "text", "analyzer": "standard"},
    "body": {"type": "text", "analyzer": "standard"},
    "source": {"type": "keyword"},
    "language": {"type": "keyword"},
    "domain": {"type": "keyword"},
    "statements": {
        "type": "nested",
        "properties": {
            "speaker": {"type": "text", "analyzer": "standard"},
            "quote": {"type": "text", "analyzer": "standard"},
        },
    },
}
_TOPIC_PROPERTIES: dict[str, Any] = {
    "kind": {"type": "keyword"},
    "topic": {"type": "keyword"},
    "order": {"type": "integer"},
    "query_text": {"type": "keyword", "index": False},
}
BATCH = 250  # topics per search in "search" mode (keeps clause counts far below the limit)


def article_document(article: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an article record that topics are matched against."""
    doc: dict[str, Any] = {name: article.get(name) for name in TEXT_FIELDS + KEYWORD_FIELDS}
    doc["statements"] = [
        {name: statement.get(name) for name in STATEMENT_FIELDS}
        for statement in article.get("statements") or ()
        if isinstance(statement, Mapping)
    ]
    return {key: value for key, value in doc.items() if value not in (None, [])}


class Percolator:
    """Registered topics in one Elasticsearch index; `match(article)` -> topic names."""

    def __init__(
        self, client_or_url: Elasticsearch | str, index: str, *, prefilter: bool = True
    ) -> None:
        if isinstance(client_or_url, str):
            self.client, self._owns_client = Elasticsearch(client_or_url), True
        else:
            self.client, self._owns_client = client_or_url, False
        self.index = index
        self.mode: str | None = None  # "percolate" or "search", known after setup()
        self._queries: list[tuple[str, dict[str, Any]]] | None = None
        # "search" mode only: send just the topics whose anchor terms occur in the article
        # (the same necessary condition TopicMatcher uses); False sends every topic.
        self.prefilter = prefilter
        self._anchors: list[frozenset[str] | None] | None = None
        self._probe = f"probe:{uuid.uuid4().hex}"  # one scratch document per instance

    # -- setup ---------------------------------------------------------------------------

    def setup(self) -> None:
        """Create the index if absent (idempotent); find out which mode the server allows."""
        if self.client.indices.exists(index=self.index):
            mapping = self.client.indices.get_mapping(index=self.index)
            properties = mapping[self.index]["mappings"].get("properties", {})
            is_percolator = properties.get("query", {}).get("type") == "percolator"
            self.mode = "percolate" if is_percolator else "search"
            return
        for mode in ("percolate", "search"):
            query_field = (
                {"type": "percolator"}
                if mode == "percolate"
                else {"type": "object", "enabled": False}
            )
            mappings = {
                "dynamic": False,
                "properties": {**ARTICLE_PROPERTIES, **_TOPIC_PROPERTIES, "query": query_field},
            }
            try:
                self.client.indices.create(
                    index=self.index, mappings=mappings, settings={"number_of_replicas": 0}
                )
            except BadRequestError as exc:
                error = str(exc)
                if "resource_already_exists_exception" in error:
                    self.mode = None
                    return self.setup()
                if mode == "percolate" and "percolator" in error:
                    continue  # no percolator module on this server: fall back
                raise
            self.mode = mode
            return

    def _ensure(self) -> None:
        if self.mode is None:
            self.setup()

    # -- topics --------------------------------------------------------------------------

    def register(self, topics: Sequence[Topic]) -> None:
        """Make `topics` the registered set (replacing any earlier one); visible at once."""
        self._ensure()
        queries = []
        for topic in topics:
            try:
                queries.append((topic.name, topic_es_query(topic), topic.query))
            except TopicQueryError as exc:
                raise TopicQueryError(
                    exc.query, exc.position, f"topic {topic.name!r}: {exc.problem}"
                ) from None
        operations: list[dict[str, Any]] = []
        for order, (name, query, text) in enumerate(queries):
            operations.append({"index": {"_index": self.index, "_id": f"topic:{name}"}})
            operations.append(
                {"kind": "topic", "topic": name, "order": order, "query": query, "query_text": text}
            )
        if operations:
            response = self.client.bulk(operations=operations, refresh=True)
            if response.get("errors"):
                failed = [item for item in response["items"] if item["index"].get("error")]
                raise RuntimeError(f"registering topics failed: {failed[0]['index']['error']}")
        # No _delete_by_query (a module the minimal distribution lacks): find and delete.
        keep = {f"topic:{name}" for name, _, _ in queries}
        existing = self.client.search(
            index=self.index, query={"term": {"kind": "topic"}}, size=10_000, source=False
        )
        stale = [hit["_id"] for hit in existing["hits"]["hits"] if hit["_id"] not in keep]
        if stale:
            self.client.bulk(
                operations=[{"delete": {"_index": self.index, "_id": i}} for i in stale],
                refresh=True,
            )
        self._queries = [(name, query) for name, query, _ in queries]
        self._anchors = [TopicQuery.parse(topic.query).anchor for topic in topics]

    def _registered(self) -> list[tuple[str, dict[str, Any]]]:
        if self._queries is None:
            response = self.client.search(
                index=self.index,
                query={"term": {"kind": "topic"}},
                size=10_000,
                sort=[{"order": "asc"}],
                source_includes=["topic", "query", "query_text"],
            )
            hits = response["hits"]["hits"]
            self._queries = [(hit["_source"]["topic"], hit["_source"]["query"]) for hit in hits]
            self._anchors = [TopicQuery.parse(hit["_source"]["query_text"]).anchor for hit in hits]
        return self._queries

    # -- matching ------------------------------------------------------------------------

    def match(self, article: Mapping[str, Any]) -> list[str]:
        """Names of the registered topics the article matches, in registration order."""
        self._ensure()
        document = article_document(article)
        if self.mode == "percolate":
            response = self.client.search(
                index=self.index,
                query={"percolate": {"field": "query", "document": document}},
                size=10_000,
                sort=[{"order": "asc"}],
                source_includes=["topic"],
            )
            return [hit["_source"]["topic"] for hit in response["hits"]["hits"]]
        return self._match_by_search(document)

    def _match_by_search(self, document: dict[str, Any]) -> list[str]:
        queries = self._registered()
        selected = list(range(len(queries)))
        if self.prefilter and self._anchors is not None:
            terms = Document(document).terms
            anchors = self._anchors
            selected = [i for i in selected if (a := anchors[i]) is None or not a.isdisjoint(terms)]
        if not selected:
            return []
        # The scratch document is overwritten by the next match and deleted by close().
        self.client.index(
            index=self.index, id=self._probe, document={**document, "kind": "probe"},
            refresh=True,
        )  # fmt: skip
        searches: list[dict[str, Any]] = []
        for start in range(0, len(selected), BATCH):
            should = [
                {"bool": {"filter": [queries[i][1]], "_name": str(i)}}
                for i in selected[start : start + BATCH]
            ]
            searches.append({"index": self.index})
            searches.append({
                "query": {"bool": {"filter": [{"ids": {"values": [self._probe]}}],
                                   "should": should}},
                "size": 1, "_source": False,
            })  # fmt: skip
        response = self.client.msearch(searches=searches)
        matched: set[int] = set()
        for result in response["responses"]:
            if "error" in result:
                raise RuntimeError(f"topic search failed: {result['error']}")
            for hit in result["hits"]["hits"]:
                names = hit.get("matched_queries") or []
                matched.update(int(name) for name in names)
        return [queries[i][0] for i in sorted(matched)]

    # -- housekeeping ----------------------------------------------------------------------

    def delete_index(self) -> None:
        self.client.options(ignore_status=404).indices.delete(index=self.index)
        self.mode, self._queries = None, None

    def close(self) -> None:
        if self.mode == "search":
            self.client.options(ignore_status=404).delete(index=self.index, id=self._probe)
        if self._owns_client:
            self.client.close()
