"""How much work reading one message may take: every bound `read_message` respects.

A guard reads whatever a sender hands it, so each step that grows with the input has a limit here:
message bytes, attachment bytes, bytes unpacked from archives (in total and per member's compression
ratio), nesting of forwarded messages and archives, PDF pages and drawing instructions, spreadsheet
cells, characters of text and HTML per part, and MIME parts plus archive members per message.
Reaching a limit never raises: the reader stops that piece of work and says what it cut in
`ParsedMessage.notes`.

A pack may set its own `Limits` (lower for a busy relay, higher for a trust that mails large
spreadsheets); `DEFAULT_LIMITS` suits a school's outbound mail. Sizes are in bytes; the notes print
them in binary units (1 MB = 1,048,576 bytes), as mail clients do.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["DEFAULT_LIMITS", "Limits", "human_size"]

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the work spent reading one message. All values must be positive.

    - `max_message_bytes`: a longer message is read only up to this many bytes (its true size is
      still reported, and the attachment it is cut inside gets its whole size estimated from the
      bytes not read). 25 MB is what Gmail accepts.
    - `max_attachment_bytes`: a larger attachment (or archive member) is typed from its first bytes
      and its size reported, but its text is not extracted.
    - `max_unpacked_bytes`: bytes that archives (zips, and the zips inside Office files) may unpack
      to, in total over the whole message; an archive that would take more is not opened.
    - `max_compression_ratio`: an archive member larger than 1 MB that unpacks to more than this
      many times its packed size is a zip bomb, and its archive is not opened.
    - `max_depth`: how deep forwarded messages (message/rfc822, .eml) and archives may nest inside
      the message; deeper ones are listed but not opened.
    - `max_pdf_pages`: pages of a PDF whose text is extracted.
    - `max_pdf_content_bytes`: drawing instructions (decoded page content streams and the forms they
      draw) that PDF text extraction may work through in one message. pypdf took about 0.6 s per
      100 KB of dense text instructions on the project's 2-core machine, so a 13 KB PDF whose one
      page unpacks to 5 MB of them took 31 s; a page that does not fit in what is left is skipped.
    - `max_spreadsheet_cells`: spreadsheet cells visited in one message, counting the empty cells
      openpyxl fills in between the ones a sheet holds.
    - `max_text_chars`: characters of text kept from one part (a body part or an attachment).
    - `max_html_chars`: characters of HTML handed to the HTML reader for one part.
    - `max_parts`: MIME parts plus archive members read in one message.
    - `max_archive_members`: members read from one archive.
    """

    max_message_bytes: int = 25 * _MB
    max_attachment_bytes: int = 25 * _MB
    max_unpacked_bytes: int = 100 * _MB
    max_compression_ratio: int = 100
    max_depth: int = 3
    max_pdf_pages: int = 100
    max_pdf_content_bytes: int = 2 * _MB
    max_spreadsheet_cells: int = 2_000_000
    max_text_chars: int = 500_000
    max_html_chars: int = 2_000_000
    max_parts: int = 500
    max_archive_members: int = 200

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Limits.{field.name}: expected a positive whole number, got {value!r}")


DEFAULT_LIMITS = Limits()


def human_size(count: int) -> str:
    """A byte count the way a mail client shows it: "12 bytes", "340 KB", "2.1 GB"."""
    if count < 1024:
        return f"{count} bytes"
    value = float(count)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}"
