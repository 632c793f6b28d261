"""Moving every article into a new generation of monthly indices (a new mapping, or the
old one-index layout), checked, and the alias swapped in one step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError

from newswatch.storage.base import StoreError
from newswatch.storage.elasticsearch.articles import BULK_DOCS, Articles, _to_document, _to_record
from newswatch.storage.elasticsearch.connection import _deepest_reason, _shorten
from newswatch.storage.elasticsearch.layout import month_of


@dataclass
class ReindexReport:
    """What `reindex()` did."""

    copied: int = 0
    old_indices: list[str] = field(default_factory=list)
    new_indices: list[str] = field(default_factory=list)
    generation: int = 1


class Reindex(Articles):
    """A new generation of monthly indices, checked, and the alias swapped in one step."""

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
