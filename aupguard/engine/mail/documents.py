"""Text from the documents people attach: PDF, Word, Excel, PowerPoint, CSV and plain text.

Each reader takes the file's bytes and returns an `Extracted`: the text (at most `max_chars`
characters), whether the file is password-protected, and short notes on what was cut or could not be
read (the caller prefixes them with where the file is). None of them raises: a damaged file gives
its notes and whatever text came out before the damage.

- **PDF** (pypdf): text of the first `max_pdf_pages` pages. A PDF with an /Encrypt dictionary is
  opened with the empty password first: one that opens (an owner password restricts printing or
  copying, but anyone can read it) is read and is not counted as password-protected; one that needs
  a user password is. Without an AES library (pypdf's optional ``cryptography``), an AES-encrypted
  PDF cannot be opened at all here and is counted as password-protected, with a note saying why.
  pypdf's own limits on decompressed stream sizes apply.
- **DOCX** (python-docx's XML parser): every paragraph of the body in document order, tables cell
  by cell (nested tables and text boxes included), then headers, footers, footnotes, endnotes and
  comments. Tracked deletions and field codes are not text. Only the parts that hold that text are
  opened (about 0.5 ms for a letter, where opening the whole package in python-docx took 7): a
  package whose styles or settings part is damaged or missing is still read; one of another shape
  (a template, a main part missing) is left to python-docx, which says what is wrong.
- **XLSX** (openpyxl, read-only, cached values): every sheet's name, then its rows, cells separated
  by tabs. Declared sheet dimensions are ignored (a crafted dimension would make openpyxl pad
  millions of empty cells), and at most `max_cells` cells are visited, empty ones included.
- **PPTX** (zip + ElementTree): the text runs of each slide, in slide order, then the notes pages.
- **CSV and plain text**: decoded with `charsets.decode_text`; HTML files are read as HTML.

Office files are zips: the caller has already refused zip bombs (archives.bomb_problem) before
calling these, which bounds what python-docx and openpyxl unpack.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from aupguard.engine.mail.charsets import decode_text
from aupguard.engine.mail.html import html_to_text
from aupguard.engine.mail.limits import human_size

if TYPE_CHECKING:
    import pypdf

__all__ = ["Extracted", "docx_text", "pdf_text", "pptx_text", "text_file_text", "xlsx_text"]

# pypdf, python-docx and openpyxl are imported on first use, inside the readers: together they take
# about 0.7 s to import, which a guard or command that never meets such an attachment should not pay.

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_DOCX_EXTRA_PARTS = frozenset(
    _RELATIONSHIPS + kind for kind in ("header", "footer", "footnotes", "endnotes", "comments")
)
_SLIDE = re.compile(r"ppt/(slides|notesSlides)/(?:slide|notesSlide)(\d+)\.xml")


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a reader got from one file."""

    text: str = ""
    encrypted: bool = False
    notes: tuple[str, ...] = field(default=())
    used: int = 0  #: work spent from the message's budget (PDF content bytes, spreadsheet cells)


class _Text:
    """Collects text up to a number of characters, remembering whether anything was cut."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.chunks: list[str] = []
        self.length = 0
        self.cut = False

    @property
    def full(self) -> bool:
        return self.length >= self.max_chars

    def add(self, text: str) -> bool:
        """Add `text`; False once the limit is reached (the caller should stop reading)."""
        if self.full:
            self.cut = self.cut or bool(text)
            return False
        room = self.max_chars - self.length
        if len(text) > room:
            text = text[:room]
            self.cut = True
        self.chunks.append(text)
        self.length += len(text)
        return not self.full

    def end_with(self, separator: str) -> None:
        """End what was added with `separator`, replacing a separator just added."""
        if self.chunks and self.chunks[-1] in ("\n", "\t"):
            self.chunks[-1] = separator
        else:
            self.add(separator)

    def result(self, notes: Iterable[str] = (), *, used: int = 0) -> Extracted:
        all_notes = list(notes)
        if self.cut:
            all_notes.append(f"text cut at {self.max_chars:,} characters")
        return Extracted("".join(self.chunks).strip(), False, tuple(all_notes), used)


def _failed(exc: BaseException, what: str) -> str:
    return f"damaged {what}, text not read ({type(exc).__name__})"


# --- PDF -------------------------------------------------------------------------------------------


def _content_size(page: pypdf.PageObject) -> int:
    """Bytes of drawing instructions on a page: its content streams and the forms it draws."""
    contents = page.get_contents()
    size = len(contents.get_data()) if contents is not None else 0
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is not None:
        for reference in xobjects.get_object().values():
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Form":
                size += len(xobject.get_data())
    return int(size)


def pdf_text(data: bytes, *, max_chars: int, max_pages: int, max_content_bytes: int, limit: int) -> Extracted:
    """Text of a PDF's first `max_pages` pages, within `max_content_bytes` of drawing instructions.

    `limit` is the message's whole budget, which `max_content_bytes` is what is left of (for notes).
    """
    import pypdf  # noqa: PLC0415 (first use: see the imports note)
    from pypdf.errors import DependencyError  # noqa: PLC0415

    text = _Text(max_chars)
    notes: list[str] = []
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                return Extracted(
                    "",
                    True,
                    ("encrypted PDF (AES) that cannot be opened here, so counted as password-protected",),
                )
            if not opened:
                return Extracted("", True, ("password-protected PDF, text not read",))
        count = len(reader.pages)
    except Exception as exc:
        return Extracted("", False, (_failed(exc, "PDF"),))
    failed = 0
    skipped = 0
    budget = max_content_bytes
    for number in range(min(count, max_pages)):
        try:
            size = _content_size(reader.pages[number])
            if size > budget:
                skipped += 1
                continue
            budget -= size
            page = reader.pages[number].extract_text()
        except DependencyError:
            return Extracted(
                "",
                True,
                ("encrypted PDF (AES) that cannot be opened here, so counted as password-protected",),
            )
        except Exception:  # one bad page does not hide the others
            failed += 1
            continue
        if not text.add(page + "\n"):
            break
    if failed:
        notes.append(f"{failed} page(s) could not be read")
    if skipped:
        notes.append(
            f"{skipped} page(s) not read: more drawing instructions than are left of the "
            f"{human_size(limit)} limit for one message"
        )
    if count > max_pages and not text.full:
        notes.append(f"text read from the first {max_pages} of {count} pages")
    return text.result(notes, used=max_content_bytes - budget)


# --- DOCX ------------------------------------------------------------------------------------------


def _word_text(element: Any, text: _Text) -> bool:
    """Walk WordprocessingML in document order; False once `text` is full."""
    for child in element:
        tag = child.tag
        if tag == f"{_W}t":
            if child.text and not text.add(child.text):
                return False
        elif tag == f"{_W}tab":
            text.add("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            text.add("\n")
        elif tag == _MC_FALLBACK or not isinstance(tag, str):  # Fallback repeats its Choice; comments
            continue
        elif not _word_text(child, text):
            return False
        if tag == f"{_W}p":
            text.end_with("\n")
        elif tag == f"{_W}tc":  # a cell's last paragraph ends with a tab, not a new line
            text.end_with("\t")
        elif tag == f"{_W}tr":
            text.end_with("\n")
    return True


_PACKAGE_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _relationships(archive: zipfile.ZipFile, partname: str) -> list[tuple[str, str, bool]]:
    """(type, target partname, external) of each relationship of a part, in the order of its .rels."""
    from docx.opc.packuri import PackURI  # noqa: PLC0415 (first use: see the imports note)
    from docx.oxml.parser import parse_xml  # noqa: PLC0415

    uri = PackURI(partname)
    try:
        xml = archive.read(uri.rels_uri.membername)
    except KeyError:
        return []
    found = []
    for rel in parse_xml(xml).iter(_PACKAGE_RELATIONSHIP):
        external = rel.get("TargetMode") == "External"
        target = rel.get("Target", "")
        found.append(
            (rel.get("Type", ""), target if external else PackURI.from_rel_ref(uri.baseURI, target), external)
        )
    return found


def _docx_roots(data: bytes) -> list[Any] | None:
    """The body of a Word document and the parts read after it, read from the parts that hold text.

    python-docx parses every part of the package (styles, numbering, settings, theme ...) to open a
    document; only the main document and the parts its relationships name are needed here. The
    trees are built by python-docx's own XML parser (external entities never resolved), so they are
    the trees `docx.Document` would give. None when the package is not the plain Word document this
    expects (another main content type, a part missing): python-docx then reads it as before.
    """
    from docx.oxml.parser import parse_xml  # noqa: PLC0415 (first use: see the imports note)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        main = [
            target
            for kind, target, external in _relationships(archive, "/")
            if kind == _RELATIONSHIPS + "officeDocument" and not external
        ]
        if len(main) != 1:
            return None
        partname = main[0]
        types = parse_xml(archive.read("[Content_Types].xml"))
        overrides = {
            e.get("PartName", "").lower(): e.get("ContentType")
            for e in types.iter(f"{_CONTENT_TYPES}Override")
        }
        defaults = {
            e.get("Extension", "").lower(): e.get("ContentType")
            for e in types.iter(f"{_CONTENT_TYPES}Default")
        }
        content_type = overrides.get(partname.lower()) or defaults.get(partname.rpartition(".")[2].lower())
        if content_type != _WORD_MAIN:
            return None
        body = parse_xml(archive.read(partname[1:])).find(f"{_W}body")
        if body is None:
            return None
        roots: list[Any] = [body]
        for kind, target, external in _relationships(archive, partname):
            if kind in _DOCX_EXTRA_PARTS and not external:
                roots.append(parse_xml(archive.read(target[1:])))
        return roots


def docx_text(data: bytes, *, max_chars: int) -> Extracted:
    """Text of a Word document: body, tables, text boxes, headers, footers, notes and comments."""
    import docx  # noqa: PLC0415 (first use: see the imports note)
    from docx.oxml.parser import parse_xml  # noqa: PLC0415

    text = _Text(max_chars)
    try:
        try:
            fast = _docx_roots(data)
        except Exception:  # anything unexpected: python-docx reads it, and says what is wrong
            fast = None
        if fast is not None:
            roots = fast
        else:
            document = docx.Document(io.BytesIO(data))
            roots = [document.element.body]
            for rel in document.part.rels.values():
                if rel.reltype in _DOCX_EXTRA_PARTS and not rel.is_external:
                    part = rel.target_part
                    element = getattr(part, "element", None)  # parts python-docx does not model are bytes
                    roots.append(parse_xml(part.blob) if element is None else element)
        for root in roots:
            if not _word_text(root, text):
                break
            text.add("\n")
    except Exception as exc:
        return text.result([_failed(exc, "Word document")])
    return text.result()


# --- XLSX ------------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 4111111111111111.0 is a card number as typed, not as stored
    return str(value)


def xlsx_text(data: bytes, *, max_chars: int, max_cells: int) -> Extracted:
    """Cell values of every sheet of a workbook, sheet by sheet, row by row, up to `max_cells` cells."""
    import openpyxl  # noqa: PLC0415 (first use: see the imports note)

    text = _Text(max_chars)
    cells_left = max_cells
    notes: list[str] = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        return Extracted("", False, (_failed(exc, "Excel workbook"),))
    try:
        for sheet in workbook.worksheets:
            if not text.add(f"{sheet.title}\n"):
                break
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                cells_left -= max(len(row), 1)
                if cells_left < 0:
                    notes.append("stopped at the limit on spreadsheet cells for one message")
                    break
                values = [_cell(value) for value in row]
                while values and not values[-1]:  # padding openpyxl adds up to the widest row
                    values.pop()
                if values and not text.add("\t".join(values) + "\n"):
                    break
            if cells_left < 0 or text.full:
                break
    except Exception as exc:
        notes.append(_failed(exc, "Excel workbook"))
    finally:
        workbook.close()
    return text.result(notes, used=min(max_cells, max_cells - cells_left))


# --- PPTX ------------------------------------------------------------------------------------------


def _slide_order(name: str) -> tuple[int, int]:
    match = _SLIDE.fullmatch(name)
    if match is None:
        return (2, 0)
    return (0 if match.group(1) == "slides" else 1, int(match.group(2)))


def _drawing_text(xml: bytes) -> Iterator[str]:
    # ElementTree never fetches external entities, and the expat it uses (2.4 and later) refuses
    # entity-expansion bombs; the archive's size was bounded before this is called.
    for _, element in ElementTree.iterparse(io.BytesIO(xml), events=("end",)):  # noqa: S314
        if element.tag == f"{_A}t" and element.text:
            yield element.text
        elif element.tag == f"{_A}p":
            yield "\n"
        elif element.tag in (f"{_A}tab", f"{_A}tc"):
            yield "\t"


def pptx_text(data: bytes, *, max_chars: int) -> Extracted:
    """Text of a presentation's slides, in order, then its speaker notes."""
    text = _Text(max_chars)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = sorted((n for n in archive.namelist() if _SLIDE.fullmatch(n)), key=_slide_order)
            for name in names:
                for chunk in _drawing_text(archive.read(name)):
                    if not text.add(chunk):
                        return text.result()
                text.add("\n")
    except Exception as exc:
        return text.result([_failed(exc, "PowerPoint presentation")])
    return text.result()


# --- text ------------------------------------------------------------------------------------------


def text_file_text(
    data: bytes, *, charset: str | None, html: bool, max_chars: int, max_html_chars: int
) -> Extracted:
    """A text, CSV or HTML file's text, decoded whatever its charset."""
    decoded = decode_text(data, charset).replace("\r\n", "\n").replace("\r", "\n")
    notes: list[str] = []
    if html:
        if len(decoded) > max_html_chars:
            decoded = decoded[:max_html_chars]
            notes.append(f"HTML cut at {max_html_chars:,} characters before reading")
        decoded = html_to_text(decoded)
    text = _Text(max_chars)
    text.add(decoded)
    return text.result(notes)
