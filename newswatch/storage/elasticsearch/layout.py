"""Monthly indices behind one alias: the index template (shipped as data), the language
analyzers, ILM, the months, setup and describe, drop.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError

from newswatch.storage.base import Record, StoreError
from newswatch.storage.elasticsearch.connection import Connection, _error_reason, _error_type
from newswatch.storage.elasticsearch.names import SIGNATURES_SUFFIX, load_template


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


WARM_AFTER = timedelta(days=30)  # ILM: force-merge a month's index this long after it ends


_MONTH = re.compile(r"^(\d{4})-(\d{2})")


TEXT_FIELDS = ("title", "body")


class Layout(Connection):
    """Monthly indices behind one alias: template, analyzers, ILM, setup, describe, drop."""

    def index_for(self, month: str, generation: int | None = None) -> str:
        """The concrete index of a month in a generation (1: `<index>-YYYY.MM`)."""
        generation = self._generation if generation is None else generation
        if generation <= 1:
            return f"{self.index}-{month}"
        return f"{self.index}-g{generation}-{month}"

    def _parse_own(self, name: str) -> tuple[int, str] | None:
        match = self._own.match(name)
        return (int(match.group(1) or 1), match.group(2)) if match else None

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
            self.index + suffix
            for suffix in (SIGNATURES_SUFFIX, "-alerts", "-outbox", "-sources", "-leases")
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
