"""Reading the pupils roster and the staff directory: the files schools export, and clear errors."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from aupguard.engine.people import (
    Directory,
    PeopleFileError,
    Pupil,
    Roster,
    StaffMember,
    parse_date,
    read_directory,
    read_roster,
)
from tests.conftest import DATA

ROSTER = DATA / "rosters" / "pupils.csv"
DIRECTORY = DATA / "directories" / "staff.csv"
BROKEN_DIRECTORY = DATA / "directories" / "staff_broken.csv"

ROSTER_HEADER = "upn,first_name,last_name,preferred_name,year_group,school,contact_emails\n"
DIRECTORY_HEADER = (
    "email,first_name,last_name,roles,school,line_manager,start_date,leave_date,"
    "personal_email,personal_mobile,account_kind\n"
)


def problems_of(read: Callable[[Path], object], path: Path) -> list[str]:
    with pytest.raises(PeopleFileError) as caught:
        read(path)
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return [str(p) for p in caught.value.problems]


# --- the roster ----------------------------------------------------------------------------------


def test_it_reads_the_roster() -> None:
    roster = read_roster(ROSTER)
    assert len(roster) == 18
    assert roster.sha256 == hashlib.sha256(ROSTER.read_bytes()).hexdigest()
    assert roster.source == str(ROSTER)
    assert roster.pupils[0] == Pupil(
        upn="Z937400119101",
        first_name="Olivia",
        last_name="Bennett",
        preferred_name="",
        year_group="9",
        school="Northfield School",
        contact_emails=("k.bennett@example.com", "mark.bennett@example.net"),
    )
    names = {(p.first_name, p.last_name, p.preferred_name) for p in roster}
    assert ("Zoë", "Ashworth", "") in names
    assert ("Anne-Marie", "O'Neill", "") in names
    assert ("Daniel", "van der Berg", "Dan") in names
    assert ("Łukasz", "Wiśniewski", "Luke") in names
    assert ("Grace", "O’Connor", "") in names


def test_it_looks_pupils_up_by_upn_and_contact() -> None:
    roster = read_roster(ROSTER)
    pupil = roster.get("n937400119102")
    assert pupil is not None
    assert pupil.first_name == "Zoë"
    assert roster.get("A000000000000") is None
    siblings = roster.pupils_with_contact("  S.Smith@Example.com ")
    assert [p.upn for p in siblings] == ["G937400122108", "K937400120110"]
    assert roster.pupils_with_contact("nobody@example.com") == ()
    chloe = roster.get("Z937400122113")
    assert chloe is not None
    assert chloe.contact_emails == ("dubois@example.fr", "martin@example.com")
    assert "mark.bennett@example.net" in roster.contact_emails


def test_it_is_immutable() -> None:
    roster = read_roster(ROSTER)
    with pytest.raises(AttributeError):
        roster.pupils[0].first_name = "Bob"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        roster.sha256 = "x"  # type: ignore[misc]


def test_it_reads_a_roster_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    path.write_bytes(codecs.BOM_UTF8 + ROSTER.read_bytes())
    roster = read_roster(path)
    assert roster.pupils == read_roster(ROSTER).pupils
    assert roster.sha256 != read_roster(ROSTER).sha256  # the bytes differ, so the record does too


def test_it_reads_a_windows_1252_roster(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    text = (
        ROSTER_HEADER
        + "R937400120114,Zoë,O’Brien,,8,Northfield School,\r\nH937400118115,Renée,Côté,,10,,\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    roster = read_roster(path)
    assert [(p.first_name, p.last_name) for p in roster] == [("Zoë", "O’Brien"), ("Renée", "Côté")]


def test_it_reads_a_utf16_roster_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    path.write_bytes((ROSTER_HEADER + "R937400120114,Siân,Pritchard,,8,,\n").encode("utf-16"))
    assert [p.first_name for p in read_roster(path)] == ["Siân"]


def test_it_accepts_what_exports_do(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    path.write_text(
        " Last_Name , UPN ,First_Name,Gender\r\n"
        "\r\n"
        "  Smith ,  r937400120114 ,  Mary   Jo ,F\r\n"
        ",,,\r\n"
        '"O\'Neill",H937400118115,"Anne-Marie",F\r\n',
        encoding="utf-8",
    )
    roster = read_roster(path)
    assert [(p.upn, p.first_name, p.last_name) for p in roster] == [
        ("R937400120114", "Mary Jo", "Smith"),
        ("H937400118115", "Anne-Marie", "O'Neill"),
    ]
    assert roster.pupils[0].preferred_name == ""
    assert roster.pupils[0].contact_emails == ()


def test_it_makes_one_space_of_the_spaces_inside_a_name(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    path.write_text(ROSTER_HEADER + 'R937400120114,"Mary\n  Jo",  van  der Berg ,,,,\n', encoding="utf-8")
    [pupil] = read_roster(path)
    assert (pupil.first_name, pupil.last_name) == ("Mary Jo", "van der Berg")


def test_it_builds_a_roster_from_plain_rows() -> None:
    roster = Roster((Pupil("R937400120114", "Jo", "Smith", contact_emails=("a@example.com",)),))
    assert roster.get("R937400120114") is not None
    assert roster.pupils_with_contact("A@example.com")[0].last_name == "Smith"


# --- the directory -------------------------------------------------------------------------------


def test_it_reads_the_directory() -> None:
    directory = read_directory(DIRECTORY)
    assert len(directory) == 8
    assert directory.sha256 == hashlib.sha256(DIRECTORY.read_bytes()).hexdigest()
    rachel = directory.get("R.Thompson@northfield.example.org")
    assert rachel == StaffMember(
        email="r.thompson@northfield.example.org",
        first_name="Rachel",
        last_name="Thompson",
        roles=("staff", "senior_leader", "line_manager"),
        school="Northfield School",
        line_manager="h.okafor@northfield.example.org",
        start_date=date(2015, 9, 1),
        leave_date=None,
        personal_email="rachel.thompson84@example.com",
        personal_mobile="07700 900123",
        account_kind="person",
    )


def test_it_normalises_directory_values() -> None:
    directory = read_directory(DIRECTORY)
    david = directory.get("d.hughes@northfield.example.org")
    assert david is not None
    assert david.email == "d.hughes@northfield.example.org"  # written D.Hughes@Northfield...
    assert david.roles == ("staff", "dpl")
    assert david.account_kind == "person"  # blank means a person
    helen = directory.get("h.okafor@northfield.example.org")
    assert helen is not None
    assert helen.start_date == date(2012, 9, 1)  # written 01/09/2012
    jas = directory.get("j.patel@northfield.example.org")
    assert jas is not None
    assert jas.leave_date == date(2026, 7, 31)  # written 31/07/2026
    office = directory.get("office@northfield.example.org")
    assert office is not None
    assert (office.account_kind, office.first_name, office.last_name) == ("generic_inbound", "", "")
    team = directory.get("year8team@northfield.example.org")
    assert team is not None
    assert team.account_kind == "group"
    malgorzata = directory.get("m.kowalska@northfield.example.org")
    assert malgorzata is not None
    assert malgorzata.first_name == "Małgorzata"


def test_it_knows_the_directory_domains() -> None:
    directory = read_directory(DIRECTORY)
    assert directory.domains == frozenset({"northfield.example.org", "southfield.example.org"})
    assert directory.is_internal("Someone@Southfield.example.org")
    assert not directory.is_internal("rachel.thompson84@example.com")  # a personal address
    assert directory.get("nobody@northfield.example.org") is None


def test_it_builds_a_directory_from_plain_rows() -> None:
    directory = Directory((StaffMember("a.b@school.example", "Ann", "Bee"),))
    assert directory.domains == frozenset({"school.example"})


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-07-31", date(2026, 7, 31)),
        ("31/07/2026", date(2026, 7, 31)),
        ("1/9/2025", date(2025, 9, 1)),
        (" 2024-02-29 ", date(2024, 2, 29)),
        ("31/13/2026", None),
        ("2026-02-30", None),
        ("2023-02-29", None),
        ("07/31/2026", None),  # US order
        ("31/07/26", None),  # two-digit year
        ("2026/07/31", None),
        ("31 July 2026", None),
        ("", None),
    ],
)
def test_it_parses_dates(written: str, expected: date | None) -> None:
    assert parse_date(written) == expected


# --- errors --------------------------------------------------------------------------------------


def test_it_reports_every_problem_of_a_broken_directory() -> None:
    f = str(BROKEN_DIRECTORY)
    assert problems_of(read_directory, BROKEN_DIRECTORY) == [
        f"{f}:3: email: expected an email address, got 'r.thompson at northfield.example.org'",
        f"{f}:4: first_name: expected a name, got an empty value",
        f"{f}:5: account_kind: expected one of person, group, generic_inbound, got 'shared'",
        f"{f}:6: start_date: expected a date YYYY-MM-DD, got '2015-13-01'",
        f"{f}:6: personal_mobile: expected a phone number, got 'n/a'",
        f"{f}:7: leave_date: expected a date YYYY-MM-DD, got '31/13/2026'",
        f"{f}:7: personal_email: expected an email address, got 'anna.nowak@gmail'",
        f"{f}:8: email: the same address is already on line 2",
        f"{f}:9: roles: expected role keys such as staff or line_manager, got 'staff, dpl'; "
        "separate roles with ';'",
        f"{f}:10: line_manager: expected the line manager's email address, got 'r.thompson'",
        f"{f}:10: leave_date: expected a date on or after start_date 2020-09-01, got '2019-08-31'",
    ]


# (name, file text after the header, expected problems with the file name left out)
DIRECTORY_ERRORS = [
    (
        "bad leave date",
        "".join(f"{c}@s.example,Al,Bee,,,,,,,,\n" for c in "abcde")
        + "f@s.example,Fay,Green,staff,,,2020-09-01,31/13/2026,,,person\n",
        [":7: leave_date: expected a date YYYY-MM-DD, got '31/13/2026'"],
    ),
    (
        "unknown account kind",
        "office@s.example,,,,,,,,,,shared mailbox\n",
        [":2: account_kind: expected one of person, group, generic_inbound, got 'shared mailbox'"],
    ),
    (
        "a person with no surname",
        "a.b@s.example,Ann,  ,staff,,,,,,,\n",
        [":2: last_name: expected a name, got an empty value"],
    ),
    (
        "an empty address",
        ",Ann,Bee,staff,,,,,,,\n",
        [":2: email: expected an email address, got an empty value"],
    ),
    (
        "an address with a display name",
        '"Ann Bee <a.b@s.example>",Ann,Bee,staff,,,,,,,\n',
        [":2: email: expected an email address, got 'Ann Bee <a.b@s.example>'"],
    ),
    (
        "an unquoted comma",
        "a.b@s.example,Ann,Bee,staff,Northfield, Upper School,,,,,,\n",
        [
            ":2: expected 11 values as in the header, found 12 "
            "(a value with a comma in it must be in double quotes)"
        ],
    ),
]


@pytest.mark.parametrize(("name", "rows", "expected"), DIRECTORY_ERRORS, ids=[c[0] for c in DIRECTORY_ERRORS])
def test_it_explains_directory_errors(tmp_path: Path, name: str, rows: str, expected: list[str]) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(DIRECTORY_HEADER + rows, encoding="utf-8")
    assert problems_of(read_directory, path) == [f"{path}{line}" for line in expected]


ROSTER_ERRORS = [
    (
        "missing upn",
        ",Jo,Smith,,,,\n",
        [":2: upn: expected a Unique Pupil Number, got an empty value"],
    ),
    (
        "same upn twice",
        "R937400120114,Jo,Smith,,,,\nr937400120114,Ann,Lee,,,,\n",
        [":3: upn: the same UPN is already on line 2"],
    ),
    (
        "empty first name",
        "R937400120114,,Smith,,,,\n",
        [":2: first_name: expected a name, got an empty value"],
    ),
    (
        "contacts separated by commas",
        'R937400120114,Jo,Smith,,,,"a@example.com, b@example.com"\n',
        [":2: contact_emails: expected email addresses separated by ';', got 'a@example.com, b@example.com'"],
    ),
    (
        "one bad contact among good ones",
        "R937400120114,Jo,Smith,,,,a@example.com;dad at example.com;;b@example.com\n",
        [":2: contact_emails: expected an email address, got 'dad at example.com'"],
    ),
    (
        "several problems on several lines",
        "R937400120114,,Smith,,,,\n\nH937400118115,Ann,,,,,x@y\n",
        [
            ":2: first_name: expected a name, got an empty value",
            ":4: last_name: expected a name, got an empty value",
            ":4: contact_emails: expected an email address, got 'x@y'",
        ],
    ),
    (
        "a line number after a value written over two lines",
        'R937400120114,"Jo\nAnne",Smith,,,,\nH937400118115,,Lee,,,,\n',
        [":4: first_name: expected a name, got an empty value"],
    ),
    (
        "an unclosed quote",
        'R937400120114,"Jo,Smith,,,,\n',
        [":2: not valid CSV (unexpected end of data)"],
    ),
]


@pytest.mark.parametrize(("name", "rows", "expected"), ROSTER_ERRORS, ids=[c[0] for c in ROSTER_ERRORS])
def test_it_explains_roster_errors(tmp_path: Path, name: str, rows: str, expected: list[str]) -> None:
    path = tmp_path / "pupils.csv"
    path.write_text(ROSTER_HEADER + rows, encoding="utf-8")
    assert problems_of(read_roster, path) == [f"{path}{line}" for line in expected]


def test_it_names_the_missing_columns_and_the_columns_found(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    path.write_text("Pupil ID,Forename,last_name,Year\nR937400120114,Jo,Smith,8\n", encoding="utf-8")
    assert problems_of(read_roster, path) == [
        f"{path}:1: header: missing required columns 'upn', 'first_name'; "
        "the columns found are 'Pupil ID', 'Forename', 'last_name', 'Year'"
    ]


def test_it_notices_a_file_separated_by_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("email;first_name;last_name\na@s.example;Ann;Bee\n", encoding="utf-8")
    assert problems_of(read_directory, path) == [
        f"{path}:1: header: missing required columns 'email', 'first_name', 'last_name'; "
        "the columns found are 'email;first_name;last_name' "
        "(the columns seem to be separated by ';'; expected commas)"
    ]


def test_it_refuses_a_column_given_twice(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("email,first_name,last_name,Email\n", encoding="utf-8")
    assert problems_of(read_directory, path) == [f"{path}:1: header: column 'email' appears more than once"]


def test_it_refuses_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"\r\n")
    assert problems_of(read_roster, path) == [
        f"{path}:1: header: the file is empty; "
        "expected a header row with the columns upn, first_name, last_name"
    ]


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    assert problems_of(read_roster, path) == [f"{path}: file not found"]


def test_it_refuses_a_folder(tmp_path: Path) -> None:
    assert problems_of(read_directory, tmp_path) == [f"{tmp_path}: is a folder, expected a CSV file"]


def test_it_refuses_bytes_that_are_no_text(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    # 0x81 is undefined in Windows-1252, and not UTF-8 either.
    path.write_bytes(ROSTER_HEADER.encode() + b"R937400120114,Jo,Smith,,,,\nH937400118115,A\x81n,Lee,,,,\n")
    assert problems_of(read_roster, path) == [
        f"{path}:3: not UTF-8 or Windows-1252 text (byte 0x81); save the file as CSV UTF-8"
    ]


def test_it_never_gives_a_traceback_for_a_nul_byte(tmp_path: Path) -> None:
    path = tmp_path / "pupils.csv"
    path.write_bytes(ROSTER_HEADER.encode() + b"R937400120114,Jo\x00,Smith,,,,\n")
    assert problems_of(read_roster, path) == [
        f"{path}:2: first_name: expected text, found the control character 0x00"
    ]
