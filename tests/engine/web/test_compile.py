"""Building the database: what is read, what is skipped and counted, and what stops the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aupguard.engine.web.categories import CategoryDB
from aupguard.engine.web.compile import BuildError, BuildReport, build_database, main, read_mapping
from tests.conftest import ROOT
from tests.engine.web.conftest import WEB


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    """A writable copy of the test lists and mapping."""
    shutil.copytree(WEB, tmp_path / "web")
    return tmp_path / "web"


def build(lists: Path, out: Path | None = None) -> BuildReport:
    return build_database(
        lists / "ut1", lists / "sinfonietta", lists / "mapping.csv", out or lists / "db.aupcat"
    )


def test_the_report_counts_what_was_built_and_skipped(built: tuple[Path, BuildReport]) -> None:
    _, report = built
    assert (report.domains, report.url_entries, report.url_hosts) == (20, 4, 4)
    assert report.lists == 8
    assert report.categories == 8  # gambling games shopping chat filter_bypass webmail adult social
    assert report.left_out == ["ut1/cooking"]
    # Blank and comment lines: 1 in gambling, 2 + 1 in pornography-hosts, 1 in social-hosts.
    assert report.blank_or_comment == 5
    # "not a domain!", "0.0.0.0" alone and "garbage-without-dot".
    assert report.garbage == 3
    assert report.skipped == 8
    assert any("ut1/gambling/domains:7: 'not a domain!'" in line for line in report.garbage_examples)
    assert any("pornography-hosts:7" in line for line in report.garbage_examples)
    assert report.per_category["gambling"] == 4
    assert report.bytes > 0 and report.seconds > 0
    summary = report.summary()
    assert "20 domains, 4 URL entries (4 hosts)" in summary
    assert "skipped 8: 5 blank or comment, 3 not a domain" in summary
    assert "left out by the mapping: ut1/cooking" in summary


def test_lists_with_identical_files_are_read_once_and_still_counted(lists: Path) -> None:
    shutil.copytree(lists / "ut1" / "vpn", lists / "ut1" / "redirector")
    with (lists / "mapping.csv").open("a") as mapping:
        mapping.write("ut1,redirector,filter_bypass,\n")
    report = build(lists)
    assert report.lists == 9 and report.domains == 20
    assert report.lines == build_lines(lists)


def build_lines(lists: Path) -> int:
    """Lines in every mapped list file (the last line's newline does not make another line)."""
    files = [p for p in (lists / "ut1").glob("*/*") if p.parent.name != "cooking"]
    files += list((lists / "sinfonietta").glob("*-hosts"))
    return sum(len(p.read_text().rstrip("\n").split("\n")) for p in files)


def test_a_new_upstream_category_must_be_mapped_before_it_is_built(lists: Path) -> None:
    (lists / "ut1" / "newcat").mkdir()
    (lists / "ut1" / "newcat" / "domains").write_text("new.example\n")
    with pytest.raises(
        BuildError, match=r"mapping.csv: UT1 category 'newcat' .* has no line; add 'ut1,newcat,"
    ):
        build(lists)


def test_a_new_sinfonietta_list_must_be_mapped(lists: Path) -> None:
    (lists / "sinfonietta" / "fakenews-hosts").write_text("0.0.0.0 news.example\n")
    with pytest.raises(BuildError, match="Sinfonietta list 'fakenews-hosts'"):
        build(lists)


def test_a_mapped_list_that_is_absent_is_reported(lists: Path) -> None:
    with (lists / "mapping.csv").open("a") as mapping:
        mapping.write("ut1,warez,piracy,\n")
    assert build(lists).missing == ["ut1/warez"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("ut1,gambling,gambling casino,", r"mapping.csv:\d+: unknown aupguard category 'casino'"),
        ("ut1,dating,,", r"mapping.csv:\d+: ut1 list 'dating' maps to no category: say why"),
        ("ut1,gambling,gambling,", r"mapping.csv:\d+: ut1 list 'gambling' is already mapped on line 3"),
        ("squid,gambling,gambling,", r"mapping.csv:\d+: unknown source 'squid'"),
        ("ut1,gambling", r"mapping.csv:\d+: expected 4 fields"),
    ],
)
def test_mistakes_in_the_mapping_name_the_line(lists: Path, line: str, message: str) -> None:
    with (lists / "mapping.csv").open("a") as mapping:
        mapping.write(line + "\n")
    with pytest.raises(BuildError, match=message):
        build(lists)


def test_a_mapping_without_its_header_is_refused(tmp_path: Path) -> None:
    mapping = tmp_path / "m.csv"
    mapping.write_text("# no header\nut1,gambling,gambling,\n")
    with pytest.raises(BuildError, match=r"m.csv:2: expected the header line source,list,categories,note"):
        read_mapping(mapping)


def test_a_list_that_is_not_utf8_names_the_file_and_line(lists: Path) -> None:
    (lists / "ut1" / "games" / "domains").write_bytes(b"ok.example\nbad\xff.example\n")
    with pytest.raises(BuildError, match=r"ut1/games/domains:2: not UTF-8 text"):
        build(lists)


def test_a_file_that_is_mostly_not_domains_is_not_a_list(lists: Path) -> None:
    (lists / "ut1" / "games" / "domains").write_text("".join(f"line {n} of prose\n" for n in range(20)))
    with pytest.raises(
        BuildError, match=r"ut1/games/domains:1: 20 of 20 entries .* are not domains; is it a list\?"
    ):
        build(lists)


def test_missing_source_folders_name_the_option(lists: Path) -> None:
    with pytest.raises(BuildError, match=r"no UT1 folder here \(give it with --ut1\)"):
        build_database(lists / "nope", lists / "sinfonietta", lists / "mapping.csv", lists / "db.aupcat")


def test_odd_but_usable_entries_are_normalised(lists: Path) -> None:
    (lists / "ut1" / "games" / "domains").write_text(
        "Mixed.Case.Example\n*.wild.example\ntrailing.example.\nbücher.example\n\r\nok.example\r\n"
    )
    (lists / "ut1" / "games" / "urls").write_text("HTTP://Upper.Example/Path/\nhttps://s.example/a#frag\n")
    db = CategoryDB.load(build(lists).out)
    for host in (
        "mixed.case.example",
        "x.wild.example",
        "trailing.example",
        "xn--bcher-kva.example",
        "ok.example",
    ):
        assert db.categories(host) == {"games"}, host
    assert db.categories("http://upper.example/path/x") == {"games"}
    assert db.categories("http://s.example/a") == {"games"}


def test_the_command_prints_what_it_built(lists: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = lists / "var" / "categories.aupcat"
    args = ["--ut1", str(lists / "ut1"), "--sinfonietta", str(lists / "sinfonietta")]
    assert main([*args, "--mapping", str(lists / "mapping.csv"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"built {out}: 20 domains, 4 URL entries (4 hosts), 8 of 39 categories from 8 lists" in printed
    assert " bytes" in printed and " s, " in printed
    assert CategoryDB.load(out).categories("bet365.com") == {"gambling"}


def test_the_command_reports_bad_input_in_one_line(lists: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (lists / "ut1" / "games" / "domains").write_bytes(b"\xff\n")
    args = ["--ut1", str(lists / "ut1"), "--sinfonietta", str(lists / "sinfonietta")]
    assert main([*args, "--mapping", str(lists / "mapping.csv"), "--out", str(lists / "x.aupcat")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert (
        captured.err.startswith("aupguard categories: error: ")
        and "games/domains:1: not UTF-8" in captured.err
    )
    assert "Traceback" not in captured.err
    assert not (lists / "x.aupcat").exists()


def test_the_repository_mapping_covers_every_list_and_says_why_lists_are_left_out() -> None:
    mapping = read_mapping(ROOT / "data" / "categories" / "ut1.csv")
    ut1 = {row.name for row in mapping.rows if row.source == "ut1"}
    assert ut1 == {p.name for p in (ROOT / "data" / "ut1").iterdir() if p.is_dir()}
    sinfonietta = {row.name for row in mapping.rows if row.source == "sinfonietta"}
    assert sinfonietta == {p.name for p in (ROOT / "data" / "sinfonietta").glob("*-hosts")}
    for row in mapping.rows:
        assert row.categories or len(row.note) > 20, row


def test_the_uksic_mapping_covers_every_category_with_uksic_names() -> None:
    import yaml

    from aupguard.engine.catalogue import CATEGORIES

    data = yaml.safe_load((ROOT / "data" / "categories" / "uksic.yaml").read_text(encoding="utf-8"))
    uksic = data["uksic_categories"]
    assert len(uksic) == 9 and "Malware / Hacking" in uksic and "Piracy and copyright theft" in uksic
    assert list(data["aupguard"]) == list(CATEGORIES)
    answered = {name for names in data["aupguard"].values() for name in names}
    assert answered == set(uksic)  # every UKSIC category is answered by some aupguard category
    assert data["source"]["url"].startswith("https://saferinternet.org.uk/")
