"""Bytes to text as mail really labels them: wrong, unknown or missing charsets, and RFC 2047 words.

`decode_text` never fails. Its order of trust, from what real mail gets wrong most often:

1. a byte order mark (Excel's "CSV UTF-8" and "Unicode text" files carry one) decides;
2. pure ASCII is ASCII whatever the label says;
3. bytes that are valid UTF-8 are UTF-8, even when labelled iso-8859-1 or windows-1252: mislabelled
   UTF-8 is the commonest wrong charset, and text in a single-byte charset is almost never valid
   UTF-8 by accident (UTF-16 and UTF-32 labels are exempt);
4. otherwise the declared charset, if Python knows it, with undecodable bytes replaced;
5. otherwise Windows-1252 (a superset of Latin-1 in the printable range), with replacement.

`decode_header` turns a raw header value into text: 8-bit bytes in headers (not allowed, but sent)
go through the same order, folding is undone, and RFC 2047 encoded words (``=?utf-8?B?...?=``,
``=?iso-8859-1?Q?...?=``) are decoded with the same tolerance. The standard library's
``email.header.decode_header`` is not used because it raises on bad base64 and an unknown charset.
"""

from __future__ import annotations

import binascii
import codecs
import re

__all__ = ["decode_base64", "decode_header", "decode_text", "unfold_header"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_WIDE = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"[ \t\r\n]+")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")
_Q_HEX = re.compile(rb"=([0-9A-Fa-f]{2})")


def _codec_name(charset: str | None) -> str | None:
    """Python's name for a MIME charset label, or None when Python has no text codec of that name."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").split("*", 1)[0].lower()  # RFC 2231 language suffix
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13 ... are not charsets
        return None
    return info.name


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Text from `data`, labelled `charset` (which may be wrong, unknown or None). Never raises."""
    for bom, wide in _BOMS:
        if data.startswith(bom):
            return data.decode(wide, errors="replace")
    if data.isascii():
        return data.decode("ascii")
    codec = _codec_name(charset)
    if codec not in _WIDE:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if codec is not None and codec != "utf-8":
        try:
            return data.decode(codec, errors="replace")
        except (LookupError, UnicodeError, ValueError):
            pass
    return data.decode("cp1252", errors="replace")


def _unescape_8bit(value: str) -> str:
    """A header read by the email parser keeps raw 8-bit bytes as surrogate escapes: decode them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return decode_text(value.encode("utf-8", errors="surrogateescape"))
    return value


def decode_base64(text: str) -> bytes:
    """Base64 decoded as far as it goes: stray characters dropped, padding mended, never raises."""
    clean = _NOT_BASE64.sub("", text.split("=", 1)[0])
    if len(clean) % 4 == 1:  # a lone last character carries no whole byte
        clean = clean[:-1]
    return binascii.a2b_base64(clean + "=" * (-len(clean) % 4))


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        return decode_base64(payload)
    raw = payload.replace("_", " ").encode("ascii", errors="replace")
    return _Q_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def unfold_header(value: str) -> str:
    """A header value with 8-bit bytes decoded and folding undone; encoded words left as they are."""
    return _FOLD.sub("", _unescape_8bit(value))


def decode_header(value: str) -> str:
    """A header value as text: 8-bit bytes decoded, folding undone, RFC 2047 words decoded."""
    text = unfold_header(value)
    if "=?" not in text:
        return text.strip()
    out: list[str] = []
    pending = b""  # adjacent words in one charset are joined first: a character may span two words
    pending_charset = ""
    pos = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[pos : match.start()]
        charset = match.group(1)
        # RFC 2047 6.2: white space between two encoded words is not part of the text.
        adjacent = pos > 0 and (gap == "" or _BETWEEN_WORDS.fullmatch(gap) is not None)
        if not adjacent or charset.lower() != pending_charset.lower():
            if pending:
                out.append(decode_text(pending, pending_charset))
                pending = b""
            if not adjacent:
                out.append(gap)
        pending += _word_bytes(match.group(2), match.group(3))
        pending_charset = charset
        pos = match.end()
    if pending:
        out.append(decode_text(pending, pending_charset))
    out.append(text[pos:])
    return "".join(out).strip()
