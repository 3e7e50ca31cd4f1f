"""Golden-file comparison: `assert_golden(name, actual)`; regenerate with LEDGER_REGEN_GOLDEN=1."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("LEDGER_REGEN_GOLDEN") == "1" or not path.exists():
        if os.environ.get("LEDGER_REGEN_GOLDEN") != "1":
            raise AssertionError(f"golden file {path} is missing; run with LEDGER_REGEN_GOLDEN=1")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}"
