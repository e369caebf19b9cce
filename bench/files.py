"""Attachment files for the generated corpus: CSV, DOCX, XLSX and PDF, byte-for-byte reproducible.

python-docx and openpyxl stamp the time of saving into the zip entries and into docProps/core.xml;
`_reproducible_zip` rewrites both, so the same seed gives the same bytes on every run. The PDF is
written by hand: one Helvetica text stream per page (WinAnsiEncoding), half of them Flate-compressed,
with a correct cross-reference table, so pypdf reads it like any office-printed PDF.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Sequence

__all__ = ["FIXED_TIME", "csv_file", "docx_file", "pdf_file", "xlsx_file"]

FIXED_TIME = dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC)
_ZIP_TIME = (2026, 3, 2, 9, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _reproducible_zip(data: bytes) -> bytes:
    """The same zip with fixed member times and fixed created/modified dates in docProps/core.xml."""
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<3>", content)
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, content)
    return out.getvalue()


def csv_file(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """A CSV as Excel saves it on a UK machine: CRLF line ends, UTF-8 with a byte order mark."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def docx_file(
    title: str,
    paragraphs: Sequence[str],
    author: str,
    table: tuple[Sequence[str], Sequence[Sequence[str]]] | None = None,
) -> bytes:
    """A small Word document: a heading, paragraphs and an optional table."""
    import docx  # noqa: PLC0415  (python-docx is slow to import; only the generator needs it)

    document = docx.Document()
    props = document.core_properties
    props.author = author
    props.last_modified_by = author
    props.title = title
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 3
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table is not None:
        header, rows = table
        grid = document.add_table(rows=1, cols=len(header))
        for cell, value in zip(grid.rows[0].cells, header, strict=True):
            cell.text = value
        for row in rows:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def xlsx_file(sheet: str, header: Sequence[str], rows: Sequence[Sequence[str | float]], author: str) -> bytes:
    """A small Excel workbook with one sheet: a bold header row and the rows."""
    import openpyxl  # noqa: PLC0415  (slow to import; only the generator needs it)
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = openpyxl.Workbook()
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
    workbook.properties.created = FIXED_TIME.replace(tzinfo=None)
    workbook.properties.modified = FIXED_TIME.replace(tzinfo=None)
    ws = workbook.active
    ws.title = sheet[:31]
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for column in ws.columns:
        width = max(len(str(c.value or "")) for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 40)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _reproducible_zip(buffer.getvalue())


def _pdf_string(line: str) -> bytes:
    """`line` as a PDF literal string in WinAnsiEncoding (cp1252), with escapes."""
    out = bytearray(b"(")
    for byte in line.encode("cp1252", errors="replace"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    out += b")"
    return bytes(out)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            if current and len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
    return lines


def pdf_file(title: str, paragraphs: Sequence[str], *, compress: bool, author: str) -> bytes:
    """A minimal valid PDF 1.4: A4 pages of Helvetica text, 50 lines a page."""
    lines = [title.upper(), ""]
    for paragraph in paragraphs:
        lines.extend(_wrap(paragraph, 92))
        lines.append("")
    pages = [lines[i : i + 50] for i in range(0, len(lines), 50)] or [[]]

    objects: list[bytes] = []  # object n is objects[n - 1]
    font_id, info_id = 3, 4
    first_page_id = 5
    page_ids = [first_page_id + 2 * i for i in range(len(pages))]
    kids = b" ".join(b"%d 0 R" % pid for pid in page_ids)
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(
        b"<< /Title %s /Author %s /Producer (Microsoft: Print To PDF) /CreationDate (D:20260302090000Z) >>"
        % (_pdf_string(title), _pdf_string(author))
    )
    for page_id, page in zip(page_ids, pages, strict=True):
        content = b"BT /F1 10 Tf 13 TL 56 790 Td\n" + b"".join(
            _pdf_string(line) + b" Tj T*\n" for line in page
        )
        content += b"ET\n"
        if compress:
            stream = zlib.compress(content, 6)
            head = b"<< /Length %d /Filter /FlateDecode >>" % len(stream)
        else:
            stream = content
            head = b"<< /Length %d >>" % len(stream)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (font_id, page_id + 1)
        )
        objects.append(head + b"\nstream\n" + stream + b"\nendstream")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info_id,
        xref,
    )
    return bytes(out)
