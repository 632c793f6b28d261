"""What extraction says of a page that is not a full article: `thin`, `no_body` or
`not_article` (the crawl keeps such a page, flagged, when a feed lists it); short news in
scripts written without spaces counts its words, not its spaces."""

from __future__ import annotations

import json

from newswatch.crawler.extraction.article import extract_article

URL = "https://news.example/2024/11/13/story.html"


def page(headline: str, paragraphs: list[str], kind: str = "NewsArticle") -> str:
    ld = json.dumps({"@type": kind, "headline": headline}, ensure_ascii=False)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><script type="application/ld+json">{ld}</script><title>{headline}'
        f"</title></head><body><article><h1>{headline}</h1>{body}</article></body></html>"
    )


def test_short_chinese_news_is_an_article() -> None:
    sentences = [
        "国家统计局今天上午发布了前三季度的主要经济数据。",
        "数据显示，国内生产总值同比增长百分之五，比上半年略有回落。",
        "其中第三产业增加值增长较快，对经济增长的贡献率超过六成。",
        "统计局发言人在新闻发布会上表示，经济运行总体平稳，稳中有进。",
        "专家预计，第四季度的消费和投资将继续保持恢复态势。",
    ]
    extracted = extract_article(page("前三季度经济数据公布", sentences), URL)
    assert extracted.is_article, extracted.not_article
    assert extracted.quality is None


def test_pages_that_are_not_full_articles_say_what_they_are() -> None:
    thin = extract_article(page("Ferry delayed", ["The morning ferry left an hour late."]), URL)
    assert thin.quality == "thin" and thin.not_article.startswith("body too short")
    empty = extract_article("<html><head><title>Gallery: the storm</title></head></html>", URL)
    assert empty.quality == "no_body"
    video = extract_article(page("Storm waves", ["Waves broke over the wall."], "VideoObject"), URL)
    assert video.quality == "not_article"
