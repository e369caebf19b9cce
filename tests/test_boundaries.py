"""The engine, the guards and the CLI never import Django: relay and proxy hosts install no web stack."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["aupguard.engine", "aupguard.cli"])
def test_it_imports_without_django(module: str) -> None:
    code = f"import sys, {module}; sys.exit('django' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{module} pulled in django: {result.stderr}"
