from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PACKS = ROOT / "packs"
SEED_PACKS = ("wonder", "wells", "learning-partnership", "oak", "fst")


@pytest.fixture
def tiny_text() -> str:
    return (DATA / "packs" / "tiny.yaml").read_text(encoding="utf-8")


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    """A scratch packs folder holding tiny's source, for packs written by a test."""
    (tmp_path / "sources").mkdir()
    source = DATA / "packs" / "sources" / "tiny.txt"
    (tmp_path / "sources" / "tiny.txt").write_bytes(source.read_bytes())
    return tmp_path
