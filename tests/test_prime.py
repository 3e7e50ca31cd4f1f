"""`ledger prime`: the session primer stays within 2 000 bytes and names the focus to work on."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import SEED, corpus_files, read_corpus
from typer.testing import CliRunner

from ledger.brief import TIER_DEMANDS
from ledger.cli._app import build_app
from ledger.parse import loads
from ledger.planning import plan
from ledger.prime import MAX_BYTES, FocusSource, build_prime

ACTIVE = "FIX-TF-C1D-SCALED-RERUN-001"


def size(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_corpus_ledger_primes_within_the_bound_naming_the_focus(path):
    ledger = loads(read_corpus(path))
    # the heaviest dwell any focus can carry: tier 3, whose demand is the longest
    dwell = {i: {"dwell": 9, "tier": 3} for i in ledger.ids}
    prime = build_prime(ledger, "docs/fix_plan.md", dwell=dwell, check_errors=12)
    assert prime.size <= MAX_BYTES and size(prime.text) == prime.size
    active = ledger.header.active_focus_id
    ready = plan(ledger).ready
    if active and ledger.get(active) is not None:
        assert prime.focus.id == active and prime.focus.source is FocusSource.header
        assert prime.text.splitlines()[2].startswith(f"Active focus: [{active}]")
    elif ready:
        assert prime.focus.id == ready[0].id and prime.focus.source is FocusSource.next
        assert f"[{ready[0].id}]" in prime.text
    else:
        assert prime.focus is None and "No focus item is ready" in prime.text
    if prime.focus is not None:
        assert f"ledger attempt add {prime.focus.id} --kind" in prime.text
    assert "Open `ledger check` errors: 12" in prime.text
    assert "`ledger dwell --push`" in prime.text


def test_the_seed_primer_shows_tier_demand_return_conditions_and_ready_items():
    ledger = loads(read_corpus(SEED))
    prime = build_prime(
        ledger, "docs/fix_plan.md", dwell={ACTIVE: {"dwell": 4, "tier": 2}}, check_errors=0
    )
    assert f"- Dwell: 4, tier 2: {TIER_DEMANDS[2]}" in prime.text
    conditions = ledger.get(ACTIVE).return_conditions
    shown = prime.focus.return_conditions
    assert shown and len(shown) <= len(conditions)
    assert shown[0].rstrip("…") in " ".join(conditions[0].split())
    if len(shown) < len(conditions):
        assert f"{len(conditions) - len(shown)} return conditions" in prime.text
    ready = [c.id for c in plan(ledger).ready]
    assert [r.id for r in prime.ready] == ready[: len(prime.ready)]
    assert "Open `ledger check` errors: 0\n" in prime.text
    assert "‚Äî" not in prime.text  # mojibake is shown as it was meant to read


def test_a_focus_never_turned_to_has_dwell_zero_when_history_was_read():
    ledger = loads(read_corpus(SEED))
    prime = build_prime(ledger, "docs/fix_plan.md", dwell={})
    assert prime.focus.dwell == 0 and prime.focus.tier == 0
    assert build_prime(ledger, "docs/fix_plan.md").focus.dwell is None


def test_oversized_content_is_cut_and_says_what_was_left_out():
    conditions = "".join(f"  - condition {i} " + "x" * 300 + "\n" for i in range(40))
    text = (
        "# Plan\n\n**Active Focus:** [BIG-001]\n\n"
        f"## [BIG-001] {'Title ' * 400}\n- Status: in_progress {'because ' * 300}\n"
        f"- Return Conditions:\n{conditions}"
    ) + "".join(f"\n## [R-{i:03d}] {'ready ' * 80}\n- Status: pending\n" for i in range(30))
    prime = build_prime(loads(text), "docs/fix_plan.md", check_errors=0)
    assert prime.size <= MAX_BYTES
    assert prime.focus.id == "BIG-001"
    left = 40 - len(prime.focus.return_conditions)
    assert left > 0 and f"(left out to fit: {left} return conditions" in prime.text


def test_a_huge_file_name_still_fits():
    ledger = loads(read_corpus(SEED))
    prime = build_prime(ledger, "d/" * 1500 + "fix_plan.md")
    assert prime.size <= MAX_BYTES
    assert prime.text.endswith("… (cut to fit)\n")


# --- the command ----------------------------------------------------------------------------------


def invoke(*args):
    return CliRunner().invoke(build_app(), list(args), catch_exceptions=False)


def test_ledger_prime_prints_the_primer_with_check_errors(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    shutil.copy(SEED, tmp_path / "docs" / "fix_plan.md")
    monkeypatch.chdir(tmp_path)
    result = invoke("prime")
    assert result.exit_code == 0, result.output
    assert size(result.stdout) <= MAX_BYTES
    assert result.stdout.startswith("# Ledger session: docs/fix_plan.md\n")
    assert f"Active focus: [{ACTIVE}]" in result.stdout
    assert "- Dwell: not read (no git history)" in result.stdout
    errors = json.loads(invoke("check", "--format", "json").stdout)["summary"]["errors"]
    assert f"Open `ledger check` errors: {errors}" in result.stdout
    data = json.loads(invoke("prime", "--json").stdout)
    assert data["focus"]["id"] == ACTIVE and data["check_errors"] == errors
    assert data["text"] == result.stdout and data["bytes"] <= data["max_bytes"] == MAX_BYTES
    assert data["commands"][0]["command"].startswith(f"ledger attempt add {ACTIVE} ")


def test_ledger_prime_reads_dwell_from_git(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    shutil.copy(SEED, tmp_path / "docs" / "fix_plan.md")
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "seed"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    result = invoke("prime")
    assert result.exit_code == 0, result.output
    assert f"- Dwell: 0, tier 0: {TIER_DEMANDS[0]}" in result.stdout
    assert "not read" in invoke("prime", "--no-git").stdout
