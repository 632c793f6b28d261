"""The headline of a page, without the site's name.

Candidates, in order of trust: JSON-LD `headline` (or `name`), `og:title`, `twitter:title`,
`dc.title`, the first `<h1>`, `<title>`. Each is cleaned (entities a site escaped twice
decoded, soft hyphens and zero-width characters dropped, white space folded) and loses a
leading or trailing segment that names the site: a segment after a separator (`|`, `-`, `–`,
`—`, `·`, `•`, `»`, `::`) that matches the page's own `og:site_name`, `application-name`, the
JSON-LD publisher or the host name (`Golem.de`, `- 毎日新聞`). The first candidate that is
left with text wins.

What a page does not say about itself a source's other pages do: `TitleAffixes` counts the
trailing segments of a source's headlines as it is crawled (kept in the source's state), and
one seen on `LEARNED_AFTER` headlines or more is the site's name and is stripped too.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»]|::)\s+")
_META_KEYS = ("og:title", "twitter:title", "dc.title")
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")
_SITE_META = ("og:site_name", "application-name", "al:android:app_name", "twitter:site")
# fmt: off
_GENERIC_LABELS = frozenset((
    "www", "m", "amp", "mobile", "news", "com", "net", "org", "co", "de", "at", "ch", "uk",
    "jp", "fr", "es", "it", "ru", "id", "pl", "tr", "br", "in", "au", "ca",
))
# fmt: on
MAX_SITE_SEGMENT = 60  # characters: longer is part of the headline
LEARNED_AFTER = 3  # headlines of a source ending in one segment before it is stripped
MAX_AFFIXES = 40  # segments remembered per source


def clean(text: str) -> str:
    """Entities decoded (twice at most: "&amp;#8216;"), invisible characters dropped,
    white space folded."""
    for _ in range(2):
        if "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    return " ".join(text.translate(_INVISIBLE).split())


def _key(text: str) -> str:
    """Letters and digits only, case-folded: 'Golem.de' ~ 'golem de' ~ 'GOLEM'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def site_names(meta: dict[str, str], article_ld: dict[str, Any] | None, url: str) -> set[str]:
    """What the page calls its site, as `_key`s: its metadata, its publisher, its host."""
    names = [meta.get(key, "").lstrip("@") for key in _SITE_META]
    if article_ld:
        for key in ("publisher", "isPartOf", "sourceOrganization"):
            value = article_ld.get(key)
            if isinstance(value, dict) and isinstance(value.get("name"), str):
                names.append(value["name"])
    host = (urlsplit(url).hostname or "").lower()
    # the name under the public suffix: "www.golem.de" -> "golem", "www.bbc.co.uk" -> "bbc"
    labels = [label for label in host.split(".")[:-1] if label not in _GENERIC_LABELS]
    names += [host, *labels[-1:]]
    return {key for key in map(_key, names) if len(key) >= 3}


def _names_site(segment: str, names: set[str]) -> bool:
    key = _key(segment)
    if not key or len(segment) > MAX_SITE_SEGMENT:
        return False
    # "Golem.de" is "golem", "The Daily Courier Online" holds "dailycourier", "Daily Courier"
    # is part of "The Daily Courier". A segment over twice as long as the name it holds is a
    # headline that mentions the site.
    return any(
        key == name
        or (name in key and len(key) <= len(name) + max(3, len(name)))
        or (len(key) >= 4 and key in name)
        for name in names
    )


def strip_site(title: str, names: set[str]) -> str:
    """Drop leading and trailing segments that name the site; never the whole title."""
    cuts = list(_SEPARATOR.finditer(title))
    start, end = 0, len(title)
    for cut in reversed(cuts):  # trailing segments, last first
        if cut.end() > start and cut.start() < end and _names_site(title[cut.end() : end], names):
            end = cut.start()
        else:
            break
    for cut in cuts:  # leading segments
        if cut.end() <= end and _names_site(title[start : cut.start()], names):
            start = cut.end()
        else:
            break
    return title[start:end].strip() or title


def candidates(
    tree: Any, article_ld: dict[str, Any] | None, meta: dict[str, str]
) -> list[tuple[str, str]]:
    """(where, text) of every headline the page declares, the most trusted first."""
    found: list[tuple[str, str]] = []
    if article_ld:
        for key in ("headline", "name", "alternativeHeadline"):
            value = article_ld.get(key)
            if isinstance(value, str) and value.strip():
                found.append(("jsonld", value))
                break
    found += [(key, meta[key]) for key in _META_KEYS if meta.get(key)]
    for tag in ("h1", "title"):
        elements = tree.xpath(f"//{tag}")
        if elements:
            found.append((tag, elements[0].text_content()))
    return found


def pick_headline(
    tree: Any, article_ld: dict[str, Any] | None, meta: dict[str, str], url: str
) -> str:
    for _, _, title in headline_candidates(tree, article_ld, meta, url):
        if title:
            return title
    return ""


def headline_candidates(
    tree: Any, article_ld: dict[str, Any] | None, meta: dict[str, str], url: str
) -> list[tuple[str, str, str]]:
    """(where, as written, as newswatch would take it) for each declared headline, the
    most trusted first: the first non-empty one is the headline."""
    names = site_names(meta, article_ld, url)
    found = []
    for where, raw in candidates(tree, article_ld, meta):
        title = clean(raw)
        if title:
            title = strip_site(title, names)
            if where == "title":  # a <title> alone nearly always ends in the site's name
                title = _TITLE_SUFFIX.split(title)[0] or title
        found.append((where, " ".join(raw.split()), title))
    return found


class TitleAffixes:
    """A source's trailing headline segments and how many headlines ended in each (a dict
    kept in the source's state): the site's name is the one most of them end in."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

    def apply(self, title: str) -> str:
        """Learn the title's trailing segment; drop it when it is the site's name."""
        cuts = list(_SEPARATOR.finditer(title))
        if not cuts:
            return title
        segment = title[cuts[-1].end() :]
        key = _key(segment)
        if not key or len(segment) > MAX_SITE_SEGMENT:
            return title
        self.counts[key] = self.counts.get(key, 0) + 1
        if len(self.counts) > MAX_AFFIXES:  # forget the rarest
            del self.counts[min(self.counts, key=self.counts.__getitem__)]
        if self.counts.get(key, 0) >= LEARNED_AFTER:
            return title[: cuts[-1].start()].strip()
        return title
