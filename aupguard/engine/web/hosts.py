"""Hosts and URLs as the web guard sees them: one normal form for every way a host is written.

`normalise_host` turns whatever names a host (``WWW.Example.COM.:8080``, ``user:pw@host``,
``[::1]:443``, ``bücher.example``, Squid's CONNECT ``teams.microsoft.com:443``) into the form the
category database and the packs' domain lists are keyed on:

- lower case, the trailing dot of a fully qualified name dropped;
- the port and any userinfo (``user:password@``) dropped;
- an internationalised name in punycode (``xn--bcher-kva.example``) through Python's ``idna`` codec;
  a name the codec refuses is kept as it is, lower-cased, so it still matches nothing by mistake;
- an IPv4 literal kept as written (``10.0.0.1``); an IPv6 literal (bracketed in URLs) kept without its
  brackets, in its compressed form (``[0:0::1]:443`` is ``::1``).

`split_url` splits a URL into that host and the path with its query (``/a/b?c=d``; ``/`` when there is
none; the fragment dropped). A URL needs no scheme: ``example.com/path`` is a URL, and
``host:443`` (Squid's CONNECT form) is a host and port. Anything that names no usable host raises
`ValueError` with a message saying what is wrong.
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["URL_PARTS", "is_ip_literal", "normalise_host", "path_of", "split_url"]

# An optional scheme (`http://`) or a scheme-relative `//`, then the authority, then path and query.
URL_PARTS = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|//)?([^/?#]*)([^#]*)")
# A host already in normal form: lower-case ASCII labels, no port, no userinfo, no trailing dot.
_PLAIN = re.compile(r"[a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*")
_IPV4 = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")
_BAD_CHARS = re.compile(r"[\s/\\?#<>\"'`{}|^%,;]")


def is_ip_literal(host: str) -> bool:
    """Whether a normalised host is an IPv4 or IPv6 address (matched whole, never by suffix)."""
    return ":" in host or _IPV4.fullmatch(host) is not None


def normalise_host(value: str) -> str:
    """The normal form of a host written as ``[userinfo@]host[:port]``; ValueError if unusable."""
    text = value.strip()
    if _PLAIN.fullmatch(text):
        return text
    if not text:
        raise ValueError("empty host")
    host = text.rpartition("@")[2]
    if host.startswith("["):
        end = host.find("]")
        if end < 0:
            raise ValueError(f"unclosed '[' in host {value!r}")
        _check_port(host[end + 1 :], value, bracketed=True)
        return _ipv6(host[1:end], value)
    if host.count(":") > 1:
        # An unbracketed IPv6 address (``::1``): there is no port to strip.
        return _ipv6(host, value)
    host, colon, port = host.partition(":")
    if colon:
        _check_port(colon + port, value, bracketed=False)
    if host.endswith("."):
        host = host[:-1]
    if not host:
        raise ValueError(f"no host in {value!r}")
    if _BAD_CHARS.search(host):
        raise ValueError(f"invalid character in host {host!r}")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = host.lower()
    host = host.lower()
    if "" in host.split("."):
        raise ValueError(f"empty label in host {host!r}")
    return host


def _check_port(rest: str, value: str, *, bracketed: bool) -> None:
    if not rest or rest == ":":  # no port, or an empty one ("host:", as RFC 3986 allows)
        return
    if not rest.startswith(":") or not rest[1:].isdigit() or not rest[1:].isascii():
        what = "after ']'" if bracketed else "as the port"
        raise ValueError(f"expected a port number {what} in {value!r}")


def _ipv6(text: str, value: str) -> str:
    try:
        return ipaddress.IPv6Address(text.split("%", 1)[0]).compressed
    except ValueError:
        raise ValueError(f"invalid IPv6 address in {value!r}") from None


def split_url(url: str) -> tuple[str, str]:
    """``(host, path-with-query)`` of a URL, a scheme-less URL or a ``host:port``; ValueError if unusable."""
    text = url.strip()
    if not text:
        raise ValueError("empty URL")
    match = URL_PARTS.match(text)
    if match is None:  # pragma: no cover - the pattern matches every string
        raise ValueError(f"not a URL: {url!r}")
    authority, path = match.groups()
    if not authority or authority.rpartition("@")[2] in ("", ".") or authority.startswith(":"):
        raise ValueError(f"no host in URL {url!r}")
    host = normalise_host(authority)
    return host, path_of(path)


def path_of(path: str) -> str:
    """The path-with-query as `split_url` returns it: ``/`` when empty, always starting with ``/``."""
    if not path:
        return "/"
    if path[0] != "/":
        return "/" + path
    return path
