"""Dates: find them in a page, read them in any language, resolve relative phrases.

Pure (no Scrapy, no I/O): candidate gathering runs in the extraction worker processes, the
reading and resolving in the date stage (`newswatch.pipelines.dates`).

The parts, one module each: `results` (what they give back), `zones`, `languages` (month,
weekday and relative-phrase tables), `absolute` and `machine` (reading), `reading` (the
whole reading of a text date), `candidates` (gathering from a page), `mentions` (dates a
text mentions), `resolve` (picking the publication date).


* **Reading one date string** — `parse_machine_date` (ISO 8601, RFC 822, epoch) and
  `parse_text_date` (dates as people write them). Text dates go through a fast path of our
  own (numeric and month-name dates, times, zones written as words) built from dateparser's
  month and weekday tables for the language, then through our relative phrases ("2 jam yang
  lalu", "Rabu lalu", "vor 2 Stunden", "вчера", "منذ ساعتين"...), and only then through
  dateparser itself, with one reused parser per language/zone/reference (its first call per
  language is slow). A date written without a zone is read in the source's zone.
* **Gathering candidates from a page** — `gather_date_candidates`: JSON-LD, meta tags of
  many vocabularies, `<time datetime>`, the URL, and visible datelines near the headline or
  in elements named for dates. Candidates are plain picklable data (`DateCandidate`).
* **Dates a text mentions** — `resolve_mentions`: "on Wednesday", "kemarin", "Jumat (6/11)",
  "12 March" in a body or a quote, resolved against the article's own date.
"""

from newswatch.dates.candidates import (
    MODIFIED_META,
    PUBLISHED_META,
    DateCandidate,
    gather_date_candidates,
)
from newswatch.dates.languages import DEFAULT_PAGE_LANGUAGES, date_order, guess_languages
from newswatch.dates.machine import parse_machine_date
from newswatch.dates.mentions import resolve_mentions
from newswatch.dates.reading import parse_text_date
from newswatch.dates.resolve import (
    CONTRACT_SOURCES,
    PRECEDENCE,
    DateResolver,
    Resolution,
    Resolved,
)
from newswatch.dates.results import GRANULARITIES, DateMention, ParsedDate
from newswatch.dates.zones import zone_info, zone_word

__all__ = [
    "CONTRACT_SOURCES",
    "DEFAULT_PAGE_LANGUAGES",
    "GRANULARITIES",
    "MODIFIED_META",
    "PRECEDENCE",
    "PUBLISHED_META",
    "DateCandidate",
    "DateMention",
    "DateResolver",
    "ParsedDate",
    "Resolution",
    "Resolved",
    "date_order",
    "gather_date_candidates",
    "guess_languages",
    "parse_machine_date",
    "parse_text_date",
    "resolve_mentions",
    "zone_info",
    "zone_word",
]
