"""Reading mail as it really is: raw message bytes to a bounded `ParsedMessage` the email checks read.

``read_message(raw, limits=DEFAULT_LIMITS, *, envelope_recipients=None)`` is the whole interface.
Pure Python: the standard library's ``email`` package, pypdf, python-docx and openpyxl; no Django.

What it reads
-------------
- **Headers**: From (address and display name), To, Cc and Bcc (addresses lower-cased; with the
  relay's envelope recipients, Bcc is exactly those not in To or Cc), the subject (RFC 2047
  encoded words in any charset, raw 8-bit bytes, folding), and a few headers the checks use
  (Message-ID, Date, Auto-Submitted, Sensitivity, the forwarding headers ...) in
  `ParsedMessage.headers`, keyed by lower-case name.
- **Bodies**: every text/plain part, and text/html turned into the text a reader sees (html.py);
  where a message has both, the plain text is the body plus any line only the HTML shows. Base64
  and quoted-printable are undone (broken base64 as far as it goes); wrong, unknown or missing
  charsets are survived (charsets.py). `signature_block` is the last lines the sender wrote, above
  any quoted reply.
- **Structure**: multipart nesting, forwarded messages (message/rfc822 and .eml files) walked as
  attachments whose own attachments are listed as ``attachment:fwd.eml/x.pdf``, zips opened and
  their members listed as ``attachment:outer.zip/inner.docx``.
- **Attachments** (`Attachment`): the real type from the content's magic bytes and whether the
  filename's extension contradicts it (filetypes.py); text from PDF, DOCX, XLSX, PPTX, CSV, HTML and
  plain text (documents.py); password protection of ZIP members, PDFs and Office files (encrypted
  OOXML, Word and Excel 97-2003). Archives of other kinds (7-Zip, RAR, gzip ...) are named in a
  note and not opened; pictures, sound and video have no text to read and are not noted.
- **Encryption and forwarding**: S/MIME and PGP/MIME encrypted messages are flagged and their
  content is not read; `auto_forwarded` is set from the headers servers and mailbox rules add (the
  list and the reasons are in message.py).

The limits
----------
Every piece of work that grows with the input is bounded by a `Limits` (limits.py; a pack can set
its own): message bytes (25 MB; the attachment a longer message is cut inside keeps an estimate of
its whole size, so size checks still see it), attachment bytes read (25 MB), bytes unpacked from
archives in the whole message (100 MB), compression ratio of an archive member (100, zip bombs),
nesting of forwarded messages and archives (3), PDF pages (100) and PDF drawing instructions (2 MB
in the whole message, which bounds a pathological PDF), spreadsheet cells (2 million), characters
of text kept per part (500,000), HTML read per part (2 million characters), MIME parts plus
archive members (500) and members per archive (200). Reaching a limit never raises and never
hangs: the work stops and `ParsedMessage.notes` says what was cut, naming where
(``attachment:big.zip: zip bomb: 'zeros.bin' unpacks to 200 MB from 199.1 KB (1028 times, limit 100
times); not read``). Nothing is cut silently.

Errors
------
`MessageError` (a ValueError) is raised only for input that is not a message at all: empty bytes,
or bytes that do not start with header lines naming at least one message header (From, To,
Subject, Date, Message-ID, Received, MIME-Version, Content-Type ...). Anything else, however
malformed, gives a `ParsedMessage`, with what could not be read in `notes`.

What is never done
------------------
- No network: nothing is fetched (no remote images, no links, no external XML entities; lxml 5
  and later, used by python-docx and openpyxl, does not resolve external entities, and
  ElementTree never does).
- No execution: no attachment is run, no macro evaluated, no formula recalculated (spreadsheets
  are read with the values their author's Excel cached), no script in HTML interpreted.
- Nothing is written to disk: archives and documents are read in memory.
- Passwords are never guessed: a PDF is tried with the empty password only, which is how any
  reader opens a PDF restricted by an owner password alone.

pypdf reports damaged PDFs through the ``pypdf`` logger (WARNING); a command that wants quiet
output sets that logger's level.
"""

from typing import TYPE_CHECKING

from aupguard.engine.mail.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from aupguard.engine.mail.message import Attachment, MessageError, ParsedMessage, read_message

__all__ = ["DEFAULT_LIMITS", "Attachment", "Limits", "MessageError", "ParsedMessage", "read_message"]

# The reader is imported when first asked for, not with the package: the web guard's commands import
# the package for its limits (a pack sets them) and never read a message, and the reader with its
# document libraries is a fifth of their start-up.
_READER = frozenset({"Attachment", "MessageError", "ParsedMessage", "read_message"})


def __getattr__(name: str) -> object:
    if name not in _READER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from aupguard.engine.mail import message  # noqa: PLC0415

    value = getattr(message, name)
    globals()[name] = value
    return value
