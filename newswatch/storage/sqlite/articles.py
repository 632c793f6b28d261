"""The embedded store: article records in one SQLite file, searched through FTS5.

It is the default backend (`sqlite:///newswatch.db`), so a fresh install needs no server. One
table `articles` holds a column per record field (lists and dicts as JSON text); an FTS5 table
over title and body, kept in sync by triggers, answers `search()` ranked by bm25. Dates are UTC
ISO 8601 strings, so comparing them as strings compares the instants.

The crawler may write from a worker thread while the reactor thread reads: one connection is
shared (`check_same_thread=False`) and every use of it holds a lock. WAL mode lets other
processes (the CLI beside a running scheduler) read while this one writes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from newswatch.records import RECORD_FIELDS
from newswatch.storage.base import SIGNATURE_FIELDS, Record, StoreError, distinct

SCHEMA_VERSION = 2  # 2: articles.quality
JSON_FIELDS = ("authors", "statements", "topics")
# Bound parameters per statement stay well below SQLite's limit (32766 since 3.32, 999 before).
CHUNK = 500
PAGE = 500
# bm25 column weights: a word in the title counts twice as much as one in the body.
TITLE_WEIGHT, BODY_WEIGHT = 2.0, 1.0

_COLUMNS = ", ".join(RECORD_FIELDS)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    -- An integer key aliasing the rowid keeps FTS5 rowids stable across VACUUM; `id` is the
    -- record's key.
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    canonical_url TEXT,
    source TEXT,
    domain TEXT,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]',
    language TEXT,
    published_at TEXT,
    published_at_raw TEXT,
    published_at_source TEXT,
    modified_at TEXT,
    fetched_at TEXT,
    story_id TEXT,
    duplicate_of TEXT,
    content_hash TEXT,
    statements TEXT NOT NULL DEFAULT '[]',
    topics TEXT NOT NULL DEFAULT '[]',
    quality TEXT
);
CREATE INDEX IF NOT EXISTS articles_url ON articles (url);
CREATE INDEX IF NOT EXISTS articles_canonical_url ON articles (canonical_url);
CREATE INDEX IF NOT EXISTS articles_published_at ON articles (published_at);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source);

CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
    title, body,
    content = 'articles', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body)
    VALUES ('delete', old.seq, old.title, old.body);
END;
CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body)
    VALUES ('delete', old.seq, old.title, old.body);
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
PRAGMA user_version = {SCHEMA_VERSION};
"""

# Story signatures (newswatch.dedupe) beside the articles: one row per article, and its LSH
# band keys in an indexed table, so finding the candidates of a new article is an index lookup
# however large the archive is.
_SIGNATURE_SCHEMA = """
CREATE TABLE IF NOT EXISTS story_signatures (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    story_id TEXT,
    duplicate_of TEXT,
    content_hash TEXT,
    size INTEGER NOT NULL DEFAULT 0,
    signature TEXT,
    seen_at TEXT
);
CREATE INDEX IF NOT EXISTS story_signatures_content_hash ON story_signatures (content_hash);
CREATE TABLE IF NOT EXISTS story_claims (
    content_hash TEXT PRIMARY KEY,
    entry TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_band_claims (
    band TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    seen_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_bands (
    band TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (band, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_bands_seq ON story_bands (seq);
"""
_SIGNATURE_COLUMNS = ("id", "story_id", "duplicate_of", "content_hash", "size", "signature",
                      "seen_at")  # fmt: skip

_UPSERT = (
    f"INSERT INTO articles ({_COLUMNS}) VALUES ({', '.join('?' for _ in RECORD_FIELDS)}) "
    "ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in RECORD_FIELDS if name != "id")
)
# Articles without a publication date sort after all dated ones ('~' follows every digit).
_ORDER_KEY = "COALESCE(published_at, '~')"


class SQLiteStore:
    """Article records in a SQLite file (or `:memory:`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        try:
            if path != ":memory:":
                parent = os.path.dirname(os.path.abspath(path))
                os.makedirs(parent, exist_ok=True)
            self._conn = sqlite3.connect(path, check_same_thread=False, timeout=10.0)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        except (OSError, sqlite3.Error) as exc:
            self.close()
            raise StoreError(f"cannot open SQLite store {path!r}: {exc}") from exc
        try:
            self.setup()
        except StoreError:
            self.close()
            raise

    @classmethod
    def from_url(cls, url: str) -> SQLiteStore:
        """`sqlite:///relative.db`, `sqlite:////absolute.db`, `sqlite:///~/x.db`, `sqlite:///:memory:`."""
        prefix = "sqlite:///"
        if not url.lower().startswith(prefix):
            raise StoreError(
                f"bad SQLite store URL {url!r}: expected sqlite:///relative/path.db, "
                "sqlite:////absolute/path.db or sqlite:///:memory:"
            )
        path = url[len(prefix) :]
        if not path:
            raise StoreError(f"bad SQLite store URL {url!r}: the file path is empty")
        if path != ":memory:":
            path = os.path.expanduser(path)
        store = cls(path)
        store.url = url
        return store

    # -- Store protocol --------------------------------------------------------------------

    def setup(self) -> None:
        with self._locked() as conn:
            try:
                columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
                if columns and "quality" not in columns:  # a store made before version 2
                    conn.execute("ALTER TABLE articles ADD COLUMN quality TEXT")
                conn.executescript(_SCHEMA)
                conn.executescript(_SIGNATURE_SCHEMA)
            except sqlite3.OperationalError as exc:
                if "fts5" not in str(exc):
                    raise
                raise StoreError(
                    f"the SQLite library ({sqlite3.sqlite_version}) of this Python has no FTS5; "
                    "use a Python built with FTS5 or an Elasticsearch store"
                ) from exc

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        wanted = distinct(urls)
        found: set[str] = set()
        with self._locked() as conn:
            for chunk in _chunks(wanted, CHUNK):
                marks = ", ".join("?" for _ in chunk)
                rows = conn.execute(
                    f"SELECT url, canonical_url FROM articles "
                    f"WHERE url IN ({marks}) OR canonical_url IN ({marks})",
                    (*chunk, *chunk),
                )
                for row in rows:
                    found.update(value for value in row if value)
        return found.intersection(wanted)

    def put_articles(self, records: list[Record]) -> int:
        rows = [_to_row(record) for record in records]
        if not rows:
            return 0
        ids = list(dict.fromkeys(row[0] for row in rows))
        with self._locked() as conn, conn:
            existing: set[str] = set()
            for chunk in _chunks(ids, CHUNK):
                marks = ", ".join("?" for _ in chunk)
                existing.update(
                    row[0]
                    for row in conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)
                )
            conn.executemany(_UPSERT, rows)
        return len(ids) - len(existing)

    def get_article(self, article_id: str) -> Record | None:
        with self._locked() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return _to_record(row) if row is not None else None

    def iter_articles(
        self, since: datetime | None = None, source: str | None = None
    ) -> Iterator[Record]:
        # Keyset pages: the lock is never held while the caller works on a record.
        where, params = _filters(since, source)
        after: tuple[str, str] | None = None
        while True:
            clauses = list(where)
            args = list(params)
            if after is not None:
                clauses.append(f"({_ORDER_KEY}, id) > (?, ?)")
                args.extend(after)
            sql = f"SELECT {_COLUMNS} FROM articles"
            if clauses:
                sql += " WHERE " + " AND ".join(clauses)
            sql += f" ORDER BY {_ORDER_KEY}, id LIMIT {PAGE}"
            with self._locked() as conn:
                rows = conn.execute(sql, args).fetchall()
            for row in rows:
                yield _to_record(row)
            if len(rows) < PAGE:
                return
            last = rows[-1]
            after = (last["published_at"] or "~", last["id"])

    def search(self, query: str, since: datetime | None = None, limit: int = 20) -> list[Record]:
        expression = to_fts5(query)
        where, params = _filters(since, None, table="a")
        sql = (
            f"SELECT {', '.join('a.' + name for name in RECORD_FIELDS)} "
            "FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ?"
        )
        if where:
            sql += " AND " + " AND ".join(where)
        sql += f" ORDER BY bm25(articles_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}), a.id LIMIT ?"
        with self._locked() as conn:
            try:
                rows = conn.execute(sql, (expression, *params, max(0, limit))).fetchall()
            except sqlite3.OperationalError as exc:
                # to_fts5() quotes every term, so this is a bug in the translation, not the user.
                raise StoreError(f"cannot search for {query!r}: {exc}") from exc
        return [_to_record(row) for row in rows]

    def count(self, source: str | None = None) -> int:
        with self._locked() as conn:
            if source is None:
                row = conn.execute("SELECT COUNT(*) FROM articles").fetchone()
            else:
                row = conn.execute(
                    "SELECT COUNT(*) FROM articles WHERE source = ?", (source,)
                ).fetchone()
        return int(row[0])

    def put_signatures(self, entries: list[Record]) -> None:
        rows = [_signature_row(entry) for entry in entries]
        if not rows:
            return
        columns = ", ".join(_SIGNATURE_COLUMNS)
        upsert = (
            f"INSERT INTO story_signatures ({columns}) "
            f"VALUES ({', '.join('?' for _ in _SIGNATURE_COLUMNS)}) "
            "ON CONFLICT (id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in _SIGNATURE_COLUMNS if c != "id")
            + " RETURNING seq"
        )
        with self._locked() as conn, conn:
            for values, bands in rows:
                (seq,) = conn.execute(upsert, values).fetchone()
                conn.execute("DELETE FROM story_bands WHERE seq = ?", (seq,))
                conn.executemany(
                    "INSERT OR IGNORE INTO story_bands (band, seq) VALUES (?, ?)",
                    [(band, seq) for band in bands],
                )

    def claim_story(self, entry: Record) -> Record:
        content_hash = entry.get("content_hash")
        if not content_hash:
            return entry
        with self._locked() as conn, conn:
            conn.execute(
                "INSERT OR IGNORE INTO story_claims (content_hash, entry) VALUES (?, ?)",
                (content_hash, json.dumps(entry)),
            )
            (stored,) = conn.execute(
                "SELECT entry FROM story_claims WHERE content_hash = ?", (content_hash,)
            ).fetchone()
        return json.loads(stored)

    def claim_bands(self, entry: Record) -> tuple[set[str], list[Record]]:
        bands = [str(band) for band in entry.get("bands") or ()]
        content_hash = entry.get("content_hash")
        if not bands or not content_hash:
            return set(bands), []
        marks = ", ".join("?" for _ in bands)
        with self._locked() as conn, conn:
            seen_at = str(entry.get("seen_at") or "")
            conn.executemany(
                "INSERT OR IGNORE INTO story_band_claims (band, content_hash, seen_at) "
                "VALUES (?, ?, ?)",
                [(band, content_hash, seen_at) for band in bands],
            )
            held = conn.execute(
                f"SELECT band, content_hash FROM story_band_claims WHERE band IN ({marks})", bands
            ).fetchall()
            won = {band for band, holder in held if holder == content_hash}
            others = sorted({holder for _band, holder in held if holder != content_hash})
            rows = conn.execute(
                "SELECT entry FROM story_claims WHERE content_hash IN "
                f"({', '.join('?' for _ in others)})",
                others,
            ).fetchall() if others else []
        return won, [json.loads(row[0]) for row in rows]

    def prune_band_claims(self, before: str) -> None:
        with self._locked() as conn, conn:
            conn.execute("DELETE FROM story_band_claims WHERE seen_at < ?", (before,))

    def update_claim(self, entry: Record) -> None:
        content_hash = entry.get("content_hash")
        if not content_hash:
            return
        with self._locked() as conn, conn:
            conn.execute(
                "UPDATE story_claims SET entry = ? WHERE content_hash = ?",
                (json.dumps(entry), content_hash),
            )

    def find_signatures(
        self,
        ids: Iterable[str] = (),
        content_hashes: Iterable[str] = (),
        bands: Iterable[str] = (),
        limit: int = 20,
    ) -> list[Record]:
        ids = distinct(ids, CHUNK)
        hashes = distinct(content_hashes, CHUNK)
        band_keys = distinct(bands, CHUNK)
        parts: list[str] = []
        args: list[Any] = []
        # Weights: an id match outranks a content-hash match, which outranks any band count.
        if ids:
            parts.append(
                "SELECT seq, 2000000 AS score FROM story_signatures "
                f"WHERE id IN ({', '.join('?' for _ in ids)})"
            )
            args.extend(ids)
        if hashes:
            parts.append(
                "SELECT seq, 1000000 AS score FROM story_signatures "
                f"WHERE content_hash IN ({', '.join('?' for _ in hashes)})"
            )
            args.extend(hashes)
        if band_keys:
            parts.append(
                "SELECT DISTINCT seq, 1 AS score FROM story_bands "
                f"WHERE band IN ({', '.join('?' for _ in band_keys)})"
            )
            args.extend(band_keys)
        if not parts or limit <= 0:
            return []
        columns = ", ".join(f"s.{c}" for c in _SIGNATURE_COLUMNS)
        sql = (
            f"WITH hits (seq, score) AS ({' UNION ALL '.join(parts)}) "
            f"SELECT {columns}, SUM(hits.score) AS score FROM hits "
            "JOIN story_signatures AS s ON s.seq = hits.seq "
            "GROUP BY s.seq ORDER BY score DESC, COALESCE(s.seen_at, '~'), s.id LIMIT ?"
        )
        with self._locked() as conn:
            found = conn.execute(sql, (*args, limit)).fetchall()
        return [{c: row[c] for c in _SIGNATURE_COLUMNS} for row in found]

    def flush(self) -> None:
        # Writes are committed per call; a checkpoint also moves them from the WAL file into
        # the database file, for tools that copy only the .db file.
        with self._locked() as conn:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- helpers ---------------------------------------------------------------------------

    def _locked(self) -> _Locked:
        return _Locked(self)

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"


class _Locked:
    """`with store._locked() as conn:` holds the lock and turns sqlite3 errors into StoreError."""

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store

    def __enter__(self) -> sqlite3.Connection:
        self._store._lock.acquire()
        if self._store._conn is None:
            self._store._lock.release()
            raise StoreError(f"SQLite store {self._store.path!r} is closed")
        return self._store._conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._store._lock.release()
        if isinstance(exc, sqlite3.Error):
            raise StoreError(f"SQLite store {self._store.path!r}: {exc}") from exc


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _filters(
    since: datetime | None, source: str | None, table: str = ""
) -> tuple[list[str], list[str]]:
    prefix = f"{table}." if table else ""
    clauses: list[str] = []
    params: list[str] = []
    if since is not None:
        clauses.append(f"{prefix}published_at >= ?")
        params.append(utc_iso(since))
    if source is not None:
        clauses.append(f"{prefix}source = ?")
        params.append(source)
    return clauses, params


def utc_iso(moment: datetime) -> str:
    """The UTC ISO 8601 form records use; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _to_row(record: Record) -> tuple[Any, ...]:
    unknown = set(record) - set(RECORD_FIELDS)
    if unknown:
        raise StoreError(f"record {record.get('id')!r} has unknown fields: {sorted(unknown)}")
    if not record.get("id") or not isinstance(record["id"], str):
        raise StoreError(f"record without a string id: url={record.get('url')!r}")
    if not record.get("url"):
        raise StoreError(f"record {record['id']!r} has no url")
    values: list[Any] = []
    for name in RECORD_FIELDS:
        value = record.get(name)
        if name in JSON_FIELDS:
            try:
                value = json.dumps(value or [], ensure_ascii=False)
            except (TypeError, ValueError) as exc:
                raise StoreError(f"record {record['id']!r}: {name} is not JSON: {exc}") from None
        elif value is not None and not isinstance(value, str):
            # The Elasticsearch store takes the same records: text (ISO dates) or null.
            raise StoreError(
                f"record {record['id']!r}: {name} must be a string or None, "
                f"not {type(value).__name__}"
            )
        elif name in ("title", "body"):
            value = value or ""
        values.append(value)
    return tuple(values)


def _signature_row(entry: Record) -> tuple[tuple[Any, ...], list[str]]:
    unknown = set(entry) - set(SIGNATURE_FIELDS)
    if unknown:
        raise StoreError(f"signature {entry.get('id')!r} has unknown fields: {sorted(unknown)}")
    if not entry.get("id") or not isinstance(entry["id"], str):
        raise StoreError("signature without a string id")
    values = tuple(
        int(entry.get(c) or 0) if c == "size" else entry.get(c) for c in _SIGNATURE_COLUMNS
    )
    return values, [str(band) for band in entry.get("bands") or []]


def _to_record(row: sqlite3.Row) -> Record:
    record = {name: row[name] for name in RECORD_FIELDS}
    for name in JSON_FIELDS:
        record[name] = json.loads(record[name]) if record[name] else []
    return record


# -- query translation ---------------------------------------------------------------------
#
# The user writes what a search box takes (and what Elasticsearch's query_string takes):
# words (all required), "quoted phrases", OR, AND, NOT or -word, +word, word* for a prefix,
# parentheses. The query is parsed here and written back as FTS5 with every term quoted, so no
# user text reaches FTS5's own syntax. What cannot be expressed raises StoreError.

MAX_NESTING = 8  # FTS5's parser stack overflows near 13 levels of (a OR (b -c ...
MAX_TOKENS = 1024
_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT", "!": "NOT"}


def _tokenize(query: str) -> list[tuple[str, str]]:
    """(kind, text) tokens: ( ) " -/+ prefixes are split off; an unclosed quote runs to the end."""
    # FTS5 ends a string at NUL; no control character is searchable anyway.
    query = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in query)
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append((ch, ch))
            i += 1
        elif ch == '"':
            end = query.find('"', i + 1)
            end = n if end == -1 else end
            tokens.append(("PHRASE", query[i + 1 : end]))
            i = end + 1
        elif ch in "-+" and i + 1 < n and not query[i + 1].isspace():
            tokens.append(("NOT" if ch == "-" else "MUST", ch))
            i += 1
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in '()"':
                i += 1
            word = query[start:i]
            op = _OPERATORS.get(word)
            tokens.append((op, word) if op else ("WORD", word))
    return tokens


class _Parser:
    """expr := and (OR and)* ; and := unary ([AND] unary)* ; unary := (NOT|-|+) unary | atom."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokenize(query)
        self.pos = 0
        self.depth = 0
        if len(self.tokens) > MAX_TOKENS:
            raise self.fail(f"it has more than {MAX_TOKENS} words and operators")

    def fail(self, why: str) -> StoreError:
        shown = self.query if len(self.query) <= 80 else self.query[:77] + "..."
        return StoreError(f"cannot understand the search query {shown!r}: {why}")

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def parse(self) -> tuple[Any, ...]:
        if not self.tokens:
            raise self.fail("it is empty")
        node = self.expr()
        if self.peek() == ")":
            raise self.fail("a ')' has no matching '('")
        return node

    def expr(self) -> tuple[Any, ...]:
        parts = [self.conjunction()]
        while self.peek() == "OR":
            self.pos += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def conjunction(self) -> tuple[Any, ...]:
        parts = [self.unary()]
        while self.peek() not in (None, "OR", ")"):
            if self.peek() == "AND":
                self.pos += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def unary(self) -> tuple[Any, ...]:
        kind = self.peek()
        if kind in ("NOT", "MUST"):
            self.pos += 1
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise self.fail(f"it nests deeper than {MAX_NESTING} levels")
            if self.peek() in (None, "OR", "AND", ")"):
                raise self.fail(f"{self.tokens[self.pos - 1][1]!r} must be followed by a term")
            node = self.unary()
            self.depth -= 1
            return ("not", node) if kind == "NOT" else node
        return self.atom()

    def atom(self) -> tuple[Any, ...]:
        if self.pos >= len(self.tokens):
            raise self.fail("it ends where a term was expected")
        kind, text = self.tokens[self.pos]
        self.pos += 1
        if kind == "(":
            if self.peek() in (None, ")"):
                raise self.fail("'()' holds nothing")
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise self.fail(f"it nests deeper than {MAX_NESTING} levels")
            node = self.expr()
            self.depth -= 1
            if self.peek() == ")":
                self.pos += 1
            return node  # a missing ')' closes at the end of the query
        if kind == "PHRASE":
            return ("term", text, False)
        if kind == "WORD":
            prefix = text.endswith("*")
            return ("term", text.rstrip("*"), prefix)
        raise self.fail(f"{text!r} is not expected here")


def _searchable(text: str) -> bool:
    # unicode61 indexes letters and digits; a term with neither would match nothing.
    return any(ch.isalnum() for ch in text)


def _render(node: tuple[Any, ...], fail: Any) -> str | None:
    """FTS5 text for a node; None when the node has no searchable term (it is dropped)."""
    kind = node[0]
    if kind == "term":
        _, text, prefix = node
        if not _searchable(text):
            return None
        quoted = '"' + text.replace('"', '""') + '"'
        return quoted + " *" if prefix else quoted
    if kind == "or":
        parts = [_render(child, fail) for child in node[1]]
        kept = [part for part in parts if part is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else "(" + " OR ".join(kept) + ")"
    if kind == "and":
        positive: list[str] = []
        negative: list[str] = []
        for child in node[1]:
            if child[0] == "not":
                part = _render(child[1], fail)
                if part is not None:
                    negative.append(part)
            else:
                part = _render(child, fail)
                if part is not None:
                    positive.append(part)
        if not positive:
            if negative:
                raise fail("NOT needs a term to subtract from (e.g. 'korea NOT south')")
            return None
        text = positive[0] if len(positive) == 1 else "(" + " AND ".join(positive) + ")"
        if negative:
            # One NOT over an OR of the excluded terms keeps FTS5's parser stack shallow.
            excluded = negative[0] if len(negative) == 1 else "(" + " OR ".join(negative) + ")"
            text = f"({text} NOT {excluded})"
        return text
    if kind == "not":
        if _render(node[1], fail) is not None:
            raise fail("NOT needs a term to subtract from (e.g. 'korea NOT south')")
        return None
    raise AssertionError(f"unknown node {kind}")


def to_fts5(query: str) -> str:
    """Translate a search-box query into an FTS5 MATCH expression, or raise StoreError."""
    parser = _Parser(query)
    text = _render(parser.parse(), parser.fail)
    if text is None:
        raise parser.fail("it has no word to search for")
    return text
