"""What the export commands share: finding the trust, and writing the CSV files the guards read so
that a guard never reads half a file or a bad one.

The relay and the Squid helper read the roster and the directory when they start, and may start at
any moment: the file is written next to its final name, flushed to disk, read back with the engine's
own reader (the guard would refuse a file that reader refuses, so it must never replace a good one),
then renamed over the old file in one step. A file whose content would not change is left alone, so
its modification time says when the people last changed.

A new file is readable by its owner only (it holds children's names and their parents' addresses);
a file being replaced keeps its permissions, as whoever set them up meant them.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from django.core.management.base import CommandError

from aupguard.engine.people import PeopleFileError, PeopleProblem
from aupguard.web.org.models import Trust

__all__ = ["trust_named", "write_csv_atomically", "written"]


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; elsewhere the rename is all there is)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_csv_atomically(
    path: Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[str]],
    check: Callable[[Path], object],
) -> bool:
    """Write `rows` under the header `columns` to `path`, UTF-8 with Unix line ends.

    `check` is called with the written temporary file before it replaces `path`; whatever it raises
    leaves `path` as it was. Returns False when `path` already held exactly this content.
    Raises OSError when the folder is missing or not writable.
    """
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    data = text.getvalue().encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    folder = path.parent
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            temporary.chmod(stat.S_IMODE(path.stat().st_mode))
        check(temporary)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(folder)
    return True


def trust_named(slug: str) -> Trust:
    trust = Trust.objects.filter(slug=slug).first()
    if trust is None:
        known = ", ".join(Trust.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
        raise CommandError(f"no trust {slug!r}; the trusts are: {known}")
    return trust


def written(
    out: Path, columns: tuple[str, ...], rows: list[list[str]], reader: Callable[[Path], object]
) -> bool:
    """Write the file atomically; a CommandError (never a traceback) for a folder or file that fails."""
    if not out.parent.is_dir():
        raise CommandError(f"cannot write {out}: there is no folder {out.parent}")
    try:
        return write_csv_atomically(out, columns, rows, reader)
    except PeopleFileError as exc:
        problems = "\n".join(str(PeopleProblem(str(out), p.line, p.field, p.message)) for p in exc.problems)
        raise CommandError(f"{out} was not written: the guards could not read it\n{problems}") from None
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None
