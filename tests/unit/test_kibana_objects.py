"""The Kibana saved objects are in the saved-objects import format (structure only; the
queries they hold are run against the real Elasticsearch in tests/integration/test_kibana_es.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from newswatch.config import Topic
from newswatch.kibana.objects import CORE_VERSION, TYPE_VERSIONS, saved_objects, to_ndjson
from newswatch.storage.elasticsearch import load_template

TOPICS = [
    Topic("nk-troops", '("North Korea" OR "Korea Utara") AND (troops OR pasukan)', ("en", "id")),
    Topic("rutte", "speaker:Rutte", sources=("reuters",)),
]


@pytest.fixture(scope="module")
def lines() -> list[dict[str, Any]]:
    text = to_ndjson(saved_objects("news-alias", TOPICS))
    assert text.endswith("\n") and "\n\n" not in text
    return [json.loads(line) for line in text.splitlines()]


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def by_id(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {obj["id"]: obj for obj in lines}


def test_every_line_is_a_saved_object_kibana_8_and_9_import(lines: list[dict[str, Any]]) -> None:
    assert len({(o["type"], o["id"]) for o in lines}) == len(lines)  # no duplicates
    for obj in lines:
        assert set(obj) >= {"type", "id", "attributes", "references"}
        assert obj["type"] in TYPE_VERSIONS
        assert isinstance(obj["attributes"], dict) and obj["attributes"]["title"]
        # 8.8 introduced typeMigrationVersion; nothing may claim a version newer than 8.8's
        # own objects, or an 8.8 Kibana would refuse it as coming from the future.
        assert obj["coreMigrationVersion"] == CORE_VERSION == "8.8.0"
        assert version(obj["typeMigrationVersion"]) <= (8, 8, 0)
        for ref in obj["references"]:
            assert set(ref) == {"name", "type", "id"}


def test_every_reference_resolves_within_the_file(lines: list[dict[str, Any]]) -> None:
    known = {(o["type"], o["id"]) for o in lines}
    for obj in lines:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in known, (obj["id"], ref)
    # referenced objects come first, so an import never meets a dangling reference
    seen: set[tuple[str, str]] = set()
    for obj in lines:
        assert all((r["type"], r["id"]) in seen for r in obj["references"]), obj["id"]
        seen.add((obj["type"], obj["id"]))


def test_data_view_on_the_alias_with_published_at(lines: list[dict[str, Any]]) -> None:
    (view,) = [o for o in lines if o["type"] == "index-pattern"]
    attributes = view["attributes"]
    assert attributes["title"] == "news-alias"
    assert attributes["timeFieldName"] == "published_at"
    for name in ("fields", "fieldFormatMap", "fieldAttrs", "runtimeFieldMap", "sourceFilters"):
        json.loads(attributes[name])  # serialised JSON, as Kibana keeps them
    assert json.loads(attributes["fieldFormatMap"])["url"] == {"id": "url"}


def test_one_saved_search_per_topic_with_its_query(lines: list[dict[str, Any]]) -> None:
    searches = {o["attributes"]["title"]: o for o in lines if o["type"] == "search"}
    assert set(searches) == {"Topic: nk-troops", "Topic: rutte", "Latest statements"}
    view_id = next(o["id"] for o in lines if o["type"] == "index-pattern")
    for obj in searches.values():
        source = json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        refs = {r["name"]: r for r in obj["references"]}
        assert refs[source["indexRefName"]]["id"] == view_id
        assert source["query"]["language"] in ("lucene", "kuery")
        for position, pill in enumerate(source["filter"]):
            assert pill["meta"]["type"] == "custom" and "query" in pill
            assert pill["meta"]["indexRefName"].endswith(f"filter[{position}].meta.index")
            assert refs[pill["meta"]["indexRefName"]]["id"] == view_id
            assert json.loads(pill["meta"]["value"]) == pill["query"]
        assert obj["attributes"]["sort"] == [["published_at", "desc"]]
    nk = searches["Topic: nk-troops"]
    assert "Korea Utara" in nk["attributes"]["description"]
    pill = json.loads(nk["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])["filter"][0]
    assert "Korea Utara" in json.dumps(pill["query"]) and '"language"' in json.dumps(pill["query"])


def lens_columns(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    layers = obj["attributes"]["state"]["datasourceStates"]["indexpattern"]["layers"]
    (layer,) = layers.values()
    assert sorted(layer["columnOrder"]) == sorted(layer["columns"])
    # buckets first, then metrics (Lens nests the buckets in this order)
    kinds = [layer["columns"][c]["isBucketed"] for c in layer["columnOrder"]]
    assert kinds == sorted(kinds, reverse=True)
    return dict(layer["columns"])


def test_lens_objects_reference_their_layer_and_mapped_fields(lines: list[dict[str, Any]]) -> None:
    properties = load_template()["template"]["mappings"]["properties"]
    aggregatable = {n for n, s in properties.items() if s["type"] in ("keyword", "date")}
    aggregatable |= {"title.keyword"}
    lenses = [o for o in lines if o["type"] == "lens"]
    assert {o["attributes"]["title"] for o in lenses} == {
        "Articles over time by source",
        "Articles over time by topic",
        "Top speakers",
        "Stories by number of outlets",
    }
    for obj in lenses:
        state = obj["attributes"]["state"]
        (layer_id,) = state["datasourceStates"]["indexpattern"]["layers"]
        names = {r["name"] for r in obj["references"]}
        assert f"indexpattern-datasource-layer-{layer_id}" in names
        columns = lens_columns(obj)
        for column in columns.values():
            if column["operationType"] != "count":
                assert column["sourceField"] in aggregatable, column
            order = column.get("params", {}).get("orderBy", {})
            if order.get("type") == "column":
                assert order["columnId"] in columns
        visualization = state["visualization"]
        if obj["attributes"]["visualizationType"] == "lnsXY":
            (xy,) = visualization["layers"]
            used = [xy["xAccessor"], *xy["accessors"], xy.get("splitAccessor")]
            assert {c for c in used if c} <= set(columns) and xy["layerId"] == layer_id
        else:
            assert visualization["layerId"] == layer_id
            assert {c["columnId"] for c in visualization["columns"]} == set(columns)


def test_dashboard_panels_point_at_the_objects(lines: list[dict[str, Any]]) -> None:
    objects = by_id(lines)
    (board,) = [o for o in lines if o["type"] == "dashboard"]
    panels = json.loads(board["attributes"]["panelsJSON"])
    refs = {r["name"]: r for r in board["references"]}
    shown = []
    for panel in panels:
        ref = refs[f"{panel['panelIndex']}:{panel['panelRefName']}"]
        assert ref["type"] == panel["type"] == objects[ref["id"]]["type"]
        assert panel["gridData"]["i"] == panel["panelIndex"]
        grid = panel["gridData"]
        assert grid["x"] + grid["w"] <= 48 and grid["w"] > 0 and grid["h"] > 0
        shown.append(objects[ref["id"]]["attributes"]["title"])
    assert shown == [
        "Articles over time by source",
        "Articles over time by topic",
        "Top speakers",
        "Stories by number of outlets",
        "Latest statements",
    ]
    json.loads(board["attributes"]["optionsJSON"])
    json.loads(board["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])


def test_ids_follow_the_alias_so_two_stores_do_not_collide() -> None:
    first = {o["id"] for o in saved_objects("news-a", TOPICS)}
    second = {o["id"] for o in saved_objects("news-b", TOPICS)}
    assert first.isdisjoint(second)
    assert first == {o["id"] for o in saved_objects("news-a", TOPICS)}  # stable: re-import
