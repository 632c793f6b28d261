"""The Kibana saved objects against the real Elasticsearch, and `newswatch kibana`.

Kibana itself cannot run here, so each object's queries are run the way Kibana would send
them: a saved search as its Lucene query plus its query filters; a Lens visualization as the
aggregations its columns describe (buckets nested in column order, metrics inside), within the
dashboard's time range. Each must run without error and return what the fixture articles say
(topic matches computed independently, by the Python topic matcher).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newswatch.config import Topic, load_config
from newswatch.kibana.objects import saved_objects, to_ndjson
from newswatch.records import Article
from newswatch.storage.elasticsearch import ElasticsearchStore
from newswatch.topics import TopicMatcher
from tests.cli import newswatch

TOPICS = [
    Topic("nk-troops", '("North Korea" OR "Korea Utara") AND (troops OR pasukan)', ("en", "id")),
    Topic("german-soldiers", "Soldaten OR Soldat*", sources=("dw",)),
    Topic("rutte-quotes", "speaker:Rutte AND quote:confirm"),
    Topic("korea-not-seoul", "Korea* NOT Seoul"),
    Topic("reuters-kursk", "source:REUTERS AND Kursk"),
]
NOW = datetime.now(UTC).replace(microsecond=0)


def quote(speaker: str, text: str) -> dict[str, Any]:
    return {"speaker": speaker, "quote": text, "cue": "said", "language": "en", "kind": "direct"}


def article(key: str, days_ago: int, source: str, domain: str, language: str, title: str,
            body: str, story: str, **fields: Any) -> dict[str, Any]:  # fmt: skip
    record = Article(
        id=f"id-{key}",
        url=f"https://{domain}/{key}",
        canonical_url=f"https://{domain}/{key}",
        source=source,
        domain=domain,
        title=title,
        body=body,
    ).record()
    published = (NOW - timedelta(days=days_ago)).isoformat()
    record.update(language=language, published_at=published, story_id=story, **fields)
    return record


CORPUS = [
    article("r1", 3, "reuters", "reuters.com", "en", "North Korean troops reach Kursk",
            "North Korea sent troops to the Kursk region, officials said.", "s-kursk",
            topics=["nk-troops"],
            statements=[quote("Mark Rutte", "We cannot confirm these reports yet.")]),
    article("a1", 4, "antara", "antaranews.com", "id", "Pasukan Korea Utara tiba di Kursk",
            "Ribuan pasukan Korea Utara dikirim ke Rusia.", "s-kursk", topics=["nk-troops"],
            statements=[quote("Juru bicara", "Pasukan itu tiba pekan lalu.")]),
    article("d1", 2, "dw", "dw.com", "de", "Nordkoreanische Soldaten in Kursk",
            "Soldaten aus Nordkorea sind in Russland.", "s-kursk"),
    article("y1", 5, "yonhap", "yna.co.kr", "en", "Seoul weighs its response",
            "South Korea will respond to troops in Russia, Seoul said.", "s-seoul",
            topics=["nk-troops"],
            statements=[quote("Yoon Suk Yeol", "We will respond decisively."),
                        quote("Mark Rutte", "NATO stands with Seoul.")]),
    article("r2", 8, "reuters", "reuters.com", "en", "Rice harvest ends early",
            "Farmers in Java finished the harvest.", "s-rice"),
    article("a2", 9, "antara", "antaranews.com", "id", "Panen padi selesai",
            "Petani di Jawa menyelesaikan panen.", "s-rice"),
]  # fmt: skip


@pytest.fixture(scope="module")
def es(es_url: str) -> Iterator[ElasticsearchStore]:
    index = f"newswatch-test-kibana-{uuid.uuid4().hex[:8]}"
    store = ElasticsearchStore.from_url(f"{es_url}?index={index}")
    try:
        store.setup()
        store.put_articles(CORPUS)
        store.flush()
        yield store
    finally:
        store.drop()
        store.close()


@pytest.fixture(scope="module")
def objects(es: ElasticsearchStore) -> dict[str, dict[str, Any]]:
    lines = to_ndjson(saved_objects(es.index, TOPICS)).splitlines()
    return {obj["attributes"]["title"]: obj for obj in map(json.loads, lines)}


def time_range(objects: dict[str, dict[str, Any]]) -> dict[str, Any]:
    (board,) = [o for o in objects.values() if o["type"] == "dashboard"]
    attributes = board["attributes"]
    assert attributes["timeRestore"] is True
    return {"range": {"published_at": {"gte": attributes["timeFrom"], "lte": attributes["timeTo"]}}}


def kibana_query(query: dict[str, str], filters: list[dict[str, Any]]) -> dict[str, Any]:
    """The query Kibana sends for a search source: its Lucene query and its filters."""
    clauses = []
    if query["query"]:
        assert query["language"] == "lucene"  # KQL would be translated by Kibana itself
        clauses.append({"query_string": {"query": query["query"]}})
    for pill in filters:
        if pill["meta"].get("disabled"):
            continue
        clause = pill["query"]
        clauses.append({"bool": {"must_not": [clause]}} if pill["meta"].get("negate") else clause)
    return {"bool": {"filter": clauses}}


def expected_for(topic: Topic) -> set[str]:
    matcher = TopicMatcher([topic])
    return {record["id"] for record in CORPUS if matcher.match(record)}


@pytest.mark.elasticsearch
@pytest.mark.parametrize("topic", TOPICS, ids=[t.name for t in TOPICS])
def test_each_topic_search_finds_what_the_topic_matches(
    es: ElasticsearchStore, objects: dict[str, dict[str, Any]], topic: Topic
) -> None:
    expected = expected_for(topic)
    assert expected and expected != {r["id"] for r in CORPUS}  # the case says something
    search = objects[f"Topic: {topic.name}"]
    source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
    query = kibana_query(source["query"], source["filter"])
    sort = [{field: order} for field, order in search["attributes"]["sort"]]
    response = es.client.search(index=es.index, query=query, sort=sort, size=100)
    assert {hit["_id"] for hit in response["hits"]["hits"]} == expected
    dates = [hit["_source"]["published_at"] for hit in response["hits"]["hits"]]
    assert dates == sorted(dates, reverse=True)  # newest first


@pytest.mark.elasticsearch
def test_latest_statements_lists_the_quoted_articles(
    es: ElasticsearchStore, objects: dict[str, dict[str, Any]]
) -> None:
    search = objects["Latest statements"]
    source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
    query = kibana_query(source["query"], source["filter"])
    response = es.client.search(index=es.index, query=query, sort=[{"published_at": "desc"}])
    assert [hit["_id"] for hit in response["hits"]["hits"]] == ["id-r1", "id-a1", "id-y1"]
    for column in search["attributes"]["columns"]:
        assert column in response["hits"]["hits"][0]["_source"]


def metric(column: dict[str, Any]) -> dict[str, Any]:
    operation = column["operationType"]
    if operation == "unique_count":
        return {"cardinality": {"field": column["sourceField"]}}
    if operation == "last_value":
        return {
            "top_hits": {
                "size": 1,
                "sort": [{column["params"]["sortField"]: "desc"}],
                "_source": False,
                "docvalue_fields": [column["sourceField"]],
            }
        }
    raise AssertionError(f"no translation for {operation}")


def lens_request(lens: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The aggregations a Lens layer asks for: buckets nested in column order, metrics in
    the innermost bucket (`count` is each bucket's doc_count). Also the bucket column ids."""
    state = lens["attributes"]["state"]
    (layer,) = state["datasourceStates"]["indexpattern"]["layers"].values()
    columns, order = layer["columns"], layer["columnOrder"]
    buckets = [c for c in order if columns[c]["isBucketed"]]
    aggs = {
        c: metric(columns[c])
        for c in order
        if not columns[c]["isBucketed"] and columns[c]["operationType"] != "count"
    }
    for cid in reversed(buckets):
        column = columns[cid]
        field = column["sourceField"]
        if column["operationType"] == "date_histogram":
            bucket: dict[str, Any] = {
                "date_histogram": {"field": field, "calendar_interval": "day"}
            }
        else:
            by = column["params"]["orderBy"]["columnId"]
            key = "_count" if columns[by]["operationType"] == "count" else by
            direction = column["params"]["orderDirection"]
            size = column["params"]["size"]
            bucket = {"terms": {"field": field, "size": size, "order": {key: direction}}}
        if aggs:
            bucket["aggs"] = aggs
        aggs = {cid: bucket}
    return aggs, buckets


def run_lens(es: ElasticsearchStore, objects: dict, title: str) -> dict[str, Any]:
    lens = objects[title]
    state = lens["attributes"]["state"]
    query = kibana_query(state["query"], state["filters"])
    query["bool"]["filter"].append(time_range(objects))
    aggs, _ = lens_request(lens)
    return es.client.search(index=es.index, query=query, aggs=aggs, size=0)["aggregations"]


@pytest.mark.elasticsearch
def test_articles_over_time_by_source_and_by_topic(
    es: ElasticsearchStore, objects: dict[str, dict[str, Any]]
) -> None:
    result = run_lens(es, objects, "Articles over time by source")
    per_source = {
        b["key"]: sum(d["doc_count"] for d in b["when"]["buckets"])
        for b in result["group"]["buckets"]
    }
    assert per_source == Counter(r["source"] for r in CORPUS)
    days = {
        day["key_as_string"][:10]
        for group in result["group"]["buckets"]
        for day in group["when"]["buckets"]
        if day["doc_count"]
    }
    assert days == {r["published_at"][:10] for r in CORPUS}

    result = run_lens(es, objects, "Articles over time by topic")
    per_topic = {
        b["key"]: sum(d["doc_count"] for d in b["when"]["buckets"])
        for b in result["group"]["buckets"]
    }
    assert per_topic == {"nk-troops": 3}


@pytest.mark.elasticsearch
def test_top_speakers(es: ElasticsearchStore, objects: dict[str, dict[str, Any]]) -> None:
    result = run_lens(es, objects, "Top speakers")
    buckets = [(b["key"], b["doc_count"]) for b in result["speaker"]["buckets"]]
    assert buckets[0] == ("Mark Rutte", 2)  # quoted in two articles
    assert dict(buckets) == {"Mark Rutte": 2, "Juru bicara": 1, "Yoon Suk Yeol": 1}


@pytest.mark.elasticsearch
def test_stories_by_number_of_outlets(
    es: ElasticsearchStore, objects: dict[str, dict[str, Any]]
) -> None:
    result = run_lens(es, objects, "Stories by number of outlets")
    rows = [
        (b["key"], b["outlets"]["value"], b["doc_count"],
         b["headline"]["hits"]["hits"][0]["fields"]["title.keyword"][0])
        for b in result["story"]["buckets"]
    ]  # fmt: skip
    assert rows == [
        ("s-kursk", 3, 3, "Nordkoreanische Soldaten in Kursk"),  # newest of the three
        ("s-rice", 2, 2, "Rice harvest ends early"),
        ("s-seoul", 1, 1, "Seoul weighs its response"),
    ]


@pytest.mark.elasticsearch
def test_every_field_the_objects_use_exists_on_the_alias(
    es: ElasticsearchStore, objects: dict[str, dict[str, Any]]
) -> None:
    caps = es.client.field_caps(index=es.index, fields="*")["fields"]
    (view,) = [o for o in objects.values() if o["type"] == "index-pattern"]
    assert view["attributes"]["title"] == es.index
    assert "date" in caps[view["attributes"]["timeFieldName"]]
    for lens in (o for o in objects.values() if o["type"] == "lens"):
        (layer,) = lens["attributes"]["state"]["datasourceStates"]["indexpattern"][
            "layers"
        ].values()
        for column in layer["columns"].values():
            for field in (column.get("sourceField"), column.get("params", {}).get("sortField")):
                if field and field != "___records___":
                    (cap,) = caps[field].values()
                    assert cap["aggregatable"], (lens["attributes"]["title"], field)


# -- `newswatch kibana export` and `import` ----------------------------------------------


class FakeKibana:
    """Kibana's import endpoint on 127.0.0.1: keeps each request, answers `reply`."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.reply: tuple[int, dict[str, Any]] = (200, {"success": True, "successCount": 0})
        kibana = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                kibana.requests.append((self.path, headers, body))
                status, payload = kibana.reply
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def uploaded(self, body: bytes, content_type: str) -> str:
        message = message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        (part,) = message.get_payload()
        assert part.get_param("name", header="content-disposition") == "file"
        assert part.get_filename().endswith(".ndjson")
        return part.get_payload(decode=True).decode("utf-8")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def kibana() -> Iterator[FakeKibana]:
    server = FakeKibana()
    try:
        yield server
    finally:
        server.close()


def write_config(tmp_path: Path, store: str) -> Path:
    topics = "".join(f"  - {{name: {t.name}, query: '{t.query}'}}\n" for t in TOPICS[:2])
    path = tmp_path / "newswatch.yaml"
    path.write_text(
        f"store: '{store}'\nsources:\n  - {{name: dw, feeds: ['https://dw.com/rss']}}\n"
        f"topics:\n{topics}",
        "utf-8",
    )
    return path


def test_export_prints_the_objects_for_the_configs_alias(tmp_path: Path) -> None:
    config = write_config(tmp_path, "https://es.example.org:9243?index=desk-news")
    result = newswatch("kibana", "export", "-c", str(config))
    assert result.returncode == 0, result.stderr
    topics = load_config(config).topics
    assert result.stdout == to_ndjson(saved_objects("desk-news", topics))
    titles = [json.loads(line)["attributes"]["title"] for line in result.stdout.splitlines()]
    assert "Topic: nk-troops" in titles and "newswatch: desk-news" in titles


def test_import_posts_the_ndjson_to_kibana(tmp_path: Path, kibana: FakeKibana) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9200?index=desk-news")
    exported = newswatch("kibana", "export", "-c", str(config)).stdout
    count = len(exported.splitlines())
    kibana.reply = (200, {"success": True, "successCount": count})
    url = kibana.url.replace("//", "//analyst:s%3Acret@")
    result = newswatch("kibana", "import", "-c", str(config), "--url", url, "--space", "desk")
    assert result.returncode == 0, result.stderr
    assert f"imported {count} saved objects" in result.stdout
    ((path, headers, body),) = kibana.requests
    assert path == "/s/desk/api/saved_objects/_import?overwrite=true"
    assert headers["kbn-xsrf"]
    assert headers["authorization"] == "Basic YW5hbHlzdDpzOmNyZXQ="  # analyst:s:cret
    assert kibana.uploaded(body, headers["content-type"]) == exported

    kibana.requests.clear()
    result = newswatch(
        "kibana", "import", "-c", str(config), "--url", kibana.url, "--api-key", "a2V5"
    )
    assert result.returncode == 0, result.stderr
    ((path, headers, _),) = kibana.requests
    assert path == "/api/saved_objects/_import?overwrite=true"
    assert headers["authorization"] == "ApiKey a2V5"


def test_import_failures_are_one_line_and_exit_1(tmp_path: Path, kibana: FakeKibana) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9200?index=desk-news")
    kibana.reply = (
        200,
        {
            "success": False,
            "successCount": 0,
            "errors": [{"type": "lens", "id": "x", "error": {"type": "unsupported_type"}}],
        },
    )
    result = newswatch("kibana", "import", "-c", str(config), "--url", kibana.url)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"newswatch: Kibana at {kibana.url} refused 1 object(s): lens x: unsupported_type"
    ]
    kibana.reply = (401, {"statusCode": 401, "message": "Unauthorized"})
    url = kibana.url.replace("//", "//analyst:wrong-pw@")
    result = newswatch("kibana", "import", "-c", str(config), "--url", url)
    assert result.returncode == 1
    assert "HTTP 401 (check the credentials): Unauthorized" in result.stderr
    assert "wrong-pw" not in result.stderr
    result = newswatch("kibana", "import", "-c", str(config))
    assert result.returncode == 2 and "needs --url" in result.stderr
    sqlite = write_config(tmp_path, "sqlite:///news.db")
    result = newswatch("kibana", "export", "-c", str(sqlite))
    assert result.returncode == 1 and "needs an Elasticsearch store" in result.stderr
