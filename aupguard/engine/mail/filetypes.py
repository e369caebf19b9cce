"""What a file really is, from its first bytes, and whether its name says otherwise.

`real_type` reads magic numbers, never the name or the declared Content-Type:

| real type | how it is recognised |
|---|---|
| ``pdf`` | ``%PDF-`` within the first 1,024 bytes (readers accept leading junk, so senders use it) |
| ``docx``, ``xlsx``, ``pptx`` | a zip with ``[Content_Types].xml`` and a word/, xl/ or ppt/ folder |
| ``zip`` | any other zip (``PK\\3\\4``, or ``PK\\5\\6`` for an empty one) |
| ``ole`` | an OLE compound file (``D0 CF 11 E0``): .doc/.xls/.ppt/.msg/.msi, and encrypted OOXML |
| ``png``, ``jpeg``, ``gif`` | their signatures |
| ``exe`` | ``MZ`` with a PE header, a DOS program (``MZ`` and binary), or an ELF program |
| ``text`` | no NUL byte (or a UTF-16 byte order mark) and at most 5% control characters in the first 8 KB |
| ``unknown`` | anything else (7-Zip, RAR, gzip, bzip2 and xz archives are named in a note, not opened) |

`type_mismatch` compares that with the filename's extension. Only a contradiction counts, so a name
with no extension or one not in the table never mismatches, and look-alikes that users make without
any intent to hide are accepted: any image format under any image extension, an OOXML file named .doc
(Word opens it), text or HTML named .xls or .doc (MIS exports do this), a docx named .zip. A
password-protected OOXML file is an OLE file by format, so ``ole`` under .docx/.xlsx/.pptx is accepted
when it is encrypted.

`ole_encryption` reads the compound file's directory (MS-CFB) to tell whether a file is encrypted:
an ``EncryptionInfo`` stream (an encrypted OOXML file, MS-OFFCRYPTO), the fEncrypted bit of a Word
97-2003 document's FIB (MS-DOC), or a FILEPASS record in an Excel 97-2003 workbook (MS-XLS).
Legacy PowerPoint encryption is not detected.
"""

from __future__ import annotations

import io
import struct
import zipfile

from aupguard.engine.mail.archives import declared_entries

__all__ = ["is_media", "ole_encryption", "real_type", "type_mismatch", "unopened_archive"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_BYTES = 8192
_MAX_ENTRIES_TO_TYPE = 10_000

_IMAGES = frozenset({"png", "jpeg", "gif"})
_ZIPS = frozenset({"zip", "docx", "xlsx", "pptx"})

#: extension -> the real types a file of that name may have.
_EXPECTED: dict[str, frozenset[str]] = {}
for _exts, _types in (
    (("pdf",), {"pdf"}),
    (("docx", "docm", "dotx", "dotm"), {"docx"}),
    (("xlsx", "xlsm", "xltx", "xltm"), {"xlsx"}),
    (("pptx", "pptm", "potx", "potm", "ppsx", "ppsm"), {"pptx"}),
    (("doc", "dot"), {"ole", "docx", "text"}),
    (("xls", "xlt"), {"ole", "xlsx", "text"}),
    (("ppt", "pps", "pot"), {"ole", "pptx"}),
    (("msg", "msi", "pub", "vsd"), {"ole"}),
    (("zip", "odt", "ods", "odp", "epub", "jar", "apk"), set(_ZIPS)),
    (("png", "jpg", "jpeg", "jpe", "jfif", "gif"), set(_IMAGES)),
    (("exe", "dll", "scr", "com", "cpl", "sys", "efi"), {"exe"}),
    (("txt", "csv", "tsv", "log", "md", "htm", "html", "xml", "json", "ics", "vcf", "rtf", "eml"), {"text"}),
):
    for _ext in _exts:
        _EXPECTED[_ext] = frozenset(_types)
_OOXML_EXTENSIONS = frozenset(
    ext for ext, types in _EXPECTED.items() if types & {"docx", "xlsx", "pptx"} and "ole" not in types
)


def _zip_kind(data: bytes) -> str:
    entries = declared_entries(data)
    if entries is not None and entries > _MAX_ENTRIES_TO_TYPE:
        return "zip"  # listing a huge directory to tell docx from zip is not worth the time
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except Exception:  # a damaged zip is still a zip by its signature
        return "zip"
    if "[Content_Types].xml" not in names:
        return "zip"
    for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(name.startswith(prefix) for name in names):
            return kind
    return "zip"


def _is_pe(data: bytes) -> bool:
    if len(data) < 0x40:
        return False
    (offset,) = struct.unpack_from("<I", data, 0x3C)
    return 0x40 <= offset <= len(data) - 4 and data[offset : offset + 4] == b"PE\0\0"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\0" in head:
        return False
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\f\x1a\x1b")
    return controls * 20 <= len(head)


def real_type(data: bytes) -> str:
    """The type of `data` from its content: one of the real types in the module's table."""
    head = data[:_SNIFF_BYTES]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"\x7fELF") or (
        head.startswith(b"MZ") and (_is_pe(data) or not _looks_like_text(head))
    ):
        return "exe"
    if not head or _looks_like_text(head):
        return "text"
    return "unknown"


_ARCHIVE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
)
_MEDIA_EXTENSIONS = frozenset(
    {"mp4", "m4v", "mov", "avi", "wmv", "mkv", "webm", "3gp", "mp3", "m4a", "wav", "wma", "aac", "ogg",
     "flac", "heic", "heif", "webp", "bmp", "tif", "tiff", "ico"}
)  # fmt: skip


def unopened_archive(data: bytes) -> str:
    """The name of an archive format that is recognised but not opened here ("" for none)."""
    for magic, name in _ARCHIVE_MAGIC:
        if data.startswith(magic):
            return name
    return ""


def is_media(declared_type: str, filename: str) -> bool:
    """Whether a file says it is a picture, sound or video, whose content holds no text to read."""
    return (
        declared_type.split("/", 1)[0] in ("image", "audio", "video")
        or extension(filename) in _MEDIA_EXTENSIONS
    )


def extension(filename: str) -> str:
    """The lower-case extension of `filename` ("" when it has none)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base.strip("."):
        return ""
    return base.rsplit(".", 1)[-1].strip().lower()


def type_mismatch(filename: str, real: str, *, encrypted: bool) -> bool:
    """Whether a file named `filename` whose content is of type `real` contradicts its name."""
    expected = _EXPECTED.get(extension(filename))
    if expected is None or real in expected:
        return False
    return not (real == "ole" and encrypted and extension(filename) in _OOXML_EXTENSIONS)


# --- OLE compound files (MS-CFB) -------------------------------------------------------------------

_FREE_OR_END = 0xFFFFFFFA  # sector numbers at or above this are markers, not sectors
_MAX_CHAIN = 1 << 20  # no valid chain is longer than a 4 GB file of 4 KB sectors


class _Ole:
    """Just enough of a compound file to list its streams and read a big one. Raises ValueError."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(OLE_MAGIC) or len(data) < 512:
            raise ValueError("not an OLE file")
        self.data = data
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("bad sector size")
        self.sector_size = 1 << shift
        self.mini_cutoff = struct.unpack_from("<I", data, 0x38)[0]
        fat_sectors = self._difat(
            struct.unpack_from("<I", data, 0x44)[0], struct.unpack_from("<I", data, 0x48)[0]
        )
        fat = b"".join(self._sector(s) for s in fat_sectors)
        self.fat = struct.unpack(f"<{len(fat) // 4}I", fat[: len(fat) // 4 * 4])
        directory = self._read_chain(struct.unpack_from("<I", data, 0x30)[0])
        self.entries: dict[str, tuple[int, int]] = {}
        for at in range(0, len(directory) - 127, 128):
            name_len = struct.unpack_from("<H", directory, at + 64)[0]
            kind = directory[at + 66]
            if kind == 2 and 2 <= name_len <= 64:  # a stream
                name = directory[at : at + name_len - 2].decode("utf-16-le", errors="replace")
                start, size = struct.unpack_from("<IQ", directory, at + 116)
                self.entries.setdefault(name, (start, size & 0xFFFFFFFF if self.sector_size == 512 else size))

    def _sector(self, number: int) -> bytes:
        at = (number + 1) * self.sector_size
        if number >= _FREE_OR_END or at + self.sector_size > len(self.data):
            raise ValueError("sector out of range")
        return self.data[at : at + self.sector_size]

    def _difat(self, first: int, count: int) -> list[int]:
        header = struct.unpack_from("<109I", self.data, 0x4C)
        sectors = [s for s in header if s < _FREE_OR_END]
        per_sector = self.sector_size // 4 - 1
        seen: set[int] = set()
        while first < _FREE_OR_END and count > 0 and first not in seen:
            seen.add(first)
            values = struct.unpack(f"<{per_sector + 1}I", self._sector(first))
            sectors.extend(s for s in values[:per_sector] if s < _FREE_OR_END)
            first = values[per_sector]
            count -= 1
        return sectors

    def _read_chain(self, start: int, limit: int | None = None) -> bytes:
        out: list[bytes] = []
        seen: set[int] = set()
        sector = start
        total = 0
        while sector < _FREE_OR_END and len(seen) < _MAX_CHAIN:
            if sector in seen or sector >= len(self.fat):
                raise ValueError("broken sector chain")
            seen.add(sector)
            out.append(self._sector(sector))
            total += self.sector_size
            if limit is not None and total >= limit:
                break
            sector = self.fat[sector]
        return b"".join(out)

    def stream_head(self, name: str, length: int) -> bytes:
        """The first `length` bytes of a stream stored in regular sectors ("" if absent or small)."""
        entry = self.entries.get(name)
        if entry is None or entry[1] < self.mini_cutoff:
            return b""
        return self._read_chain(entry[0], min(length, entry[1]))[: min(length, entry[1])]


def _word_encrypted(ole: _Ole) -> bool:
    fib = ole.stream_head("WordDocument", 32)
    if len(fib) < 12 or struct.unpack_from("<H", fib, 0)[0] != 0xA5EC:
        return False
    return bool(struct.unpack_from("<H", fib, 0x0A)[0] & 0x0100)  # FibBase.fEncrypted


def _excel_encrypted(ole: _Ole) -> bool:
    stream = ole.stream_head("Workbook", 4096) or ole.stream_head("Book", 4096)
    at = 0
    for _ in range(64):  # FILEPASS comes straight after the globals' BOF, in the first few records
        if at + 4 > len(stream):
            return False
        record, length = struct.unpack_from("<HH", stream, at)
        if record == 0x002F:
            return True
        if record == 0x0809 and at > 0:  # the next substream's BOF: no FILEPASS in the globals
            return False
        at += 4 + length
    return False


def ole_encryption(data: bytes) -> str:
    """How an OLE file is encrypted: "ooxml", "doc", "xls", "" (not encrypted), or "unreadable"."""
    try:
        ole = _Ole(data)
        if "EncryptionInfo" in ole.entries or "EncryptedPackage" in ole.entries:
            return "ooxml"
        if _word_encrypted(ole):
            return "doc"
        if _excel_encrypted(ole):
            return "xls"
    except (ValueError, struct.error, IndexError):
        return "unreadable"
    return ""
