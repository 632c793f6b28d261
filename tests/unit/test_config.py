from pathlib import Path

import pytest

from newswatch.cli import main
from newswatch.config import ConfigError, load_config

GOOD = """
store: sqlite:///x.db
sources:
  - name: antara
    feeds: [https://example.org/rss.xml]
    listings: [https://example.org/terkini]
    article_pattern: '/berita/\\d+/'
    language: id
    timezone: Asia/Jakarta
    every: 10m
topics:
  - name: nk
    query: '"Korea Utara" AND pasukan'
    notify: [desk]
notifiers:
  desk: {type: slack, webhook_url: "${HOOK}"}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newswatch.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_config_loads_and_expands_env(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), environ={"HOOK": "http://127.0.0.1:9/x"})
    source = config.source("antara")
    assert source.every is not None and source.every.total_seconds() == 600
    assert source.timezone == "Asia/Jakarta"
    assert config.notifiers["desk"].options["webhook_url"] == "http://127.0.0.1:9/x"
    assert config.topics[0].alert_on == ("article",)


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (("every: 10m", "every: 10x"), "sources[0].every", "not an interval"),
        (
            ("feeds: [https://example.org/rss.xml]", "feeds: [ftp://x]"),
            "sources[0].feeds[0]",
            "not an http(s) URL",
        ),
        (("language: id", "langauge: id"), "sources[0].langauge", "unknown key"),
        (
            ("timezone: Asia/Jakarta", "timezone: Mars/Base"),
            "sources[0].timezone",
            "unknown time zone",
        ),
        (("'/berita/\\d+/'", "'(unclosed'"), "sources[0].article_pattern", "invalid regex"),
        (("notify: [desk]", "notify: [nobody]"), "topics[0].notify[0]", "no notifier"),
        (
            ("notify: [desk]", "notify: [desk]\n    exclude_quality: [thin, short]"),
            "topics[0].exclude_quality[1]",
            "'short': use thin, no_body, not_article",
        ),
        (("store: sqlite:///x.db", "store: ftp://x"), "store", "use sqlite"),
        (("AND pasukan'", "AND (pasukan'"), "topics[0].query", "column"),
    ],
)
def test_mistakes_name_file_key_and_problem(tmp_path: Path, change, key, problem) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={"HOOK": "x"})
    assert info.value.key == key
    assert problem in info.value.problem
    assert str(path) in str(info.value)


def test_missing_env_var_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"notifiers.desk.webhook_url: environment variable HOOK"):
        load_config(write(tmp_path, GOOD), environ={})


def test_invalid_yaml_gives_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="invalid YAML: line"):
        load_config(write(tmp_path, "sources: [\n  - name: a\n"), environ={})


def test_cli_exits_2_with_one_line(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, GOOD.replace("every: 10m", "every: often"))
    assert main(["export", "-c", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sources[0].every" in err[0]


def test_cli_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["export", "-c", str(tmp_path / "nope.yaml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_a_crawl_s_settings_share_the_loaded_config_instead_of_copying_it(tmp_path) -> None:
    # Scrapy deep-copies a crawl's settings; a copy of a config with thousands of sources
    # for every crawl made the worker spend its time copying
    from newswatch.scheduler.crawling import crawl_settings, source_settings

    path = tmp_path / "newswatch.yaml"
    sources = "\n".join(
        f'  - {{name: "s{n}", feeds: ["https://example.org/{n}.xml"]}}' for n in range(200)
    )
    path.write_text(f"sources:\n{sources}\n", encoding="utf-8")
    config = load_config(str(path))
    settings = source_settings(crawl_settings(config), config.sources[7])
    assert settings.get("NEWSWATCH_CONFIG_OBJECT") is config
