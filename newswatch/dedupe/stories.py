"""Story assignment: which story an article joins, given the signatures it may match.

Pure logic over signature entries (dicts with newswatch.storage.base.SIGNATURE_FIELDS); the
pipeline (newswatch.pipelines.dedupe) fetches candidates from the store and from its in-crawl
index and writes the entry `assign()` returns.

Rules, in order:
1. the same id is stored already: a re-fetch or a revision (changed body); it keeps its story
   and `duplicate_of`;
2. another article has the same content hash (normalised body): an exact copy;
3. a candidate sharing an LSH band is confirmed by newswatch.dedupe.same_story: a near copy;
   short texts (no signature) skip this step;
4. otherwise a new story, named after the article (`story_id = id`).
Among several confirmed matches the article joins the one seen first (the original), so
`duplicate_of` points at the earliest copy and every copy gets the same story.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newswatch.dedupe import Fingerprint, decode_signature, jaccard, same_story

Entry = dict[str, Any]

NEW, SAME, REVISION, EXACT, NEAR = "new", "same", "revision", "exact", "near"


@dataclass
class Assignment:
    kind: str  # new | same (re-fetch, unchanged) | revision | exact | near
    story_id: str
    duplicate_of: str | None
    similarity: float
    entry: Entry  # the signature entry to store for the article


def _seen_key(entry: Entry) -> tuple[str, str]:
    return (entry.get("seen_at") or "~", entry.get("id") or "")


def assign(
    article_id: str,
    content_hash: str | None,
    fp: Fingerprint,
    candidates: Iterable[Entry],
    seen_at: str,
) -> Assignment:
    candidates = list(candidates)

    def entry(story_id: str, duplicate_of: str | None, first_seen: str = seen_at) -> Entry:
        return {
            "id": article_id,
            "story_id": story_id,
            "duplicate_of": duplicate_of,
            "content_hash": content_hash,
            "size": fp.size,
            "signature": fp.encoded(),
            "bands": list(fp.bands),
            "seen_at": first_seen,
        }

    for candidate in candidates:
        if candidate.get("id") == article_id:
            story = candidate.get("story_id") or article_id
            duplicate_of = candidate.get("duplicate_of")
            kind = SAME if candidate.get("content_hash") == content_hash else REVISION
            first_seen = candidate.get("seen_at") or seen_at
            kept = entry(story, duplicate_of, first_seen)
            return Assignment(kind, story, duplicate_of, 1.0, kept)

    others = [c for c in candidates if c.get("id") != article_id]
    if content_hash:
        exact = sorted((c for c in others if c.get("content_hash") == content_hash), key=_seen_key)
        if exact:
            first = exact[0]
            story = first.get("story_id") or first["id"]
            return Assignment(EXACT, story, first["id"], 1.0, entry(story, first["id"]))

    if fp.signature is not None:
        confirmed: list[tuple[tuple[str, str], float, Entry]] = []
        for candidate in others:
            encoded = candidate.get("signature")
            if not encoded:
                continue
            estimate = jaccard(fp.signature, decode_signature(encoded))
            if same_story(estimate, fp.size, int(candidate.get("size") or 0)):
                confirmed.append((_seen_key(candidate), -estimate, candidate))
        if confirmed:
            _, negative, first = min(confirmed, key=lambda item: (item[0], item[1]))
            story = first.get("story_id") or first["id"]
            return Assignment(NEAR, story, first["id"], -negative, entry(story, first["id"]))

    return Assignment(NEW, article_id, None, 0.0, entry(article_id, None))


def join_claim(assignment: Assignment, winner: Entry) -> Assignment:
    """A new story whose exact copy another worker claimed first (same content hash, in the
    same moment): it joins the winner's story instead."""
    story = winner.get("story_id") or winner["id"]
    entry = {**assignment.entry, "story_id": story, "duplicate_of": winner["id"],
             "seen_at": assignment.entry["seen_at"]}  # fmt: skip
    return Assignment(EXACT, story, winner["id"], 1.0, entry)


def settle_bands(
    assignment: Assignment, fp: Fingerprint, won: set[str], rivals: Iterable[Entry]
) -> Assignment:
    """A new story after its band claims (`Store.claim_bands`): near copies stored by
    other workers in the same moment (signatures not yet written, so `assign` did not see
    them) hold some of its bands. Among the rivals confirmed as the same story, the article
    yields to one that holds every band they share (that one never saw this article); when
    each holds some of the shared bands (both see the other), the earlier (seen_at, id)
    keeps its story, so both sides decide alike."""
    if fp.signature is None:
        return assignment
    mine = assignment.entry
    my_bands = set(mine.get("bands") or ())
    winners: list[tuple[tuple[str, str], float, Entry]] = []
    for rival in rivals:
        encoded = rival.get("signature")
        if not encoded or rival.get("id") == mine["id"]:
            continue
        estimate = jaccard(fp.signature, decode_signature(encoded))
        if not same_story(estimate, fp.size, int(rival.get("size") or 0)):
            continue
        shared = my_bands & set(rival.get("bands") or ())
        if shared & won and _seen_key(mine) < _seen_key(rival):
            continue  # it sees this article too, and yields to it
        winners.append((_seen_key(rival), -estimate, rival))
    if not winners:
        return assignment
    _, negative, first = min(winners, key=lambda item: (item[0], item[1]))
    story = first.get("story_id") or first["id"]
    entry = {**mine, "story_id": story, "duplicate_of": first["id"]}
    return Assignment(NEAR, story, first["id"], -negative, entry)


class MemoryIndex:
    """The signatures seen in this crawl, so copies arriving before the store has them are
    found; bounded (oldest forgotten first), so memory does not grow with the archive."""

    def __init__(self, capacity: int = 20_000) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._by_hash: dict[str, set[str]] = {}
        self._by_band: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, entry: Entry) -> None:
        self._remove(entry["id"])
        self._entries[entry["id"]] = entry
        if entry.get("content_hash"):
            self._by_hash.setdefault(entry["content_hash"], set()).add(entry["id"])
        for band in entry.get("bands") or ():
            self._by_band.setdefault(band, set()).add(entry["id"])
        while len(self._entries) > self.capacity:
            self._remove(next(iter(self._entries)))

    def find(
        self, ids: Iterable[str], content_hashes: Iterable[str], bands: Iterable[str]
    ) -> list[Entry]:
        found: dict[str, Entry] = {}
        for article_id in ids:
            if article_id in self._entries:
                found[article_id] = self._entries[article_id]
        for content_hash in content_hashes:
            for article_id in self._by_hash.get(content_hash, ()):
                found[article_id] = self._entries[article_id]
        for band in bands:
            for article_id in self._by_band.get(band, ()):
                found[article_id] = self._entries[article_id]
        return list(found.values())

    def _remove(self, article_id: str) -> None:
        old = self._entries.pop(article_id, None)
        if old is None:
            return
        if old.get("content_hash"):
            ids = self._by_hash.get(old["content_hash"])
            if ids:
                ids.discard(article_id)
                if not ids:
                    del self._by_hash[old["content_hash"]]
        for band in old.get("bands") or ():
            ids = self._by_band.get(band)
            if ids:
                ids.discard(article_id)
                if not ids:
                    del self._by_band[band]
