"""Squid's `external_acl_type` helper protocol, as Debian's Squid 5.7 speaks it.

The configuration this helper expects (``files/squid.conf.snippet``)::

    external_acl_type aupguard concurrency=50 ttl=60 %>ru %>a %un %>rm /usr/bin/aupguard squid-helper ...
    acl aupguard_deny external aupguard
    http_access deny aupguard_deny

Request lines: ``ID URL CLIENT-IP USER METHOD [DATA]`` — with ``concurrency`` above 0 the first field
is a channel ID, an opaque token echoed back (Squid 5.7 sends 1, 2, 3 ... not 0..concurrency-1);
every value is URL-escaped (a ``~`` arrives as ``%7E``) and ``-`` means none. ``%>ru`` is the URL as
the client sent it, query included (``%ru`` would drop the query, so URL lists with queries would
never match). A CONNECT request's URL is ``host:443``.

Replies: ``ID OK message="..."`` when the ACL matches (the request is refused; Squid shows the
message through ``%o`` on the deny page), ``ID ERR`` when it may pass, ``ID BH message="..."`` when
the helper cannot answer (a malformed line). Values are double-quoted with backslash escapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["HelperRequest", "ProtocolError", "bh", "err", "ok", "parse_request"]

_NONE = "-"


class ProtocolError(ValueError):
    """A request line that cannot be read; `channel` is its ID when there was one."""

    def __init__(self, message: str, channel: str | None) -> None:
        super().__init__(message)
        self.channel = channel


@dataclass(frozen=True, slots=True)
class HelperRequest:
    channel: str | None
    url: str
    client: str
    user: str
    method: str


def _field(value: str) -> str:
    decoded = unquote(value) if "%" in value else value
    return "" if decoded == _NONE else decoded


def parse_request(line: str, *, concurrent: bool = True) -> HelperRequest:
    """One request line (without its newline) as a request; ProtocolError when it is malformed."""
    fields = line.split()
    channel: str | None = None
    if concurrent:
        if not fields:
            raise ProtocolError("empty line", None)
        channel, fields = fields[0], fields[1:]
    if len(fields) < 4:
        raise ProtocolError(
            f"expected URL CLIENT USER METHOD after the channel ID, got {len(fields)} fields", channel
        )
    url, client, user, method = (_field(f) for f in fields[:4])
    if not url:
        raise ProtocolError("no URL", channel)
    return HelperRequest(channel, url, client, user.lower(), method.upper())


def _quote(text: str) -> str:
    # One line, double-quoted, backslash escapes: Squid's external ACL value syntax.
    flat = " ".join(text.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _line(channel: str | None, result: str, message: str | None = None) -> str:
    parts = [channel] if channel is not None else []
    parts.append(result)
    if message is not None:
        parts.append(f"message={_quote(message)}")
    return " ".join(parts) + "\n"


def ok(channel: str | None, message: str) -> str:
    """The ACL matches: Squid refuses the request and shows `message`."""
    return _line(channel, "OK", message)


def err(channel: str | None) -> str:
    """The ACL does not match: the request may pass."""
    return _line(channel, "ERR")


def bh(channel: str | None, message: str) -> str:
    """The helper cannot answer this request (Squid logs `message` and applies its default)."""
    return _line(channel, "BH", message)
