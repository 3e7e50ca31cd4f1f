"""`ledger check` on real ledgers: the defects of the seed and of nanoBragg @ eea4715f, and the
project's own ledger, which passes."""

from __future__ import annotations

import re

import pytest
from checks_helpers import PUBLIC, REPO, SAMPLES, lines_of, only
from conftest import DIFFBRAGG, EEA, SEED, read_corpus

from ledger.checks import check_text

# --- the real defects ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_findings():
    return check_text(read_corpus(SEED), path="seed")


def test_seed_duplicate_study_synth_section(seed_findings):
    f = only(seed_findings, "LDG101")
    assert f.line == 142 and "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001" in f.message and "21" in f.message


def test_seed_lost_fix_pytest_heading(seed_findings):
    f = only(seed_findings, "LDG102")
    assert f.line == 89 and "FIX-PYTEST-SUITE-REALIGN-001" in f.message


def test_seed_orphan_attempts(seed_findings):
    assert lines_of(seed_findings, "LDG201") == [360, 362]


def test_seed_repeated_timestamps_in_parallel_api_inference(seed_findings):
    found = [f for f in seed_findings if f.code == "LDG202"]
    assert [f.line for f in found] == [339, 340]
    assert all("PARALLEL-API-INFERENCE" in f.message for f in found)
    assert "2025-11-13T020801Z" in found[0].message and "2025-11-13T200000Z" in found[1].message


def test_seed_dependency_cycles_are_the_two_the_graph_draws(seed_findings):
    # One through a closed item (FIX-COMPARE is done), one through a return condition.
    closed, waiting = [f for f in seed_findings if f.code == "LDG302"][::-1]
    assert closed.line == 143
    assert closed.message.endswith(
        "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001 -> FIX-COMPARE-MODELS-TRANSLATION-001 -> STUDY-SYNTH-FLY64-DOSE-OVERLAP-001"
    )
    assert waiting.line == 46  # the return condition of FIX-PYTORCH that names FIX-TF-C1D
    assert waiting.message == (
        "dependency cycle: FIX-PYTORCH-FORWARD-PARITY-001 -> FIX-TF-C1D-SCALED-RERUN-001 -> "
        "FIX-PYTORCH-FORWARD-PARITY-001 (FIX-PYTORCH-FORWARD-PARITY-001 waits on "
        "FIX-TF-C1D-SCALED-RERUN-001 in a return condition)"
    )


def test_seed_mojibake(seed_findings):
    f = only(seed_findings, "LDG801")
    assert f.line == 17 and "141 lines" in f.message and f.severity == "error"


def test_seed_misfiled_attempts_are_the_parallel_api_and_plan_update_ones(seed_findings):
    assert lines_of(seed_findings, "LDG205") == [202]
    parallel = [
        f.line
        for f in seed_findings
        if f.code == "LDG206" and "PARALLEL-API-INFERENCE" in f.message
    ]
    assert len(parallel) == 13 and 330 not in parallel  # the first attempt is its own


def test_seed_findings_are_not_dependency_noise_on_prose(seed_findings):
    deps = {
        re.search(r"depends on (\S+),", f.message).group(1)
        for f in seed_findings
        if f.code == "LDG301"
    }
    assert deps == {"PINN-CHUNKED-001", "BASELINE-OFFSET-001", "INTEGRATE-PYTORCH-001"}


@pytest.fixture(scope="module")
def eea_findings():
    return check_text(read_corpus(EEA), path="eea")


def test_eea_index_disagrees_with_sections(eea_findings):
    status = {f.line: f.message for f in eea_findings if f.code == "LDG501"}
    assert set(status) == {14, 26}
    assert "CLI-DEFAULTS-001 is 'done'" in status[14] and "'in_progress'" in status[14]
    assert "TEST-GOLDEN-001" in status[26]
    assert lines_of(eea_findings, "LDG507") == [14, 21]  # "-default_F" and "4096²" anchors


def test_eea_duplicate_stagea_param(eea_findings):
    f = only(eea_findings, "LDG101")
    assert f.line == 980 and "952" in f.message and "STAGEA-PARAM-001" in f.message
    assert lines_of(eea_findings, "LDG506") == [40]


def test_eea_orphans_under_completed_items(eea_findings):
    orphans = lines_of(eea_findings, "LDG201")
    assert orphans[0] == 810 and 858 in orphans and 925 in orphans


def test_project_ledger_passes():
    ledger_file = REPO / "docs" / "fix_plan.md"
    findings = check_text(read_corpus(ledger_file), root=REPO)
    assert [f for f in findings if f.severity == "error"] == []
    assert lines_of(findings, "LDG507") == []  # its hand-written anchors are GitHub's slugs


# --- the public plans of the other forms ---------------------------------------------------

# Plans with nothing to report: no written ID twice, no open box where the plan keeps finished
# items, no done item with an open step, no blocked item, no dependency on an unknown ID.
CLEAN_PLANS = [
    PUBLIC / "HazielCC__bg-remove__docs_fix_plan.md",
    PUBLIC / "Quiterion__ralph__fix_plan.md",
    PUBLIC / "SecBear__neuron__fix_plan.md",
    PUBLIC / "aloknag__kanban__docs_fix_plan.md",
    PUBLIC / "lrhodin__nih-plug__@fix_plan.md",
    PUBLIC / "mattcallaway__milestone-app__docs_fix_plan.md",
    PUBLIC / "san042__dq-agent__docs_fix_plan.md",
    PUBLIC / "zhangzongchu2019__pdf-sku__docs_fix_plan.md",
    SAMPLES / "kiro_tasks.md",
    SAMPLES / "speckit_tasks.md",
]


@pytest.mark.parametrize("path", CLEAN_PLANS, ids=lambda p: p.name)
def test_public_plans_of_the_other_forms_check_clean(path):
    assert check_text(read_corpus(path), root=REPO) == []


def test_karam_phases_marked_done_over_open_boxes():
    findings = check_text(read_corpus(PUBLIC / "karam-shakir__karam-platform__docs_fix_plan.md"))
    assert {f.code for f in findings} == {"LDG404"} and len(findings) == 20


def test_ralph_sample_has_one_open_box_under_completed():
    findings = check_text(read_corpus(SAMPLES / "ralph_fix_plan.md"))
    assert [(f.line, f.code) for f in findings] == [(26, "LDG404")]


def test_roadmap_bullets_of_a_sectioned_ledger_are_not_judged_as_sections():
    findings = check_text(read_corpus(DIFFBRAGG), root=REPO)
    # PERF-WARM-SIM-001 (line 82) is a roadmap bullet saying why it is blocked; the Working Plan
    # "to be created" (line 91) belongs to the roadmap bullet of ARCH-STAGE-CONTEXT-CONSOLIDATION.
    assert lines_of(findings, "LDG403") == [114, 133]  # the blocked sections
    assert 91 not in lines_of(findings, "LDG701") and lines_of(findings, "LDG406") == []
