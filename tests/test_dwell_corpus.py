"""Dwell on two real loop histories (git bundles), checked against values worked out by hand.

Every expected value below was derived by reading `git log --first-parent --name-only` (and
`git show <sha> -- docs/fix_plan.md` for which `## [ID]` sections a supervisor commit touched)
on a clone of the bundle, applying the rule of docs/commands/dwell.md step by step. The
reasoning is written next to each assertion. Short shas are used; the fixture expands them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import DATA

from ledger import history
from ledger.config import DwellConfig
from ledger.dwell import scan_repository

BUNDLES = DATA / "fixtures"
LEDGER = "docs/fix_plan.md"


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


@pytest.fixture(scope="session")
def clones(tmp_path_factory) -> dict[str, Path]:
    """Both bundles cloned once per test session."""
    root = tmp_path_factory.mktemp("bundles")
    out = {}
    for name, bundle in (
        ("nb", "nanobragg-2025-10-10.bundle"),
        ("pp", "ptychopinn-2026-01-21.bundle"),
    ):
        target = root / name
        subprocess.run(
            ["git", "clone", "-q", str(BUNDLES / bundle), str(target)],
            check=True,
            env=_clean_env(),
            capture_output=True,
        )
        out[name] = target
    return out


def dwell_at(clone: Path, rev: str):
    repo = history.open_repo(clone)
    return scan_repository(repo, rev, LEDGER, DwellConfig(), "docs/fix_plan_archive.md").report


def short(ref) -> str | None:
    return ref.sha[:7] if ref else None


# --- PtychoPINN, 21-23 Jan 2026 (reset-layout ledger, `SUPERVISOR AUTO (...)` orchestrator) -------
#
# 0ef36a2 "Add orchestration submodule and seed plan" (work): touches .gitmodules and
#   scripts/orchestration (code) but docs/fix_plan.md does not exist yet, so no focus ID is known
#   and there was no turn: the evidence belongs to nobody.
# df3711a SUPERVISOR AUTO iter=00001: turn 1. Known IDs: none (still no docs/fix_plan.md);
#   no ledger before or after, so no changed section and no Active Focus: counts for nothing.
# b721f3f "seed S1-S2: ..." (work) ends turn 1 and creates docs/fix_plan.md whose only focus is
#   `seed` (from `### 2026-01-22T02:40Z — seed S1–S2 (initial)`). It touches
#   plans/active/seed/bin/dose_baseline_snapshot.py (the `!plans/**/bin/**` exception): evidence,
#   and its subject names the now-known ID `seed`.
# 2f6dc71 SUPERVISOR AUTO iter=00002, 8bb38fd "SUPERVISOR: seed S3 input refresh", e235406
#   SUPERVISOR AUTO iter=00002: one turn (turn 2); the subject of 8bb38fd names `seed` -> focus
#   seed, its first turn: dwell 0. (e235406 adds scripts/tools/d0_parity_logger.py and tests,
#   but it is a supervisor commit, so it is not evidence.)
# 69be59d RALPH AUTO "D0 parity logger S3 complete" touches only docs/fix_plan.md and
#   plans/active/seed/reports/... : docs-only, no evidence. d34401e: plans/*.md + sync: none.
# 46f027d SUPERVISOR AUTO iter=00003 (turn 3): no ID in the subject; the ledger diff adds
#   `### 2026-01-22T03:11Z — seed S4 (...)`, an attempt block of `seed`, so seed's text changed ->
#   focus seed; no evidence since turn 2 -> dwell 1.
# f411073 RALPH AUTO iter=00004 touches scripts/tools/d0_parity_logger.py and tests/tools/...:
#   evidence; no known ID in the subject -> it belongs to the last turn's focus, seed.
# ca3598f SUPERVISOR AUTO iter=00004 (turn 4): adds `### 2026-01-23T00:06Z —
#   DEBUG-SIM-LINES-DOSE-001 (plan reboot ...)` and switches Current Focus; only the new focus's
#   text changed (seed's blocks are untouched) -> DEBUG-SIM-LINES-DOSE-001, first turn, dwell 0.


def test_ptychopinn_first_turn_counts_for_nothing_and_seed_starts_at_zero(clones):
    report = dwell_at(clones["pp"], "69be59d")
    assert report.turns[0].commits[0].sha.startswith("df3711a")
    assert report.turns[0].focus == ()
    seed = report.get("seed")
    assert (seed.dwell, seed.tier, seed.turns) == (0, 0, 1)
    assert short(seed.last_turn) == "e235406"  # the last commit of the 3-commit turn
    assert short(seed.last_evidence) == "b721f3f"


def test_ptychopinn_seed_dwell_after_a_docs_only_engineer_loop(clones):
    report = dwell_at(clones["pp"], "f411073")
    seed = report.get("seed")
    # turn 3 (46f027d) saw no evidence since turn 2: dwell 1; f411073's code arrived after it
    assert (seed.dwell, seed.tier, seed.turns) == (1, 0, 2)
    assert short(seed.last_turn) == "46f027d"
    assert short(seed.last_evidence) == "f411073"


def test_ptychopinn_switch_to_a_new_focus(clones):
    report = dwell_at(clones["pp"], "cf763f5")
    debug = report.get("DEBUG-SIM-LINES-DOSE-001")
    assert (debug.dwell, debug.turns) == (0, 1)
    assert short(debug.last_turn) == "ca3598f"
    # cf763f5 "DEBUG-SIM-LINES-DOSE-001 A1: ..." adds plans/active/DEBUG-.../bin/...py: evidence
    # for the ID it names (the ` A1:` suffix is stripped)
    assert short(debug.last_evidence) == "cf763f5"
    seed = report.get("seed")
    assert (seed.dwell, seed.turns) == (1, 2)  # switching away leaves seed's dwell as it was


# DEBUG-SIM-LINES-DOSE-001 turns after ca3598f (each engineer commit between two turns listed):
#   764cf7c "SUPERVISOR: DEBUG-SIM-LINES-DOSE-001 planning" + b3c21f1 (one turn, ID in subject);
#     since ca3598f: cf763f5 (bin/ script, evidence) -> dwell 0
#   cc57697 iter=00006: adds a `DEBUG-....C1` attempt heading -> focus DEBUG; since: ef4e1a3
#     (bin/generate_legacy_readme.py, evidence) -> 0
#   c8570c3 iter=00007: only adds a `- [ ]` line under `## TODOs` (no focus text changed) ->
#     Active Focus DEBUG-SIM-LINES-DOSE-001; since: 3d0747c (bin/package_ground_truth_bundle.py)
#     -> 0
#   e6511ad iter=00008: adds a `DEBUG-....E1` attempt heading; since c8570c3: cea347b ".D1
#     inbox: draft ... response" touching docs/fix_plan.md, inbox/*.md and plans/.../reports/
#     only (docs-only) and ff29745 (sync) -> no evidence -> dwell 1
#   23e7858 iter=00009: does not touch the ledger -> Active Focus; since: 5dfa4de (.E1,
#     bin/verify_bundle_rehydration.py) -> 0
#   2ab8e19 iter=00010 (Active Focus); since: f59e69f (.F1 follow-up: docs/fix_plan.md,
#     inbox/*.md, reports) -> docs-only -> 1
#   d4fe604 iter=00011; since: c804a32 (bin/check_inbox_for_ack.py) -> 0
#   f18a842 iter=00012; since: 3d6c97e RALPH AUTO (fix_plan, inbox/*.md, reports) -> 1
#   34895bd iter=00013; since: 77f81fd (bin/check_inbox_for_ack.py) -> 0


@pytest.mark.parametrize(
    "rev, dwell, turns, last_evidence",
    [
        ("c8570c3", 0, 4, "3d0747c"),
        ("e6511ad", 1, 5, "3d0747c"),
        ("23e7858", 0, 6, "5dfa4de"),
        ("2ab8e19", 1, 7, "5dfa4de"),
        ("f18a842", 1, 9, "c804a32"),
        ("34895bd", 0, 10, "77f81fd"),
    ],
)
def test_ptychopinn_debug_focus_dwell_over_time(clones, rev, dwell, turns, last_evidence):
    debug = dwell_at(clones["pp"], rev).get("DEBUG-SIM-LINES-DOSE-001")
    assert (debug.dwell, debug.tier, debug.turns) == (dwell, 0, turns)
    assert short(debug.last_evidence) == last_evidence
    assert short(debug.last_turn) == rev


# --- nanoBragg, 9-10 Oct 2025 (`SUPERVISOR:` commits between `[SYNC ...]` markers) --------------
#
# TEST-SUITE-TRIAGE-001's section first appears in de98258 "SUPERVISOR: test triage plan setup"
# (`git log -S'## [TEST-SUITE-TRIAGE-001]'`), so no earlier turn can have it as focus. None of
# the supervisor subjects below names a known ID; each one's ledger diff touches the
# TEST-SUITE-TRIAGE-001 section (hunks mapped to the enclosing `## [ID]` heading), so it is a
# focus by changed sections. The engineer commits in between are all docs-only:
#   de98258 turn: first turn -> dwell 0
#     6a4d8ee (docs/fix_plan.md, prompts/*.md, reports/), fce24bd docs/, 2a98d8a prompts/*.md,
#     03f6a4f merge (against its first parent: fix_plan, galph_memory, input, plans/*.md,
#     prompts/*.md, sync), c828dbe/09a7a9f docs/index.md, f063725 (docs/, plans/*.md, reports/),
#     a7587a2 reports/, a748fc0 prompts/supervisor.md
#   19984de "test-suite triage Phase C prep" -> 1
#     5e551eb (fix_plan, plans/*.md), 0be0638 prompts/*.md
#   b0b9a51 "Phase B rerun prep" -> 2 (tier 1)
#     0ae1ce7 (fix_plan + reports), 903b777 reports/
#   b586e53 "test-suite triage phase C refresh planning" -> 3
#     2e965ff (fix_plan, plans/*.md)
#   e076ed4 "Phase D handoff ready" -> 4 (tier 2); this commit also creates the sections
#     CUDA-GRAPHS-001, DENZO-CONVENTION-001, ... which get their first turn (dwell 0)
#     b9ba627 [CLI-DEFAULTS-001] (fix_plan only)
#   a6ebcc3 "test-suite triage handoff" -> 5 (tier 2)
#   then three turns on CLI-DEFAULTS-001 only (1c52df9, 4b60dfd, 3849066 touch the
#     CLI-DEFAULTS-001 and VECTOR-PARITY-001 sections, not TEST-SUITE-TRIAGE-001); the code
#     commits in between are 1913521 "[CLI-DEFAULTS-001] ..." (debug_default_f.py, evidence for
#     the ID it names) and ad45e59 "AT-CLI-002 cli: ..." (src/..., AT-CLI-002 was never a focus
#     of this ledger, so it belongs to the last turn's focus: CLI-DEFAULTS-001)
#   6b755ed "determinism planning kickoff" touches DETERMINISM-001 and TEST-SUITE-TRIAGE-001
#     -> TEST-SUITE-TRIAGE-001 dwell 6 (tier 3); DETERMINISM-001's first turn -> 0


@pytest.mark.parametrize(
    "rev, dwell, tier, turns",
    [
        ("de98258", 0, 0, 1),
        ("b0b9a51", 2, 1, 3),
        ("e076ed4", 4, 2, 5),
        ("a6ebcc3", 5, 2, 6),
        ("3849066", 5, 2, 6),  # other focus items' turns leave it unchanged
        ("6b755ed", 6, 3, 7),
    ],
)
def test_nanobragg_test_suite_triage_climbs_the_tiers(clones, rev, dwell, tier, turns):
    report = dwell_at(clones["nb"], rev)
    triage = report.get("TEST-SUITE-TRIAGE-001")
    assert (triage.dwell, triage.tier, triage.turns) == (dwell, tier, turns)
    assert triage.last_evidence is None  # no code commit ever counted for it in this stretch
    assert triage.status == "in_progress" or rev == "de98258"


def test_nanobragg_sections_created_by_a_supervisor_turn_start_at_zero(clones):
    report = dwell_at(clones["nb"], "e076ed4")
    cuda = report.get("CUDA-GRAPHS-001")
    assert (cuda.dwell, cuda.tier, cuda.turns, cuda.status) == (
        0,
        0,
        1,
        "planning",
    )  # `in_planning`
    assert short(cuda.last_turn) == "e076ed4"


def test_nanobragg_unnamed_code_commit_belongs_to_the_last_turns_focus(clones):
    report = dwell_at(clones["nb"], "6b755ed")
    cli = report.get("CLI-DEFAULTS-001")
    # first turn 1c52df9 -> 0; 4b60dfd after daa5d5c (fix_plan only) -> 1; 3849066 after
    # 30b0932 (fix_plan, plans/*.md) -> 2; then ad45e59's code arrives after that turn
    assert (cli.dwell, cli.tier, cli.turns) == (2, 1, 3)
    assert short(cli.last_turn) == "3849066"
    assert short(cli.last_evidence) == "ad45e59"
    determinism = report.get("DETERMINISM-001")
    assert (determinism.dwell, determinism.turns) == (0, 1)
    assert report.get("TEST-SUITE-TRIAGE-001").flagged


def test_fail_on_tier_on_a_real_history(clones):
    from ledger.dwell import fails

    report = dwell_at(clones["nb"], "6b755ed")
    assert "TEST-SUITE-TRIAGE-001" in [f.id for f in fails(report, 3)]
    # at b586e53 it is at dwell 3: tier 1, so not failing at tier 2
    assert "TEST-SUITE-TRIAGE-001" not in [
        f.id for f in fails(dwell_at(clones["nb"], "b586e53"), 2)
    ]


# --- rendered output on a real history (golden files) ------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("dwell_pp_34895bd.txt", ["dwell", "--rev", "34895bd"]),
        (
            "dwell_pp_timeline.txt",
            ["dwell", "--rev", "34895bd", "--timeline", "DEBUG-SIM-LINES-DOSE-001"],
        ),
        ("log_pp_seed.txt", ["log", "seed", "--rev", "34895bd"]),
        ("dwell_nb_6b755ed.txt", ["dwell", "--rev", "6b755ed"]),
        ("dwell_nb_6b755ed_all.txt", ["dwell", "--rev", "6b755ed", "--all"]),
        *(
            (f"dwell_nb_6b755ed_{width}.txt", ["--width", str(width), "dwell", "--rev", "6b755ed"])
            for width in (80, 120, 200)
        ),
    ],
)
def test_rendered_output_matches_golden(clones, tmp_path, monkeypatch, name, args):
    from golden import assert_golden
    from typer.testing import CliRunner

    from ledger.cli._app import build_app

    monkeypatch.chdir(tmp_path)  # no .ledger.yaml from the surroundings
    repo = clones["pp" if "_pp_" in name else "nb"]
    result = CliRunner().invoke(build_app(), ["--no-color", *args, "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    assert_golden(f"dwell/{name}", result.stdout)
