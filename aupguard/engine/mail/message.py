"""`read_message`: raw message bytes to a `ParsedMessage` the email checks read.

The MIME walk. The tree is the standard library's parser's, with the ``compat32`` policy, built by
`mime.parse` without its line-by-line walk whenever the message has the shape nearly all mail has
(the standard library's parser does the rest). That parser never raises on
malformed structure (missing boundaries, bad base64, broken headers become recorded defects), it
is several times faster than ``policy.default`` on the headers a guard reads, and every header is
decoded here with `charsets.decode_header`, which also survives unknown charsets, bad encoded
words and raw 8-bit bytes where ``policy.default``'s header classes may raise.

How a part is classed:

- ``multipart/*`` is walked, child by child. In ``multipart/alternative`` the plain-text version is
  the body; the HTML version is read too, and any line of it that the plain text does not contain
  (compared as words, ignoring case and punctuation) is added to the body, because the recipient
  may see the HTML while a guard reading only the plain text would not see what differs.
  A multipart part whose boundary is missing or never appears is read as plain text.
- ``text/plain`` and ``text/html`` with no filename and no ``attachment`` disposition are the body;
  HTML is turned into text (html.py).
- ``message/rfc822`` (and ``message/global``, or an attachment named .eml) is a forwarded message:
  it is listed as an attachment whose text is its subject and body, and its own parts are walked,
  their attachments listed as ``attachment:NAME.eml/x.pdf``.
- S/MIME and PGP/MIME signature parts are skipped; everything else is an attachment, typed from
  its content (filetypes.py), its text extracted (documents.py), and zips opened (archives.py).

A message is **encrypted** when its top-level part (or, under ``multipart/signed``, the signed
part) is ``multipart/encrypted`` (PGP/MIME, RFC 3156) or ``application/pkcs7-mime`` /
``application/x-pkcs7-mime`` with ``smime-type`` enveloped-data or authEnveloped-data, or no
smime-type at all (RFC 8551; older clients omit it on encrypted mail). Its content is not read.
An opaque-signed S/MIME message (``smime-type=signed-data``) hides its content in the signature:
it is not counted as encrypted, and a note says its content was not read.

A message is **auto-forwarded** when one of these headers shows a server or a mailbox rule passed
it on, rather than a person writing it:

- ``Auto-Submitted: auto-forwarded``;
- ``X-MS-Exchange-Organization-AutoForwarded: true`` (Exchange and Outlook rules, MS-OXCMAIL
  2.1.3.2.21) or ``Autoforwarded: true`` (RFC 2156);
- ``X-MS-Exchange-Inbox-Rules-Loop`` (an Exchange or Microsoft 365 inbox rule redirected or
  forwarded it), unless ``Auto-Submitted: auto-replied`` says the rule only sent an out-of-office
  reply;
- ``X-MS-Exchange-ForwardingLoop`` (a mailbox's forwarding address in Exchange Online);
- ``X-Forwarded-To``, or ``X-Forwarded-For`` holding an address (Gmail's automatic forwarding);
- ``Resent-From`` or ``Resent-Sender`` naming another address than ``From``: the message was sent
  on unchanged by another mailbox (a server-side redirect, sieve or procmail), whereas a person
  forwarding by hand writes a new message with their own From and no Resent fields.

``Auto-Submitted: auto-generated`` alone is not counted: it marks any machine-written message (a
report, a notification from the MIS), which is not a forward; it is kept in `headers` for checks.
"""

from __future__ import annotations

import dataclasses
import quopri
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email import errors, policy
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses
from types import MappingProxyType

from aupguard.engine.mail import archives, documents, filetypes, mime
from aupguard.engine.mail.charsets import decode_base64, decode_header, decode_text, unfold_header
from aupguard.engine.mail.limits import DEFAULT_LIMITS, Limits, human_size

__all__ = ["Attachment", "MessageError", "ParsedMessage", "read_message"]

#: Headers kept in `ParsedMessage.headers` (lower-case keys, first occurrence, decoded).
KEPT_HEADERS = (
    "message-id",
    "date",
    "sender",
    "reply-to",
    "return-path",
    "in-reply-to",
    "references",
    "auto-submitted",
    "x-auto-response-suppress",
    "autoforwarded",
    "x-ms-exchange-organization-autoforwarded",
    "x-ms-exchange-inbox-rules-loop",
    "x-ms-exchange-forwardingloop",
    "x-forwarded-to",
    "x-forwarded-for",
    "resent-from",
    "resent-sender",
    "resent-to",
    "resent-date",
    "sensitivity",
    "importance",
    "precedence",
    "list-id",
    "x-mailer",
    "user-agent",
)
#: At least one of these must be present for bytes to count as an email message.
_MESSAGE_HEADERS = frozenset(
    {"from", "to", "cc", "bcc", "subject", "date", "message-id", "received", "mime-version",
     "content-type", "sender", "reply-to", "return-path", "delivered-to"}
)  # fmt: skip
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})
_SMIME_TYPES = frozenset({"application/pkcs7-mime", "application/x-pkcs7-mime"})
_SIGNATURE_TYPES = frozenset(
    {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
)
_ENCRYPTED_SMIME = frozenset({"enveloped-data", "authenveloped-data"})
_MAX_MIME_LEVELS = 50  # multipart inside multipart; real mail nests a handful
_SIGNATURE_LINES = 10
_QUOTE_HEADER = re.compile(
    r"^(?:On\b.{0,300}\bwrote:[ \t]*$"
    r"|-{2,}[ \t]*(?:Original Message|Forwarded message)[ \t]*-{2,}"
    r"|Begin forwarded message:"
    r"|From:[^\n]*\n(?:[^\n]*\n){0,3}?(?:Sent|Date):)",
    re.IGNORECASE | re.MULTILINE,
)
_WORDS = re.compile(r"\w+")
_SIMPLE_ADDRESS = re.compile(
    r"""\s*(?:(?:"((?:[^"\\]|\\.)*)"|([^"<>,;:()@\\]*?))\s*<([^<>\s",;:()\\]+@[^<>\s",;:()\\]+)>"""
    r"""|([^<>\s",;:()\\]+@[^<>\s",;:()\\]+))\s*(?:,\s*|$)"""
)
_CHARSET = re.compile(r"""(?:^|;)\s*charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class MessageError(ValueError):
    """The input is not an email message at all: empty, or no header lines at its start.

    Everything else, however malformed, is read as far as it can be and never raises; what could
    not be read is said in `ParsedMessage.notes`. The message never quotes the input.
    """


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attached file, or one member of an attached archive or forwarded message."""

    filename: str  #: decoded RFC 2231/2047 name, "" if none
    declared_type: str  #: Content-Type as declared, lower-case ("" for archive members)
    real_type: str  #: from content: pdf docx xlsx pptx zip ole png jpeg gif exe text unknown
    size: int  #: decoded bytes
    text: str  #: extracted text (bounded by Limits.max_text_chars)
    encrypted: bool  #: password-protected or encrypted container
    type_mismatch: bool  #: real type contradicts the filename's extension
    where: str  #: "attachment:NAME", nested "attachment:outer.zip/inner.docx"
    depth: int = 0  #: 0 attached to the message itself, 1 inside an attached zip or forwarded message ...


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """A message as the checks read it. Addresses are lower-case; text is bounded by the Limits."""

    sender: str
    sender_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    bcc: tuple[str, ...]
    subject: str
    body: str
    signature_block: str
    attachments: tuple[Attachment, ...]
    encrypted: bool
    auto_forwarded: bool
    headers: Mapping[str, str] = field(hash=False)
    notes: tuple[str, ...]
    size: int


# --- headers ---------------------------------------------------------------------------------------


def _raw_headers(msg: Message) -> dict[str, list[str]]:
    """Header values as sent (8-bit bytes still escaped), by lower-case name, in order."""
    found: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        found.setdefault(name.strip().lower(), []).append(str(value))
    return found


def _simple_addresses(value: str) -> list[tuple[str, str]] | None:
    """The common shapes (``a@b``, ``Name <a@b>``, ``"Last, First" <a@b>``) parsed fast; else None."""
    pairs: list[tuple[str, str]] = []
    pos = 0
    while pos < len(value):
        match = _SIMPLE_ADDRESS.match(value, pos)
        if match is None:
            return None
        quoted, bare_name, angled, bare = match.groups()
        name = quoted.replace('\\"', '"') if quoted is not None else (bare_name or "")
        pairs.append((name.strip(), angled or bare))
        pos = match.end()
    return pairs


def _addresses(values: Sequence[str]) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs from address headers; entries without @ dropped."""
    # Parse before decoding RFC 2047: a decoded display name may hold a comma ("Smith, Jo").
    pairs: list[tuple[str, str]] = []
    for value in values:
        unfolded = unfold_header(value)
        simple = _simple_addresses(unfolded)
        if simple is None:
            try:
                simple = getaddresses([unfolded])  # groups, comments, odd quoting: the full parser
            except Exception:  # it is lenient; this is belt and braces for crafted input
                simple = []
        pairs.extend(simple)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, raw_address in pairs:
        address = raw_address.strip().strip("<>").lower()
        if "@" in address and address not in seen:
            seen.add(address)
            out.append((decode_header(name), address))
    return out


def _address_list(found: dict[str, list[str]], name: str) -> tuple[str, ...]:
    return tuple(address for _, address in _addresses(found.get(name, [])))


def _auto_forward_signs(headers: Mapping[str, str], sender: str) -> list[str]:
    """The headers that show a rule or server forwarded the message (module docstring)."""
    signs: list[str] = []
    auto = headers.get("auto-submitted", "").split(";", 1)[0].strip().lower()
    if auto == "auto-forwarded":
        signs.append("auto-submitted")
    for name in ("x-ms-exchange-organization-autoforwarded", "autoforwarded"):
        if headers.get(name, "").strip().lower() == "true":
            signs.append(name)
    if "x-ms-exchange-inbox-rules-loop" in headers and auto != "auto-replied":
        signs.append("x-ms-exchange-inbox-rules-loop")
    if "x-ms-exchange-forwardingloop" in headers:
        signs.append("x-ms-exchange-forwardingloop")
    if "x-forwarded-to" in headers or "@" in headers.get("x-forwarded-for", ""):
        signs.append("x-forwarded")
    for name in ("resent-from", "resent-sender"):
        resent = _addresses([headers[name]]) if name in headers else []
        if resent and resent[0][1] != sender:
            signs.append(name)
    return signs


# --- parts -----------------------------------------------------------------------------------------


def _param_from_raw(part: Message, header: str, param: str) -> str | None:
    for name, value in part.raw_items():
        if name.lower() == header:
            match = re.search(rf"(?:^|;)\s*{param}\s*=\s*(\"[^\"]*\"|[^;]*)", decode_header(str(value)), re.I)
            if match:
                return match.group(1).strip().strip('"')
    return None


def _clean_name(name: str) -> str:
    name = _CONTROL.sub(" ", decode_header(name))
    return re.split(r"[\\/]", name)[-1].strip()[:255]


def _filename(part: Message, headers: Mapping[str, str]) -> str:
    if (
        "name" not in headers.get("content-type", "").lower()
        and "name" not in headers.get("content-disposition", "").lower()
    ):
        return ""  # most body parts: skip the standard library's slow parameter parsing
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if name is None or "\ufffd" in name:  # raw 8-bit in the header: compat32 has lost the bytes
        name = (
            _param_from_raw(part, "content-disposition", "filename")
            or _param_from_raw(part, "content-type", "name")
            or name
        )
    return _clean_name(name) if name else ""


def _part_headers(part: Message) -> dict[str, str]:
    """A part's headers as sent, first of each name, by lower-case name."""
    found: dict[str, str] = {}
    for name, value in part.raw_items():
        found.setdefault(name.strip().lower(), str(value))
    return found


def _charset(headers: Mapping[str, str]) -> str | None:
    match = _CHARSET.search(headers.get("content-type", ""))
    return match.group(1) if match else None


def _payload(part: Message) -> bytes:
    """The part's content with its transfer encoding undone (bad base64 decoded as far as it goes)."""
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    raw = part.get_payload()
    if any(isinstance(defect, errors.InvalidBase64LengthDefect) for defect in part.defects) and isinstance(
        raw, str
    ):
        return decode_base64(raw)  # the standard library gave up and returned it encoded
    if isinstance(data, bytes):
        return data
    return raw.encode("utf-8", errors="surrogateescape") if isinstance(raw, str) else b""


def _parse(data: bytes) -> tuple[Message, bool]:
    """The parsed message, and False when only its headers could be parsed.

    `mime.parse` builds the standard library's tree without its line-by-line walk when the message
    has a shape it handles (nearly all real mail); the standard library's parser does the rest.
    """
    fast = mime.parse(data)
    if fast is not None:
        return fast, True
    try:
        return BytesParser(policy=policy.compat32).parsebytes(data), True
    except RecursionError:  # thousands of nested multiparts exhaust the parser's recursion
        return BytesHeaderParser(policy=policy.compat32).parsebytes(data), False


def _as_bytes(msg: Message) -> bytes:
    try:
        return msg.as_bytes()
    except Exception:
        return str(msg.get_payload()).encode("utf-8", errors="surrogateescape")


def _encryption(msg: Message) -> str:
    """ "S/MIME" or "PGP/MIME" when the message itself is encrypted, "signed-data" for opaque-signed."""
    part = msg
    if part.get_content_type() == "multipart/signed" and part.is_multipart():
        children = part.get_payload()
        if isinstance(children, list) and children and isinstance(children[0], Message):
            part = children[0]
    ctype = part.get_content_type()
    if ctype == "multipart/encrypted":
        return "PGP/MIME"
    if ctype in _SMIME_TYPES:
        smime_type = str(part.get_param("smime-type") or "").strip().lower()
        if smime_type in _ENCRYPTED_SMIME or not smime_type:
            return "S/MIME"
        if smime_type == "signed-data":
            return "signed-data"
    return ""


def _signature_block(body: str) -> str:
    """The last lines of what the sender wrote: before any quoted reply, after a "-- " delimiter.

    Read from the end, a window at a time: the last lines written, back to the last delimiter or to
    the tenth line with text, are all it takes, however long the message.
    """
    match = _QUOTE_HEADER.search(body)
    own = body[: match.start()] if match else body
    window = 2048
    while True:
        whole = window >= len(own)
        lines = own.splitlines() if whole else own[-window:].splitlines()[1:]  # the first may be cut
        kept: list[str] = []
        for raw in reversed(lines):
            if raw.lstrip().startswith(">"):
                continue
            line = raw.rstrip()
            if line in ("--", "-- "):  # RFC 3676 4.3 signature delimiter ("-- ", rstripped here)
                return "\n".join(reversed(kept))
            if line.strip():
                kept.append(line.strip())
                if len(kept) == _SIGNATURE_LINES:
                    return "\n".join(reversed(kept))
        if whole:
            return "\n".join(reversed(kept))
        window *= 4


def _words(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def _html_extra(html: str, plain: str) -> str:
    """Lines of the HTML version whose words the plain-text version does not contain."""
    plain_folded = plain.casefold()
    if set(html.casefold().split()) <= set(plain_folded.split()):
        return ""  # the usual case, settled without a regular expression
    plain_words = " ".join(_WORDS.findall(plain_folded))
    extra = [line for line in html.splitlines() if (words := _words(line)) and words not in plain_words]
    return "\n".join(extra)


Chunk = tuple[str, str]  # ("plain" | "html", text)


class _Reader:
    """One message's walk: the attachments found, the notes made, and the budgets left."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.attachments: list[Attachment] = []
        self.notes: list[str] = []
        self.parts = 0
        self.unpacked = 0
        self.pdf_content_left = limits.max_pdf_content_bytes
        self.cells_left = limits.max_spreadsheet_cells
        self._parts_noted = False
        # The last MIME leaf read: (its slot in `attachments` and its transfer encoding), or None
        # when it was body text. A message cut at the size limit is cut inside that leaf.
        self.last_leaf: tuple[int, str] | None = None

    def note(self, where: str, text: str) -> None:
        self.notes.append(f"{where}: {text}")

    def take_part(self) -> bool:
        """Count one part or archive member; False once the message's part limit is reached."""
        if self.parts >= self.limits.max_parts:
            if not self._parts_noted:
                self._parts_noted = True
                self.note(
                    "message",
                    f"more than {self.limits.max_parts} parts and archive members; the rest not read",
                )
            return False
        self.parts += 1
        return True

    def too_big(self, size: int) -> str:
        limit = self.limits.max_attachment_bytes
        return f"{human_size(size)}, over the {human_size(limit)} limit for reading; text not read"

    def bounded(self, where: str, text: str) -> str:
        if len(text) > self.limits.max_text_chars:
            self.note(where, f"text cut at {self.limits.max_text_chars:,} characters")
            return text[: self.limits.max_text_chars]
        return text

    # --- messages ----------------------------------------------------------------------------------

    def message(self, msg: Message, complete: bool, path: str, depth: int) -> tuple[str, str]:
        """Walk a message; its body text and how it is encrypted ("" when it is not)."""
        where = f"attachment:{path}".removesuffix("/") if path else "message"
        if not complete:
            self.note(where, "MIME parts nested too deeply to read; only the headers were read")
            return "", ""
        encryption = _encryption(msg)
        if encryption in ("S/MIME", "PGP/MIME"):
            self.note(where, f"{encryption} encrypted; its content cannot be read")
            return "", encryption
        if encryption == "signed-data":
            self.note(where, "S/MIME opaque-signed; its content is inside the signature and was not read")
            return "", ""
        chunks = self.walk(msg, path, depth, 0)
        return "\n\n".join(text.strip() for _, text in chunks if text.strip()), ""

    def nested(
        self, inner: Message, complete: bool, name: str, declared: str, size: int, path: str, depth: int
    ) -> None:
        """A forwarded message: listed as an attachment holding its subject and body, then walked."""
        subject = decode_header(str(_raw_headers(inner).get("subject", [""])[0]))
        title = _CONTROL.sub(" ", subject).replace("/", "_").replace("\\", "_").strip()[:100]
        where_name = name or (title or "forwarded message") + ".eml"
        where = f"attachment:{path}{where_name}"
        slot = len(self.attachments)
        if depth + 1 > self.limits.max_depth:
            self.note(
                where, f"forwarded message nested more than {self.limits.max_depth} levels deep; not read"
            )
            body, encryption = "", ""
        else:
            body, encryption = self.message(inner, complete, f"{path}{where_name}/", depth + 1)
        text = self.bounded(where, f"{subject}\n\n{body}".strip())
        mismatch = filetypes.type_mismatch(name, "text", encrypted=False)
        self.attachments.insert(
            slot, Attachment(name, declared, "text", size, text, bool(encryption), mismatch, where, depth)
        )

    def nested_part(self, part: Message, path: str, depth: int) -> None:
        name = _filename(part, _part_headers(part))
        payload = part.get_payload()
        encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, Message) and encoding not in ("base64", "quoted-printable"):
            self.nested(inner, True, name, part.get_content_type(), len(_as_bytes(inner)), path, depth)
            return
        # An encoded message/rfc822 (RFC 2046 forbids it; some clients send it): the parser has read
        # the encoded text as a message (base64 as a body without headers, quoted-printable as
        # headers and body), so put the text back together, decode it, and parse that.
        if isinstance(inner, Message):
            source = _as_bytes(inner) if inner.keys() else _payload(inner)
            if encoding == "base64":
                raw = decode_base64(source.decode("ascii", errors="replace"))
            else:
                raw = quopri.decodestring(source)
        else:
            raw = _payload(part)
        parsed, complete = _parse(raw)
        self.nested(parsed, complete, name, part.get_content_type(), len(raw), path, depth)

    # --- MIME parts --------------------------------------------------------------------------------

    def walk(self, part: Message, path: str, depth: int, level: int) -> list[Chunk]:
        where = f"attachment:{path}".removesuffix("/") if path else "message"
        if level > _MAX_MIME_LEVELS:
            self.note(where, f"MIME parts nested more than {_MAX_MIME_LEVELS} levels deep; the rest not read")
            return []
        if not self.take_part():
            return []
        ctype = part.get_content_type()
        try:
            if ctype in _MESSAGE_TYPES:
                self.nested_part(part, path, depth)
                return []
            children = part.get_payload()
            if part.is_multipart() and isinstance(children, list):
                parts = [child for child in children if isinstance(child, Message)]
                if ctype == "multipart/alternative":
                    return self.alternative(parts, path, depth, level)
                if ctype == "multipart/encrypted":  # inside a message part: content cannot be read
                    self.note(where, "PGP/MIME encrypted part; its content cannot be read")
                    return []
                chunks: list[Chunk] = []
                for child in parts:
                    chunks.extend(self.walk(child, path, depth, level + 1))
                return chunks
            return self.leaf(part, ctype, path, depth)
        except Exception as exc:  # never let one part's surprise lose the rest of the message
            self.note(where, f"a {ctype} part could not be read ({type(exc).__name__})")
            return []

    def alternative(self, parts: list[Message], path: str, depth: int, level: int) -> list[Chunk]:
        versions = [self.walk(child, path, depth, level + 1) for child in parts]
        plain = [text for version in versions for kind, text in version if kind == "plain"]
        if not plain:
            richest = [version for version in versions if version]
            return richest[-1] if richest else []  # RFC 2046 5.1.4: the last is the preferred
        html = "\n".join(text for version in versions for kind, text in version if kind == "html")
        extra = _html_extra(html, "\n".join(plain)) if html else ""
        return [("plain", text) for text in [*plain, extra] if text]

    def leaf(self, part: Message, ctype: str, path: str, depth: int) -> list[Chunk]:
        headers = _part_headers(part)
        filename = _filename(part, headers)
        disposition = headers.get("content-disposition", "").split(";", 1)[0].strip().lower()
        data = _payload(part)
        charset = _charset(headers)
        body_where = f"attachment:{path}".removesuffix("/") if path else "body"
        if ctype.startswith("multipart/"):
            self.note(body_where, f"{ctype} part without a usable boundary; read as plain text")
            ctype = "text/plain"
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
            if ctype == "text/html":
                extracted = documents.text_file_text(
                    data,
                    charset=charset,
                    html=True,
                    max_chars=self.limits.max_text_chars,
                    max_html_chars=self.limits.max_html_chars,
                )
                for note in extracted.notes:
                    self.note(body_where, note)
                self.last_leaf = None
                return [("html", extracted.text)]
            self.last_leaf = None
            text = decode_text(data, charset).replace("\r\n", "\n").replace("\r", "\n")
            return [("plain", self.bounded(body_where, text.strip()))]
        if ctype in _SIGNATURE_TYPES:
            return []
        if ctype in _MESSAGE_TYPES or (filetypes.extension(filename) == "eml" and _looks_like_mail(data)):
            parsed, complete = _parse(data)
            self.nested(parsed, complete, filename, ctype, len(data), path, depth)
            return []
        self.last_leaf = (len(self.attachments), headers.get("content-transfer-encoding", "").strip().lower())
        self.blob(filename, ctype, data, charset, path, depth)
        return []

    def estimate_cut_attachment(self, unread: int) -> None:
        """Give the attachment the size limit cut short its whole size, estimated from what was not read.

        Everything after the cut is taken to belong to it (the rest of a message is rarely more
        than a closing boundary), so the estimate errs on the large side, as a size check should.
        """
        if self.last_leaf is None or self.last_leaf[0] >= len(self.attachments):
            return
        slot, encoding = self.last_leaf
        cut = self.attachments[slot]
        decoded = unread * 3 // 4 if encoding == "base64" else unread
        whole = dataclasses.replace(cut, size=cut.size + decoded)
        self.attachments[slot] = whole
        self.note(
            cut.where,
            f"cut short by the message size limit; its size, about {human_size(whole.size)}, is estimated "
            "from the message's size",
        )

    # --- files -------------------------------------------------------------------------------------

    def blob(self, name: str, declared: str, data: bytes, charset: str | None, path: str, depth: int) -> None:
        """One attached file (or archive member): typed, read, listed."""
        where = f"attachment:{path}{name or f'(unnamed part {self.parts})'}"
        limits = self.limits
        slot = len(self.attachments)  # an archive is listed before its members
        real = filetypes.real_type(data)
        encrypted = declared in _SMIME_TYPES or declared == "application/pgp-encrypted"
        text = ""
        notes: list[str] = []
        if len(data) > limits.max_attachment_bytes:
            notes.append(self.too_big(len(data)))
        elif real == "pdf":
            extracted = documents.pdf_text(
                data,
                max_chars=limits.max_text_chars,
                max_pages=limits.max_pdf_pages,
                max_content_bytes=self.pdf_content_left,
                limit=limits.max_pdf_content_bytes,
            )
            self.pdf_content_left -= extracted.used
            text, encrypted, notes = extracted.text, extracted.encrypted, list(extracted.notes)
        elif real in ("docx", "xlsx", "pptx"):
            text, notes = self.office(real, data)
        elif real == "zip":
            text, encrypted = self.archive(name, data, path, depth, where)
        elif real == "ole":
            how = filetypes.ole_encryption(data)
            encrypted = how in ("ooxml", "doc", "xls")
            if how == "ooxml":
                notes.append("password-protected Office file, text not read")
            elif encrypted:
                notes.append("password-protected legacy Office file, text not read")
            elif how == "unreadable":
                notes.append("damaged legacy Office (OLE) file, not read")
            else:
                notes.append("legacy Office (OLE) file; its text is not read")
        elif real == "text":
            is_html = declared == "text/html" or filetypes.extension(name) in ("htm", "html")
            extracted = documents.text_file_text(
                data,
                charset=charset,
                html=is_html,
                max_chars=limits.max_text_chars,
                max_html_chars=limits.max_html_chars,
            )
            text, notes = extracted.text, list(extracted.notes)
        elif real == "unknown" and data and not encrypted:
            archive_kind = filetypes.unopened_archive(data)
            if archive_kind:
                notes.append(f"{archive_kind} archive, which is not opened; its files were not read")
            elif not filetypes.is_media(declared, name):  # a video's content is not text to miss
                notes.append("content of a type that is not read")
        for note in notes:
            self.note(where, note)
        mismatch = bool(data) and filetypes.type_mismatch(name, real, encrypted=encrypted)
        self.attachments.insert(
            slot, Attachment(name, declared, real, len(data), text, encrypted, mismatch, where, depth)
        )

    def office(self, real: str, data: bytes) -> tuple[str, list[str]]:
        """Text of a docx/xlsx/pptx, once its zip has passed the bomb checks."""
        limits = self.limits
        try:
            with archives.open_zip(data, max_entries=max(10_000, limits.max_archive_members)) as archive:
                infos = archive.infolist()
        except archives.ZipTrouble as exc:
            return "", [f"{exc}, text not read"]
        problem = archives.bomb_problem(
            infos,
            budget=limits.max_unpacked_bytes - self.unpacked,
            limit=limits.max_unpacked_bytes,
            max_ratio=limits.max_compression_ratio,
        )
        if problem:
            return "", [f"{problem}; not read"]
        self.unpacked += sum(info.file_size for info in infos)
        if real == "xlsx":
            extracted = documents.xlsx_text(data, max_chars=limits.max_text_chars, max_cells=self.cells_left)
            self.cells_left -= extracted.used
        elif real == "docx":
            extracted = documents.docx_text(data, max_chars=limits.max_text_chars)
        else:
            extracted = documents.pptx_text(data, max_chars=limits.max_text_chars)
        return extracted.text, list(extracted.notes)

    def archive(self, name: str, data: bytes, path: str, depth: int, where: str) -> tuple[str, bool]:
        """Open a zip: its member names as its text, whether any member is encrypted; members read."""
        limits = self.limits
        try:
            archive = archives.open_zip(data, max_entries=max(10_000, limits.max_archive_members * 10))
        except archives.ZipTrouble as exc:
            self.note(where, f"{exc}; not read")
            return "", False
        with archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
            encrypted = any(archives.is_encrypted(info) for info in infos)
            names = self.bounded(where, "\n".join(info.filename for info in infos))
            if len(infos) > limits.max_archive_members:
                self.note(where, f"{len(infos)} files; only the first {limits.max_archive_members} read")
                infos = infos[: limits.max_archive_members]
            if depth + 1 > limits.max_depth:
                self.note(
                    where, f"archive nested more than {limits.max_depth} levels deep; its files not read"
                )
                return names, encrypted
            readable = [info for info in infos if not archives.is_encrypted(info)]
            problem = archives.bomb_problem(
                readable,
                budget=limits.max_unpacked_bytes - self.unpacked,
                limit=limits.max_unpacked_bytes,
                max_ratio=limits.max_compression_ratio,
            )
            if problem:
                self.note(where, f"{problem}; not read")
                return names, encrypted
            inner_path = f"{path}{name or f'(unnamed part {self.parts})'}/"
            for info in infos:
                if not self.take_part():
                    break
                self.member(archive, info, inner_path, depth + 1)
        return names, encrypted

    def member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, depth: int) -> None:
        where = f"attachment:{path}{info.filename}"
        if archives.is_encrypted(info):
            self.note(where, "password-protected, not read")
            self.attachments.append(
                Attachment(info.filename, "", "unknown", info.file_size, "", True, False, where, depth)
            )
            return
        try:
            content = archives.read_member(archive, info, self.limits.max_attachment_bytes + 1)
        except archives.ZipTrouble as exc:
            self.note(where, f"{exc}; not read")
            self.attachments.append(
                Attachment(info.filename, "", "unknown", info.file_size, "", False, False, where, depth)
            )
            return
        self.unpacked += len(content)
        if len(content) > self.limits.max_attachment_bytes:
            real = filetypes.real_type(content)
            self.note(where, self.too_big(info.file_size))
            mismatch = filetypes.type_mismatch(info.filename, real, encrypted=False)
            self.attachments.append(
                Attachment(info.filename, "", real, info.file_size, "", False, mismatch, where, depth)
            )
            return
        if filetypes.extension(info.filename) == "eml" and _looks_like_mail(content):
            parsed, complete = _parse(content)
            self.nested(parsed, complete, info.filename, "", len(content), path, depth)
            return
        self.blob(info.filename, "", content, None, path, depth)


def _looks_like_mail(data: bytes) -> bool:
    if filetypes.real_type(data) != "text":
        return False
    head = BytesHeaderParser(policy=policy.compat32).parsebytes(data[:65536])
    return any(key.lower() in _MESSAGE_HEADERS for key in head)


def _dedupe(addresses: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(addresses))


def read_message(
    raw: bytes, limits: Limits = DEFAULT_LIMITS, *, envelope_recipients: Sequence[str] | None = None
) -> ParsedMessage:
    """Read raw message bytes (as received over SMTP or saved as .eml) into a `ParsedMessage`.

    `envelope_recipients` (the RCPT TO addresses the relay saw) make Bcc exact: the envelope
    recipients not in To or Cc. Without them, Bcc is read from a Bcc header if the sender's client
    left one. Raises `MessageError` only for input that is not a message at all (empty, or no header
    lines); anything else is read as far as the limits allow, and what was cut is in `notes`.
    """
    size = len(raw)
    if not raw.strip():
        raise MessageError("empty message: there are no bytes to read")
    reader = _Reader(limits)
    data = bytes(raw)
    if size > limits.max_message_bytes:
        data = data[: limits.max_message_bytes]
        reader.note(
            "message",
            f"{human_size(size)}, over the limit of {human_size(limits.max_message_bytes)}; "
            f"only the first {human_size(limits.max_message_bytes)} read",
        )
    msg, complete = _parse(data.lstrip(b"\r\n"))
    found = _raw_headers(msg)
    if not _MESSAGE_HEADERS & found.keys():
        raise MessageError(
            "not an email message: it does not start with header lines such as From:, To: or Subject:"
        )

    senders = _addresses(found.get("from", []))
    sender_name, sender = senders[0] if senders else ("", "")
    to = _address_list(found, "to")
    cc = _address_list(found, "cc")
    if envelope_recipients is not None:
        visible = set(to) | set(cc)
        envelope = (address.strip().strip("<>").strip().lower() for address in envelope_recipients)
        bcc = _dedupe([address for address in envelope if address and address not in visible])
    else:
        bcc = _address_list(found, "bcc")
    headers = {name: decode_header(found[name][0]) for name in KEPT_HEADERS if name in found}
    subject = reader.bounded("subject", decode_header(found["subject"][0])) if "subject" in found else ""

    body, encryption = reader.message(msg, complete, "", 0)
    body = reader.bounded("body", body)
    if size > len(data):
        reader.estimate_cut_attachment(size - len(data))
    return ParsedMessage(
        sender=sender,
        sender_name=sender_name,
        to=to,
        cc=cc,
        bcc=bcc,
        subject=subject,
        body=body,
        signature_block=_signature_block(body),
        attachments=tuple(reader.attachments),
        encrypted=bool(encryption),
        auto_forwarded=bool(_auto_forward_signs(headers, sender)),
        headers=MappingProxyType(headers),
        notes=tuple(reader.notes),
        size=size,
    )
