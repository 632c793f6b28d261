"""Names and data of the Elasticsearch layout that every part of the store shares: the
template shipped as data, the language fields, the signatures index's suffix."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

MAPPING_FILE = "mappings/articles.json"


def load_template() -> dict[str, Any]:
    """The index template body shipped with the package (without index_patterns)."""
    text = resources.files("newswatch.storage").joinpath(MAPPING_FILE).read_text("utf-8")
    template: dict[str, Any] = json.loads(text)
    return template


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


LANGUAGE_ALIASES = {"nb": "no", "nn": "no", "in": "id", "iw": "he", "zh_hans": "zh"}

SIGNATURES_SUFFIX = "-signatures"  # the side index of story signatures: <index>-signatures
