"""Real files and messages built in the tests: PDF, Word, Excel, zip, OLE, programs, and mail."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from email.message import EmailMessage

import docx
import openpyxl
import pypdf


def text_drawing(text: str) -> bytes:
    """PDF drawing instructions that write `text` in Helvetica at the top of a page."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
    return b"BT /F1 12 Tf 72 720 Td (" + escaped + b") Tj ET"


def pdf(*pages: str | bytes) -> bytes:
    """A valid PDF with one page per text (or per raw drawing instructions, stored compressed)."""
    count = len(pages)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, page in enumerate(pages):
        if isinstance(page, str):
            stream, dictionary = text_drawing(page), b"<< /Length %d >>"
        else:
            stream, dictionary = zlib.compress(page, 9), b"<< /Length %d /Filter /FlateDecode >>"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i)
        )
        objects.append(dictionary % len(stream) + b"\nstream\n" + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def encrypted_pdf(text: str, *, user_password: str, algorithm: str = "RC4-128") -> bytes:
    """`pdf(text)` encrypted with RC4-128, or `algorithm` (pypdf writes AES only with the
    cryptography package)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf(text))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word(*paragraphs: str, table: Iterable[Iterable[str]] = (), header: str = "") -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    rows = [list(row) for row in table]
    if rows:
        grid = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    if header:
        document.sections[0].header.paragraphs[0].text = header
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def workbook(sheets: Mapping[str, Iterable[Iterable[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_of(members: Mapping[str, bytes], *, encrypted: Iterable[str] = ()) -> bytes:
    """A zip of `members`; those named in `encrypted` get the encryption flag bit (APPNOTE 4.4.4)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    data = bytearray(out.getvalue())
    for name in encrypted:
        raw_name = name.encode()
        local = data.find(b"PK\x03\x04" + b"", 0)
        while local >= 0:  # local file header: flags at +6, name length at +26, name at +30
            name_len = struct.unpack_from("<H", data, local + 26)[0]
            if data[local + 30 : local + 30 + name_len] == raw_name:
                data[local + 6] |= 1
            local = data.find(b"PK\x03\x04", local + 4)
        central = data.find(b"PK\x01\x02")
        while central >= 0:  # central directory header: flags at +8, name length at +28, name at +46
            name_len = struct.unpack_from("<H", data, central + 28)[0]
            if data[central + 46 : central + 46 + name_len] == raw_name:
                data[central + 8] |= 1
            central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def replace_member(archive_bytes: bytes, name: str, content: bytes) -> bytes:
    """The zip `archive_bytes` with member `name` replaced by `content`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info))
    return out.getvalue()


def zeros_zip(name: str, size: int, *, extra: Mapping[str, bytes] | None = None) -> bytes:
    """A zip holding `size` zero bytes, compressed as they stream (a zip bomb when large)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for extra_name, content in (extra or {}).items():
            archive.writestr(extra_name, content)
        with archive.open(name, "w") as member:
            chunk = bytes(1024 * 1024)
            left = size
            while left > 0:
                member.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return out.getvalue()


def incompressible(size: int) -> bytes:
    """`size` bytes that deflate cannot shrink (a chain of CRC-seeded hashes, deterministic)."""
    out = bytearray()
    seed = 1
    while len(out) < size:
        seed = zlib.crc32(seed.to_bytes(4, "little"))
        out += seed.to_bytes(4, "little")
    return bytes(out[:size])


def windows_program() -> bytes:
    """The start of a Windows PE program: an MZ header whose e_lfanew points at "PE\\0\\0"."""
    header = bytearray(b"MZ" + bytes(0x3A))
    header += struct.pack("<I", 0x80)
    header += b"This program cannot be run in DOS mode.\r\n$".ljust(0x80 - len(header), b"\0")
    header += b"PE\0\0" + b"\x4c\x01" + bytes(200)
    return bytes(header)


def ole_file(streams: Mapping[str, bytes]) -> bytes:
    """A minimal OLE compound file (MS-CFB version 3) holding `streams` in regular sectors."""
    sector = 512
    end, free, fat_mark = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [fat_mark, end]  # sector 0 is the FAT, sector 1 the directory
    bodies: list[bytes] = []
    starts: list[int] = []
    next_sector = 2
    for content in streams.values():
        padded = content + bytes(-len(content) % sector)
        count = max(1, len(padded) // sector)
        starts.append(next_sector)
        fat.extend([*range(next_sector + 1, next_sector + count), end])
        bodies.append(padded.ljust(count * sector, b"\0"))
        next_sector += count
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = free, right: int = free) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", free, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, end, 0, child=1 if names else free)
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else free
        directory += entry(name, 2, starts[index], len(streams[name]), right=right)
    directory = directory.ljust(sector * ((len(directory) + sector - 1) // sector), b"\0")
    if len(directory) > sector:
        raise ValueError("the test builder keeps the directory to one sector (three streams)")
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    return bytes(header) + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(bodies)


def message(
    body: str | None = "Hello",
    *,
    subject: str = "Test",
    sender: str = "Jo Teacher <jo.teacher@school.example>",
    to: str = "parent@gmail.com",
    html: str | None = None,
    attachments: Iterable[tuple[bytes, str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A message as a mail client would send it; attachments are (content, filename, mime type)."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = "<test-1@school.example>"
    msg["Date"] = "Mon, 02 Sep 2024 09:00:00 +0100"
    for name, value in (headers or {}).items():
        msg[name] = value
    if body is not None:
        msg.set_content(body)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    for content, filename, mime in attachments:
        maintype, subtype = mime.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg
