"""`ledger.checks.index` (LDG5xx): index rows against their sections, and GitHub anchors."""

from __future__ import annotations

import pytest
from checks_helpers import A_SECTION, ledger, line_of, lines_of, only, plan, run

from ledger.markdown import github_slug

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


def test_a_plan_without_sections_has_no_index_to_keep_in_step():
    # Its `## Index` lists the plan's own items: no row is missing, extra or out of step.
    text = plan(
        """\
        # Plan

        ## Index
        | ID | Title | Priority | Status |
        | --- | --- | --- | --- |
        | T-1 | Migrate | High | done |
        | T-2 | Deploy | Low | pending |
        | T-2 | Deploy again | Low | pending |

        ## Queue
        - [ ] Q-1: Write the docs
        """
    )
    found = run(text)
    assert [f for f in found if f.code.startswith("LDG5")] == []
    assert lines_of(found, "LDG101") == [line_of(text, "Deploy again")]
