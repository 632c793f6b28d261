"""Kibana saved objects (NDJSON, the saved-objects import format) for the articles alias.

What `newswatch kibana export` writes, for the alias of the config's store:

* a data view on the alias, `published_at` as its time field (URLs shown as links);
* a saved search per topic: the topic's query as an Elasticsearch query filter (the same query
  the alerts use: `newswatch.topics.topic_es_query`, so Discover shows exactly
  what the topic matches, speaker and quote clauses included), plus its language and source
  filters; and a saved search "Latest statements" (articles that carry quotes);
* Lens visualizations: articles over time by source and by topic, top speakers, stories by
  number of outlets; and a dashboard with them and the latest statements.

Format: one JSON object per line with `type`, `id`, `attributes`, `references`,
`coreMigrationVersion` and `typeMigrationVersion`. The type versions are those of objects
exported by Kibana 8.8 or older, and the attributes have the shape of those versions, so
Kibana 8.8 and later (9.x included) import them and bring them up to date with their own
migrations. Ids are derived from the alias name, so importing again replaces the objects
instead of duplicating them, and two stores get separate objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newswatch.config import Topic

CORE_VERSION = "8.8.0"
TYPE_VERSIONS = {
    "index-pattern": "8.0.0",
    "search": "7.9.3",
    "lens": "8.5.0",  # datasource "indexpattern"; Kibana 8.6+ renames it on import
    "dashboard": "8.7.0",
}
TIME_FIELD = "published_at"
SEARCH_COLUMNS = ["source", "language", "title", "url"]
INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"
LAYER = "layer1"


def object_id(index: str, kind: str) -> str:
    return f"newswatch-{index}-{kind}"


def _saved(kind: str, ident: str, attributes: dict[str, Any], references: list) -> dict:
    return {
        "type": kind,
        "id": ident,
        "attributes": attributes,
        "references": references,
        "coreMigrationVersion": CORE_VERSION,
        "typeMigrationVersion": TYPE_VERSIONS[kind],
        "managed": False,
    }


def data_view(index: str) -> dict[str, Any]:
    formats = {name: {"id": "url"} for name in ("url", "canonical_url")}
    attributes = {
        "title": index,
        "name": f"newswatch articles ({index})",
        "timeFieldName": TIME_FIELD,
        "fields": "[]",
        "fieldFormatMap": json.dumps(formats),
        "fieldAttrs": "{}",
        "runtimeFieldMap": "{}",
        "sourceFilters": "[]",
        "allowHidden": False,
    }
    return _saved("index-pattern", object_id(index, "data-view"), attributes, [])


def query_filter(label: str, query: dict[str, Any], position: int) -> dict[str, Any]:
    """A Kibana filter pill holding an Elasticsearch query (Discover: "Edit as Query DSL")."""
    return {
        "meta": {
            "alias": label,
            "type": "custom",
            "key": "query",
            "value": json.dumps(query),
            "disabled": False,
            "negate": False,
            "indexRefName": f"kibanaSavedObjectMeta.searchSourceJSON.filter[{position}].meta.index",
        },
        "query": query,
        "$state": {"store": "appState"},
    }


def saved_search(
    index: str,
    kind: str,
    title: str,
    description: str,
    filters: Sequence[tuple[str, dict[str, Any]]],
    columns: Sequence[str] = SEARCH_COLUMNS,
    query: str = "",
) -> dict[str, Any]:
    """A Discover search on the data view: a Lucene query (may be empty) and query filters."""
    view = object_id(index, "data-view")
    pills = [query_filter(label, dsl, i) for i, (label, dsl) in enumerate(filters)]
    source = {
        "query": {"query": query, "language": "lucene"},
        "filter": pills,
        "indexRefName": INDEX_REF,
    }
    attributes = {
        "title": title,
        "description": description,
        "columns": list(columns),
        "sort": [[TIME_FIELD, "desc"]],
        "hits": 0,
        "version": 1,
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source)},
    }
    references = [{"name": INDEX_REF, "type": "index-pattern", "id": view}]
    references += [
        {"name": pill["meta"]["indexRefName"], "type": "index-pattern", "id": view}
        for pill in pills
    ]
    return _saved("search", object_id(index, kind), attributes, references)


def topic_search(index: str, topic: Topic) -> dict[str, Any]:
    from newswatch.topics import topic_es_query

    details = [f"Articles matching the topic {topic.name!r}: {topic.query}"]
    if topic.languages:
        details.append(f"languages: {', '.join(topic.languages)}")
    if topic.sources:
        details.append(f"sources: {', '.join(topic.sources)}")
    if topic.exclude_quality:
        details.append(f"without pages flagged {', '.join(topic.exclude_quality)}")
    return saved_search(
        index,
        f"topic-{topic.name}",
        f"Topic: {topic.name}",
        "; ".join(details),
        [(f"topic: {topic.name}", topic_es_query(topic))],
    )


STATEMENTS_QUERY = {
    "nested": {"path": "statements", "query": {"exists": {"field": "statements.quote"}}}
}


def statements_search(index: str) -> dict[str, Any]:
    return saved_search(
        index,
        "latest-statements",
        "Latest statements",
        "Articles that carry quotes, newest first (the statements column: speaker and quote).",
        [("has statements", STATEMENTS_QUERY)],
        columns=["source", "title", "statements"],
    )


# -- Lens -------------------------------------------------------------------------------------


def _count(label: str = "Articles") -> dict[str, Any]:
    return {
        "label": label,
        "customLabel": True,
        "dataType": "number",
        "operationType": "count",
        "isBucketed": False,
        "scale": "ratio",
        "sourceField": "___records___",
        "params": {"emptyAsNull": True},
    }


def _terms(field: str, label: str, size: int, order_by: str) -> dict[str, Any]:
    return {
        "label": label,
        "customLabel": True,
        "dataType": "string",
        "operationType": "terms",
        "isBucketed": True,
        "scale": "ordinal",
        "sourceField": field,
        "params": {
            "size": size,
            "orderBy": {"type": "column", "columnId": order_by},
            "orderDirection": "desc",
            "otherBucket": False,
            "missingBucket": False,
            "parentFormat": {"id": "terms"},
        },
    }


def _histogram(field: str = TIME_FIELD) -> dict[str, Any]:
    return {
        "label": "Published",
        "customLabel": True,
        "dataType": "date",
        "operationType": "date_histogram",
        "isBucketed": True,
        "scale": "interval",
        "sourceField": field,
        "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False},
    }


def _lens(
    index: str,
    kind: str,
    title: str,
    description: str,
    visualization_type: str,
    columns: dict[str, dict[str, Any]],
    visualization: dict[str, Any],
) -> dict[str, Any]:
    state = {
        "datasourceStates": {
            "indexpattern": {"layers": {LAYER: {"columns": columns, "columnOrder": list(columns)}}}
        },
        "visualization": visualization,
        "query": {"query": "", "language": "lucene"},
        "filters": [],
    }
    attributes = {
        "title": title,
        "description": description,
        "visualizationType": visualization_type,
        "state": state,
    }
    view = object_id(index, "data-view")
    references = [
        {"type": "index-pattern", "id": view, "name": name}
        for name in (
            "indexpattern-datasource-current-indexpattern",
            f"indexpattern-datasource-layer-{LAYER}",
        )
    ]
    return _saved("lens", object_id(index, kind), attributes, references)


def _xy(series: str, x: str, y: str, split: str | None = None) -> dict[str, Any]:
    layer = {
        "layerId": LAYER,
        "layerType": "data",
        "seriesType": series,
        "xAccessor": x,
        "accessors": [y],
    }
    if split:
        layer["splitAccessor"] = split
    return {
        "preferredSeriesType": series,
        "legend": {"isVisible": True, "position": "right"},
        "valueLabels": "hide",
        "layers": [layer],
    }


def articles_over_time(index: str, field: str, label: str) -> dict[str, Any]:
    # Top 10 values over the whole period (the outer bucket), then the intervals.
    columns = {"group": _terms(field, label, 10, "count"), "when": _histogram(), "count": _count()}
    return _lens(
        index,
        f"articles-by-{field}",
        f"Articles over time by {label.lower()}",
        f"Stored articles per interval of {TIME_FIELD}, stacked by {field}.",
        "lnsXY",
        columns,
        _xy("bar_stacked", "when", "count", "group"),
    )


def top_speakers(index: str) -> dict[str, Any]:
    columns = {"speaker": _terms("speakers", "Speaker", 20, "count"), "count": _count()}
    return _lens(
        index,
        "top-speakers",
        "Top speakers",
        "Who is quoted in the most articles (speakers: every statement's speaker).",
        "lnsXY",
        columns,
        _xy("bar_horizontal", "speaker", "count"),
    )


def stories_by_outlets(index: str) -> dict[str, Any]:
    columns = {
        "story": _terms("story_id", "Story", 20, "outlets"),
        "outlets": {
            "label": "Outlets",
            "customLabel": True,
            "dataType": "number",
            "operationType": "unique_count",
            "isBucketed": False,
            "scale": "ratio",
            "sourceField": "domain",
            "params": {"emptyAsNull": True},
        },
        "count": _count(),
        "headline": {
            "label": "Latest headline",
            "customLabel": True,
            "dataType": "string",
            "operationType": "last_value",
            "isBucketed": False,
            "scale": "ordinal",
            "sourceField": "title.keyword",
            "params": {"sortField": TIME_FIELD, "showArrayValues": False},
        },
    }
    visualization = {
        "layerId": LAYER,
        "layerType": "data",
        "columns": [{"columnId": name} for name in columns],
        "sorting": {"columnId": "outlets", "direction": "desc"},
    }
    return _lens(
        index,
        "stories-by-outlets",
        "Stories by number of outlets",
        "Stories (story_id: copies of one story across outlets) carried by the most domains.",
        "lnsDatatable",
        columns,
        visualization,
    )


# -- dashboard ----------------------------------------------------------------------------


def dashboard(index: str, panels: Iterable[tuple[dict[str, Any], dict[str, int]]]) -> dict:
    entries, references = [], []
    for number, (saved, grid) in enumerate(panels, start=1):
        panel_index = str(number)
        entries.append(
            {
                "version": CORE_VERSION,
                "type": saved["type"],
                "gridData": {**grid, "i": panel_index},
                "panelIndex": panel_index,
                "embeddableConfig": {"enhancements": {}},
                "panelRefName": f"panel_{panel_index}",
            }
        )
        references.append(
            {"name": f"{panel_index}:panel_{panel_index}", "type": saved["type"], "id": saved["id"]}
        )
    attributes = {
        "title": f"newswatch: {index}",
        "description": "Articles over time by source and topic, top speakers, stories by "
        "number of outlets, latest statements.",
        "panelsJSON": json.dumps(entries),
        "optionsJSON": json.dumps(
            {"useMargins": True, "syncColors": False, "hidePanelTitles": False}
        ),
        "timeRestore": True,
        "timeFrom": "now-30d",
        "timeTo": "now",
        "refreshInterval": {"pause": True, "value": 60000},
        "version": 1,
        "kibanaSavedObjectMeta": {
            "searchSourceJSON": json.dumps(
                {"query": {"query": "", "language": "lucene"}, "filter": []}
            )
        },
    }
    return _saved("dashboard", object_id(index, "dashboard"), attributes, references)


def saved_objects(index: str, topics: Sequence[Topic] = ()) -> list[dict[str, Any]]:
    """Every object, referenced ones before those that reference them."""
    by_source = articles_over_time(index, "source", "Source")
    by_topic = articles_over_time(index, "topics", "Topic")
    speakers = top_speakers(index)
    stories = stories_by_outlets(index)
    statements = statements_search(index)
    board = dashboard(
        index,
        [
            (by_source, {"x": 0, "y": 0, "w": 24, "h": 15}),
            (by_topic, {"x": 24, "y": 0, "w": 24, "h": 15}),
            (speakers, {"x": 0, "y": 15, "w": 18, "h": 16}),
            (stories, {"x": 18, "y": 15, "w": 30, "h": 16}),
            (statements, {"x": 0, "y": 31, "w": 48, "h": 18}),
        ],
    )
    searches = [topic_search(index, topic) for topic in topics]
    return [data_view(index), *searches, statements, by_source, by_topic, speakers, stories, board]


def to_ndjson(objects: Iterable[dict[str, Any]]) -> str:
    """One object per line, as Kibana's export writes them."""
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)
