"""`ledger.checks.size` (LDG9xx): ledgers over the configured size."""

from __future__ import annotations

from checks_helpers import A_SECTION, ledger, lines_of, only, run

from ledger.config import CheckConfig

# --- LDG9xx size ---------------------------------------------------------------------------


def test_size_limits_are_configurable():
    text = ledger(A_SECTION)
    assert lines_of(run(text), "LDG901") == []
    assert lines_of(run(text, config=CheckConfig(max_lines=5)), "LDG901") == [1]
    f = only(run(text, config=CheckConfig(max_bytes=100)), "LDG901")
    assert "bytes > 100" in f.message
