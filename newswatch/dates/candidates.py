"""Date candidates from a page: JSON-LD, meta tags of many vocabularies, `<time datetime>`, the
URL, and visible datelines near the headline or in elements named for dates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from lxml import etree

from newswatch.dates.absolute import _TIME_RE, _Absolute, _absolute, _attach_time, _date_spans
from newswatch.dates.languages import (
    DEFAULT_PAGE_LANGUAGES,
    _alt,
    _locale_info,
    _norm_lang,
    date_order,
)


@dataclass(slots=True)
class DateCandidate:
    """One date a page (or a feed) declares: where it came from and the text as written.

    `source`: jsonld | meta | time | attr | url | text | htmldate (page), feed | sitemap (entry);
    `kind`: published | modified; `field`: the JSON-LD key, meta name or label it came with;
    `rank`: order within its source, 0 = the most telling (nearest the headline)."""

    source: str
    raw: str
    kind: str = "published"
    field: str = ""
    rank: int = 0


# Meta names (lower case) that carry the publication date, most telling first.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "datepublished", "published_time", "article.published",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date.created",
    "dcterms.created", "dc.date", "dcterms.date", "citation_publication_date",
    "citation_online_date", "citation_date", "prism.publicationdate", "publication_date",
    "publication-date", "publish_date", "publish-date", "publishdate", "pubdate", "date_published",
    "originalpublicationdate", "article_date_original", "cxenseparse:recs:publishtime",
    "date.available", "displaydate", "rnews:datepublished", "bt:pubdate", "dc.created",
    "datecreated", "created", "ptime", "pdate", "release_date", "date", "og:pubdate",
    "article:post_date", "article.created", "nv:date", "timestamp", "dc.date.published",
)  # fmt: skip


MODIFIED_META = (
    "article:modified_time", "og:updated_time", "article:modified", "datemodified",
    "modified_time", "dcterms.modified", "dc.date.modified", "article.updated", "last-modified",
    "lastmod", "revised", "eomportal-lastupdate", "utime", "updated_time", "date.modified",
    "parsely-updated", "sailthru.lastmodified", "article:updated_time", "dc.modified",
)  # fmt: skip


_META_PUBLISHED_RANK = {key: i for i, key in enumerate(PUBLISHED_META)}


_META_MODIFIED_RANK = {key: i for i, key in enumerate(MODIFIED_META)}


_META_PUBLISHED_GUESS = re.compile(r"publi|pub_?date|issued|created|release")


_META_MODIFIED_GUESS = re.compile(r"modif|updated|lastmod|revis")


_DATEISH = re.compile(r"(?:19|20)\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2}|^\d{10,13}$")


_META_NOT_DATES = re.compile(r"expir|image|author|section|tag|url|title|type|desc|count|id$")


_URL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/._-]|$)"
    r"|/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/._-]|$)"
)


# Elements whose class or id names a dateline (XPath, so that lxml does the looking).
_DATELINE_HINTS = ("date", "time", "byline", "publish", "posted", "datum", "tanggal", "fecha",
                   "data", "schedule", "stamp", "zeit", "meta", "info", "author", "autor",
                   "credit", "article-header", "headline", "kicker", "tarih")  # fmt: skip


_HINTED_TAGS = ("div", "span", "p", "small", "li", "em", "strong", "b", "a", "header", "section",
                "ul", "abbr", "font", "td", "dd", "footer")  # fmt: skip


_HINTED_TAG_SET = frozenset(_HINTED_TAGS)


_XP_HINTED = etree.XPath(
    "//*[" + " or ".join(f"self::{tag}" for tag in _HINTED_TAGS) + "][@class or @id]"
)


_HINTED_AFTER = 150  # elements with a class or id looked at after the headline ...


_HINTED_BEFORE = 60  # ... and before it


_TEXTS_AFTER = 400  # text nodes after the headline ...


_TEXTS_BEFORE = 80  # ... and before it


_HINT_RE = re.compile(_alt(_DATELINE_HINTS))


def _following(el: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """following::*[tag in tags], document order."""
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter(*tags)
        node = node.getparent()


def _preceding(el: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    """preceding::*[tag in tags] (the ancestors are not on that axis), nearest first."""
    node = el
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            yield from reversed(list(sibling.iter(*tags)))
        node = node.getparent()


def _preceding_elements(el: Any) -> Iterator[Any]:
    """preceding::*, nearest first, visiting no more of the tree than is taken."""
    node = el
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            # The sibling's subtree in reverse document order: the children from the last
            # one, each subtree before its root.
            stack: list[tuple[Any, bool]] = [(sibling, False)]
            while stack:
                current, expanded = stack.pop()
                if expanded:
                    yield current
                elif isinstance(current.tag, str):
                    stack.append((current, True))
                    stack.extend((child, False) for child in current.iterchildren())
        node = node.getparent()


def _with_class_or_id(elements: Iterable[Any]) -> Iterator[Any]:
    return (el for el in elements if el.get("class") is not None or el.get("id") is not None)


def _hinted_near(headline: Any) -> Iterator[Any]:
    """Elements named for datelines: following::X[@class or @id][position() <= 150], then
    preceding::X[@class or @id][position() <= 60] nearest first (X: one of _HINTED_TAGS)."""
    after = _with_class_or_id(_following(headline, _HINTED_TAGS))
    before = _with_class_or_id(
        el for el in _preceding_elements(headline) if el.tag in _HINTED_TAG_SET
    )
    for el in chain(islice(after, _HINTED_AFTER), islice(before, _HINTED_BEFORE)):
        if _hinted(el):
            yield el


def _texts_within(el: Any) -> Iterator[tuple[str, Any]]:
    """The text nodes inside `el` (not its tail), document order, each with the node lxml
    calls its parent (the element for its text, the node before it for a tail)."""
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if isinstance(node.tag, str) and node.text is not None:
                yield node.text, node
        elif node is not el and node.tail is not None:
            yield node.tail, node


def _texts_after(el: Any) -> Iterator[tuple[str, Any]]:
    """following::text()[position() <= 400], document order."""
    return islice(_following_texts(el), _TEXTS_AFTER)


def _following_texts(el: Any) -> Iterator[tuple[str, Any]]:
    node = el
    while node is not None:
        if node.tail is not None:
            yield node.tail, node
        for sibling in node.itersiblings():
            yield from _texts_within(sibling)
            if sibling.tail is not None:
                yield sibling.tail, sibling
        node = node.getparent()


def _texts_before(el: Any) -> Iterator[tuple[str, Any]]:
    """preceding::text()[position() <= 80], nearest first."""
    return islice(_preceding_texts(el), _TEXTS_BEFORE)


def _preceding_texts(el: Any) -> Iterator[tuple[str, Any]]:
    node = el
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            # Reverse document order: the sibling's tail, then for each child from the last
            # one its tail and its own texts, then the sibling's text.
            stack: list[tuple[str, Any]] = [("node", sibling), ("tail", sibling)]
            while stack:
                what, current = stack.pop()
                if what == "tail":
                    if current.tail is not None:
                        yield current.tail, current
                elif what == "text":
                    if current.text is not None:
                        yield current.text, current
                elif isinstance(current.tag, str):
                    stack.append(("text", current))
                    for child in current.iterchildren():
                        stack.append(("node", child))
                        stack.append(("tail", child))
        parent = node.getparent()
        if parent is not None and parent.text is not None:
            yield parent.text, parent
        node = parent


def _visible(texts: Iterable[tuple[str, Any]]) -> Iterator[str]:
    """Text nodes that are shown: not blank, not inside a script, style or the like."""
    for text, owner in texts:
        if not text.strip():
            continue
        tag = owner.tag if owner is not None else None
        if isinstance(tag, str) and tag in _SKIP_TAGS:
            continue
        yield str(text)


def _hinted(el: Any) -> bool:
    names = ((el.get("class") or "") + " " + (el.get("id") or "")).lower()
    return _HINT_RE.search(names) is not None


_MODIFIED_LABEL = re.compile(
    r"(?:updated?|last updated|aktualisiert|zuletzt|mis à jour|actualizado|actualización"
    r"|atualizado|aggiornato|diperbarui|bijgewerkt|oppdatert|uppdaterad|opdateret|обновлено"
    r"|güncelleme|güncellendi|zaktualizowano|aktualizováno|更新)\W{0,3}(?:\w+\W{1,3}){0,2}$",
    re.I,
)


_PUBLISHED_LABEL = re.compile(
    r"(?:published|posted|veröffentlicht|erstellt|publié|publicado|pubblicato|diterbitkan"
    r"|dipublikasikan|gepubliceerd|publisert|publicerad|publiceret|опубликовано|yayınlanma"
    r"|opublikowano|publikováno|公開|发布|發布|online seit|publiziert)\W{0,3}(?:\w+\W{1,3}){0,2}$",
    re.I,
)


_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "select", "option",
                        "button", "form", "iframe", "textarea", "head", "title"})  # fmt: skip


_NEAR_AFTER_CHARS = 1500  # text after the headline searched for a dateline


_NEAR_BEFORE_CHARS = 300  # and before it (kickers, datelines above the headline)


_MAX_TIME_ELEMENTS = 6


_MAX_HINTED = 12


def gather_date_candidates(
    tree: Any,
    article_ld: dict[str, Any] | None,
    meta: dict[str, str],
    url: str,
    jsonld: Sequence[dict[str, Any]] = (),
    language: str | None = None,
) -> list[DateCandidate]:
    """Every date the page declares or shows, as written, with where it came from.

    `article_ld` is the page's article object in JSON-LD (if any); `jsonld` the other JSON-LD
    objects (read when there is no article object); `meta` the page's meta names (lower
    case) -> content; `language` the page's language, for month names in visible text."""
    out: list[DateCandidate] = []
    out.extend(_jsonld_candidates(article_ld, jsonld))
    out.extend(_meta_candidates(meta))
    lang = (
        _norm_lang(language)
        or _norm_lang(tree.get("lang") if tree is not None else None)
        or _norm_lang(meta.get("og:locale") or meta.get("content-language"))
    )
    headline = _headline(tree, meta) if tree is not None else None
    times, texts = _page_candidates(tree, meta, lang, headline)
    out.extend(times)
    out.extend(_url_candidates(url))
    out.extend(texts)
    out.extend(_attribute_candidates(tree, headline))
    return out


def _ld_value(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("@value")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _jsonld_candidates(
    article_ld: dict[str, Any] | None, jsonld: Sequence[dict[str, Any]]
) -> list[DateCandidate]:
    out: list[DateCandidate] = []
    keys = (("datePublished", "published"), ("dateCreated", "published"),
            ("uploadDate", "published"), ("dateModified", "modified"))  # fmt: skip
    objects: list[tuple[dict[str, Any], str]] = []
    if article_ld:
        objects.append((article_ld, "article"))
    else:
        for obj in jsonld:
            kind = obj.get("@type")
            name = (kind[0] if isinstance(kind, list) and kind else kind) or "Thing"
            objects.append((obj, str(name)))
    for rank, (obj, name) in enumerate(objects[:8]):
        for key, kind in keys:
            value = _ld_value(obj.get(key))
            if value:
                out.append(DateCandidate("jsonld", value, kind, f"{name}.{key}", rank))
    return out


def _meta_candidates(meta: dict[str, str]) -> list[DateCandidate]:
    out: list[DateCandidate] = []
    for key, value in meta.items():
        if not value or len(value) > 80 or not _DATEISH.search(value):
            continue
        if key in _META_PUBLISHED_RANK:
            out.append(DateCandidate("meta", value, "published", key, _META_PUBLISHED_RANK[key]))
        elif key in _META_MODIFIED_RANK:
            out.append(DateCandidate("meta", value, "modified", key, _META_MODIFIED_RANK[key]))
        elif _META_NOT_DATES.search(key):
            continue
        elif _META_MODIFIED_GUESS.search(key):
            out.append(DateCandidate("meta", value, "modified", key, 100))
        elif _META_PUBLISHED_GUESS.search(key):
            out.append(DateCandidate("meta", value, "published", key, 100))
    out.sort(key=lambda c: c.rank)
    return out


# data-* attributes named for dates ("data-deploy-dt", "data-published", "data-timestamp").
_DATA_ATTR = "@*[starts-with(name(), 'data-')]"


_ATTR_XPATH = etree.XPath("//" + _DATA_ATTR)


# Near the headline: its containers (<article data-published=...>) and the elements around.
_ATTR_NEAR_XPATH = etree.XPath(
    f"ancestor-or-self::*/{_DATA_ATTR} | following::*[position() <= 300]/{_DATA_ATTR}"
    f" | preceding::*[position() <= 100]/{_DATA_ATTR}"
)


_ATTR_NAME = re.compile(r"publish|date|deploy|-dt|time|created|modified")


_ATTR_MODIFIED = re.compile(r"modif|updat|re-?deploy|edit|revis", re.I)


_ATTR_SKIP = re.compile(r"format|zone|ago|duration|timeout|delay|interval|expir|end|start|tz",
                        re.I)  # fmt: skip


_MAX_ATTRIBUTES = 8


def _attribute_candidates(tree: Any, headline: Any = None) -> list[DateCandidate]:
    """Dates in data-* attributes named for them, near the headline (first in the
    document first)."""
    if tree is None:
        return []
    out: list[DateCandidate] = []
    seen: set[tuple[str, str]] = set()
    try:
        values = _ATTR_NEAR_XPATH(headline) if headline is not None else _ATTR_XPATH(tree)
    except Exception:  # noqa: BLE001 - lxml raises several kinds on odd trees
        return []
    for value in values:
        name = str(getattr(value, "attrname", ""))
        if not _ATTR_NAME.search(name):
            continue
        text = str(value).strip()
        if _ATTR_SKIP.search(name) or not 8 <= len(text) <= 40 or not _DATEISH.search(text):
            continue
        kind = "modified" if _ATTR_MODIFIED.search(name) else "published"
        if (kind, text) in seen:
            continue
        seen.add((kind, text))
        out.append(DateCandidate("attr", text, kind, name[:40], len(out)))
        if len(out) >= _MAX_ATTRIBUTES:
            break
    return out


def _url_candidates(url: str) -> list[DateCandidate]:
    m = _URL_DATE.search(url)
    if not m:
        return []
    parts = [p for p in m.groups() if p]
    return [DateCandidate("url", "{}-{:0>2}-{:0>2}".format(*parts), "published", "path")]


def _headline(tree: Any, meta: dict[str, str]) -> Any:
    """The page's headline element: the h1 that matches the declared title, else the first."""
    h1s = [h for h in tree.iter("h1") if (h.text_content() or "").strip()]
    if not h1s:
        return None
    title = re.sub(r"\W+", " ", (meta.get("og:title") or meta.get("twitter:title") or "")).lower()
    if title:
        for h in h1s:
            text = re.sub(r"\W+", " ", h.text_content()).strip().lower()
            if text and (text in title or title.strip() in text):
                return h
    return h1s[0]


def _page_candidates(
    tree: Any, meta: dict[str, str], lang: str | None, headline: Any
) -> tuple[list[DateCandidate], list[DateCandidate]]:
    """`<time datetime>` elements and visible datelines, nearest the headline first."""
    if tree is None:
        return [], []
    # <time> and elements named for datelines: those after the headline first (nearest
    # first), then those before it (nearest first); XPath, so that lxml does the walking.
    hinted: Iterable[Any]
    if headline is not None:
        # descendant::time | following::time, then preceding::time nearest first
        times = [el for el in headline.iter("time") if el is not headline]
        times += _following(headline, ("time",))
        times += _preceding(headline, ("time",))
        hinted = _hinted_near(headline)
    else:
        times = list(tree.iter("time"))
        hinted = [el for el in _XP_HINTED(tree) if _hinted(el)]
    absolute = _absolute(_page_languages(lang))
    order = date_order(lang, None)

    time_out: list[DateCandidate] = []
    for rank, el in enumerate(times):
        value = (el.get("datetime") or "").strip()
        if value and len(time_out) < _MAX_TIME_ELEMENTS:
            kind = "modified" if _label_kind(el) == "modified" else "published"
            time_out.append(DateCandidate("time", value, kind, "time", rank))
    text_out: list[DateCandidate] = []
    seen: set[str] = set()

    def add_spans(text: str, rank: int, field: str, long_from: list[tuple[int, int]]) -> None:
        """Rank: the base for where the text is, then one per earlier date in it, three
        more without a time (datelines have one), six more inside a long text (a sentence
        of the body mentions a date; a dateline is short)."""
        for order_in_text, (raw, kind, start, timed) in enumerate(
            _dateline_spans(text, absolute, order, lang)
        ):
            if raw in seen:
                continue
            seen.add(raw)
            in_long = any(a <= start < b for a, b in long_from)
            score = rank + order_in_text + (0 if timed else 3) + (6 if in_long else 0)
            text_out.append(DateCandidate("text", raw, kind, field, score))

    # Text near the headline: after it (bylines, datelines), then a little before it.
    if headline is not None:
        window, long_parts = _join_limited(_visible(_texts_after(headline)), _NEAR_AFTER_CHARS)
        add_spans(window, 0, "near-headline", long_parts)
        before = _visible(_texts_before(headline))  # nearest first
        window, long_parts = _join_limited(before, _NEAR_BEFORE_CHARS, reverse=True)
        add_spans(window, 2, "above-headline", long_parts)
    # Elements named for dates, nearest the headline first; <time> without a machine value.
    count = 0
    for el in chain(islice(hinted, 400), [el for el in times if not el.get("datetime")]):
        text = re.sub(r"\s+", " ", el.text_content() or "").strip()
        if not 6 <= len(text) <= 160:
            continue
        add_spans(text, 4 + count, "named:" + (el.get("class") or el.get("id") or el.tag)[:40], [])
        count += 1
        if count >= _MAX_HINTED:
            break
    return time_out, text_out


def _page_languages(lang: str | None) -> tuple[str, ...]:
    """The declared language first, then the common ones: pages often declare a wrong one
    (an Indonesian portal with <html lang="en">)."""
    first = (lang,) if lang and _locale_info(lang) is not None else ()
    return tuple(dict.fromkeys((*first, "en", *DEFAULT_PAGE_LANGUAGES)))


_LONG_SEGMENT = 150  # characters: longer texts are sentences of the body, not datelines


def _join_limited(
    parts: Iterable[str], limit: int, reverse: bool = False
) -> tuple[str, list[tuple[int, int]]]:
    """Texts joined with " | " up to about `limit` characters, and where the long ones are."""
    taken: list[str] = []
    size = 0
    for part in parts:
        part = re.sub(r"\s+", " ", part).strip()
        taken.append(part)
        size += len(part) + 1
        if size >= limit:
            break
    if reverse:
        taken.reverse()
    joined = " | ".join(taken)[: limit + 200]
    long_parts: list[tuple[int, int]] = []
    offset = 0
    for part in taken:
        if len(part) > _LONG_SEGMENT:
            long_parts.append((offset, offset + len(part)))
        offset += len(part) + 3
    return joined, long_parts


def _label_kind(el: Any) -> str:
    attrs = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("itemprop"))))
    parent = el.getparent()
    if parent is not None:
        attrs += " " + " ".join(filter(None, (parent.get("class"), parent.get("itemprop"))))
    if re.search(r"modif|updat|aktualis", attrs, re.I):
        return "modified"
    return "published"


def _dateline_spans(
    text: str, absolute: _Absolute, order: str, lang: str | None
) -> list[tuple[str, str, int, bool]]:
    """Dates (with year) in a short visible text, with their time and zone, each as written,
    whether a label before it says it is the modification date, where it starts and
    whether it has a time."""
    out: list[tuple[str, str, int, bool]] = []
    reached = 0
    for span in _date_spans(text, absolute, order):
        if len(out) >= 6:
            break
        if span.start < reached:
            continue
        _attach_time(text, span, None, lang)
        start = span.start
        if span.hour is not None and span.time_end and span.time_end <= span.start:
            start = min(start, _time_start(text, span.start))
        raw = text[start : span.end].strip(" ,|•·-–")
        before = text[max(0, start - 40) : start]
        kind = "modified" if _MODIFIED_LABEL.search(before) else "published"
        weekday = _weekday_before(text, start, absolute)
        if weekday:
            raw = text[weekday:start] + raw
        if len(raw) <= 80:
            out.append((raw.strip(), kind, start, span.hour is not None))
        reached = span.end
    return out


def _time_start(text: str, date_start: int) -> int:
    """Start of the last time written just before a date ("12:20pm Jan 7, 2024")."""
    found = list(_TIME_RE.finditer(text, max(0, date_start - 30), date_start))
    return found[-1].start() if found else date_start


def _weekday_before(text: str, start: int, absolute: _Absolute) -> int | None:
    """Start of a weekday name written just before a date ("Kamis, 5 November 2015")."""
    m = re.search(r"(\w+)\.?,?\s*$", text[max(0, start - 20) : start])
    if m and m.group(1).lower() in absolute.weekdays:
        return max(0, start - 20) + m.start()
    return None
