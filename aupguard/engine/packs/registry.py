"""Where packs live, and how a pack id or a file name on the command line becomes a file."""

from __future__ import annotations

import os
from pathlib import Path

PACK_SUFFIXES = (".yaml", ".yml")


class PackNotFound(Exception):
    pass


def packs_dir() -> Path:
    """`AUPGUARD_PACKS_DIR`, else the `packs/` folder of this checkout."""
    configured = os.environ.get("AUPGUARD_PACKS_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "packs"


def available_packs(directory: Path | None = None) -> list[Path]:
    directory = directory or packs_dir()
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in PACK_SUFFIXES and p.is_file())


def resolve_pack(ref: str, directory: Path | None = None) -> Path:
    """A pack id (`wells`) names a file in the packs folder; anything else is a path."""
    as_path = Path(ref)
    if as_path.suffix in PACK_SUFFIXES or os.sep in ref:
        if as_path.is_file():
            return as_path
        raise PackNotFound(f"{ref}: file not found")
    for candidate in available_packs(directory):
        if candidate.stem == ref:
            return candidate
    known = ", ".join(p.stem for p in available_packs(directory)) or "none"
    raise PackNotFound(f"no pack with id {ref!r} (packs in {directory or packs_dir()}: {known})")
