"""Canonical URLs and the stable article id derived from them."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that identify a campaign or a click, never the article.
_TRACKING_EXACT = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
    "mc_eid", "_ga", "_gl", "ocid", "cmpid", "cmp", "ref", "ref_src", "referrer", "src",
    "smid", "smtyp", "spm", "share", "at_medium", "at_campaign", "ito", "ns_mchannel",
    "ns_source", "ns_campaign", "ns_linkname", "ns_fee", "sr_share", "xtor", "__twitter_impression",
    "amp", "outputtype", "output",
}  # fmt: skip
_TRACKING_PREFIX = ("utm_", "pk_", "mtm_", "hsa_", "at_", "itm_", "vero_", "oly_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_PATH = re.compile(r"(/amp)(/|$)|(\.amp)(\.html?)?$")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIX)


def canonical_url(url: str) -> str:
    """The URL as it should be stored: lower-case scheme and host, no default port, no
    fragment, no tracking parameters, remaining parameters sorted, percent-encoding
    normalised. Idempotent."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url  # "http://[::1", a port out of range: no URL to normalise, kept as is
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = port if port not in (None, _DEFAULT_PORTS.get(scheme)) else None
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc += f":{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _is_tracking(k)])  # fmt: skip
    path = parts.path or "/"
    return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))


def url_key(url: str) -> str:
    """The identity of a page across the variants publishers serve it under: no scheme, no
    `www.`/`m.`/`amp.` host prefix, no AMP path marker, no trailing slash."""
    try:
        parts = urlsplit(canonical_url(url))
    except ValueError:
        return url.strip()
    host = re.sub(r"^(www\d?|m|mobile|amp)\.", "", parts.netloc)
    path = _AMP_PATH.sub(lambda m: (m.group(2) or "") if m.group(1) else (m.group(4) or ""),
                         parts.path).rstrip("/") or "/"  # fmt: skip
    return host + path + (f"?{parts.query}" if parts.query else "")


def article_id(url: str) -> str:
    """Stable id of an article: a hash of the identity of its canonical URL."""
    return hashlib.sha256(url_key(url).encode("utf-8")).hexdigest()[:24]


def domain_of(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return re.sub(r"^www\d?\.", "", host)
