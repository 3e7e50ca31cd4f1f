"""The console script exists and runs the main job on this project's own ledger."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_python_m_ledger_status_on_own_roadmap():
    import ledger

    roadmap = ledger.load(ROOT / "docs" / "fix_plan.md")
    proc = subprocess.run(
        [sys.executable, "-m", "ledger", "-f", str(ROOT / "docs" / "fix_plan.md"), "status"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for item in roadmap.focus_items:
        assert item.id in proc.stdout
    assert f"active focus: {roadmap.header.active_focus_id}" in proc.stdout
