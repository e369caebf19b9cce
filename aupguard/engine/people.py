"""The pupils roster and the staff directory: the two CSV files a school already has, as plain data.

DESIGN.md, "Command line", fixes the columns (names are the contract; extra columns are ignored):

- pupils roster: ``upn,first_name,last_name,preferred_name,year_group,school,contact_emails``, as
  exported from a school MIS; ``upn``, ``first_name`` and ``last_name`` are required;
- staff directory: ``email,first_name,last_name,roles,school,line_manager,start_date,leave_date,
  personal_email,personal_mobile,account_kind``; ``email``, ``first_name`` and ``last_name`` are
  required, and the names may be blank only for a ``group`` or ``generic_inbound`` account.

What the files look like in practice, and what is accepted:

- UTF-8 with or without a byte order mark (Excel's "CSV UTF-8" writes one); a file that is not UTF-8
  is read as Windows-1252 (what older MIS exports write); UTF-16 with a byte order mark (Excel's
  "Unicode text") is read too;
- column names in any case, with surrounding spaces; values trimmed of surrounding whitespace, and
  runs of whitespace inside a name made one space; rows whose cells are all blank are skipped;
- lists (``contact_emails``, ``roles``) separated by ``;``, blank items dropped, repeats removed;
- dates as ``YYYY-MM-DD`` or, as UK MIS exports write them, ``DD/MM/YYYY``;
- email addresses lower-cased (the directory is looked up by lower-cased address), role keys
  lower-cased, UPNs upper-cased.

A file that cannot be used never gives a traceback: `read_roster` and `read_directory` raise
`PeopleFileError`, whose message has one line per problem naming the file, the line, the field and
what was expected (``staff.csv:7: leave_date: expected a date YYYY-MM-DD, got '31/13/2026'``). Every
problem in the file is reported at once, so a file is fixed in one pass.

Each `Roster` and `Directory` carries the sha256 of the file's bytes: a decision records which roster
and directory it was made with (STYLE.md, habit 4).

Latency budget: read once when a guard or command starts, never per message; a 2,000-pupil roster
loads in about 20 ms (measured when written).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "ACCOUNT_KINDS",
    "DIRECTORY_COLUMNS",
    "DIRECTORY_REQUIRED",
    "ROSTER_COLUMNS",
    "ROSTER_REQUIRED",
    "Directory",
    "PeopleFileError",
    "PeopleProblem",
    "Pupil",
    "Roster",
    "StaffMember",
    "parse_date",
    "read_directory",
    "read_roster",
]

ROSTER_COLUMNS: tuple[str, ...] = (
    "upn",
    "first_name",
    "last_name",
    "preferred_name",
    "year_group",
    "school",
    "contact_emails",
)
ROSTER_REQUIRED: tuple[str, ...] = ("upn", "first_name", "last_name")

DIRECTORY_COLUMNS: tuple[str, ...] = (
    "email",
    "first_name",
    "last_name",
    "roles",
    "school",
    "line_manager",
    "start_date",
    "leave_date",
    "personal_email",
    "personal_mobile",
    "account_kind",
)
DIRECTORY_REQUIRED: tuple[str, ...] = ("email", "first_name", "last_name")

#: What a directory account can be. These strings are stored keys: add kinds, never rename them.
ACCOUNT_KINDS: tuple[str, ...] = ("person", "group", "generic_inbound")


# --- the data ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pupil:
    """One roster row. `upn` is upper-case; `contact_emails` are lower-case, in file order."""

    upn: str
    first_name: str
    last_name: str
    preferred_name: str = ""
    year_group: str = ""
    school: str = ""
    contact_emails: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StaffMember:
    """One directory row. Addresses are lower-case; `roles` are lower-case pack role keys."""

    email: str
    first_name: str
    last_name: str
    roles: tuple[str, ...] = ()
    school: str = ""
    line_manager: str = ""
    start_date: date | None = None
    leave_date: date | None = None
    personal_email: str = ""
    personal_mobile: str = ""
    account_kind: str = "person"

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]


@dataclass(frozen=True)
class Roster:
    """The pupils of a roster file, in file order, with the file's sha256 and lookups."""

    pupils: tuple[Pupil, ...]
    sha256: str = ""
    source: str = ""
    _by_upn: Mapping[str, Pupil] = field(init=False, repr=False, compare=False)
    _by_contact: Mapping[str, tuple[Pupil, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_contact: dict[str, list[Pupil]] = {}
        for pupil in self.pupils:
            for address in pupil.contact_emails:
                by_contact.setdefault(address.lower(), []).append(pupil)
        object.__setattr__(self, "_by_upn", MappingProxyType({p.upn.upper(): p for p in self.pupils}))
        object.__setattr__(
            self, "_by_contact", MappingProxyType({k: tuple(v) for k, v in by_contact.items()})
        )

    def __len__(self) -> int:
        return len(self.pupils)

    def __iter__(self) -> Iterator[Pupil]:
        return iter(self.pupils)

    def get(self, upn: str) -> Pupil | None:
        """The pupil with this UPN (any case), or None."""
        return self._by_upn.get(upn.strip().upper())

    def pupils_with_contact(self, address: str) -> tuple[Pupil, ...]:
        """Every pupil whose contact_emails include `address` (any case), in file order."""
        return self._by_contact.get(address.strip().lower(), ())

    @property
    def contact_emails(self) -> frozenset[str]:
        """Every contact address in the roster, lower-case."""
        return frozenset(self._by_contact)


@dataclass(frozen=True)
class Directory:
    """The accounts of a staff directory file, in file order, with the file's sha256 and lookups."""

    staff: tuple[StaffMember, ...]
    sha256: str = ""
    source: str = ""
    _by_email: Mapping[str, StaffMember] = field(init=False, repr=False, compare=False)
    _domains: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_email", MappingProxyType({s.email.lower(): s for s in self.staff}))
        object.__setattr__(self, "_domains", frozenset(s.domain.lower() for s in self.staff))

    def __len__(self) -> int:
        return len(self.staff)

    def __iter__(self) -> Iterator[StaffMember]:
        return iter(self.staff)

    def get(self, address: str) -> StaffMember | None:
        """The account with this address (any case), or None."""
        return self._by_email.get(address.strip().lower())

    @property
    def domains(self) -> frozenset[str]:
        """The domains of the directory's accounts (lower-case): DESIGN.md's internal domains."""
        return self._domains

    def is_internal(self, address: str) -> bool:
        """True when `address` is at one of the directory's domains."""
        return address.strip().rpartition("@")[2].lower() in self._domains


# --- problems ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeopleProblem:
    """One problem in a roster or directory file. `line` is 0 when the file could not be read."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        parts = [f"{self.file}:{self.line}" if self.line else self.file]
        if self.field:
            parts.append(self.field)
        return ": ".join(parts) + f": {self.message}"


class PeopleFileError(Exception):
    """A roster or directory file that cannot be used; `problems` lists every problem, in file order."""

    def __init__(self, problems: Iterable[PeopleProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- reading the file ----------------------------------------------------------------------------

_MAX_SHOWN = 60  # a value quoted back in a message is cut to this many characters


def _shown(value: str) -> str:
    if len(value) > _MAX_SHOWN:
        value = value[: _MAX_SHOWN - 1] + "…"
    return repr(value)


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1252": "UTF-8 or Windows-1252"}


def _decode(raw: bytes, file: str) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = 0 if encoding == "utf-16" else _line_of(raw, exc.start)
        message = (
            f"not {_ENCODING_NAMES[encoding]} text (byte 0x{raw[exc.start]:02X}); save the file as CSV UTF-8"
        )
        raise PeopleFileError([PeopleProblem(file, line, "", message)]) from None


@dataclass(frozen=True, slots=True)
class _Table:
    file: str
    sha256: str
    rows: tuple[tuple[int, dict[str, str]], ...]  # (line, cells by column name)


def _read_table(path: str | Path, required: tuple[str, ...], known: tuple[str, ...]) -> _Table:
    """The file's data rows with their line numbers; raises PeopleFileError for an unusable header."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise PeopleFileError([PeopleProblem(file, 0, "", "file not found")]) from None
    except IsADirectoryError:
        raise PeopleFileError([PeopleProblem(file, 0, "", "is a folder, expected a CSV file")]) from None
    except OSError as exc:
        raise PeopleFileError([PeopleProblem(file, 0, "", f"cannot read: {exc.strerror}")]) from None
    sha256 = hashlib.sha256(raw).hexdigest()
    text = _decode(raw, file)

    problems: list[PeopleProblem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    columns: list[str] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(PeopleProblem(file, line, "", f"not valid CSV ({exc})"))
            break
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = cells
            columns = [cell.strip().lower() for cell in cells]
            problems.extend(_header_problems(file, line, columns, cells, required))
            if problems:
                break
            continue
        if len(cells) > len(columns):
            problems.append(
                PeopleProblem(
                    file,
                    line,
                    "",
                    f"expected {len(columns)} values as in the header, found {len(cells)} "
                    "(a value with a comma in it must be in double quotes)",
                )
            )
            continue
        row = {col: cell for col, cell in zip(columns, cells, strict=False) if col in known}
        rows.append((line, row))
    if header is None and not problems:
        problems.append(
            PeopleProblem(
                file,
                1,
                "header",
                f"the file is empty; expected a header row with the columns {', '.join(required)}",
            )
        )
    if problems:
        raise PeopleFileError(problems)
    return _Table(file, sha256, tuple(rows))


def _header_problems(
    file: str, line: int, columns: list[str], cells: list[str], required: tuple[str, ...]
) -> list[PeopleProblem]:
    problems: list[PeopleProblem] = []
    seen: set[str] = set()
    for col in columns:
        if col and col in seen:
            problems.append(PeopleProblem(file, line, "header", f"column {col!r} appears more than once"))
        seen.add(col)
    missing = [col for col in required if col not in seen]
    if missing:
        found = ", ".join(repr(c.strip()) for c in cells if c.strip()) or "none"
        hint = ""
        if len(cells) == 1 and (";" in cells[0] or "\t" in cells[0]):
            sep = "';'" if ";" in cells[0] else "tabs"
            hint = f" (the columns seem to be separated by {sep}; expected commas)"
        names = ", ".join(repr(c) for c in missing)
        problems.append(
            PeopleProblem(
                file,
                line,
                "header",
                f"missing required column{'s' if len(missing) > 1 else ''} {names}; "
                f"the columns found are {found}{hint}",
            )
        )
    return problems


# --- values --------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
_ROLE = re.compile(r"[a-z][a-z0-9_]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_date(value: str) -> date | None:
    """`value` as a date when written YYYY-MM-DD or DD/MM/YYYY (D/M/YYYY too); None otherwise."""
    value = value.strip()
    if m := _ISO_DATE.fullmatch(value):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _UK_DATE.fullmatch(value):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _is_email(value: str) -> bool:
    return len(value) <= 254 and _EMAIL.fullmatch(value) is not None


def _in_file_order(problems: list[PeopleProblem], columns: tuple[str, ...]) -> list[PeopleProblem]:
    """By line, then by the column's place in the contract (a row's fields are read in another order)."""
    place = {column: i for i, column in enumerate(columns)}
    return sorted(problems, key=lambda p: (p.line, place.get(p.field, -1)))


class _Row:
    """One data row's cells, read field by field; every problem is added to `problems`."""

    def __init__(self, file: str, line: int, cells: dict[str, str], problems: list[PeopleProblem]) -> None:
        self.file = file
        self.line = line
        self.cells = cells
        self.problems = problems
        for column, value in cells.items():
            bad = _CONTROL.search(value)
            if bad:
                self.problem(column, f"expected text, found the control character 0x{ord(bad.group()):02X}")

    def problem(self, column: str, message: str) -> None:
        self.problems.append(PeopleProblem(self.file, self.line, column, message))

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def name(self, column: str, *, required: bool) -> str:
        value = _SPACES.sub(" ", self.text(column))
        if required and not value:
            self.problem(column, "expected a name, got an empty value")
        return value

    def email(self, column: str, *, required: bool, what: str = "an email address") -> str:
        value = self.text(column)
        if not value:
            if required:
                self.problem(column, f"expected {what}, got an empty value")
            return ""
        if not _is_email(value):
            self.problem(column, f"expected {what}, got {_shown(value)}")
            return ""
        return value.lower()

    def emails(self, column: str) -> tuple[str, ...]:
        value = self.text(column)
        found: list[str] = []
        for part in value.split(";"):
            item = part.strip()
            if not item:
                continue
            if not _is_email(item):
                if "," in item and all(_is_email(part.strip()) for part in item.split(",") if part.strip()):
                    self.problem(column, f"expected email addresses separated by ';', got {_shown(item)}")
                else:
                    self.problem(column, f"expected an email address, got {_shown(item)}")
                continue
            address = item.lower()
            if address not in found:
                found.append(address)
        return tuple(found)

    def date(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(column, f"expected a date YYYY-MM-DD, got {_shown(value)}")
        return parsed


# --- the roster ----------------------------------------------------------------------------------


def read_roster(path: str | Path) -> Roster:
    """Read a pupils roster CSV. Raises PeopleFileError listing every problem in the file."""
    table = _read_table(path, ROSTER_REQUIRED, ROSTER_COLUMNS)
    problems: list[PeopleProblem] = []
    pupils: list[Pupil] = []
    first_line: dict[str, int] = {}
    for line, cells in table.rows:
        row = _Row(table.file, line, cells, problems)
        upn = row.text("upn").upper()
        if not upn:
            row.problem("upn", "expected a Unique Pupil Number, got an empty value")
        elif any(ch.isspace() for ch in upn):
            row.problem("upn", "expected a Unique Pupil Number without spaces")
        elif upn in first_line:
            row.problem("upn", f"the same UPN is already on line {first_line[upn]}")
        else:
            first_line[upn] = line
        pupils.append(
            Pupil(
                upn=upn,
                first_name=row.name("first_name", required=True),
                last_name=row.name("last_name", required=True),
                preferred_name=row.name("preferred_name", required=False),
                year_group=row.text("year_group"),
                school=row.text("school"),
                contact_emails=row.emails("contact_emails"),
            )
        )
    if problems:
        raise PeopleFileError(_in_file_order(problems, ROSTER_COLUMNS))
    return Roster(tuple(pupils), sha256=table.sha256, source=table.file)


# --- the directory -------------------------------------------------------------------------------


def _account_kind(row: _Row) -> str | None:
    """The account kind (person when blank), or None when it is not one of ACCOUNT_KINDS."""
    value = row.text("account_kind").lower()
    if not value:
        return "person"
    if value not in ACCOUNT_KINDS:
        row.problem(
            "account_kind",
            f"expected one of {', '.join(ACCOUNT_KINDS)}, got {_shown(row.text('account_kind'))}",
        )
        return None
    return value


def _roles(row: _Row) -> tuple[str, ...]:
    roles: list[str] = []
    for item in row.text("roles").split(";"):
        role = item.strip().lower()
        if not role:
            continue
        if not _ROLE.fullmatch(role):
            hint = "; separate roles with ';'" if "," in role else ""
            row.problem(
                "roles", f"expected role keys such as staff or line_manager, got {_shown(item.strip())}{hint}"
            )
            continue
        if role not in roles:
            roles.append(role)
    return tuple(roles)


def _mobile(row: _Row) -> str:
    value = row.text("personal_mobile")
    if not value:
        return ""
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.fullmatch(value) or not 10 <= digits <= 15:
        row.problem("personal_mobile", f"expected a phone number, got {_shown(value)}")
        return ""
    return value


def read_directory(path: str | Path) -> Directory:
    """Read a staff directory CSV. Raises PeopleFileError listing every problem in the file."""
    table = _read_table(path, DIRECTORY_REQUIRED, DIRECTORY_COLUMNS)
    problems: list[PeopleProblem] = []
    staff: list[StaffMember] = []
    first_line: dict[str, int] = {}
    for line, cells in table.rows:
        row = _Row(table.file, line, cells, problems)
        email = row.email("email", required=True)
        if email in first_line:
            row.problem("email", f"the same address is already on line {first_line[email]}")
        elif email:
            first_line[email] = line
        kind = _account_kind(row)
        # A shared mailbox has no person's name; a person's account must have one. When the kind
        # itself is wrong, that is the one problem reported for the row's names.
        names_required = kind == "person"
        first_name = row.name("first_name", required=names_required)
        last_name = row.name("last_name", required=names_required)
        roles = _roles(row)
        school = row.text("school")
        line_manager = row.email("line_manager", required=False, what="the line manager's email address")
        start = row.date("start_date")
        leave = row.date("leave_date")
        if start is not None and leave is not None and leave < start:
            row.problem(
                "leave_date",
                f"expected a date on or after start_date {start.isoformat()}, "
                f"got {_shown(row.text('leave_date'))}",
            )
        staff.append(
            StaffMember(
                email=email,
                first_name=first_name,
                last_name=last_name,
                roles=roles,
                school=school,
                line_manager=line_manager,
                start_date=start,
                leave_date=leave,
                personal_email=row.email("personal_email", required=False),
                personal_mobile=_mobile(row),
                account_kind=kind or "person",
            )
        )
    if problems:
        raise PeopleFileError(_in_file_order(problems, DIRECTORY_COLUMNS))
    return Directory(tuple(staff), sha256=table.sha256, source=table.file)
