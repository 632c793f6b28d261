"""The client of an Elasticsearch store and how its failures become one-line StoreErrors that
name the server, never its password.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Self, TypeVar
from urllib.parse import unquote, urlsplit

from elastic_transport import SerializationError, TransportError
from elasticsearch import ApiError, Elasticsearch

from newswatch.storage.base import StoreError
from newswatch.storage.elasticsearch.names import SIGNATURES_SUFFIX, language_analyzers
from newswatch.store_options import DEFAULT_INDEX, StoreOptionError, parse_url
from newswatch.store_options import redact as _redact_url


def redact(url: str) -> str:
    """The URL without user:password@ and secret options (a secret must never reach a log)."""
    return _redact_url(url)


def _secrets_of(hosts: list[str], options: dict[str, Any]) -> list[str]:
    secrets: list[str] = []
    for host in hosts:
        password = urlsplit(host).password if "//" in host else None
        if password:
            secrets.extend({password, unquote(password)})
    auth = options.get("basic_auth")
    if isinstance(auth, tuple | list) and len(auth) == 2 and auth[1]:
        secrets.append(str(auth[1]))
    for key in ("api_key", "bearer_auth"):
        value = options.get(key)
        if isinstance(value, str) and value:
            secrets.append(value)
        elif isinstance(value, tuple | list):
            secrets.extend(str(part) for part in value[1:] if part)
    return [secret for secret in secrets if len(secret) >= 3]


def _error_type(exc: ApiError) -> str | None:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    return error.get("type") if isinstance(error, dict) else None


def _error_reason(exc: ApiError) -> str:
    """The most specific reason Elasticsearch gave, on one line."""
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error")
    if not isinstance(error, dict):
        return _shorten(str(error or exc.message), 300)
    return _shorten(_deepest_reason(error) or str(error.get("type")), 300)


def _deepest_reason(error: dict[str, Any]) -> str | None:
    # Shard failures ("all shards failed") carry the cause; the innermost one says what is
    # wrong (for a query_string: the Lucene parser's "Encountered ... at line 1, column 7").
    failures = error.get("failed_shards") or []
    if failures and isinstance(failures[0], dict) and isinstance(failures[0].get("reason"), dict):
        error = failures[0]["reason"]
    else:
        causes = error.get("root_cause") or []
        if not error.get("caused_by") and causes and isinstance(causes[0], dict):
            error = causes[0]
    reason = error.get("reason")
    cause = error.get("caused_by")
    while isinstance(cause, dict):
        reason = cause.get("reason") or reason
        cause = cause.get("caused_by")
    # Lucene appends a multi-line "Was expecting one of: ..." list; the first line says it.
    return str(reason).strip().splitlines()[0] if reason and str(reason).strip() else None


def _shorten(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 3] + "..."


T = TypeVar("T")


_ERRNO = re.compile(r"\[Errno -?\d+\][^)>\]]*")


_SIDE_READY: set[tuple[str, str]] = set()  # (cluster, index) this process saw exist


def ensure_side_index(client: Any, index: str, mappings: dict[str, Any], where: str = "") -> None:
    """Create a small one-shard index beside the articles (sources' state, leases) unless it
    exists, and wait until a new one can be read. A process asks once per cluster and index
    (`where` names the cluster), not each time a crawl opens the sources' state: the side
    indices are never deleted under running workers. Two workers creating it at once is
    fine."""
    key = (where, index)
    if where and key in _SIDE_READY:
        return
    try:
        if client.indices.exists(index=index):
            _SIDE_READY.add(key)
            return
        client.indices.create(
            index=index,
            mappings=mappings,
            settings={"number_of_shards": 1, "number_of_replicas": 0},
        )
    except ApiError as exc:  # created by another worker at the same moment: fine
        if "resource_already_exists" not in str(exc):
            raise
    client.cluster.health(index=index, wait_for_status="yellow", timeout="30s")
    _SIDE_READY.add(key)


class Connection:
    """The client, and failures as one-line StoreErrors that never show a password."""

    def __init__(
        self,
        hosts: list[str] | str,
        index: str = DEFAULT_INDEX,
        *,
        retention: timedelta | None = None,
        **client_options: Any,
    ) -> None:
        host_list = [hosts] if isinstance(hosts, str) else list(hosts)
        if not host_list:
            raise StoreError("no Elasticsearch host given")
        self.index = index  # the alias every read goes through
        self.template_name = index
        self.policy_name = index
        self.retention = retention
        self.url = redact(host_list[0])
        self._where = self.url  # the server, as error messages name it
        self._secrets = _secrets_of(host_list, client_options)
        client_options.setdefault("request_timeout", 30)
        client_options.setdefault("max_retries", 2)
        client_options.setdefault("retry_on_timeout", True)
        try:
            self._client = Elasticsearch(host_list, **client_options)
        except (ValueError, TypeError) as exc:
            message = self._clean(f"bad Elasticsearch settings for {self._where}: {exc}")
            raise StoreError(message) from None
        self._ready = False
        self.signatures_index = index + SIGNATURES_SUFFIX
        self._signatures_ready = False
        self._codes = language_analyzers()
        self.analyzers: str | None = None  # "language" or "standard", known after setup()
        self.ilm: bool | None = None  # whether the cluster has ILM, known after setup()
        self._generation = 1
        self._months: dict[str, str] = {}  # "2024.10" -> the concrete index in the alias
        self._recent: OrderedDict[str, str] = OrderedDict()  # id -> index, written lately
        self._own = re.compile(rf"^{re.escape(index)}-(?:g(\d+)-)?(\d{{4}}\.\d{{2}})$")

    @property
    def client(self) -> Elasticsearch:
        """The connected client, for components that keep their own indices beside the
        articles (the alert ledger)."""
        return self._client

    @classmethod
    def from_url(cls, url: str, **client_options: Any) -> Self:
        """A store URL: hosts, credentials and options (see newswatch.store_options)."""
        try:
            connection = parse_url(url)
        except StoreOptionError as exc:
            raise StoreError(str(exc)) from None
        options = {**connection.client_options, **client_options}
        store = cls(
            connection.hosts, index=connection.index, retention=connection.retention, **options
        )
        store.url = connection.display
        if len(connection.hosts) > 1:
            store._where = f"{store._where} (and {len(connection.hosts) - 1} more node(s))"
        return store

    def _call(self, what: str, method: Callable[..., T], **kwargs: Any) -> T:
        try:
            return method(**kwargs)
        except ApiError as exc:
            raise self._api_error(what, exc) from None
        except TransportError as exc:
            raise self._transport_error(what, exc) from None

    def _transport_error(self, what: str, exc: TransportError) -> StoreError:
        if isinstance(exc, SerializationError):  # our side: a value JSON cannot carry
            return StoreError(self._clean(f"cannot {what} in Elasticsearch: {exc}"))
        return self._unreachable(exc)

    def _unreachable(self, exc: TransportError) -> StoreError:
        text = str(exc.message) if getattr(exc, "message", None) else str(exc)
        errno = _ERRNO.search(text)
        reason = errno.group(0).strip() if errno else f"{type(exc).__name__}: {text}"
        return StoreError(self._clean(f"Elasticsearch at {self._where} is not reachable: {reason}"))

    def _api_error(self, what: str, exc: ApiError) -> StoreError:
        kind = _error_type(exc)
        if kind == "index_not_found_exception":
            return StoreError(
                f"Elasticsearch at {self._where} has no index {self.index!r}: "
                "run `newswatch setup` first"
            )
        reason = _error_reason(exc)
        return StoreError(
            self._clean(
                f"Elasticsearch at {self._where} could not {what} (HTTP {exc.meta.status}"
                f"{', ' + kind if kind else ''}): {reason}"
            )
        )

    def _clean(self, message: str) -> str:
        message = redact(message).splitlines()[0] if message else message
        for secret in self._secrets:
            message = message.replace(secret, "***")
        return message

    def __repr__(self) -> str:
        return f"ElasticsearchStore({self.url!r}, index={self.index!r})"

    def close(self) -> None:
        self._client.close()
