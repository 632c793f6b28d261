"""The article record: what the spider yields, the pipelines fill in and the store keeps.

Field names are the design's contract (README: "Article record"); export, SQLite and
Elasticsearch all use them unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Article:
    id: str
    url: str
    canonical_url: str
    source: str
    domain: str
    title: str
    body: str
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    published_at: str | None = None
    published_at_raw: str | None = None
    published_at_source: str | None = None
    modified_at: str | None = None
    fetched_at: str | None = None
    story_id: str | None = None
    duplicate_of: str | None = None
    content_hash: str | None = None
    statements: list[dict[str, Any]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    # Not stored: what discovery and extraction knew, for the stages that come after.
    hints: dict[str, Any] = field(default_factory=dict, repr=False)

    def record(self) -> dict[str, Any]:
        """The stored/exported record (everything but the transient hints)."""
        data = asdict(self)
        data.pop("hints")
        return data


RECORD_FIELDS: tuple[str, ...] = tuple(
    name for name in Article.__dataclass_fields__ if name != "hints"
)
