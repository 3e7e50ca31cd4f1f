"""`ledger brief`: content, the byte limit on every corpus focus, and golden renderings."""

from __future__ import annotations

import pytest
from conftest import EEA, RESET, SEED, corpus_files, read_corpus
from golden import assert_golden

from ledger import loads
from ledger.brief import TIER_DEMANDS, build_brief
from ledger.dwell import DwellMark, DwellState
from ledger.errors import UsageError

SMALL = """\
# Fix Plan Ledger
**Last Updated:** 2025-11-20
**Active Focus:** CHILD-001 — scaled rerun

## [PARENT-001] Parent work
- Depends on: BASE-001
- Priority: High
- Status: blocked — waiting for CHILD-001
- Working Plan: `plans/active/PARENT-001/implementation.md`
- Return Condition: resume when CHILD-001 delivers the guard log
- Do Now (superseded — 2025-11-13T101500Z): old instructions that must not appear
- Do Now (next): BLOCKED — work continues under CHILD-001
- Latest Attempt (2025-11-19T190500Z): planning — marked blocked, minted CHILD-001
- Latest Attempt (2025-11-18T120000Z): implementation — guard landed in commit abc123
- Latest Attempt (2025-11-17T120000Z): planning — first look
- Latest Attempt (2025-11-16T120000Z): planning — the very first attempt

## [CHILD-001] Scaled rerun
- Depends on: PARENT-001, FINDING-XYZ-001
- Priority: Critical
- Status: in_progress
- Return Conditions:
  - guard log exists and is green
  - stats.json written
- Do Now: run the scaled rerun with the guard selector

## [BASE-001] Base
- Priority: Low
- Status: done
"""


def brief_of(text: str, focus_id: str, **kw):
    ledger = loads(text)
    return build_brief(ledger, ledger.get(focus_id), **kw)


def flagged(dwell: int, tier: int) -> DwellMark:
    return DwellMark(dwell, tier, DwellState.flagged if tier else DwellState.clear)


def size(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


def test_brief_shows_dependencies_with_their_statuses_and_dependents():
    md = brief_of(SMALL, "PARENT-001").markdown
    assert "- Depends on: BASE-001 (done)" in md
    assert "- Depended on by: CHILD-001" in md
    md = brief_of(SMALL, "CHILD-001").markdown
    assert "PARENT-001 (blocked), FINDING-XYZ-001 (not a focus item)" in md


def test_brief_uses_the_next_do_now_and_never_a_superseded_one():
    md = brief_of(SMALL, "PARENT-001").markdown
    assert "BLOCKED — work continues under CHILD-001" in md
    assert "old instructions" not in md


def test_brief_has_status_priority_plan_and_return_conditions():
    md = brief_of(SMALL, "PARENT-001").markdown
    assert md.startswith("# [PARENT-001] Parent work\n")
    assert "- Status: blocked — waiting for CHILD-001" in md
    assert "- Priority: High" in md
    assert "## Working Plan\n`plans/active/PARENT-001/implementation.md`" in md
    assert "## Return conditions\n- resume when CHILD-001 delivers the guard log" in md


def test_brief_keeps_the_last_n_attempts_newest_first_and_says_how_many_are_left_out():
    b = brief_of(SMALL, "PARENT-001", attempts=2)
    md = b.markdown
    assert "## Last attempts (2 of 4, newest first)" in md
    assert md.index("2025-11-19T190500Z") < md.index("2025-11-18T120000Z")
    assert "2025-11-17T120000Z" not in md
    assert "2 older attempts" in md and "Left out to fit" in md
    assert b.omitted == ["2 older attempts"]


@pytest.mark.parametrize("tier", [0, 1, 2, 3])
def test_brief_states_what_the_dwell_tier_demands(tier):
    md = brief_of(SMALL, "CHILD-001", dwell=flagged(tier * 2, tier)).markdown
    assert f"- Dwell: {tier * 2} (Tier {tier}): {TIER_DEMANDS[tier]}" in md


def test_brief_without_dwell_says_it_is_unknown():
    assert "- Dwell: unknown" in brief_of(SMALL, "CHILD-001").markdown


def test_nothing_left_out_means_no_note():
    b = brief_of(SMALL, "CHILD-001")
    assert b.omitted == [] and "Left out" not in b.markdown


def test_tiny_limit_is_a_usage_error():
    with pytest.raises(UsageError):
        brief_of(SMALL, "CHILD-001", max_bytes=100)


def test_brief_of_a_huge_focus_is_cut_to_the_limit_and_says_so():
    attempts = "".join(
        f"- Latest Attempt (2025-11-{d:02d}T120000Z): planning — " + "é long text " * 400 + "\n"
        for d in range(1, 20)
    )
    deps = ", ".join(f"DEP-{i:03d}" for i in range(300))
    text = (
        "# L\n\n## [BIG-001] " + "Big " * 200 + "\n- Depends on: " + deps + "\n- Status: pending\n"
        "- Return Conditions:\n"
        + "".join(f"  - condition {i} " + "x" * 500 + "\n" for i in range(30))
        + "- Do Now: "
        + "step " * 2000
        + "\n"
        + attempts
    )
    for limit in (300, 1000, 1500, 4000):
        b = brief_of(text, "BIG-001", attempts=10, max_bytes=limit)
        assert size(b.markdown) <= limit
        assert "ledger show BIG-001" in b.markdown
        assert b.omitted


def test_every_focus_of_every_corpus_ledger_fits_the_limit():
    checked = 0
    for path in corpus_files():
        ledger = loads(read_corpus(path))
        for item in ledger.focus_items:
            for limit in (4000, 1500):
                b = build_brief(ledger, item, max_bytes=limit, dwell=flagged(6, 3))
                assert size(b.markdown) <= limit, (path.name, item.id, limit)
                assert b.markdown.startswith(f"# [{item.id}]"), (path.name, item.id)
                checked += 1
    assert checked > 300


def test_json_form_carries_the_markdown_and_what_was_left_out():
    data = brief_of(SMALL, "PARENT-001", attempts=1).as_dict()
    assert data["id"] == "PARENT-001" and data["bytes"] == size(data["markdown"])
    assert data["depends_on"] == [
        {"id": "BASE-001", "status": "done", "met": True, "in_ledger": True}
    ]
    assert data["dependents"] == ["CHILD-001"]
    assert data["attempts_total"] == 4 and len(data["attempts"]) == 1
    assert data["omitted"] == ["3 older attempts"]


# --- golden renderings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, path, focus_id, kw",
    [
        ("seed-fix-tf-c1d", SEED, "FIX-TF-C1D-SCALED-RERUN-001", {"dwell": flagged(3, 1)}),
        ("seed-fix-tf-c1d-1500", SEED, "FIX-TF-C1D-SCALED-RERUN-001", {"max_bytes": 1500}),
        (
            "seed-forward-parity",
            SEED,
            "FIX-PYTORCH-FORWARD-PARITY-001",
            {"dwell": DwellMark(4, 2, DwellState.parked)},
        ),
        ("nanobragg-triage-002", EEA, "TEST-SUITE-TRIAGE-002", {}),
        ("reset-debug-sim-lines", RESET, "DEBUG-SIM-LINES-DOSE-001", {"attempts": 2}),
        ("seed-phase-c-generation", SEED, "FIX-PHASE-C-GENERATION-001", {}),
    ],
)
def test_brief_matches_golden(name, path, focus_id, kw):
    ledger = loads(read_corpus(path))
    b = build_brief(ledger, ledger.get(focus_id), **kw)
    assert_golden(f"brief/{name}.md", b.markdown)


def test_small_ledger_brief_matches_golden():
    # PARENT-001 is blocked: parked, so its tier 3 asks nothing of the agent
    parked = DwellMark(6, 3, DwellState.parked)
    assert_golden("brief/small-parent.md", brief_of(SMALL, "PARENT-001", dwell=parked).markdown)


def test_json_data_is_trimmed_like_the_markdown():
    ledger = loads(read_corpus(SEED))
    b = build_brief(ledger, ledger.get("FIX-TF-C1D-SCALED-RERUN-001"), max_bytes=1500)
    data = b.as_dict()
    # The brief of a focus in a cycle names the cycle, so at this size no attempt fits.
    shown = len(data["attempts"])
    assert f"## Last attempts ({shown} of 5, newest first)" in b.markdown
    assert data["attempts_total"] == 5 and all(a["text"] in b.markdown for a in data["attempts"])
    assert data["do_now"] in b.markdown
    assert all(rc in b.markdown for rc in data["return_conditions"])
    assert len(json_bytes(data)) < 3 * 1500


def json_bytes(data) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# --- every field, in the brief's order -----------------------------------------------------------

SCRAMBLED = """\
# Fix Plan Ledger

## [FULL-001] A focus with every kind of field
- Notes: remember the flaky runner
- Custom Field: something the team tracks
- Exit Criteria: the guard is green on CI
- Scope: `src/guard.py` only
- Status: in_progress — guard half done
- Owner/Date: ralph/2025-11-20
- Repro: `pytest tests/test_guard.py -k shape`
- Impact: every nightly run fails
- Root Cause: the shape check reads the wrong axis
- Error Signature: `ValueError: bad shape (3, 4)`
- Do Now (superseded — 2025-11-19): the old plan that must not appear
- Do Now: fix the axis in `src/guard.py` and rerun the selector
- Working Plan: `plans/active/FULL-001/plan.md`
- Priority: High (blocks the nightly)
- Return Conditions:
  - the selector passes
- Attempts History:
  * 2025-11-19T120000Z — planning: scoped the fix
  * 2025-11-20T120000Z — implementation: half of the guard landed
"""

ORDER = [
    "## Return conditions",
    "## Error Signature",
    "## Root Cause",
    "## Impact",
    "## Repro",
    "## Scope",
    "## Do Now",
    "## Working Plan",
    "## Exit Criteria",
    "## Notes",
    "## Custom Field",
    "## Owner/Date",
    "## Last attempts",
]


def test_brief_shows_every_field_in_its_order_then_the_rest_in_document_order():
    md = brief_of(SCRAMBLED, "FULL-001").markdown
    positions = [md.index(f"\n{heading}") for heading in ORDER]
    assert positions == sorted(positions)
    assert "- Priority: High (blocks the nightly)" in md
    assert "the old plan" not in md  # never a superseded Do Now
    assert "Attempts History" not in md and "## Last attempts (2 of 2" in md  # shown once
    assert "Left out" not in md


def test_a_tight_brief_is_cut_from_its_end_and_names_exactly_what_it_left_out():
    full = brief_of(SCRAMBLED, "FULL-001").markdown
    for limit in range(size(full) - 1, 300, -40):
        b = brief_of(SCRAMBLED, "FULL-001", max_bytes=limit)
        assert size(b.markdown) <= limit
        shown = [h for h in ORDER[:-1] if h + "\n" in b.markdown]
        # what is shown is always a beginning of the order: the end goes first
        assert shown == ORDER[: len(shown)], limit
        named = {f"the {h[3:]}" for h in ORDER[len(shown) : -1]} - {"the Return conditions"}
        assert named <= set(b.omitted), (limit, b.omitted)
        assert not any(f"the {h[3:]}" in b.omitted for h in shown)
        if "## Custom Field\n" in b.markdown:  # the newest attempt outlasts unnamed fields
            assert "half of the guard landed" in b.markdown, limit
    tight = brief_of(SCRAMBLED, "FULL-001", max_bytes=600)
    assert "## Notes" not in tight.markdown and "the Notes" in tight.omitted
    assert "ledger show FULL-001" in tight.markdown


def test_a_priority_is_shown_with_its_note_or_as_written():
    assert "- Priority: High (blocks the nightly)\n" in brief_of(SCRAMBLED, "FULL-001").markdown
    odd = "# L\n\n## [A-001] T\n- Priority: P1 — urgent\n- Status: pending\n"
    assert "- Priority: P1 — urgent\n" in brief_of(odd, "A-001").markdown
    assert "- Priority: none\n" in brief_of("# L\n\n## [A-001] T\n", "A-001").markdown
