"""A small category database, compiled from a handful of UT1-style lists with the real mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from aupguard.engine.web.compile import build_database
from tests.conftest import ROOT

LISTS = {
    "gambling": "casino.test\nbet365.com\n",
    "vpn": "vpn-unblock.test\nnordvpn.com\n",
    "games": "ttrockstars.com\nminiclip.com\n",
    "social_networks": "facebook.com\n",
    "audio-video": "youtube.com\nnetflix.com\n",
    "ai": "openai.com\n",
}


@pytest.fixture(scope="session")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lists")
    for category, domains in LISTS.items():
        (root / "ut1" / category).mkdir(parents=True)
        (root / "ut1" / category / "domains").write_text(domains)
    (root / "sinfonietta").mkdir()
    out = root / "categories.aupcat"
    build_database(root / "ut1", root / "sinfonietta", ROOT / "data" / "categories" / "ut1.csv", out)
    return out
