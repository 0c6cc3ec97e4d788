"""Canonical URLs: one spelling per article, for de-duplicating input and as the archive key."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import SplitResult, unquote, urlsplit

from publicsuffixlist import PublicSuffixList
from w3lib.url import safe_url_string

# Query parameters that only record who shared a link or how it was clicked; never the content.
TRACKING_PARAMS = frozenset(
    {
        "spm", "from", "fromid", "share_token", "sharetoken", "share_from", "sharefrom",
        "share_source", "shareid", "isappinstalled", "scene", "clicktime", "enterid", "wfr",
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid",
        "_hsenc", "_hsmi", "ref", "ref_src", "tt_from", "share_medium", "log_from",
        "chksm", "mpshare", "srcid",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "sharer_")

# Names that are tracking noise only on these hosts (and their subdomains): elsewhere a
# parameter called "r" or "mod" may well select the page.
_SINA = frozenset({"cre", "mod", "loc", "r", "doct", "rfunc"})
HOST_TRACKING_PARAMS: dict[str, frozenset[str]] = {"sina.com.cn": _SINA, "sina.cn": _SINA}

# Hosts whose articles are identified by a fixed parameter set:
# host suffix -> (parameter marking an article link, the parameters to keep).
HOST_KEEP_ONLY: dict[str, tuple[str, frozenset[str]]] = {
    "mp.weixin.qq.com": ("__biz", frozenset({"__biz", "mid", "idx", "sn"})),
}

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_RE = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?")
_ESCAPE_RE = re.compile(r"%[0-9a-fA-F]{2}")


class BadURL(ValueError):
    """A URL we cannot archive: not http(s), no host, bad port, garbage in the host."""


def canonical_url(url: str) -> str:
    """The one spelling of `url` we store and compare; raises BadURL when it is unusable."""
    url = url.strip()
    _check_raw(url)
    try:
        safe = safe_url_string(url)
    except ValueError as err:  # w3lib/idna choking on a hopeless host
        raise BadURL(f"malformed URL {_show(url)}: {err}") from err
    parts = _split(safe)
    host = _host(parts, url)
    path = _upper_escapes(parts.path) or "/"
    query = _clean_query(_upper_escapes(parts.query), host)
    netloc = _netloc(parts, host)
    return f"{parts.scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def host_of(url: str) -> str:
    """Lower-cased (punycode) host of `url`, without port; raises BadURL like canonical_url."""
    return urlsplit(canonical_url(url)).hostname or ""


def registered_domain(host: str) -> str:
    """The name a host was registered under, by the Public Suffix List: 'news.sina.com.cn' ->
    'sina.com.cn', 'www.gmw.cn' -> 'gmw.cn', 'ent.ltn.com.tw' -> 'ltn.com.tw'. IP addresses and
    single labels stay as they are; a leading 'www.' is never part of the name."""
    host = host.lower().rstrip(".")
    if _is_ip(host):
        return host
    return _strip_www(_public_suffixes().privatesuffix(host) or host)


@lru_cache(maxsize=1)
def _public_suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list ships with the package: no download, ~0.3 s to load


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def same_site(a: str, b: str) -> bool:
    """True when both URLs point at the same host, treating "www.x" and "x" as one site."""
    return _strip_www(host_of(a)) == _strip_www(host_of(b))


def _check_raw(url: str) -> None:
    """Reject what safe_url_string would happily "repair" into something else."""
    if not url:
        raise BadURL("empty URL")
    parts = _split(url)
    if parts.scheme not in _DEFAULT_PORTS:
        raise BadURL(f"not an http(s) URL: {_show(url)}")
    if not parts.hostname:
        raise BadURL(f"missing host: {_show(url)}")
    if any(ch.isspace() for ch in parts.netloc):
        raise BadURL(f"whitespace in host: {_show(url)}")
    try:
        parts.port  # noqa: B018 - urlsplit validates the port lazily, on access
    except ValueError as err:
        raise BadURL(f"bad port in {_show(url)}: {err}") from err


def _split(url: str) -> SplitResult:
    """urlsplit, turning its ValueError (e.g. unbalanced IPv6 brackets) into BadURL."""
    try:
        return urlsplit(url)
    except ValueError as err:
        raise BadURL(f"malformed URL {_show(url)}: {err}") from err


def _host(parts: SplitResult, url: str) -> str:
    """The validated, lower-cased ASCII host (IPv6 literals bracketed)."""
    host = (parts.hostname or "").lower()
    if ":" in host:
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError as err:
            raise BadURL(f"bad IPv6 host in {_show(url)}") from err
    if not _HOST_RE.fullmatch(host):
        raise BadURL(f"invalid host {host!r} in {_show(url)}")
    return host


def _netloc(parts: SplitResult, host: str) -> str:
    """host[:port] with any userinfo kept and the scheme's default port dropped."""
    userinfo = parts.netloc.rpartition("@")[0]
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS[parts.scheme]) else f"{host}:{port}"
    return f"{userinfo}@{netloc}" if userinfo else netloc


def _clean_query(query: str, host: str) -> str:
    """Drop tracking parameters, keeping the order of the rest (some CMSs depend on it)."""
    pairs = [(piece, _param_name(piece)) for piece in query.split("&") if piece]
    keep_only = _keep_only(host, [name for _, name in pairs])
    if keep_only is not None:
        return "&".join(piece for piece, name in pairs if name in keep_only)
    return "&".join(piece for piece, name in pairs if not _is_tracking(name, host))


def _param_name(piece: str) -> str:
    """Decoded, lower-cased parameter name of a raw "name=value" query piece."""
    return unquote(piece.partition("=")[0]).lower()


def _keep_only(host: str, names: list[str]) -> frozenset[str] | None:
    """The whitelist to apply to this query, if the host has one and its marker is present."""
    for suffix, (marker, keep) in HOST_KEEP_ONLY.items():
        if _on_host(host, suffix) and marker in names:
            return keep
    return None


def _is_tracking(name: str, host: str) -> bool:
    if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
        return True
    return any(
        name in names and _on_host(host, suffix) for suffix, names in HOST_TRACKING_PARAMS.items()
    )


def _on_host(host: str, suffix: str) -> bool:
    """`host` is `suffix` or a subdomain of it (label boundary: "notsina.cn" is not sina.cn)."""
    host = host.rstrip(".")
    return host == suffix or host.endswith("." + suffix)


def _upper_escapes(text: str) -> str:
    # %e4 and %E4 are the same byte; pick one spelling so keys compare equal.
    return _ESCAPE_RE.sub(lambda m: m.group().upper(), text)


def _strip_www(host: str) -> str:
    return host.removeprefix("www.")


def _show(url: str) -> str:
    """Bounded repr, so a BadURL message stays one short line."""
    return repr(url if len(url) <= 120 else url[:117] + "...")
