"""Zip archives opened with bounds: their members, which are password-protected, and zip bombs.

Office files (docx, xlsx, pptx) are zips too, so the same checks run before python-docx or openpyxl
read one. Nothing here unpacks a byte before the archive's central directory has been judged:

- the number of entries is read from the end-of-central-directory record first, so a directory of a
  million tiny entries is refused without being parsed;
- the sizes the directory declares bound the work, because `zipfile` stops every member at its
  declared size (a member that lies about its size fails its CRC instead of growing);
- an archive is a **zip bomb** when a member over 1 MB unpacks to more than the ratio limit times
  its packed size; it is **too large** when its members add up to more than the unpacking budget
  left for the message. Either way it is not opened, and the caller says so in a note.

A member is password-protected when bit 0 of its general-purpose flags is set (traditional
PKWARE encryption and WinZip AES alike, APPNOTE.TXT 4.4.4).
"""

from __future__ import annotations

import io
import struct
import zipfile

from aupguard.engine.mail.limits import human_size

__all__ = ["ZipTrouble", "bomb_problem", "declared_entries", "is_encrypted", "open_zip", "read_member"]

#: Below this size a high compression ratio is ordinary (a page of repeated text compresses 100:1).
RATIO_FLOOR_BYTES = 1024 * 1024
#: The end-of-central-directory record: signature and fixed part (APPNOTE.TXT 4.3.16).
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22


class ZipTrouble(ValueError):
    """An archive that cannot be opened, with a reason fit for a note."""


def declared_entries(data: bytes) -> int | None:
    """The entry count an archive's end-of-central-directory record declares (None if there is none)."""
    at = data.rfind(_EOCD, max(0, len(data) - 65_557))  # the record ends the file, after a comment
    if at < 0 or at + _EOCD_SIZE > len(data):
        return None
    return int(struct.unpack_from("<H", data, at + 10)[0])


def open_zip(data: bytes, *, max_entries: int) -> zipfile.ZipFile:
    """The archive in `data`, its directory read. Raises `ZipTrouble` when it cannot be used."""
    entries = declared_entries(data)
    if entries is not None and entries > max_entries:
        raise ZipTrouble(f"{entries} entries, more than the {max_entries} that may be listed")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, and ValueError/OverflowError/... on crafted directories
        raise ZipTrouble(f"damaged zip ({type(exc).__name__})") from None
    if len(archive.infolist()) > max_entries:
        archive.close()
        raise ZipTrouble(f"more than {max_entries} entries")
    return archive


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    """Whether the member needs a password (general-purpose flag bit 0)."""
    return bool(info.flag_bits & 0x1)


def bomb_problem(infos: list[zipfile.ZipInfo], *, budget: int, limit: int, max_ratio: int) -> str:
    """Why the members in `infos` must not be unpacked ("" when they may be).

    `budget` is what is left of the message's unpacking limit `limit`.
    """
    for info in infos:
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            return (
                f"zip bomb: {info.filename!r} unpacks to {human_size(info.file_size)} from "
                f"{human_size(info.compress_size)} ({ratio} times, limit {max_ratio} times)"
            )
    total = sum(info.file_size for info in infos)
    if total > budget:
        if budget >= limit:
            return f"unpacks to {human_size(total)}, over the limit of {human_size(limit)}"
        return (
            f"unpacks to {human_size(total)}, over the {human_size(budget)} left of the "
            f"{human_size(limit)} unpacking limit for one message"
        )
    return ""


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int) -> bytes:
    """At most `max_bytes` of a member. Raises `ZipTrouble` when it cannot be unpacked."""
    try:
        with archive.open(info) as member:
            return member.read(max_bytes)
    except Exception as exc:  # bad CRC, unsupported compression, damaged deflate stream ...
        raise ZipTrouble(f"could not be unpacked ({type(exc).__name__})") from None
