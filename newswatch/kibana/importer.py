"""Send saved objects to Kibana's import API (`POST /api/saved_objects/_import`).

The NDJSON goes as the `file` part of a multipart/form-data body with `overwrite=true`, so
importing again updates the objects in place. Credentials: `user:password@` in the Kibana URL
(basic auth) or an API key (`Authorization: ApiKey ...`); a Kibana space is a URL prefix
(`/s/<space>`). Every failure is one `KibanaError` line naming the Kibana (never its password).
"""

from __future__ import annotations

import base64
import json
import ssl
import uuid
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import quote, unquote, urlsplit, urlunsplit
from urllib.request import Request, urlopen


class KibanaError(RuntimeError):
    """The import failed; the message says where and why, on one line."""


@dataclass
class ImportResult:
    imported: int
    response: dict


def _endpoint(url: str, space: str | None) -> tuple[str, str | None, str]:
    """The import URL without credentials, the Authorization header (basic) or None, and
    the URL as shown in messages."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KibanaError(f"bad Kibana URL {url!r}: expected http(s)://host:5601")
    auth = None
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        auth = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    base = parts.path.rstrip("/")
    if space and space != "default":
        base += f"/s/{quote(space, safe='')}"
    shown = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    endpoint = urlunsplit(
        (parts.scheme, netloc, f"{base}/api/saved_objects/_import", "overwrite=true", "")
    )
    return endpoint, auth, shown


def multipart(ndjson: str, boundary: str) -> bytes:
    """A multipart/form-data body with the NDJSON as the `file` part."""
    return (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="newswatch.ndjson"\r\n'
        "Content-Type: application/ndjson\r\n\r\n"
        f"{ndjson}\r\n"
        f"--{boundary}--\r\n"
    ).encode()


def import_objects(
    url: str,
    ndjson: str,
    *,
    api_key: str | None = None,
    space: str | None = None,
    ca_certs: str | None = None,
    timeout: float = 60,
) -> ImportResult:
    """Import the objects; raise KibanaError unless Kibana reports every one imported."""
    endpoint, auth, shown = _endpoint(url, space)
    if api_key:
        if auth:
            raise KibanaError("give either user:password@ in the Kibana URL or an API key")
        auth = f"ApiKey {api_key}"
    boundary = f"newswatch-{uuid.uuid4().hex}"
    headers = {
        "kbn-xsrf": "newswatch",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Accept": "application/json",
    }
    if auth:
        headers["Authorization"] = auth
    request = Request(endpoint, data=multipart(ndjson, boundary), headers=headers, method="POST")
    context = None
    if endpoint.startswith("https:"):
        try:
            context = ssl.create_default_context(cafile=ca_certs)
        except (OSError, ssl.SSLError) as exc:
            raise KibanaError(f"cannot read the CA file {ca_certs!r}: {exc}") from None
    try:
        with urlopen(request, timeout=timeout, context=context) as response:  # noqa: S310
            body = response.read()
    except HTTPError as exc:
        detail = _message(exc.read())
        hint = " (check the credentials)" if exc.code in (401, 403) else ""
        raise KibanaError(f"Kibana at {shown} answered HTTP {exc.code}{hint}: {detail}") from None
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise KibanaError(f"Kibana at {shown} is not reachable: {reason}") from None
    try:
        result = json.loads(body)
    except ValueError:
        raise KibanaError(f"Kibana at {shown} answered something that is not JSON") from None
    if not result.get("success"):
        errors = result.get("errors") or []
        listed = "; ".join(
            f"{e.get('type')} {e.get('id')}: {(e.get('error') or {}).get('type', 'error')}"
            for e in errors[:3]
        )
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise KibanaError(
            f"Kibana at {shown} refused {len(errors)} object(s): {listed or _message(body)}{more}"
        )
    return ImportResult(int(result.get("successCount", 0)), result)


def _message(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        text = body.decode("utf-8", "replace").strip()
        return " ".join(text.split())[:200] or "no details"
    if isinstance(data, dict):
        return str(data.get("message") or data.get("error") or data)[:200]
    return str(data)[:200]
