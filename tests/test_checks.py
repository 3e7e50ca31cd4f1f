"""Tests for `ledger.checks`: one small hand-written ledger per rule, then the real defects of
the seed and of nanoBragg @ eea4715f, then configuration (select/ignore/severity)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from conftest import EEA, SEED, read_corpus

from ledger.checks import RULES, check_text, selected_rules, statistics
from ledger.markdown import github_slug
from ledger.config import CheckConfig
from ledger.errors import ConfigError, UsageError

REPO = Path(__file__).resolve().parent.parent

HEAD = """\
# Demo Fix Plan Ledger

**Last Updated:** 2026-01-10
**Active Focus:** A-001 — first item

"""

A_SECTION = """\
## [A-001] First item
- Depends on: —
- Priority: High
- Status: in_progress
- Owner/Date: ralph/2026-01-01
- Latest Attempt (2026-01-05T100000Z): planning — wrote the plan
"""


def ledger(*parts: str) -> str:
    return HEAD + "\n".join(textwrap.dedent(p) for p in parts)


def run(text: str, **kwargs):
    return check_text(text, **kwargs)


def lines_of(findings, code: str) -> list[int]:
    return [f.line for f in findings if f.code == code]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the `nth` line containing `needle` (where the test planted a defect)."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def only(findings, code: str):
    hits = [f for f in findings if f.code == code]
    assert len(hits) == 1, hits
    return hits[0]


def test_a_clean_ledger_has_no_findings():
    assert run(ledger(A_SECTION)) == []


# --- LDG1xx structure ------------------------------------------------------------------------


def test_duplicate_focus_id_is_reported_at_the_second_section_naming_both_lines():
    text = ledger(A_SECTION, A_SECTION.replace("First item", "Again"))
    f = only(run(text), "LDG101")
    first, second = line_of(text, "[A-001] First"), line_of(text, "[A-001] Again")
    assert f.line == second and f"lines {first} and {second}" in f.message and f.severity == "error"


def test_lost_heading_names_the_missing_id_from_its_working_plan():
    text = ledger(
        A_SECTION,
        """\
        - Priority: Medium
        - Status: pending
        - Owner/Date: ralph/2026-01-02
        - Working Plan: `plans/active/B-002/implementation.md`
        """,
    )
    f = only(run(text), "LDG102")
    assert f.line == line_of(text, "Priority: Medium")
    assert "B-002" in f.message and "missing" in f.message


def test_one_repeated_status_field_is_not_a_lost_heading():
    text = ledger(A_SECTION + "- Status: in_progress\n")
    assert lines_of(run(text), "LDG102") == []


# --- LDG2xx attempts ---------------------------------------------------------------------------


def test_orphan_attempts_after_the_footer_and_under_completed_items():
    text = ledger(
        A_SECTION,
        """\
        ---

        Process references:
        - Supervisor prompt: `prompts/supervisor.md`

        - Latest Attempt (2026-01-06T100000Z): implementation — lost after the footer

        ## Completed / Archived Items
        - [OLD-001] Old thing — DONE
          * [2026-01-07] Attempt #4 — Result: success. Filed in the wrong place.
        """,
    )
    found = [f for f in run(text) if f.code == "LDG201"]
    assert [f.line for f in found] == [
        line_of(text, "lost after the footer"),
        line_of(text, "Attempt #4"),
    ]
    assert "outside any focus section (after the last section)" in found[0].message
    assert "Completed / Archived Items" in found[1].message


def test_repeated_timestamp_with_different_wording():
    text = ledger(
        A_SECTION + "- Latest Attempt (2026-01-05T100000Z): planning — said it differently\n"
    )
    f = only(run(text), "LDG202")
    assert f.line == line_of(text, "said it differently")
    assert f"line {line_of(text, 'wrote the plan')}" in f.message and "A-001" in f.message


def test_date_only_timestamps_may_repeat():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Attempts History:
          * [2026-01-05] Attempt #1 — Result: success. One.
          * [2026-01-05] Attempt #2 — Result: success. Two.
        """
    )
    assert lines_of(run(text), "LDG202") == [] and lines_of(run(text), "LDG203") == []


def test_repeated_attempt_number():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Attempts History:
          * [2026-01-05] Attempt #3 — Result: success. One.
          * [2026-01-06] Attempt #3 — Result: partial. Two.
        """
    )
    f = only(run(text), "LDG203")
    assert f.line == line_of(text, "Two.") and "#3" in f.message


def test_identical_attempt_is_an_error_and_not_also_a_timestamp_repeat():
    line = "- Latest Attempt (2026-01-05T100000Z): planning — wrote the plan\n"
    text = ledger(A_SECTION + line)
    findings = run(text)
    f = only(findings, "LDG204")
    first, copy = line_of(text, "wrote the plan"), line_of(text, "wrote the plan", 2)
    assert f.line == copy and f.severity == "error" and f"line {first}" in f.message
    assert lines_of(findings, "LDG202") == []


def test_attempt_whose_subject_is_another_focus():
    text = ledger(
        A_SECTION
        + "- Latest Attempt (2026-01-06T100000Z): planning — B-001: fixed the other thing\n",
        """\

        ## [B-001] Second item
        - Status: pending
        """,
    )
    f = only(run(text), "LDG205")
    assert f.line == line_of(text, "B-001: fixed") and "B-001" in f.message and "A-001" in f.message


def test_plan_update_block_naming_another_focus():
    text = ledger(
        A_SECTION + "\n<plan_update>\n  <focus_id>B-001</focus_id>\n</plan_update>\n",
        """\

        ## [B-001] Second item
        - Status: pending
        """,
    )
    assert lines_of(run(text), "LDG205") == [line_of(text, "<focus_id>")]


def test_attempt_mentioning_another_focus_in_passing_is_not_misfiled():
    text = ledger(
        A_SECTION
        + "- Latest Attempt (2026-01-06T100000Z): planning — unblocked B-001 as a side effect\n",
        """\

        ## [B-001] Second item
        - Status: pending
        """,
    )
    assert lines_of(run(text), "LDG205") == []


def test_attempt_dated_before_a_focus_minted_with_a_timestamp():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Owner/Date: ralph/2026-01-08T030000Z
        - Latest Attempt (2026-01-08T040000Z): planning — created the plan
        - Latest Attempt (2026-01-07T100000Z): implementation — work for some other focus
        """
    )
    f = only(run(text), "LDG206")
    assert f.line == line_of(text, "some other focus") and "2026-01-08" in f.message


def test_attempt_one_day_before_a_bare_owner_date_is_not_evidence():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Owner/Date: ralph/2026-01-08
        - Latest Attempt (2026-01-07T100000Z): planning — started the day before
        - Latest Attempt (2026-01-02T100000Z): planning — a week before
        """
    )
    assert lines_of(run(text), "LDG206") == [line_of(text, "a week before")]


def test_owner_date_after_last_updated_proves_nothing():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: in_progress
        - Owner/Date: ralph/2027-01-08
        - Latest Attempt (2026-01-02T100000Z): planning — a year before a typo
        """
    )
    assert lines_of(run(text), "LDG206") == []


# --- LDG3xx dependencies -------------------------------------------------------------------


def test_dependency_on_an_unknown_id_says_it_is_a_finding(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "findings.md").write_text("## PINN-CHUNKED-001\nOOM in dense test.\n")
    text = ledger(
        A_SECTION.replace("Depends on: —", "Depends on: finding `PINN-CHUNKED-001`, ZZZ-404")
    )
    found = [f for f in run(text, root=tmp_path) if f.code == "LDG301"]
    assert [f.line for f in found] == [line_of(text, "Depends on")] * 2
    assert "docs/findings.md" in found[0].message and "PINN-CHUNKED-001" in found[0].message
    assert "ZZZ-404" in found[1].message and "not in docs/findings.md" in found[1].message


def test_dependency_cycle_lists_the_cycle():
    text = ledger(
        A_SECTION.replace("Depends on: —", "Depends on: B-001"),
        """\

        ## [B-001] Second
        - Depends on: A-001 (unblocked)
        - Status: pending
        """,
    )
    f = only(run(text), "LDG302")
    assert f.line == line_of(text, "Depends on: B-001") and f.message.endswith(
        "A-001 -> B-001 -> A-001"
    )


def test_done_item_depending_on_an_open_one():
    text = ledger(
        A_SECTION,
        """\

        ## [B-001] Second
        - Depends on: A-001
        - Status: done
        """,
    )
    f = only(run(text), "LDG303")
    assert f.line == line_of(text, "Depends on: A-001") and "in_progress" in f.message


# --- LDG4xx status -------------------------------------------------------------------------


def test_status_outside_the_vocabulary():
    text = ledger(
        A_SECTION.replace("Status: in_progress", "Status: Phase 6 in progress — tasks 6.1")
    )
    f = only(run(text), "LDG401")
    assert f.line == line_of(text, "Status:") and "'phase'" in f.message


def test_status_vocabulary_is_configurable():
    text = ledger(A_SECTION.replace("Status: in_progress", "Status: wip"))
    assert lines_of(run(text), "LDG401") == [line_of(text, "Status: wip")]
    config = CheckConfig(statuses=["wip"])
    assert lines_of(run(text, config=config), "LDG401") == []


def test_done_with_an_open_do_now_but_not_a_superseded_one():
    text = ledger(
        """\
        ## [A-001] First item
        - Status: done
        - Do Now:
          1. Run the thing.
        - Do Now (superseded — 2026-01-02T000000Z):
          1. Old plan.
        """
    )
    assert lines_of(run(text), "LDG402") == [line_of(text, "- Do Now:")]


def test_blocked_needs_a_return_condition():
    blocked = ledger(A_SECTION.replace("Status: in_progress", "Status: blocked — waiting on GPU"))
    assert lines_of(run(blocked), "LDG403") == [line_of(blocked, "Status: blocked")]
    with_rc = blocked.replace(
        "- Owner/Date", "- Return Condition: GPU quota granted.\n- Owner/Date"
    )
    assert lines_of(run(with_rc), "LDG403") == []


# --- LDG5xx index --------------------------------------------------------------------------

INDEX = """\
## Index
| ID | Title | Priority | Status |
| --- | --- | --- | --- |
| [A-001](#a-001-first-item) | First item | High | in_progress |
| [B-001](#b-001-second-item) | Second item | Low | pending |

"""

B_SECTION = """\

## [B-001] Second item
- Priority: Low
- Status: pending
"""


def test_index_that_matches_its_sections_is_clean():
    assert run(ledger(INDEX, A_SECTION, B_SECTION)) == []


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("| pending |", "| done |", "LDG501"),
        ("| Low |", "| High |", "LDG502"),
        ("| Second item |", "| Another title |", "LDG503"),
        ("(#b-001-second-item)", "(#b-001-second)", "LDG507"),
    ],
)
def test_index_row_disagreeing_with_its_section(old, new, code):
    text = ledger(INDEX.replace(old, new), A_SECTION, B_SECTION)
    findings = run(text)
    f = only(findings, code)
    assert f.line == line_of(text, "| [B-001]") and "B-001" in f.message
    assert [x.code for x in findings] == [code]


def test_index_status_mismatch_is_an_error_and_names_both_values():
    f = only(run(ledger(INDEX.replace("| pending |", "| done |"), A_SECTION, B_SECTION)), "LDG501")
    assert f.severity == "error" and "'done'" in f.message and "'pending'" in f.message


def test_index_missing_extra_and_duplicate_rows():
    rows = INDEX.replace(
        "| [B-001](#b-001-second-item) | Second item | Low | pending |\n",
        "| [C-001](#c-001) | Gone | Low | done |\n| [A-001](#a-001-first-item) | First item | High | in_progress |\n",
    )
    text = ledger(rows, A_SECTION, B_SECTION)
    findings = run(text)
    assert lines_of(findings, "LDG504") == [line_of(text, "## [B-001]")]
    assert lines_of(findings, "LDG505") == [line_of(text, "| [C-001]")]
    assert lines_of(findings, "LDG506") == [line_of(text, "| [A-001]", 2)]


def test_in_planning_and_planning_are_the_same_status():
    text = ledger(
        INDEX.replace("| pending |", "| in_planning |"),
        A_SECTION,
        B_SECTION.replace("pending", "planning"),
    )
    assert lines_of(run(text), "LDG501") == []


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        (
            "[CLI-DEFAULTS-001] Minimal -default_F CLI invocation",
            "cli-defaults-001-minimal--default_f-cli-invocation",
        ),
        (
            "[VECTOR-PARITY-001] Restore 4096² benchmark parity",
            "vector-parity-001-restore-4096-benchmark-parity",
        ),
        (
            "[STAGEA-PARAM-001] Generalized learnable geometry & beam parameterization",
            "stagea-param-001-generalized-learnable-geometry--beam-parameterization",
        ),
        (
            "[LEDGER-LOOP-001] next, brief, graph, init for the loop",
            "ledger-loop-001-next-brief-graph-init-for-the-loop",
        ),
        ("Café `code` **bold** [link](http://x) ✅ done", "café-code-bold-link--done"),
    ],
)
def test_github_slug(heading, slug):
    assert github_slug(heading) == slug


def test_repeated_headings_get_numbered_anchors():
    text = ledger(
        INDEX.replace("(#b-001-second-item)", "(#a-001-first-item-1)").replace(
            "[B-001]", "[A-001]", 1
        ),
        A_SECTION,
        "\n## [A-001] First item\n- Priority: Low\n- Status: pending\n",
    )
    # The second row points at the second heading's anchor; rows are compared with the first
    # section of an ID, so only the duplicate-ID and duplicate-row findings remain.
    codes = {f.code for f in run(text)}
    assert "LDG101" in codes and "LDG506" in codes


# --- LDG6xx header -------------------------------------------------------------------------


def test_active_focus_naming_no_section():
    text = ledger(A_SECTION).replace("**Active Focus:** A-001", "**Active Focus:** Z-009")
    assert lines_of(run(text), "LDG601") == [4]


def test_active_focus_on_a_done_item():
    text = ledger(A_SECTION.replace("Status: in_progress", "Status: done"))
    f = only(run(text), "LDG602")
    assert f.line == 4 and "done" in f.message


def test_last_updated_older_than_the_newest_attempt():
    text = ledger(A_SECTION).replace("2026-01-10", "2026-01-04")
    f = only(run(text), "LDG603")
    assert f.line == 3 and f"line {line_of(text, 'Latest Attempt')}" in f.message


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


# --- LDG8xx encoding -----------------------------------------------------------------------


def test_mojibake_mac_roman_and_cp1252_but_not_real_text():
    text = ledger(
        A_SECTION,
        "Note: Phase C ‚Äî done\n",  # Mac Roman reading of an em dash
        "Other: itâ€™s done\n",  # cp1252 reading of a right quote
        "Volume delta O(1e-3) Å³ and café — fine\n",
    )
    found = [f for f in run(text) if f.code == "LDG801"]
    assert sorted(f.line for f in found) == [line_of(text, "Note:"), line_of(text, "Other:")]
    assert any("Mac Roman" in f.message for f in found) and any(
        "cp1252" in f.message for f in found
    )


def test_invalid_utf8_bytes():
    raw = ledger(A_SECTION).encode() + b"bad \xe2\x80 bytes\n"
    text = raw.decode("utf-8", "surrogateescape")
    f = only(run(text), "LDG802")
    assert f.line == line_of(text, "bad ") and "0xE2 0x80" in f.message and f.col == 5


def test_control_characters():
    text = ledger(A_SECTION, "bell \x07 here\n")
    f = only(run(text), "LDG803")
    assert f.line == line_of(text, "bell") and f.col == 6 and "U+0007" in f.message


def test_conflict_markers_but_not_setext_underlines():
    text = ledger(
        A_SECTION,
        "Title\n=======\n\n<<<<<<< HEAD\n- Status: done\n=======\n- Status: blocked\n>>>>>>> branch\n",
    )
    expected = [line_of(text, "<<<<<<<"), line_of(text, "=======", 2), line_of(text, ">>>>>>>")]
    assert lines_of(run(text), "LDG804") == expected


def test_diff_residue_outside_code_blocks():
    text = ledger(
        A_SECTION,
        "-### [FNO-001] FNO stability overhaul\n",
        "-  - *2026-01-28T05:00:00Z:* pasted attempt\n",
        "```diff\n-### [X-001] inside a fence is fine\n```\n",
    )
    assert lines_of(run(text), "LDG805") == [
        line_of(text, "-### [FNO"),
        line_of(text, "pasted attempt"),
    ]


def test_trailing_whitespace_only_when_configured():
    text = ledger(A_SECTION.replace("High\n", "High  \n"))
    assert lines_of(run(text), "LDG806") == []
    config = CheckConfig(fix_trailing_whitespace=True)
    assert lines_of(run(text, config=config), "LDG806") == [line_of(text, "High  ")]


# --- LDG9xx size ---------------------------------------------------------------------------


def test_size_limits_are_configurable():
    text = ledger(A_SECTION)
    assert lines_of(run(text), "LDG901") == []
    assert lines_of(run(text, config=CheckConfig(max_lines=5)), "LDG901") == [1]
    f = only(run(text, config=CheckConfig(max_bytes=100)), "LDG901")
    assert "bytes > 100" in f.message


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


def test_seed_dependency_cycle(seed_findings):
    f = only(seed_findings, "LDG302")
    assert f.line == 143
    assert f.message.endswith(
        "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001 -> FIX-COMPARE-MODELS-TRANSLATION-001 -> STUDY-SYNTH-FLY64-DOSE-OVERLAP-001"
    )


def test_seed_mojibake(seed_findings):
    f = only(seed_findings, "LDG801")
    assert f.line == 17 and "141 line(s)" in f.message and f.severity == "error"


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
