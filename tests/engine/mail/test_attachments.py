"""Attachments as a guard must see them: real types, text inside, passwords, archives and bombs."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from aupguard.engine.mail import DEFAULT_LIMITS, Attachment, Limits, ParsedMessage, read_message
from tests.engine.mail import build

PDF = "application/pdf"
OCTET = "application/octet-stream"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def send(*files: tuple[bytes, str, str], limits: Limits = DEFAULT_LIMITS) -> ParsedMessage:
    return read_message(bytes(build.message("Please see attached.", attachments=files)), limits)


def only(parsed: ParsedMessage) -> Attachment:
    (attachment,) = parsed.attachments
    return attachment


def where(parsed: ParsedMessage) -> dict[str, Attachment]:
    return {attachment.where: attachment for attachment in parsed.attachments}


# --- text extraction -------------------------------------------------------------------------------


def test_it_reads_the_text_of_a_pdf() -> None:
    attachment = only(send((build.pdf("Invoice", "Card 4111 1111 1111 1111"), "invoice.pdf", PDF)))
    assert attachment.text == "Invoice\nCard 4111 1111 1111 1111"
    assert (attachment.real_type, attachment.declared_type, attachment.where) == (
        "pdf",
        PDF,
        "attachment:invoice.pdf",
    )
    assert not attachment.encrypted
    assert not attachment.type_mismatch


def test_it_reads_only_the_first_pages_of_a_long_pdf_and_says_so() -> None:
    parsed = send((build.pdf("one", "two", "three"), "long.pdf", PDF), limits=Limits(max_pdf_pages=2))
    assert only(parsed).text == "one\ntwo"
    assert "attachment:long.pdf: text read from the first 2 of 3 pages" in parsed.notes


def test_a_page_with_a_flood_of_drawing_instructions_is_skipped_not_ground_through() -> None:
    # 100,000 "show text" operations unpack from about 5 KB; pypdf would spend many seconds on them.
    flood = b"BT /F1 12 Tf " + b"(word) Tj 10 0 Td " * 100_000 + b"ET"
    data = build.pdf("first page", flood, "third page")
    assert len(data) < 10_000
    parsed = send((data, "map.pdf", PDF), limits=Limits(max_pdf_content_bytes=100_000))
    assert only(parsed).text == "first page\nthird page"
    assert (
        "attachment:map.pdf: 1 page(s) not read: more drawing instructions than are left of the 97.7 KB "
        "limit for one message"
    ) in parsed.notes


def test_the_pdf_work_limit_is_shared_by_every_pdf_in_the_message() -> None:
    pages = b"BT /F1 12 Tf " + b"(word) Tj 10 0 Td " * 3_000 + b"ET"  # about 54 KB of instructions
    parsed = send(
        (build.pdf(pages), "one.pdf", PDF),
        (build.pdf(pages), "two.pdf", PDF),
        limits=Limits(max_pdf_content_bytes=100_000),
    )
    found = where(parsed)
    assert found["attachment:one.pdf"].text.startswith("word")
    assert found["attachment:two.pdf"].text == ""
    assert [note.split(":")[1] for note in parsed.notes] == ["two.pdf"]


def test_it_reads_word_paragraphs_tables_and_headers() -> None:
    data = build.word(
        "Referral for Ann Smith",
        table=[["Name", "UPN"], ["Ben Jones", "A123456789012"]],
        header="CONFIDENTIAL",
    )
    text = only(send((data, "referral.docx", DOCX))).text
    assert "Referral for Ann Smith" in text
    assert "Ben Jones\tA123456789012" in text
    assert "CONFIDENTIAL" in text


def _rezip(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """A copy of the zip `data` with members replaced (or, for None, left out)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in changes:
                if changes[info.filename] is not None:
                    target.writestr(info.filename, changes[info.filename])  # type: ignore[arg-type]
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


def test_word_text_from_its_own_parts_is_python_docxs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The document, header and the rest are read without opening the whole package in python-docx,
    and give the text python-docx gives; a package of another shape is left to python-docx."""
    from aupguard.engine.mail import documents

    word = build.word(
        "Referral for Ann Smith",
        table=[["Name", "UPN"], ["Ben Jones", "A123456789012"]],
        header="CONFIDENTIAL",
    )
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(word)) as archive:
        types = archive.read("[Content_Types].xml")
    template = _rezip(
        word, {"[Content_Types].xml": types.replace(b"document.main+xml", b"template.main+xml")}
    )
    no_styles = _rezip(word, {"word/styles.xml": None})
    samples = [word, _rezip(word, {"word/document.xml": b"<not xml"}), template]
    assert documents._docx_roots(word) is not None
    assert documents._docx_roots(template) is None  # python-docx says it is not a Word file
    fast = [documents.docx_text(data, max_chars=1_000) for data in samples]
    without_styles = documents.docx_text(no_styles, max_chars=1_000)
    monkeypatch.setattr(documents, "_docx_roots", lambda data: None)
    assert fast == [documents.docx_text(data, max_chars=1_000) for data in samples]
    assert "Ben Jones\tA123456789012" in fast[0].text
    assert fast[1].notes == ("damaged Word document, text not read (XMLSyntaxError)",)
    assert fast[2].notes[0].startswith("damaged Word document")
    # A part the text is not in is not opened: python-docx gives up on a package without its
    # styles part, its text is read all the same.
    assert documents.docx_text(no_styles, max_chars=1_000).notes == (
        "damaged Word document, text not read (KeyError)",
    )
    assert without_styles.text == fast[0].text


def test_it_reads_excel_cells_as_typed() -> None:
    data = build.workbook({"Pupils": [["Name", "Card"], ["Ann Smith", 4111111111111111], ["Total", 12.5]]})
    attachment = only(send((data, "pupils.xlsx", XLSX)))
    assert attachment.real_type == "xlsx"
    assert attachment.text == "Pupils\nName\tCard\nAnn Smith\t4111111111111111\nTotal\t12.5"


def test_it_reads_csv_in_windows_1252_and_html_files_as_text() -> None:
    csv = "name,fee\nZoë,£12\n".encode("cp1252")
    html = b"<html><body><p>Pupil: Ann&nbsp;Smith</p><script>x()</script></body></html>"
    parsed = send((csv, "fees.csv", "text/csv"), (html, "page.html", "text/html"))
    assert where(parsed)["attachment:fees.csv"].text == "name,fee\nZoë,£12"
    assert where(parsed)["attachment:page.html"].text == "Pupil: Ann Smith"


@pytest.mark.parametrize(
    ("filename", "member", "xml"),
    [
        (
            "pupils.xlsx",
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row></sheetData></worksheet>',
        ),
        (
            "letter.docx",
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>",
        ),
    ],
)
def test_office_files_cannot_make_the_reader_open_a_local_file(
    tmp_path: Path, filename: str, member: str, xml: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    root = xml.split(" ", 1)[0].lstrip("<")
    doctype = f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>'
    original = build.workbook({"S": [["placeholder"]]}) if filename.endswith("xlsx") else build.word("x")
    data = build.replace_member(original, member, (doctype + xml).encode())
    parsed = send((data, filename, OCTET))
    attachment = only(parsed)
    assert attachment.real_type == filename.rsplit(".", 1)[1]
    assert "placeholder" not in attachment.text  # the crafted part was the one read
    assert "TOP-SECRET-MARKER" not in attachment.text


# --- real type against the name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "real", "mismatch"),
    [
        (build.windows_program(), "invoice.pdf", "exe", True),
        (build.zip_of({"a.txt": b"hi"}), "report.txt", "zip", True),
        (b"just some words\n", "scan.pdf", "text", True),
        (build.pdf("x"), "notes.docx", "pdf", True),
        (build.word("x"), "budget.xlsx", "docx", True),
        (build.windows_program(), "setup.exe", "exe", False),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "photo.jpg", "png", False),  # any image under any image name
        (b"<html><table><tr><td>1</td></tr></table></html>", "export.xls", "text", False),  # MIS exports
        (build.word("x"), "old.doc", "docx", False),
        (b"\x00\x01\x02\x03random", "data.bin", "unknown", False),  # no expectation, no contradiction
        (build.windows_program(), "no_extension", "exe", False),
    ],
)
def test_it_types_attachments_from_their_content_and_compares_the_name(
    content: bytes, filename: str, real: str, mismatch: bool
) -> None:
    attachment = send((content, filename, OCTET)).attachments[0]
    assert (attachment.real_type, attachment.type_mismatch) == (real, mismatch)


# --- password protection ---------------------------------------------------------------------------


def test_a_pdf_that_needs_a_password_is_encrypted_and_not_read() -> None:
    parsed = send(
        (build.encrypted_pdf("Card 4111 1111 1111 1111", user_password="s3cret"), "statement.pdf", PDF)
    )
    attachment = only(parsed)
    assert attachment.encrypted
    assert attachment.text == ""
    assert "attachment:statement.pdf: password-protected PDF, text not read" in parsed.notes


def test_a_pdf_restricted_only_by_an_owner_password_is_read_and_not_password_protected() -> None:
    attachment = only(send((build.encrypted_pdf("Ann Smith report", user_password=""), "report.pdf", PDF)))
    assert not attachment.encrypted
    assert attachment.text == "Ann Smith report"


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_an_aes_pdf_restricted_only_by_an_owner_password_is_read_when_aes_is_installed(
    algorithm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("cryptography")  # pypdf's "crypto" extra
    from pypdf.errors import DependencyError

    data = build.encrypted_pdf("Ann Smith report", user_password="", algorithm=algorithm)
    attachment = only(send((data, "report.pdf", PDF)))
    assert (attachment.encrypted, attachment.text) == (False, "Ann Smith report")
    locked = only(send((build.encrypted_pdf("x", user_password="pw", algorithm=algorithm), "pay.pdf", PDF)))
    assert (locked.encrypted, locked.text) == (True, "")

    # Without an AES library pypdf cannot even try the empty password: counted as protected, and said.
    def no_aes(*args: object, **kwargs: object) -> bool:
        raise DependencyError("cryptography is required for AES")

    monkeypatch.setattr("pypdf.PdfReader.decrypt", no_aes)
    parsed = send((data, "report.pdf", PDF))
    assert only(parsed).encrypted
    assert parsed.notes == (
        "attachment:report.pdf: encrypted PDF (AES) that cannot be opened here, "
        "so counted as password-protected",
    )


def test_a_zip_with_a_password_protected_member_is_encrypted() -> None:
    data = build.zip_of({"readme.txt": b"open me", "pupils.xlsx": b"secret bytes"}, encrypted=["pupils.xlsx"])
    parsed = send((data, "files.zip", "application/zip"))
    found = where(parsed)
    assert found["attachment:files.zip"].encrypted
    assert found["attachment:files.zip/pupils.xlsx"].encrypted
    assert found["attachment:files.zip/pupils.xlsx"].text == ""
    assert not found["attachment:files.zip/readme.txt"].encrypted
    assert found["attachment:files.zip/readme.txt"].text == "open me"
    assert "attachment:files.zip/pupils.xlsx: password-protected, not read" in parsed.notes


def test_an_office_file_encrypted_with_a_password_is_encrypted_but_not_mismatched() -> None:
    data = build.ole_file({"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(60), "EncryptedPackage": bytes(700)})
    parsed = send((data, "pupils.xlsx", XLSX))
    attachment = only(parsed)
    assert (attachment.real_type, attachment.encrypted, attachment.type_mismatch) == ("ole", True, False)
    assert "attachment:pupils.xlsx: password-protected Office file, text not read" in parsed.notes
    renamed = only(send((data, "holiday.pdf", PDF)))
    assert renamed.type_mismatch  # an encrypted Office file is not a PDF


def test_legacy_word_and_excel_files_with_a_password_are_encrypted() -> None:
    fib = bytearray(4096)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", fib, 0x0A, 0x0100)  # FibBase.fEncrypted
    workbook = bytearray(4096)
    struct.pack_into("<HH", workbook, 0, 0x0809, 16)  # BOF
    struct.pack_into("<HH", workbook, 20, 0x002F, 54)  # FILEPASS
    parsed = send(
        (build.ole_file({"WordDocument": bytes(fib)}), "minutes.doc", "application/msword"),
        (build.ole_file({"Workbook": bytes(workbook)}), "marks.xls", "application/vnd.ms-excel"),
        (build.ole_file({"WordDocument": bytes(4096)}), "open.doc", "application/msword"),
    )
    found = where(parsed)
    assert found["attachment:minutes.doc"].encrypted
    assert found["attachment:marks.xls"].encrypted
    assert not found["attachment:open.doc"].encrypted
    assert "attachment:open.doc: legacy Office (OLE) file; its text is not read" in parsed.notes


# --- archives --------------------------------------------------------------------------------------


def test_it_reads_documents_inside_a_zip_inside_a_zip() -> None:
    inner = build.zip_of({"referral.docx": build.word("Safeguarding referral for Ben Jones")})
    outer = build.zip_of({"docs/inner.zip": inner, "note.txt": b"see inside"})
    found = where(send((outer, "outer.zip", "application/zip")))
    assert found["attachment:outer.zip"].text == "docs/inner.zip\nnote.txt"  # member names
    assert (
        found["attachment:outer.zip/docs/inner.zip/referral.docx"].text
        == "Safeguarding referral for Ben Jones"
    )
    assert found["attachment:outer.zip/note.txt"].text == "see inside"
    depths = {where: attachment.depth for where, attachment in found.items()}
    assert depths == {
        "attachment:outer.zip": 0,
        "attachment:outer.zip/docs/inner.zip": 1,
        "attachment:outer.zip/docs/inner.zip/referral.docx": 2,
        "attachment:outer.zip/note.txt": 1,
    }


def test_it_lists_but_does_not_open_archives_nested_past_the_depth_limit() -> None:
    inner = build.zip_of({"deep.txt": b"too deep"})
    outer = build.zip_of({"inner.zip": inner})
    parsed = send((outer, "outer.zip", "application/zip"), limits=Limits(max_depth=1))
    assert list(where(parsed)) == ["attachment:outer.zip", "attachment:outer.zip/inner.zip"]
    assert "attachment:outer.zip/inner.zip: archive nested more than 1 levels deep; its files not read" in (
        parsed.notes
    )


def test_a_zip_bomb_is_not_unpacked_and_is_named_in_a_note() -> None:
    bomb = build.zeros_zip("zeros.bin", 200 * 1024 * 1024)  # 200 MB of zeros in about 200 KB
    parsed = send((bomb, "big.zip", "application/zip"))
    attachment = only(parsed)
    assert attachment.size == len(bomb)
    assert attachment.text == "zeros.bin"
    (note,) = parsed.notes
    assert note.startswith("attachment:big.zip: zip bomb: 'zeros.bin' unpacks to 200 MB from 199")
    assert note.endswith("times, limit 100 times); not read")


def test_an_archive_over_the_unpacking_limit_is_not_unpacked() -> None:
    data = build.zip_of({"photos.raw": build.incompressible(300_000)})
    parsed = send((data, "photos.zip", "application/zip"), limits=Limits(max_unpacked_bytes=200_000))
    assert [a.where for a in parsed.attachments] == ["attachment:photos.zip"]
    assert "attachment:photos.zip: unpacks to 293 KB, over the limit of 195.3 KB; not read" in parsed.notes


def test_the_unpacking_limit_is_shared_by_the_whole_message() -> None:
    first = build.zip_of({"a.raw": build.incompressible(150_000)})
    second = build.zip_of({"b.raw": build.incompressible(150_000)})
    parsed = send(
        (first, "a.zip", "application/zip"),
        (second, "b.zip", "application/zip"),
        limits=Limits(max_unpacked_bytes=200_000),
    )
    assert "attachment:a.zip/a.raw" in where(parsed)
    assert "attachment:b.zip/b.raw" not in where(parsed)
    assert any(
        note.startswith("attachment:b.zip: unpacks to 146.5 KB, over the 48.8 KB left")
        for note in parsed.notes
    )


def test_a_word_file_that_is_a_zip_bomb_is_not_read() -> None:
    bomb = build.zeros_zip("word/document.xml", 5 * 1024 * 1024, extra={"[Content_Types].xml": b"<Types/>"})
    parsed = send((bomb, "letter.docx", DOCX))
    attachment = only(parsed)
    assert (attachment.real_type, attachment.text, attachment.type_mismatch) == ("docx", "", False)
    (note,) = parsed.notes
    assert note.startswith("attachment:letter.docx: zip bomb: 'word/document.xml' unpacks to 5 MB from ")


def test_a_damaged_attachment_is_listed_with_a_note_and_the_rest_is_read() -> None:
    damaged_pdf = build.pdf("lost")[:60]
    damaged_zip = build.zip_of({"a.txt": b"x" * 1000})[:-30]
    parsed = send(
        (damaged_pdf, "a.pdf", PDF),
        (damaged_zip, "b.zip", "application/zip"),
        (b"fine", "c.txt", "text/plain"),
    )
    found = where(parsed)
    assert set(found) == {"attachment:a.pdf", "attachment:b.zip", "attachment:c.txt"}
    assert found["attachment:c.txt"].text == "fine"
    assert any(note.startswith("attachment:a.pdf: damaged PDF") for note in parsed.notes)
    assert any(note.startswith("attachment:b.zip: damaged zip") for note in parsed.notes)


def test_an_attachment_over_the_size_limit_is_typed_but_not_read() -> None:
    parsed = send(
        (build.pdf("Card 4111 1111 1111 1111"), "big.pdf", PDF), limits=Limits(max_attachment_bytes=100)
    )
    attachment = only(parsed)
    assert (attachment.real_type, attachment.text) == ("pdf", "")
    assert any(
        note.startswith("attachment:big.pdf: ") and "over the 100 bytes limit" in note
        for note in parsed.notes
    )


def test_it_reads_only_the_first_members_of_a_large_archive_and_says_so() -> None:
    data = build.zip_of({f"note{i:03}.txt": b"note %d" % i for i in range(30)})
    parsed = send((data, "notes.zip", "application/zip"), limits=Limits(max_archive_members=10))
    members = [a.where for a in parsed.attachments if a.where.startswith("attachment:notes.zip/")]
    assert members == [f"attachment:notes.zip/note{i:03}.txt" for i in range(10)]
    assert "attachment:notes.zip: 30 files; only the first 10 read" in parsed.notes


def test_an_attachment_cut_short_by_the_message_size_limit_keeps_an_estimate_of_its_whole_size() -> None:
    video = build.incompressible(300_000)
    parsed = send((video, "video.mp4", "video/mp4"), limits=Limits(max_message_bytes=100_000))
    attachment = only(parsed)
    assert len(video) <= attachment.size < len(video) * 1.03  # errs on the large side, by little
    assert attachment.text == ""
    assert any(
        note.startswith("attachment:video.mp4: cut short by the message size limit; its size, about 29")
        for note in parsed.notes
    )


def test_archives_that_are_not_opened_are_named_and_media_is_not_reported_as_unread() -> None:
    parsed = send(
        (b"7z\xbc\xaf\x27\x1c" + bytes(100), "pupils.7z", OCTET),
        (b"\x00\x00\x00\x18ftypmp42" + bytes(100), "assembly.mp4", "video/mp4"),
        (b"\x00\x01\x02\x03" + bytes(100), "data.bin", OCTET),
    )
    assert parsed.notes == (
        "attachment:pupils.7z: 7-Zip archive, which is not opened; its files were not read",
        "attachment:data.bin: content of a type that is not read",
    )
