"""The console script exists and runs the main job on this project's own ledger."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_python_m_ledger_status_on_own_roadmap():
    proc = subprocess.run(
        [sys.executable, "-m", "ledger", "-f", str(ROOT / "docs" / "fix_plan.md"), "status"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "LEDGER-CORE-001" in proc.stdout
    assert "active focus: LEDGER-CORE-001" in proc.stdout
