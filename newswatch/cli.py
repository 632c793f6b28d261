"""The `newswatch` command line: parse arguments, load the config, call the work, print.

Exit status: 0 success, 1 a runtime failure (one line on stderr), 2 a usage or config error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from newswatch import __version__
from newswatch.config import Config, ConfigError, load_config, parse_interval
from newswatch.storage import Reindexable, StoreError, open_store

DEFAULT_CONFIG = "newswatch.yaml"


class Failure(Exception):
    """A runtime failure reported as one line, exit status 1."""


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.now(UTC) - parse_interval(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def _redact(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password or parts.username:
        netloc = "***@" + (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# -- commands ----------------------------------------------------------------------------
def cmd_crawl(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.scheduler.crawling import run_crawls

    config = _config(args)
    sources = (
        [config.source(name) for name in args.sources] if args.sources else list(config.sources)
    )
    _prepare_store(config.store)
    level = "DEBUG" if args.verbose > 1 else "INFO" if args.verbose else "WARNING"
    overrides = {"NEWSWATCH_EXTRACT_WORKERS": args.workers} if args.workers is not None else {}
    progress = None if args.json else sys.stderr  # a line on a terminal only
    summaries = run_crawls(config, sources, overrides, log_level=level, progress=progress)
    report = _deliver(config)
    if args.json:
        for summary in summaries:
            out.write(json.dumps(summary.as_dict()) + "\n")
        if report is not None:
            out.write(json.dumps({"alerts": report.__dict__}) + "\n")
    else:
        _print_summary(summaries, out)
        if report is not None:
            _print_report(report, out)
    return 0


def _deliver(config: Config) -> Any:
    from newswatch.scheduler.crawling import deliver_due

    return deliver_due(config)


def _print_report(report: Any, out: TextIO) -> None:
    out.write(f"alerts: {report.sent} sent, {report.retrying} to retry, {report.failed} failed\n")


def cmd_notify(args: argparse.Namespace, out: TextIO) -> int:
    report = _deliver(_config(args))
    if report is None:
        raise Failure("no notifiers in the config")
    if args.json:
        out.write(json.dumps(report.__dict__) + "\n")
    else:
        _print_report(report, out)
    return 0


def cmd_alerts(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.storage import open_ledger

    config = _config(args)
    ledger = open_ledger(config.store)
    try:
        alerts = list(ledger.alerts(since=args.since))
    finally:
        ledger.close()
    for alert in alerts:
        if args.json:
            out.write(json.dumps(alert.record(), ensure_ascii=False) + "\n")
            continue
        quoted = f'{alert.speaker}: "{alert.quote}"'
        what = quoted if alert.kind == "statement" else alert.title
        states = ", ".join(
            f"{d.channel} {d.status}" + (f" ({d.attempts} tries)" if d.attempts > 1 else "")
            for d in alert.deliveries.values()
        )
        when = alert.created_at[:16].replace("T", " ")
        out.write(f"{when}  {alert.topic:<14} {alert.kind:<9} {what[:80]}\n")
        out.write(f"{'':18}{len(alert.outlets)} outlet(s); {states or 'no channel'}\n")
    if not alerts and not args.json:
        out.write("no alerts\n")
    return 0


def cmd_topics_test(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.config import Topic
    from newswatch.topics import TopicMatcher, TopicQuery, TopicQueryError

    config = _config(args)
    named = {t.name: t for t in config.topics}
    if args.query in named:
        topic = named[args.query]
    else:
        try:
            TopicQuery.parse(args.query)
        except TopicQueryError as exc:
            print(f"newswatch: bad query: {exc}", file=sys.stderr)
            return 2
        topic = Topic(name="query", query=args.query)
    matcher = TopicMatcher([topic])
    store = open_store(config.store)
    hits = 0
    try:
        for record in store.iter_articles(since=args.since):
            if not matcher.match(record):
                continue
            hits += 1
            if args.json:
                keys = ("id", "published_at", "source", "title", "url", "story_id")
                out.write(json.dumps({k: record[k] for k in keys}, ensure_ascii=False) + "\n")
            else:
                when = (record["published_at"] or "")[:16].replace("T", " ")
                out.write(f"{when}  {record['source']:<12} {record['title'][:80]}\n")
    finally:
        store.close()
    if not args.json:
        out.write(f"{hits} stored articles match {topic.name!r} (nothing was sent)\n")
    return 0


def _print_summary(summaries: Sequence[Any], out: TextIO) -> None:
    cols = (
        "source",
        "pages",
        "discovered",
        "known",
        "new",
        "existing",
        "not_article",
        "flagged",
        "robots_forbidden",
        "errors",
    )
    heads = (
        "source",
        "pages",
        "links",
        "known",
        "new",
        "existing",
        "not article",
        "kept flagged",
        "robots",
        "errors",
    )
    rows = [[str(getattr(s, c)) for c in cols] for s in summaries]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    line = "  ".join(
        h.ljust(w) if i == 0 else h.rjust(w)
        for i, (h, w) in enumerate(zip(heads, widths, strict=True))
    )  # noqa: E501
    out.write(line + "\n")
    for row in rows:
        out.write(
            "  ".join(
                v.ljust(w) if i == 0 else v.rjust(w)
                for i, (v, w) in enumerate(zip(row, widths, strict=True))
            )
            + "\n"
        )
    new = sum(s.new for s in summaries)
    known = sum(s.known for s in summaries)
    errors = sum(s.errors for s in summaries)
    out.write(
        f"{new} new articles stored, {known} already known (not fetched again), {errors} errors\n"
    )


def _setup_store(url: str) -> None:
    store = open_store(url)
    try:
        store.setup()
    finally:
        store.close()


def _prepare_store(url: str) -> None:
    """Before crawling: set the store up, or say in one line that it is down; the crawl
    goes on and its articles wait in the spool until the store answers."""
    try:
        _setup_store(url)
    except StoreError as exc:
        print(f"newswatch: {exc}; articles are spooled until it answers", file=sys.stderr)


def cmd_setup(args: argparse.Namespace, out: TextIO) -> int:
    config = _config(args)
    store = open_store(config.store)
    try:
        reindexed = None
        if args.reindex:
            if not isinstance(store, Reindexable):
                raise Failure("--reindex is for an Elasticsearch store (SQLite needs none)")
            reindexed = store.reindex()
        else:
            store.setup()
        count = store.count()
        details = store.describe() if isinstance(store, Reindexable) else {}
    finally:
        store.close()
    if args.json:
        extra = {"reindexed": reindexed.__dict__} if reindexed else {}
        record = {"store": store.url, "articles": count, **details, **extra}
        out.write(json.dumps(record) + "\n")
        return 0
    out.write(f"store ready: {store.url} ({count} articles)\n")
    if reindexed:
        out.write(
            f"reindexed: {reindexed.copied} articles copied from {len(reindexed.old_indices)} "
            f"index(es) into {len(reindexed.new_indices)} new one(s); the old ones are deleted\n"
        )
    if details:
        from newswatch.storage.elasticsearch import describe_lines

        out.writelines(line + "\n" for line in describe_lines(details))
    return 0


def cmd_kibana(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.kibana import KibanaError, import_objects, saved_objects, to_ndjson
    from newswatch.store_options import parse_url

    config = _config(args)
    if config.store.split(":", 1)[0].lower() not in ("http", "https"):
        raise Failure(f"Kibana needs an Elasticsearch store, not {_redact(config.store)}")
    index = parse_url(config.store).index
    ndjson = to_ndjson(saved_objects(index, config.topics))
    if args.action == "export":
        out.write(ndjson)
        return 0
    if not args.url:
        print("newswatch: kibana import needs --url (or $KIBANA_URL)", file=sys.stderr)
        return 2
    try:
        result = import_objects(
            args.url, ndjson, api_key=args.api_key, space=args.space, ca_certs=args.ca_certs
        )
    except KibanaError as exc:
        raise Failure(str(exc)) from None
    if args.json:
        out.write(json.dumps({"imported": result.imported}) + "\n")
    else:
        out.write(
            f"imported {result.imported} saved objects; in Kibana open Dashboards > "
            f"\"newswatch: {index}\" (or Discover > Open: \"Topic: ...\")\n"
        )
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    config = _config(args)
    store = open_store(config.store)
    try:
        for record in store.iter_articles(since=args.since, source=args.source):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        store.close()
    return 0


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    config = _config(args)
    store = open_store(config.store)
    try:
        hits = store.search(args.query, since=args.since, limit=args.limit)
    finally:
        store.close()
    if args.json:
        for hit in hits:
            out.write(json.dumps(hit, ensure_ascii=False) + "\n")
        return 0
    if not hits:
        out.write("no articles match\n")
    for hit in hits:
        when = (hit.get("published_at") or "")[:16].replace("T", " ")
        out.write(f"{when}  {hit['source']:<12} {hit['title'][:90]}\n{'':18}{hit['url']}\n")
    return 0


def _worker(text: str) -> tuple[int, int]:
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: use i/N, e.g. 1/2") from None
    if not 1 <= i <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: i must be between 1 and N")
    return i, n


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.scheduler.monitor import Monitor, jobs_path_for, worker_share
    from newswatch.scheduler.pool import Pool
    from newswatch.storage import open_leases

    config = _config(args)
    sources = list(config.sources)
    pool = None
    if args.worker:
        sources = worker_share(sources, *args.worker)
        if not sources:
            raise Failure(f"worker {args.worker[0]}/{args.worker[1]} has no sources to crawl")
    _prepare_store(config.store)
    if not args.worker:  # a worker of the pool of every monitor on this store
        pool = Pool(open_leases(config.store), [s.name for s in sources])
    level = "DEBUG" if args.verbose > 1 else "INFO" if args.verbose else "WARNING"
    overrides = {"NEWSWATCH_EXTRACT_WORKERS": args.workers} if args.workers is not None else {}
    monitor = Monitor(
        config,
        sources,
        jobs_path_for(config, args.worker) if args.worker else None,
        mode=args.mode,
        out=out,
        as_json=args.json,
        log_level=level,
        overrides=overrides,
        pool=pool,
    )
    try:
        return monitor.run()
    finally:
        if pool is not None:
            pool.leases.close()


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.records import WORKER_KEY
    from newswatch.scheduler.monitor import DEFAULT_INTERVAL
    from newswatch.scheduler.pool import stuck_sources
    from newswatch.storage import open_leases, open_source_states

    config = _config(args)
    states = open_source_states(config.store)
    try:
        saved = states.all()
    finally:
        states.close()
    known = {s.source: s for s in saved}
    now = datetime.now(UTC)
    leases = open_leases(config.store)
    try:
        every = leases.leases()
    finally:
        leases.close()
    held = {lease.key: lease for lease in every if lease.live(now)}
    stuck = stuck_sources(config.sources, every, saved, now, DEFAULT_INTERVAL)
    workers = sorted(k[len(WORKER_KEY) :] for k in held if k.startswith(WORKER_KEY))
    rows = []
    for source in config.sources:
        state = known.get(source.name)
        rows.append(
            {
                "source": source.name,
                "health": state.health if state else "never crawled",
                "problem": state.health_problem if state else None,
                "last_crawl_at": state.last_crawl_at if state else None,
                "last_success_at": state.last_success_at if state else None,
                "consecutive_failures": state.consecutive_failures if state else 0,
                "last_error": _redact_text(state.last_error) if state else None,
                "articles": state.articles_total if state else 0,
                "flagged": state.flagged_total if state else 0,
                "last_new": state.new_articles if state else 0,
                "no_body_share": _share(state.no_body, state.extracted + state.no_body)
                if state
                else None,
                "no_date_share": _share(state.no_date, state.extracted) if state else None,
                "interval_seconds": state.interval_seconds if state else None,
                "worker": held[source.name].owner if source.name in held else None,
                "held_since": held[source.name].claimed_at if source.name in held else None,
                "lease_stuck": stuck.get(source.name),
            }
        )
    if args.json:
        for row in rows:
            out.write(json.dumps({**row, "pool_workers": workers}) + "\n")
        return 0
    out.write(f"{'source':<16}{'health':<15}{'last crawl':<18}{'articles':>9}{'flagged':>8}"
              f"{'fails':>6}  no body  no date\n")  # fmt: skip
    for row in rows:
        when = (row["last_crawl_at"] or "-")[:16].replace("T", " ")
        shares = "".join(
            f"{'-' if row[k] is None else f'{row[k]:.0%}':>9}"
            for k in ("no_body_share", "no_date_share")
        )
        out.write(
            f"{row['source']:<16}{row['health']:<15}{when:<18}{row['articles']:>9}"
            f"{row['flagged']:>8}{row['consecutive_failures']:>6}{shares}\n"
        )
        if row["problem"] or (row["consecutive_failures"] and row["last_error"]):
            out.write(f"{'':16}{row['problem'] or row['last_error']}\n")
        if row["worker"]:
            since = (row["held_since"] or "")[:19].replace("T", " ")
            out.write(f"{'':16}crawled by worker {row['worker']} since {since}\n")
        if row["lease_stuck"]:
            out.write(f"{'':16}STUCK: {row['lease_stuck']}\n")
    out.write(f"workers alive: {', '.join(workers) if workers else 'none'}\n")
    return 0


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _redact_text(text: str | None) -> str | None:
    """URLs in a message lose their user:password part."""
    if not text:
        return text
    import re

    return re.sub(r"(\w+://)[^/\s@]+@", r"\1***@", text)


def cmd_spool(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.storage.spool import Spool, SpooledWriter, spool_dir, spool_folder

    config = _config(args)
    spool = Spool(spool_dir(spool_folder(config.path), config.store), config.store)
    if args.action == "status":
        status = spool.status()
        if args.json:
            out.write(json.dumps(status) + "\n")
            return 0
        out.write(
            f"spool {status['spool']} (store {status['store'] or '-'}):\n"
            f"  pending: {status['pending_records']} articles in {status['pending_batches']} "
            f"batches{', oldest ' + status['oldest_pending'] if status['oldest_pending'] else ''}"
            f" (written by the next crawl)\n"
            f"  dead letters: {status['dead_letters']} (refused by the store; "
            f"`newswatch spool requeue` tries them again)\n"
        )
        for error, count in status["dead_letter_errors"].items():
            out.write(f"    {count} x {error}\n")
        if status["corrupt_batches"]:
            out.write(f"  unreadable batches set aside: {status['corrupt_batches']}\n")
        return 0
    requeued = spool.requeue(set(args.id) if args.id else None)
    store = open_store(config.store)
    try:
        outcome = SpooledWriter(store, spool).replay(wait=30.0, force=True)
    finally:
        store.close()
    result = {"requeued": requeued, "written": outcome.new + outcome.existing,
              "refused_again": outcome.dead, "still_pending": spool.count(),
              "error": outcome.error}  # fmt: skip
    if args.json:
        out.write(json.dumps(result) + "\n")
    else:
        out.write(
            f"{requeued} dead letters put back; {result['written']} articles written, "
            f"{outcome.dead} refused again (kept as dead letters), {result['still_pending']} "
            f"still pending{': ' + outcome.error if outcome.error else ''}\n"
        )
    return 1 if outcome.error else 0


def cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.pipelines.explain import FetchError, explain_page, fetch, render, source_for

    # The config only lends the source's language and zone: without one, explain still works.
    given = args.config != os.environ.get("NEWSWATCH_CONFIG", DEFAULT_CONFIG)
    config = _config(args) if given or os.path.exists(args.config) else None
    if args.source and config is None:
        raise Failure(f"--source {args.source}: no config file {args.config!r} to find it in")
    source = source_for(config, args.url, args.source)
    try:
        if args.html:
            with open(args.html, encoding="utf-8", errors="replace") as handle:
                html = handle.read()
        else:
            html = fetch(args.url)
    except (OSError, FetchError) as exc:
        raise Failure(str(exc)) from None
    explanation = explain_page(html, args.url, source)
    if args.json:
        out.write(json.dumps(explanation.as_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(render(explanation) + "\n")
    return 0


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from newswatch.demo.run import run_demo

    return run_demo(out, keep=args.keep, as_json=args.json)


# -- parser ------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newswatch",
        description="Crawl news sources, store and search articles, alert on topics.",
    )
    parser.add_argument("--version", action="version", version=f"newswatch {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-c",
        "--config",
        default=os.environ.get("NEWSWATCH_CONFIG", DEFAULT_CONFIG),
        help="configuration file (default: $NEWSWATCH_CONFIG or newswatch.yaml)",
    )
    common.add_argument("--json", action="store_true", help="print JSON (one object per line)")
    common.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="more log lines (-vv: debug, with tracebacks)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[..., int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(func=func)
        return p

    p = add("crawl", cmd_crawl, "crawl the sources once now, store new articles, print a summary")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="only these sources (default all)")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="extraction worker processes (default: one per core; 0: none)",
    )
    p = add("run", cmd_run, "crawl every source on its schedule until SIGTERM/SIGINT")
    p.add_argument(
        "--worker",
        type=_worker,
        metavar="I/N",
        help="crawl a fixed share, I of N (default: join the pool of every monitor on the "
        "store, which shares the sources through leases and takes over from a worker that dies)",
    )
    p.add_argument(
        "--mode",
        choices=["inprocess", "subprocess"],
        default="inprocess",
        help="crawls in this process (default) or one `newswatch crawl` process each",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="extraction worker processes (default: one per core; 0: none)",
    )
    add("status", cmd_status, "per source: health, last crawl, articles, failures")
    p = add("setup", cmd_setup, "create the SQLite schema or the Elasticsearch index (idempotent)")
    p.add_argument(
        "--reindex",
        action="store_true",
        help="Elasticsearch: copy every article into new indices with the current mapping, "
        "then swap the alias (stop crawls first)",
    )
    p = add("kibana", cmd_kibana, "Kibana saved objects: data view, topic searches, dashboard")
    p.add_argument("action", choices=["export", "import"], help="export: print NDJSON")
    p.add_argument("--url", default=os.environ.get("KIBANA_URL"), help="Kibana (import)")
    p.add_argument("--api-key", default=os.environ.get("KIBANA_API_KEY"), help="Kibana API key")
    p.add_argument("--space", help="Kibana space (default: the default space)")
    p.add_argument("--ca-certs", help="CA file to verify an https Kibana with")
    p = add("export", cmd_export, "print stored articles as JSON Lines")
    p.add_argument("--since", type=_since, help="only articles published within, e.g. 2d, 12h")
    p.add_argument("--source", help="only this source")
    p = add("search", cmd_search, "full-text search of the stored articles")
    p.add_argument("query", help='words, "phrases", OR, NOT, prefix*')
    p.add_argument("--since", type=_since, help="only articles published within, e.g. 7d")
    p.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    p = add("alerts", cmd_alerts, "the alert ledger with the delivery state per channel")
    p.add_argument("--since", type=_since, help="only alerts created within, e.g. 1d")
    add("notify", cmd_notify, "send the alerts that are due now (retries, digests)")
    p = add("topics", cmd_topics_test, "test a topic or query against the stored articles")
    p.add_argument("action", choices=["test"], help="test: show what would match; sends nothing")
    p.add_argument("query", help="a topic name from the config, or a query")
    p.add_argument("--since", type=_since, help="only articles published within, e.g. 7d")
    p = add("spool", cmd_spool, "what waits in the store's spool; put dead letters back")
    p.add_argument(
        "action",
        choices=["status", "requeue"],
        help="status: pending articles and dead letters; requeue: put dead letters back in "
        "the spool and write them now (after fixing what the store refused)",
    )
    p.add_argument("--id", action="append", help="requeue only this article id (repeatable)")
    p = add(
        "explain",
        cmd_explain,
        "what newswatch makes of one page and why: headline, dates, quality, statements",
    )
    p.add_argument("url", help="the page (fetched once, or read from --html)")
    p.add_argument("--html", metavar="FILE", help="read the page from this file")
    p.add_argument("--source", help="take language and zone from this source (default: by host)")
    p = add(
        "demo", cmd_demo, "serve a demo news site on 127.0.0.1 and crawl it into a temporary store"
    )
    p.add_argument("--keep", action="store_true", help="keep the demo store and print its path")
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args, out))
    except ConfigError as exc:
        print(f"newswatch: config error: {exc}", file=sys.stderr)
        return 2
    except (StoreError, Failure) as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `newswatch export | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit
        return 0
    except KeyboardInterrupt:
        print("newswatch: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
