"""`ledger.checks.links` (LDG7xx): plan paths inside the repository."""

from __future__ import annotations

from checks_helpers import A_SECTION, ledger, line_of, lines_of, only, run

# --- LDG7xx links --------------------------------------------------------------------------


def test_missing_plan_paths_inside_the_repository_only(tmp_path):
    plan = tmp_path / "plans" / "active" / "A-001"
    plan.mkdir(parents=True)
    (plan / "implementation.md").write_text("plan\n")
    (tmp_path.parent / "outside.md").unlink(missing_ok=True)
    text = ledger(
        A_SECTION
        + "- Working Plan: `plans/active/A-001/implementation.md`\n"
        + "- Summary: `plans/active/A-001/summary.md`\n"
        + "- Reports Hub: `../outside.md` and `/etc/nonexistent-ledger-file`\n"
        + "- Notes: `plans/nowhere.md` is not a link field\n"
    )
    findings = run(text, root=tmp_path)
    f = only(findings, "LDG701")
    assert f.line == line_of(text, "- Summary:") and "summary.md" in f.message
    assert lines_of(run(text), "LDG701") == []  # not in a repository: rule off
