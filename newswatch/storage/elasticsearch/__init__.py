"""The Elasticsearch store: article records in monthly indices behind one alias.

**Layout.** The articles live in one index per month, `<index>-YYYY.MM`, and every read (search,
export, Kibana) goes through the alias `<index>` over all of them, so an old month can be
closed, snapshotted or deleted on its own. `setup()` installs a composable index template
(settings and mappings shipped as data in `mappings/articles.json`, `dynamic: strict`) whose
pattern matches the monthly indices, and makes sure the alias exists. A document goes to the
month of its `published_at`, else its `fetched_at`, else the month it is first written in;
the month's index is created, with the alias, on first use.

**Idempotent by id.** An alias over several indices cannot take writes by itself, so the
store writes to the month's index directly. Before a batch is written, its ids are looked up
through the alias (and in the ids this store wrote moments ago, which a search cannot see
yet), so a repeated write replaces the document where it is, and an article whose date
changed is moved: deleted from the old month in the same bulk request.

**Languages.** Besides `title` and `body` (the `standard` analyzer, as topics and the SQLite
store match words), an article's text is indexed a second time in `title_<lang>` and
`body_<lang>` for its own language (`en`, `id`, `de`, ... 37 of them), analyzed by that
language's built-in analyzer (stemming, stop words): Indonesian "pasukan" finds
"pasukannya", German "Soldaten" finds "Soldat". Those fields are excluded from `_source`, so
the text is not stored twice. A cluster without the language analyzers (a bare integ-test
node: they live in the analysis-common module) gets the same fields with the `standard`
analyzer; `setup()` finds out which, and `describe()` says so.

**Upgrades.** `reindex()` copies every article into a new generation of monthly indices
(`<index>-g2-YYYY.MM`, ...) made from the current template, checks that nothing is missing,
and swaps the alias in one atomic step; it also moves a store of the old one-index layout
(an index named `<index>`) behind the alias. The old indices are blocked for writes while
they are copied, so a writer that was not stopped fails loudly instead of losing an article.

**ILM.** When the cluster has index lifecycle management, a policy `<index>` is attached to
the monthly indices (force-merge a month 30 days after it ends; delete it `retention` after
it ends, if the store URL sets one); without ILM (the test server) nothing is attached.

Every failure of the server or the network becomes a `StoreError` with one line that names
the server, never its password. Only server-core APIs are used (no reindex or ingest module,
no scripting), so the plain integ-test distribution of Elasticsearch is enough.
"""

from __future__ import annotations

from newswatch.storage.elasticsearch.connection import redact
from newswatch.storage.elasticsearch.layout import describe_lines, month_of
from newswatch.storage.elasticsearch.names import language_analyzers, language_code, load_template
from newswatch.storage.elasticsearch.reindex import Reindex, ReindexReport
from newswatch.storage.elasticsearch.signatures import load_signatures_index

__all__ = [
    "ElasticsearchStore",
    "ReindexReport",
    "describe_lines",
    "language_analyzers",
    "language_code",
    "load_signatures_index",
    "load_template",
    "month_of",
    "redact",
]


class ElasticsearchStore(Reindex):
    """Article records in monthly Elasticsearch indices behind an alias (9.x server and
    elasticsearch-py 9.x client): connection, layout, signatures, articles and reindex, one
    module each in this package."""
