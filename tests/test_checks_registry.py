"""`ledger.checks.registry`: stable codes, selection, severities, statistics; the core stays free
of CLI and git libraries."""

from __future__ import annotations

import re

import pytest
from checks_helpers import A_SECTION, REPO, ledger, only, run
from conftest import SEED, read_corpus

from ledger.checks import RULES, check_text, selected_rules, statistics
from ledger.config import CheckConfig
from ledger.errors import ConfigError, UsageError


def test_a_clean_ledger_has_no_findings():
    assert run(ledger(A_SECTION)) == []


# --- registry and configuration ------------------------------------------------------------


def test_every_rule_has_a_stable_code_a_unique_name_and_documentation():
    docs = (REPO / "docs" / "commands" / "check.md").read_text(encoding="utf-8")
    names = [r.name for r in RULES.values()]
    assert len(names) == len(set(names))
    for code, r in RULES.items():
        assert re.fullmatch(r"LDG[1-9]\d\d", code) and r.severity in ("error", "warning", "info")
        assert f"`{code}`" in docs and r.name in docs, code


def test_select_and_ignore_by_code_prefix_and_name():
    text = read_corpus(SEED)
    codes = {f.code for f in check_text(text, select=["LDG2"])}
    assert codes and all(c.startswith("LDG2") for c in codes)
    codes = {f.code for f in check_text(text, ignore=["LDG2,mojibake"])}
    assert "LDG801" not in codes and not any(c.startswith("LDG2") for c in codes)
    config = CheckConfig(select=["LDG101"], ignore=[])
    assert {f.code for f in check_text(text, config=config)} == {"LDG101"}
    assert {f.code for f in check_text(text, config=config, select=["LDG302"])} == {"LDG302"}


def test_severity_override():
    config = CheckConfig(severity={"LDG2": "info", "LDG801": "warning"})
    findings = check_text(read_corpus(SEED), config=config)
    assert {f.severity for f in findings if f.code.startswith("LDG2")} == {"info"}
    assert only(findings, "LDG801").severity == "warning"


def test_unknown_codes_are_loud_where_the_rules_are():
    with pytest.raises(UsageError):
        selected_rules(CheckConfig(), select=["LDG999"])
    with pytest.raises(ConfigError):
        selected_rules(CheckConfig(ignore=["E501"]))
    with pytest.raises(ConfigError):
        check_text("x\n", config=CheckConfig(severity={"LDG9999": "error"}))


def test_statistics_counts_per_code():
    stats = statistics(check_text(read_corpus(SEED)))
    by_code = {row["code"]: row["count"] for row in stats}
    assert by_code["LDG201"] == 2 and by_code["LDG101"] == 1
    counts = [row["count"] for row in stats]
    assert counts == sorted(counts, reverse=True)


def test_core_modules_import_no_cli_or_git_libraries():
    import subprocess
    import sys

    code = (
        "import sys, ledger.checks, ledger.fix; "
        "bad = [m for m in ('typer', 'rich', 'git', 'ruamel', 'filelock', 'pydantic') "
        "if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rules_read_the_parsed_document_and_findings_carry_a_severity():
    from ledger.checks import Context, Severity

    ctx = Context.from_text(ledger(A_SECTION).replace("\n", "\r\n"))
    assert ctx.lines is ctx.ledger.document.contents and ctx.lines[0] == "# Demo Fix Plan Ledger"
    assert ctx.classes is ctx.ledger.document.classes
    f = only(check_text("## [A-1] x\n## [A-1] y\n"), "LDG101")
    assert f.severity is Severity.error and f.as_dict()["severity"] == "error"
