from __future__ import annotations

from pathlib import Path

import pytest

from aupguard.engine.web.categories import CategoryDB
from aupguard.engine.web.compile import BuildReport, build_database
from tests.conftest import DATA

WEB = DATA / "web"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The test lists compiled once per module."""
    out = tmp_path_factory.mktemp("categories") / "test.aupcat"
    report = build_database(WEB / "ut1", WEB / "sinfonietta", WEB / "mapping.csv", out)
    return out, report


@pytest.fixture
def db(built: tuple[Path, BuildReport]) -> CategoryDB:
    return CategoryDB.load(built[0])
