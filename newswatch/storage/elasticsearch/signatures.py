"""The story-signature side index: exact hashes and LSH bands of every article, looked up
when a copy of a story arrives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError

from newswatch.storage.base import SIGNATURE_FIELDS, Record, StoreError, distinct
from newswatch.storage.elasticsearch.connection import _error_type, _shorten
from newswatch.storage.elasticsearch.layout import Layout

SIGNATURES_MAPPING_FILE = "mappings/signatures.json"


def load_signatures_index() -> dict[str, Any]:
    """Settings and mappings of the story-signature side index (shipped as data)."""
    text = resources.files("newswatch.storage").joinpath(SIGNATURES_MAPPING_FILE).read_text("utf-8")
    body: dict[str, Any] = json.loads(text)
    body.pop("_meta", None)
    return body


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


TERMS_CHUNK = 1000
PRUNE_PAGE, PRUNE_PAGES = 2000, 20  # band claims deleted per prune: at most 40,000


class Signatures(Layout):
    """The story-signature side index: writes and band/hash look-ups."""

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

    def claim_story(self, entry: Record) -> Record:
        from elasticsearch import ApiError, ConflictError, TransportError

        content_hash = entry.get("content_hash")
        if not content_hash:
            return entry
        self._setup_signatures()
        document = _signature_document(entry)
        claim_id = f"claim:{content_hash}"
        try:
            self._client.index(
                index=self.signatures_index, id=claim_id, document=document, op_type="create"
            )
            return entry
        except ConflictError:  # claimed first by another worker (or an earlier crawl)
            pass
        except ApiError as exc:
            raise self._api_error("claim a story", exc) from None
        except TransportError as exc:
            raise self._transport_error("claim a story", exc) from None
        found = self._call("read a story claim", self._client.get,
                           index=self.signatures_index, id=claim_id)  # fmt: skip
        return dict(found["_source"])

    def claim_bands(self, entry: Record) -> tuple[set[str], list[Record]]:
        bands = [str(band) for band in entry.get("bands") or ()]
        content_hash = entry.get("content_hash")
        if not bands or not content_hash:
            return set(bands), []
        self._setup_signatures()
        operations: list[dict[str, Any]] = []
        for band in bands:
            operations.append({"create": {"_index": self.signatures_index, "_id": f"band:{band}"}})
            operations.append({"claim_hash": content_hash, "seen_at": entry.get("seen_at")})
        response = self._call("claim story bands", self._client.bulk, operations=operations,
                              filter_path=["errors", "items.*.status", "items.*._id"])  # fmt: skip
        lost: list[str] = []
        for band, item in zip(bands, response.get("items", []), strict=False):
            status = item["create"]["status"]
            if status == 409:
                lost.append(band)
            elif status >= 300:
                raise StoreError(
                    f"Elasticsearch at {self._where} refused the claim of band {band!r} in "
                    f"index {self.signatures_index!r} (status {status})"
                )
        won = set(bands) - set(lost)
        if not lost:
            return won, []
        held = self._call("read story band claims", self._client.mget,
                          index=self.signatures_index, ids=[f"band:{b}" for b in lost])  # fmt: skip
        hashes = distinct(
            doc["_source"].get("claim_hash", "") for doc in held["docs"] if doc.get("found")
        )
        hashes = [h for h in hashes if h != content_hash]
        if not hashes:
            return won, []
        claim_ids = [f"claim:{h}" for h in hashes]
        claims = self._call("read story claims", self._client.mget,
                            index=self.signatures_index, ids=claim_ids)  # fmt: skip
        return won, [dict(doc["_source"]) for doc in claims["docs"] if doc.get("found")]

    def prune_band_claims(self, before: str) -> None:
        # band claims are the documents without an article id; a search and a bulk delete
        # a page at a time (no _delete_by_query: a node without the reindex module lacks it)
        query = {"bool": {"must_not": {"exists": {"field": "id"}},
                          "filter": {"range": {"seen_at": {"lt": before}}}}}  # fmt: skip
        for _ in range(PRUNE_PAGES):
            try:
                found = self._client.search(
                    index=self.signatures_index, query=query, size=PRUNE_PAGE, source=False,
                    track_total_hits=False, filter_path=["hits.hits._id"],
                )  # fmt: skip
            except ApiError as exc:
                if _error_type(exc) == "index_not_found_exception":
                    return
                raise self._api_error("find old story band claims", exc) from None
            except TransportError as exc:
                raise self._transport_error("find old story band claims", exc) from None
            ids = [hit["_id"] for hit in found.get("hits", {}).get("hits", [])]
            if not ids:
                return
            operations = [{"delete": {"_index": self.signatures_index, "_id": i}} for i in ids]
            self._call("prune story band claims", self._client.bulk, operations=operations,
                       refresh=True)  # fmt: skip
            if len(ids) < PRUNE_PAGE:
                return

    def update_claim(self, entry: Record) -> None:
        content_hash = entry.get("content_hash")
        if not content_hash:
            return
        self._setup_signatures()
        self._call("update a story claim", self._client.index, index=self.signatures_index,
                   id=f"claim:{content_hash}", document=_signature_document(entry))  # fmt: skip

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
