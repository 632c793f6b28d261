"""The same topic query means the same thing in Python and in Elasticsearch.

A shared corpus of short articles (en, id, de) and queries covering every operator: the Python
matcher (`TopicMatcher`) and the Elasticsearch percolator (`Percolator`) must return exactly the
same topics for every article, and the tokenizer must agree with the server's `standard`
analyzer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from newswatch.config import Topic
from newswatch.topics import TopicMatcher, TopicQuery, to_es_query, tokenize
from tests.es_percolator import Percolator

pytestmark = pytest.mark.elasticsearch


def _a(i, lang, source, title, body, statements=()):
    return {
        "id": f"a{i}",
        "title": title,
        "body": body,
        "language": lang,
        "source": source,
        "domain": {"antara": "en.antaranews.com", "kompas": "www.kompas.com",
                   "tagesschau": "www.tagesschau.de", "reuters": "www.reuters.com"}[source],
        "statements": [{"speaker": s, "quote": q} for s, q in statements],
    }  # fmt: skip


CORPUS = [
    _a(1, "en", "reuters", "North Korean troops deployed to Russia's Kursk region",
       "Seoul said about 1,000 North Korean soldiers had arrived in Kursk.",
       [("Vladimir Putin", "We will respond to any aggression."),
        ("the Kremlin", "We have no comment on troop movements.")]),
    _a(2, "en", "reuters", "Kremlin denies reports of troops",
       "The Kremlin on Tuesday denied that foreign troops were fighting in Russia.",
       [("Dmitry Peskov", "These reports are false.")]),
    _a(3, "en", "antara", "Troops of North and South Korea meet at border",
       "Korea North officials said the troop exercise ended peacefully.", []),
    _a(4, "en", "reuters", "Ukraine says it captured soldiers",
       "Volodymyr Zelensky said Ukrainian forces captured two soldiers from North Korea.",
       [("Volodymyr Zelensky", "We captured two North Korean soldiers.")]),
    _a(5, "en", "antara", "Rice prices rise in Jakarta",
       "Prices of rice rose by 3.5 per cent in Jakarta's markets, traders said.", []),
    _a(6, "en", "reuters", "NATO chief Rutte warns of escalation",
       "Mark Rutte said the deployment of North Korean troops was a dangerous escalation.",
       [("Mark Rutte", "This is a dangerous escalation.")]),
    _a(7, "en", "reuters", "U.S. sanctions on Pyongyang",
       "The U.S. imposed new sanctions on Pyongyang's weapons programme.", []),
    _a(8, "en", "antara", "Floods in Sumatra", "Heavy rain caused floods in West Sumatra.", []),
    _a(9, "en", "reuters", "Lavrov meets Choe Son Hui in Moscow",
       "Sergei Lavrov and North Korea's foreign minister discussed cooperation.",
       [("Sergei Lavrov", "Our relations are at a very high level.")]),
    _a(10, "en", "reuters", "Troopers and trooping the colour",
       "Trooping the colour took place in London; troopers rode past.", []),
    _a(11, "en", "antara", "Korea talks in Jakarta",
       "Delegations from Korea met in Jakarta, North of the old town.", []),
    _a(12, "en", "reuters", "Soldiers return home",
       "Soldiers returned home after the war ended in the north.", []),
    _a(13, "id", "antara", "Pasukan Korea Utara dikirim ke Rusia",
       "Badan intelijen Korea Selatan mengatakan pasukan Korea Utara tiba di Rusia.",
       [("Kim Yong-hyun", "Pasukan itu akan dikirim ke garis depan.")]),
    _a(14, "id", "kompas", "Harga beras naik di Jakarta",
       "Harga beras naik tiga persen di pasar Jakarta, kata pedagang.", []),
    _a(15, "id", "kompas", "Korea-Utara kirim tentara",
       "Tentara Korea-Utara dikirim untuk membantu Rusia, kata pejabat.", []),
    _a(16, "id", "antara", "Presiden bertemu pasukan perdamaian",
       "Presiden bertemu pasukan perdamaian Indonesia di Lebanon.",
       [("Prabowo Subianto", "Saya bangga dengan pasukan kita.")]),
    _a(17, "id", "kompas", "Kremlin membantah laporan",
       "Kremlin membantah laporan tentang pasukan asing di Rusia.",
       [("Kremlin", "Laporan itu palsu.")]),
    _a(18, "id", "antara", "Banjir di Sumatra Barat", "Hujan deras menyebabkan banjir.", []),
    _a(19, "de", "tagesschau", "Nordkoreanische Soldaten in Russland",
       "Nordkorea hat nach Angaben Südkoreas Soldaten nach Russland geschickt.",
       [("Selenskyj", "Wir haben zwei Soldaten gefangen genommen.")]),
    _a(20, "de", "tagesschau", "Kreml dementiert Berichte über Truppen",
       "Der Kreml wies Berichte über nordkoreanische Truppen zurück.",
       [("Dmitri Peskow", "Das sind Falschmeldungen.")]),
    _a(21, "de", "tagesschau", "Nordkorea testet Rakete",
       "Nordkorea hat erneut eine ballistische Rakete getestet.", []),
    _a(22, "de", "tagesschau", "Soldaten üben in Bayern",
       "Soldaten der Bundeswehr üben in Bayern für den Ernstfall.", []),
    _a(23, "de", "tagesschau", "Rutte warnt vor Eskalation",
       "NATO-Generalsekretär Rutte sagte, die Lage sei ernst.",
       [("Mark Rutte", "Die Lage ist ernst.")]),
    _a(24, "en", "reuters", "Putin thanks Kim", "Putin thanked Kim Jong Un for the troops.",
       [("Vladimir Putin", "We thank our Korean friends.")]),
    _a(25, "en", "antara", "Weather", "", []),
    _a(26, "en", "reuters", "Korea, North: a profile",
       "North-east of Seoul lies the demilitarised zone. Korea's north is closed.", []),
    _a(27, "en", "reuters", "Troops", "troops troops troops", []),
    _a(28, "de", "tagesschau", "Nordkoreas Truppen: Was bekannt ist",
       "Mehr als 10.000 Soldaten sollen in Kursk sein, sagte Selenskyj.",
       [("Selenskyj", "Mehr als 10.000 Soldaten.")]),
    _a(29, "id", "kompas", "Kata menteri soal Korea Utara",
       "Menteri luar negeri mengatakan bahwa Korea Utara harus menahan diri.", []),
    _a(30, "en", "antara", "Market report",
       "Shares in Seoul and Tokyo fell; North American markets rose.", []),
]  # fmt: skip

QUERIES = {
    "nk-troops": '("North Korea" OR "Korea Utara" OR Nordkorea OR "North Korean") AND '
    "(troops OR pasukan OR Soldaten OR soldiers OR Truppen)",
    "implicit-and": "north korean troops",
    "or": "Kremlin OR Kreml",
    "not": "troops AND NOT kursk",
    "plus-minus": "+soldiers -ukraine",
    "phrase": '"north korea"',
    "proximity": '"north troops"~2',
    "proximity-reversed": '"korea north"~2',
    "proximity-wide": '"korean soldiers"~5',
    "wildcard-suffix": "troop*",
    "wildcard-char": "soldat?n",
    "wildcard-leading": "*korea*",
    "source": "source:tagesschau AND Soldaten",
    "language": "language:id AND (pasukan OR tentara)",
    "domain": "domain:*.antaranews.com AND korea",
    "domain-exact": "domain:www.reuters.com AND NOT title:troops",
    "title": "title:(kremlin OR kreml)",
    "body": 'body:"korea utara"',
    "speaker": "speaker:putin",
    "speaker-phrase": 'speaker:"mark rutte"',
    "speaker-wildcard": "speaker:selensk* OR speaker:zelensk*",
    "quote": "quote:soldiers OR quote:soldaten",
    "speaker-and-topic": "speaker:kremlin AND (troops OR pasukan)",
    "hyphen-word": "Korea-Utara",
    "apostrophe": "russia's OR korea's",
    "numbers": '"1,000" OR "10.000" OR 3.5',
    "grouping": "(rice OR beras) AND (jakarta -floods)",
    "only-not": "NOT (korea OR korean OR nordkorea)",
    "case": "PYONGYANG'S",
    "boost": "troops^3 AND kursk",
}

TOPICS = [Topic(name, query) for name, query in QUERIES.items()] + [
    Topic("filtered-language", "Korea OR Nordkorea", languages=("de", "id")),
    Topic("filtered-source", "troops OR pasukan", sources=("antara", "kompas")),
]


@pytest.fixture
def percolator(es_url: str) -> Iterator[Percolator]:
    percolator = Percolator(es_url, f"newswatch-test-topics-{uuid.uuid4().hex[:12]}")
    try:
        percolator.setup()
        percolator.setup()  # idempotent
        yield percolator
    finally:
        percolator.delete_index()
        percolator.close()


def test_python_and_elasticsearch_agree(percolator: Percolator) -> None:
    percolator.register(TOPICS)
    matcher = TopicMatcher(TOPICS)
    differences = []
    matched_topics: set[str] = set()
    for article in CORPUS:
        python, elastic = matcher.match(article), percolator.match(article)
        matched_topics.update(python)
        if python != elastic:
            differences.append((article["id"], python, elastic))
    assert differences == []
    # The corpus exercises every query: each matches something, and nothing matches everything.
    assert matched_topics == {t.name for t in TOPICS}
    for topic in TOPICS:
        hits = [a["id"] for a in CORPUS if topic.name in matcher.match(a)]
        assert len(hits) < len(CORPUS), topic.name


def test_registered_topics_are_replaced(percolator: Percolator) -> None:
    percolator.register(TOPICS)
    percolator.register([Topic("only", "troops")])
    assert percolator.match(CORPUS[0]) == ["only"]
    again = Percolator(percolator.client, percolator.index)  # reads the registered topics
    try:
        assert again.match(CORPUS[0]) == ["only"]
    finally:
        again.close()


def test_each_query_alone_as_a_search(es_url: str) -> None:
    """`to_es_query` run as an ordinary search over the corpus finds what `matches` finds."""
    from elasticsearch import Elasticsearch

    from tests.es_percolator import ARTICLE_PROPERTIES, article_document

    client = Elasticsearch(es_url)
    index = f"newswatch-test-topics-corpus-{uuid.uuid4().hex[:12]}"
    try:
        client.indices.create(index=index, mappings={"properties": ARTICLE_PROPERTIES})
        operations = []
        for article in CORPUS:
            operations += [{"index": {"_index": index, "_id": article["id"]}},
                           article_document(article)]  # fmt: skip
        client.bulk(operations=operations, refresh=True)
        for name, text in QUERIES.items():
            query = TopicQuery.parse(text)
            result = client.search(index=index, query=to_es_query(query), size=100, source=False)
            elastic = sorted(hit["_id"] for hit in result["hits"]["hits"])
            python = sorted(a["id"] for a in CORPUS if query.matches(a))
            assert elastic == python, name
    finally:
        client.options(ignore_status=404).indices.delete(index=index)
        client.close()


def test_tokenizer_agrees_with_standard_analyzer(es_url: str) -> None:
    from elasticsearch import Elasticsearch

    samples = [article[field] for article in CORPUS for field in ("title", "body")] + [
        "U.S. 1,000 3.14 don't l’avion foo_bar a:b Korea-Utara 北朝鮮 ひらがな カタカナ",
        "Nordkorea’s e-mail x.y.z A1.b2 _foo co. naïve ÉCOLE हिन्दी Straße ΟΔΥΣΣΕΥΣ",
    ]
    client = Elasticsearch(es_url)
    try:
        for text in samples:
            result = client.indices.analyze(analyzer="standard", text=text)
            assert [t["token"] for t in result["tokens"]] == tokenize(text), text
    finally:
        client.close()
