"""Quotes must be the source's words; coverage lists every source sentence no clause quotes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from aupguard.engine.packs import coverage, load_pack
from aupguard.engine.packs.quotes import fragments, normalise, source_sentences, unquoted_sentences


@pytest.mark.parametrize(
    ("source", "quote"),
    [
        ("Staff  must\nnot  share passwords.", "staff must not share passwords."),
        ("the employee’s “own” device – never", 'the employee\'s "own" device - never'),
        ("[Information Asset Owner \\(IAO\\)](#) will decide", "Information Asset Owner (IAO) will decide"),
        ("• Lock your screen,", "Lock your screen,"),
        ("**Important:** read this", "Important: read this"),
    ],
)
def test_it_ignores_typography(source: str, quote: str) -> None:
    assert normalise(quote) in normalise(source)


def test_it_splits_a_quote_at_ellipses() -> None:
    assert fragments("Users will: … Not click links, ... Use secure email") == [
        "Users will:",
        "Not click links,",
        "Use secure email",
    ]


def test_it_skips_contents_lines_and_short_headings() -> None:
    text = (
        "Contents\nEmail and Internet Use\t1\nSocial Media Use.....\t2\n\n"
        "Staff must lock their screens always."
    )
    assert [s.text for s in source_sentences(text)] == ["Staff must lock their screens always."]


def test_it_lists_sentences_no_clause_quotes() -> None:
    text = (
        "Staff must lock screens when away. Staff must not share any passwords.\n"
        "More text here that nobody quoted today."
    )
    missing = unquoted_sentences(text, ["Staff must lock screens when away."])
    assert [(s.line, s.text) for s in missing] == [
        (1, "Staff must not share any passwords."),
        (2, "More text here that nobody quoted today."),
    ]


def test_coverage_reports_a_misquote_and_the_sentence_left_unquoted(pack_dir: Path, tiny_text: str) -> None:
    path = pack_dir / "tiny.yaml"
    path.write_text(
        tiny_text.replace("Lock your screen whenever you leave", "Lock your screen if you leave"),
        encoding="utf-8",
    )
    cov = coverage(load_pack(path))
    messages = [str(p) for p in cov.problems]
    assert any(
        "clause TINY-2.2: text: not found in the source: 'Lock your screen if you leave your desk.'" in m
        for m in messages
    )
    assert any(
        "no clause quotes this sentence: 'Lock your screen whenever you leave your desk.'" in m
        for m in messages
    )
    assert not cov.ok


def test_coverage_names_a_changed_source(pack_dir: Path, tiny_text: str) -> None:
    (pack_dir / "sources" / "tiny.txt").write_text("Another policy altogether.\n", encoding="utf-8")
    path = pack_dir / "tiny.yaml"
    path.write_text(tiny_text, encoding="utf-8")
    messages = [str(p) for p in coverage(load_pack(path)).problems]
    assert any("source.sha256: " in m and "the pack says" in m for m in messages)


def test_a_sentence_may_be_quoted_in_parts_by_different_clauses() -> None:
    text = "Staff must lock screens and must not share passwords with anyone."
    both = ["Staff must lock screens", "and must not share passwords with anyone"]
    assert unquoted_sentences(text, both) == []
    # half a sentence is not the sentence
    assert [s.text for s in unquoted_sentences(text, both[:1])] == [text]


def test_a_clause_section_quotes_its_heading(pack_dir: Path, tiny_text: str) -> None:
    source = pack_dir / "sources" / "tiny.txt"
    source.write_text(
        source.read_text(encoding="utf-8").replace("2 Devices", "2 Devices and removable media")
    )
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    text = tiny_text.replace("section: 2 Devices", "section: Other > 2 Devices and removable media")
    text = text.replace(text.split("sha256: ")[1].split("\n")[0], digest)
    (pack_dir / "tiny.yaml").write_text(text, encoding="utf-8")
    assert coverage(load_pack(pack_dir / "tiny.yaml")).problems == []
    # without the section naming it, the heading is a sentence nobody quoted
    (pack_dir / "tiny.yaml").write_text(
        text.replace("section: Other > 2 Devices and removable media", "section: Devices"), encoding="utf-8"
    )
    assert [str(p).split(": ", 1)[1] for p in coverage(load_pack(pack_dir / "tiny.yaml")).problems] == [
        "no clause quotes this sentence: '2 Devices and removable media'"
    ]
