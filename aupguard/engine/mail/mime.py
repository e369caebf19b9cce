"""The MIME tree of a message, as the standard library's parser builds it, built faster when it can be.

`parse(data)` returns exactly the `email.message.Message` tree that
``BytesParser(policy=compat32).parsebytes(data)`` returns: the same headers, parts, payloads,
preambles and epilogues. The standard library's feed parser reads a message line by line in Python
(about 180 lines in a 7 KB school email, half the time of reading it). Here the lines are never
visited one by one: the header block of each part is found with one regular expression and parsed by
the standard library's own header parser; a multipart body is cut at its boundary lines with one
regular-expression search per boundary; a leaf's payload is one slice.

Only the shapes whose handling by the feed parser is simple are built here: a header block ended by
an empty line, with no defect; text and other leaf parts; multiparts with a boundary, an opening and
a closing boundary line and no empty part between two boundaries; line breaks that are all LF or all
CRLF (no lone CR). Anything else (a defect of any kind, a forwarded message/rfc822 part, whose
headers and body the feed parser reads as a message of its own, multipart/digest, whose parts default
to message/rfc822, or a multipart with a transfer encoding) returns None, and the caller uses the
standard library's parser, so malformed mail is read exactly as before.

What the feed parser does with a multipart, and so what is done here (Lib/email/feedparser.py,
``_parsegen``): a boundary line is ``--boundary`` with an optional ``--`` (the closing boundary) and
optional spaces or tabs, alone on its line; the text before the first boundary line is the preamble,
without its last line break (None when there is no line before the boundary); each part runs from
the line after a boundary line to the line break before the next one (RFC 2046: that line break
belongs to the boundary), which is taken off a leaf's payload or a nested multipart's epilogue (an
empty epilogue becomes None); everything after the closing boundary line is the epilogue.
"""

from __future__ import annotations

import re
from email import policy
from email.message import Message

__all__ = ["parse"]

# One header line as the feed parser's headerRE sees it ("From ", a field name and a colon, or a
# continuation), with its line break; the block ends with an empty line.
_HEADER_BLOCK = re.compile(r"(?:(?:From |[\041-\071\073-\176]*:|[\t ])[^\r\n]*+(?:\r\n|\n))*+(\r\n|\n)")
_LINE = re.compile(r"[^\n]*\n")
_EOL = re.compile(r"(?:\r\n|\n)\Z")
# What may follow "--boundary" on a boundary line: "--" for the closing one, spaces or tabs.
_BOUNDARY_REST = re.compile(r"(--)?[ \t]*(?:\r\n|\n|\Z)")
_MULTIPART_ENCODINGS = frozenset({"7bit", "8bit", "binary"})


def parse(data: bytes) -> Message | None:
    """The message `data` holds, as the standard library's compat32 parser builds it; or None when
    its shape is one left to that parser (see the module docstring)."""
    text = data.decode("ascii", "surrogateescape")  # as BytesParser does
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone CR ends a line for the feed parser, and for no expression here
    try:
        return _part(text)
    except RecursionError:
        return None


def _headers(text: str) -> tuple[Message, int] | None:
    """A part's headers as the feed parser's ``_parse_headers`` sets them, and where its body starts.

    None for the header blocks it would note a defect in or read otherwise: a continuation line
    first, a line starting with a colon, a "From " line after the first.
    """
    head = _HEADER_BLOCK.match(text)
    if head is None:
        return None
    msg = Message(policy.compat32)
    name = ""
    lines: list[str] = []
    for number, line in enumerate(_LINE.findall(text, 0, head.end() - len(head.group(1)))):
        if line[0] in " \t":
            if not name:
                return None
            lines.append(line)
            continue
        if name:
            msg.set_raw(*_source_parse(lines))
            name = ""
        if line.startswith("From "):
            if number:
                return None
            msg.set_unixfrom(_EOL.sub("", line, count=1))
            continue
        colon = line.find(":")
        if colon <= 0:
            return None
        name = line[:colon]
        lines = [line]
    if name:
        msg.set_raw(*_source_parse(lines))
    return msg, head.end()


def _source_parse(lines: list[str]) -> tuple[str, str]:
    """compat32's ``header_source_parse``: the name, and the value with its folding kept."""
    name, value = lines[0].split(":", 1)
    value = value.lstrip(" \t") + "".join(lines[1:])
    return name, value.rstrip("\r\n")


def _part(text: str) -> Message | None:
    found = _headers(text)
    if found is None:
        return None
    msg, body_start = found
    maintype = msg.get_content_maintype()
    if maintype == "message":
        return None
    if maintype != "multipart":
        msg.set_payload(text[body_start:])
        return msg
    boundary = msg.get_boundary()
    encoding = str(msg.get("content-transfer-encoding", "8bit")).lower()
    if msg.get_content_type() == "multipart/digest" or boundary is None:
        return None
    if encoding not in _MULTIPART_ENCODINGS:
        return None
    separator = "--" + boundary
    body = text[body_start:]
    opening = _boundary_line(body, separator, 0)
    if opening is None or opening[2]:
        return None
    if opening[0]:
        msg.preamble = _EOL.sub("", body[: opening[0]], count=1)
    msg.set_payload([])
    start = opening[1]
    while True:
        following = _boundary_line(body, separator, start)
        if following is None or following[0] == start:
            return None  # no closing boundary, or two boundary lines with no part between them
        sub = _part(body[start : following[0]])
        if sub is None:
            return None
        if sub.is_multipart():
            epilogue = sub.epilogue
            if epilogue is not None:
                sub.epilogue = None if epilogue == "" else _EOL.sub("", epilogue, count=1)
        else:
            payload = sub._payload  # type: ignore[attr-defined]  # as stored: get_payload() decodes
            if isinstance(payload, str):
                sub.set_payload(_EOL.sub("", payload, count=1))
        msg.attach(sub)
        if following[2]:
            msg.epilogue = body[following[1] :]
            return msg
        start = following[1]


def _boundary_line(body: str, separator: str, pos: int) -> tuple[int, int, bool] | None:
    """The first line at or after `pos` (a line start) that is a boundary line: where it starts,
    where it ends (after its line break), and whether it is the closing one."""
    while True:
        at = body.find(separator, pos)
        if at < 0:
            return None
        if at == 0 or body[at - 1] == "\n":
            rest = _BOUNDARY_REST.match(body, at + len(separator))
            if rest is not None:
                return at, rest.end(), rest.group(1) is not None
        pos = at + 1
