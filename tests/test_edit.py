"""Core edits (`ledger.edit`): golden before/after files per dialect, plus the rules behind them.

Golden files live in `tests/golden/edit/`: `<layout>.before.md` are excerpts of real ledgers
(the seed's mojibake `latest` layout, nanoBragg's `numbered`, diffbragg's `dated`, the reset
layout's `heading` blocks) and hand-written D5 (`italic`) and attempt-less (`empty`) ledgers.
Regenerate the `.after.md` files only with `LEDGER_REGEN_GOLDEN=1`, then review the diff.
"""

from __future__ import annotations

import difflib
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.edit import (
    NewAttempt,
    NewFocus,
    add_attempt,
    new_focus,
    plan_templates,
    set_field,
    set_header,
    timestamp_format,
)
from ledger.errors import EditRefused, UnknownFocusError, UsageError
from ledger.markdown import github_slug
from ledger.model import AttemptDialect, AttemptKind, Priority, Status
from ledger.parse import loads

GOLDEN = Path(__file__).parent / "golden" / "edit"
NOW = datetime(2026, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
REGEN = os.environ.get("LEDGER_REGEN_GOLDEN") == "1"

PROBE = NewAttempt(
    summary="Ran the guard selector; 3 passed.",
    kind="implementation",
    result="success",
    artifacts=("reports/2026-02-03/pytest.log",),
    commits=("abc1234",),
    actor="ralph",
)


def _before(layout: str) -> str:
    return (GOLDEN / f"{layout}.before.md").read_text(encoding="utf-8")


def _check_golden(case: str, text: str) -> None:
    path = GOLDEN / f"{case}.after.md"
    if REGEN:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}; run with LEDGER_REGEN_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def _changes(before: str, after: str) -> list[tuple]:
    ops = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return [op for op in ops.get_opcodes() if op[0] != "equal"]


def _only_insert(before: str, after: str, count: int) -> int:
    """Assert the diff is one contiguous insertion of `count` lines; return its 0-based start."""
    ops = _changes(before, after)
    assert len(ops) == 1 and ops[0][0] == "insert", ops
    assert ops[0][4] - ops[0][3] == count
    return ops[0][1]


GOLDEN_ATTEMPTS = [
    # case, layout, focus, spec
    ("latest-newest-first", "latest", "FIX-PYTORCH-FORWARD-PARITY-001", PROBE),
    (
        "latest-single",
        "latest",
        "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001",
        NewAttempt("Scaled rerun — still blocked.", "planning"),
    ),
    (
        "latest-empty-focus",
        "latest",
        "FIX-IMPORT-SIDE-EFFECTS-001",
        NewAttempt("Drafted Phase A tests.", "planning"),
    ),
    ("numbered-next-number", "numbered", "TEST-SUITE-TRIAGE-002", PROBE),
    (
        "numbered-no-result",
        "numbered",
        "TEST-SUITE-TRIAGE-002",
        NewAttempt("Planned the Sprint 1 fixes.", "planning"),
    ),
    (
        "numbered-empty-focus",
        "numbered",
        "TEST-INDEX-001",
        NewAttempt("Collected 700 tests.", "evidence_only", result="partial"),
    ),
    (
        "dated-newest-first",
        "dated",
        "ARCH-REFACTOR-001",
        NewAttempt("Stage D.3 unblocked.", "planning"),
    ),
    (
        "dated-oldest-first",
        "dated",
        "ARCH-SIM-HKL-BOUNDS-001",
        NewAttempt("Bounds check merged.", "implementation"),
    ),
    (
        "dated-placeholder",
        "dated",
        "ARCH-IMPL-CONFORMANCE-001",
        NewAttempt("Reopened for audit.", "review_or_housekeeping"),
    ),
    (
        "italic-oldest-first",
        "italic",
        "DEBUG-SIM-LINES-DOSE-001",
        NewAttempt("Phase D evidence captured.", "execution"),
    ),
    (
        "italic-done-group",
        "italic",
        "FIX-IMPORT-SIDE-EFFECTS-001",
        NewAttempt("Follow-up audit.", "verification"),
    ),
    ("heading-reset-layout", "heading", "seed", PROBE),
    ("empty-default-dialect", "empty", "DOCS-001", NewAttempt("Outlined the README.", "planning")),
]


@pytest.mark.parametrize(
    "case, layout, focus_id, spec", GOLDEN_ATTEMPTS, ids=[c[0] for c in GOLDEN_ATTEMPTS]
)
def test_attempt_add_matches_golden_and_only_inserts(case, layout, focus_id, spec):
    before = _before(layout)
    ledger = loads(before)
    result = add_attempt(ledger, focus_id, spec, now=NOW)
    _only_insert(before, result.text, len(result.added_lines))
    _check_golden(case, result.text)
    old = ledger.get(focus_id)
    new = result.ledger.get(focus_id)
    assert len(new.attempts) == len(old.attempts) + 1
    assert result.attempt is not None and result.attempt in new.attempts
    assert result.attempt.timestamp is not None and result.attempt.timestamp.date() == NOW.date()


def test_numbered_attempt_gets_next_number_actor_and_result():
    ledger = loads(_before("numbered"))
    result = add_attempt(ledger, "TEST-SUITE-TRIAGE-002", PROBE, now=NOW)
    attempt = result.attempt
    assert attempt.dialect == AttemptDialect.numbered
    assert attempt.number == 10
    assert attempt.actor == "ralph"
    assert attempt.result == "success"
    assert attempt.timestamp_text == "2026-02-03"  # the focus writes dates, not times
    assert result.added_lines[0].startswith(
        "  * [2026-02-03] Attempt #10 (ralph) — Result: success"
    )
    assert "    Artifacts: `reports/2026-02-03/pytest.log`" in result.added_lines


def test_numbered_attempt_without_result_keeps_the_result_form_and_reads_its_kind_back():
    # Every entry of this focus says `— Result: …`; without --result the kind takes that place.
    result = add_attempt(
        loads(_before("numbered")),
        "TEST-SUITE-TRIAGE-002",
        NewAttempt("Planned the Sprint 1 fixes.", "planning"),
        now=NOW,
    )
    assert result.added_lines == [
        "  * [2026-02-03] Attempt #10 — Result: planning. Planned the Sprint 1 fixes."
    ]
    assert result.attempt.kind is AttemptKind.planning


def test_numbered_attempt_with_result_reads_its_kind_back():
    result = add_attempt(loads(_before("numbered")), "TEST-SUITE-TRIAGE-002", PROBE, now=NOW)
    assert result.attempt.kind is AttemptKind.implementation


def test_numbered_focus_without_result_keys_gets_kind_then_colon():
    text = (
        "## [A-001] One\n- Status: pending\n- Attempts History:\n"
        "  * [2025-11-04T133500Z] Attempt #20 — Phase E5 wiring (Mode: TDD). Done.\n"
    )
    result = add_attempt(loads(text), "A-001", NewAttempt("Next step.", "planning"), now=NOW)
    assert result.added_lines == ["  * [2026-02-03T040506Z] Attempt #21 — planning: Next step."]
    assert result.attempt.kind is AttemptKind.planning


def test_one_line_attempt_without_a_final_period_ends_its_sentence_before_the_extras():
    spec = NewAttempt("Scaled rerun landed; guard GREEN", "implementation", artifacts=("r.log",))
    result = add_attempt(loads(_before("italic")), "DEBUG-SIM-LINES-DOSE-001", spec, now=NOW)
    (line,) = result.added_lines
    assert line.endswith("guard GREEN. Artifacts: `r.log`.")
    done = NewAttempt("Guard GREEN (3 passed)!", "implementation", artifacts=("r.log",))
    result = add_attempt(loads(_before("italic")), "DEBUG-SIM-LINES-DOSE-001", done, now=NOW)
    assert result.added_lines[0].endswith("(3 passed)! Artifacts: `r.log`.")


def test_newest_first_section_gets_the_attempt_on_top():
    ledger = loads(_before("latest"))
    focus = ledger.get("FIX-PYTORCH-FORWARD-PARITY-001")
    result = add_attempt(ledger, focus.id, PROBE, now=NOW)
    assert result.line == focus.attempts[0].line
    new = result.ledger.get(focus.id)
    assert new.attempts[0].timestamp == NOW.replace(second=6)


def test_oldest_first_section_gets_the_attempt_at_the_bottom():
    ledger = loads(_before("dated"))
    focus = ledger.get("ARCH-SIM-HKL-BOUNDS-001")
    result = add_attempt(ledger, focus.id, NewAttempt("x", "planning"), now=NOW)
    assert result.line == focus.attempts[-1].end_line + 1
    assert result.ledger.get(focus.id).attempts[-1].summary == "x"


def test_timestamp_format_is_copied_from_the_focus():
    latest = add_attempt(loads(_before("latest")), "FIX-PYTORCH-FORWARD-PARITY-001", PROBE, now=NOW)
    assert latest.attempt.timestamp_text == "2026-02-03T040506Z"
    heading = add_attempt(loads(_before("heading")), "seed", PROBE, now=NOW)
    assert heading.attempt.timestamp_text == "2026-02-03T04:05Z"
    italic = add_attempt(loads(_before("italic")), "DEBUG-SIM-LINES-DOSE-001", PROBE, now=NOW)
    assert italic.attempt.timestamp_text == "2026-02-03T04:05:06Z"


def test_explicit_timestamp_is_written_in_the_focus_format():
    spec = NewAttempt(
        "x", "planning", timestamp=datetime(2025, 12, 31, 23, 59, tzinfo=timezone.utc)
    )
    result = add_attempt(
        loads(_before("latest")), "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001", spec, now=NOW
    )
    assert result.attempt.timestamp_text == "2025-12-31T235900Z"


def test_mojibake_section_gets_the_clean_utf8_the_user_gave_and_one_warning():
    result = add_attempt(
        loads(_before("latest")),
        "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001",
        NewAttempt("café — b", "planning"),
        now=NOW,
    )
    line = result.added_lines[0]
    assert "‚Äî" not in line and "caf√©" not in line
    assert line.count("—") == 2 and "café" in line
    assert result.attempt.kind == AttemptKind.planning
    assert len(result.warnings) == 1 and "ledger fix" in result.warnings[0]
    # what check reports as mojibake is only what was there before
    from ledger.checks import check_text

    before = {f.line for f in check_text(_before("latest")) if f.code == "LDG801"}
    after = [f for f in check_text(result.text) if f.code == "LDG801"]
    assert after and {f.line for f in after} == before


def test_set_in_a_mojibake_section_writes_a_clean_note():
    result = set_field(
        loads(_before("latest")),
        "STUDY-SYNTH-FLY64-DOSE-OVERLAP-001",
        status="blocked",
        note="waits on the café run",
    )
    assert "café" in result.added_lines[0] and "caf√©" not in result.text
    assert result.warnings


def test_clean_utf8_section_keeps_real_dashes():
    result = add_attempt(
        loads(_before("dated")), "ARCH-REFACTOR-001", NewAttempt("a — b", "planning"), now=NOW
    )
    assert "‚Äî" not in result.added_lines[0] and "—" in result.added_lines[0]


def test_empty_focus_uses_configured_default_dialect():
    ledger = loads(_before("empty"))
    result = add_attempt(
        ledger,
        "SETUP-001",
        NewAttempt("x", "planning"),
        now=NOW,
        default_dialect=AttemptDialect.italic,
    )
    assert result.attempt.dialect == AttemptDialect.italic
    assert result.added_lines == ["- Attempts History:", "  - *2026-02-03T040506Z (planning):* x"]
    numbered = add_attempt(
        ledger,
        "SETUP-001",
        NewAttempt("x", "planning"),
        now=NOW,
        default_dialect=AttemptDialect.numbered,
    )
    assert numbered.attempt.number == 1 and numbered.attempt.timestamp_text == "2026-02-03"


def test_empty_focus_without_configuration_follows_the_ledger():
    result = add_attempt(
        loads(_before("numbered")), "TEST-INDEX-001", NewAttempt("x", "planning"), now=NOW
    )
    assert result.attempt.dialect == AttemptDialect.numbered
    empty = add_attempt(loads(_before("empty")), "SETUP-001", NewAttempt("x", "planning"), now=NOW)
    assert empty.attempt.dialect == AttemptDialect.latest
    # the attempt closes the section: after the last field, before the blank line
    assert empty.line == 9


def test_never_appends_at_end_of_file_or_in_another_section():
    text = _before("italic")
    ledger = loads(text)
    for focus in ledger.focus_items:
        result = add_attempt(ledger, focus.id, NewAttempt("x", "planning"), now=NOW)
        assert focus.line < result.line <= focus.end_line + 1
        _only_insert(text, result.text, len(result.added_lines))
    # only the last section of the file may end at the end of the file
    last = max(ledger.focus_items, key=lambda f: f.line)
    for focus in ledger.focus_items:
        if focus.id != last.id:
            result = add_attempt(ledger, focus.id, NewAttempt("x", "planning"), now=NOW)
            assert result.text.endswith(text[-200:])


def test_crlf_ledger_gets_crlf_lines():
    text = _before("empty").replace("\n", "\r\n")
    result = add_attempt(loads(text), "SETUP-001", NewAttempt("x", "planning"), now=NOW)
    assert "\n" not in result.text.replace("\r\n", "")
    _only_insert(text, result.text, 1)


def test_no_final_newline_is_kept():
    text = _before("empty").rstrip("\n")
    result = add_attempt(loads(text), "DOCS-001", NewAttempt("x", "planning"), now=NOW)
    assert not result.text.endswith("\n")
    assert result.text.endswith("x")
    _only_insert(text, result.text, 1)


def test_multiline_summary_becomes_continuation_lines():
    spec = NewAttempt("first line\nsecond line\n\nthird line", "planning")
    result = add_attempt(loads(_before("dated")), "ARCH-SIM-HKL-BOUNDS-001", spec, now=NOW)
    assert result.added_lines[1:] == ["    second line", "    third line"]
    assert result.attempt.end_line - result.attempt.line == 2


def test_unknown_focus_suggests_close_ids():
    with pytest.raises(UnknownFocusError) as info:
        add_attempt(loads(_before("numbered")), "TEST-SUITE-TRIAGE-02", PROBE, now=NOW)
    assert "TEST-SUITE-TRIAGE-002" in info.value.suggestions


def test_empty_summary_is_a_usage_error():
    with pytest.raises(UsageError):
        add_attempt(loads(_before("empty")), "SETUP-001", NewAttempt("  ", "planning"), now=NOW)


def test_timestamp_format_inference():
    assert timestamp_format("2025-11-19T190500Z") == "%Y-%m-%dT%H%M%SZ"
    assert timestamp_format("2026-01-22T02:40Z") == "%Y-%m-%dT%H:%MZ"
    assert timestamp_format("2025-11-14T0849Z") == "%Y-%m-%dT%H%MZ"
    assert timestamp_format("2025-10-15") == "%Y-%m-%d"
    assert timestamp_format("2026-01-26T00:35:00Z – 2026-01-26T01:00:00Z") == "%Y-%m-%dT%H:%M:%SZ"
    assert timestamp_format("no date") is None


# --- set ---------------------------------------------------------------------------------

GOLDEN_SETS = [
    (
        "set-status-dash-note",
        "latest",
        "FIX-IMPORT-SIDE-EFFECTS-001",
        {"status": "blocked", "note": "waiting on GPU"},
    ),
    (
        "set-status-paren-index",
        "numbered",
        "TEST-SUITE-TRIAGE-002",
        {"status": "done", "note": "Phase M closed"},
    ),
    ("set-priority-index", "numbered", "TEST-INDEX-001", {"priority": "High"}),
    ("set-status-bold", "dated", "ARCH-SIM-CONSTRUCTION-001", {"status": "in_progress"}),
    ("set-depends-missing-field", "empty", "DOCS-001", {"depends_on": ["SETUP-001"]}),
    (
        "set-status-reset-layout",
        "heading",
        "seed",
        {"status": "blocked", "note": "awaiting maintainer"},
    ),
]


@pytest.mark.parametrize(
    "case, layout, focus_id, kwargs", GOLDEN_SETS, ids=[c[0] for c in GOLDEN_SETS]
)
def test_set_matches_golden_and_touches_only_its_lines(case, layout, focus_id, kwargs):
    before = _before(layout)
    result = set_field(loads(before), focus_id, **kwargs)
    _check_golden(case, result.text)
    ops = _changes(before, result.text)
    touched = sum(max(i2 - i1, j2 - j1) for _tag, i1, i2, j1, j2 in ops)
    assert touched == len(result.added_lines) >= 1


def test_set_status_keeps_dash_qualifier_style():
    result = set_field(
        loads(_before("italic")),
        "FNO-STABILITY-OVERHAUL-001",
        status="in_progress",
        note="unblocked",
    )
    focus = result.ledger.get("FNO-STABILITY-OVERHAUL-001")
    assert focus.status_text == "in_progress — unblocked"
    assert focus.status == Status.in_progress


def test_set_status_keeps_paren_qualifier_style():
    result = set_field(
        loads(_before("italic")), "FIX-IMPORT-SIDE-EFFECTS-001", status="archived", note="moved"
    )
    focus = result.ledger.get("FIX-IMPORT-SIDE-EFFECTS-001")
    assert focus.status_text == "archived (moved)"
    assert result.added_lines == ["- **Status:** archived (moved)"]


def test_set_status_updates_the_index_row():
    result = set_field(loads(_before("numbered")), "TEST-INDEX-001", status="blocked")
    row = next(r for r in result.ledger.index.rows if r.id == "TEST-INDEX-001")
    assert row.status == Status.blocked
    assert result.ledger.get("TEST-INDEX-001").status == Status.blocked


def test_set_without_changes_is_a_usage_error():
    with pytest.raises(UsageError):
        set_field(loads(_before("empty")), "DOCS-001")
    with pytest.raises(UsageError):
        set_field(loads(_before("empty")), "DOCS-001", note="why")


def test_set_same_value_changes_nothing():
    text = _before("empty")
    result = set_field(loads(text), "DOCS-001", status="pending")
    assert result.text == text and not result.changed


def test_set_priority_is_written_as_the_ledger_word_and_unknown_ones_are_refused():
    text = _before("numbered")
    result = set_field(loads(text), "TEST-INDEX-001", priority="critical")
    assert result.ledger.get("TEST-INDEX-001").priority_text == "Critical"
    with pytest.raises(UsageError, match="unknown priority"):
        set_field(loads(text), "TEST-INDEX-001", priority="urgent")


def test_set_adds_missing_fields_in_template_order_under_the_heading():
    text = "# L\n\n## [A-001] One\n- Note: x\n"
    result = set_field(loads(text), "A-001", status="blocked", priority="Low", depends_on=["B-002"])
    assert result.added_lines == ["- Depends on: B-002", "- Priority: Low", "- Status: blocked"]
    assert result.text == (
        "# L\n\n## [A-001] One\n- Depends on: B-002\n- Priority: Low\n- Status: blocked\n"
        "- Note: x\n"
    )
    assert result.line == 4


def test_header_lines_added_together_go_under_the_title():
    result = set_header(loads("# L\n\n## [A-001] One\n"), last_updated="2026", active_focus="A-001")
    # in the order ledgers write them (this pinned Active Focus first before)
    assert result.text.startswith("# L\n**Last Updated:** 2026\n**Active Focus:** A-001 — One\n")
    assert result.added_lines == ["**Last Updated:** 2026", "**Active Focus:** A-001 — One"]


def test_header_lines_added_together_without_a_title_keep_last_updated_first():
    result = set_header(
        loads("## [A-001] One\n- Status: pending\n"),
        last_updated="2026-02-03",
        active_focus="A-001",
    )
    assert result.text == (
        "**Last Updated:** 2026-02-03\n**Active Focus:** A-001 — One\n"
        "## [A-001] One\n- Status: pending\n"
    )
    assert result.ledger.header.active_focus_id == "A-001"


# --- focus new ---------------------------------------------------------------------------

GOLDEN_FOCUS = [
    (
        "focus-new-latest",
        "latest",
        NewFocus(
            "FIX-NEW-LOADER-001",
            "Rewrite the loader",
            priority="High",
            depends_on=("FIX-IMPORT-SIDE-EFFECTS-001",),
        ),
    ),
    (
        "focus-new-numbered-index",
        "numbered",
        NewFocus("TEST-NEW-001", "New test focus", priority="Medium"),
    ),
    (
        "focus-new-italic-separators",
        "italic",
        NewFocus("FNO-FOLLOWUP-001", "Follow up the FNO study"),
    ),
    ("focus-new-dated", "dated", NewFocus("ARCH-NEW-001", "New architecture item", owner="Galph")),
    ("focus-new-empty", "empty", NewFocus("CI-001", "Add CI")),
]


@pytest.mark.parametrize("case, layout, spec", GOLDEN_FOCUS, ids=[c[0] for c in GOLDEN_FOCUS])
def test_focus_new_matches_golden_and_only_inserts(case, layout, spec):
    before = _before(layout)
    result = new_focus(loads(before), spec, now=NOW)
    _check_golden(case, result.text)
    assert all(op[0] == "insert" for op in _changes(before, result.text))
    focus = result.ledger.get(spec.id)
    assert focus is not None and focus.title == spec.title
    assert focus.status == Status.pending
    assert focus.field("working plan").value == f"`plans/active/{spec.id}/implementation.md`"
    assert focus.field("summary").value == f"`plans/active/{spec.id}/summary.md`"


def test_focus_new_copies_neighbour_level_and_separators():
    result = new_focus(loads(_before("italic")), NewFocus("X-001", "Title"), now=NOW)
    focus = result.ledger.get("X-001")
    assert focus.level == 3
    assert result.added_lines[:3] == ["", "---", ""]
    # it joins the active group, before `## Done / Archived Initiatives`
    done_group = result.text.index("## Done / Archived Initiatives")
    assert result.text.index("### [X-001]") < done_group


def test_focus_new_adds_an_index_row_with_github_anchor():
    result = new_focus(
        loads(_before("numbered")), NewFocus("TEST-NEW-001", "New test focus"), now=NOW
    )
    row = next(r for r in result.ledger.index.rows if r.id == "TEST-NEW-001")
    assert row.anchor == "test-new-001-new-test-focus"
    assert row.status == Status.pending


def test_focus_new_escapes_a_pipe_in_the_title_of_its_index_row():
    spec = NewFocus("TEST-NEW-001", "Read a | b tables", priority="high")
    result = new_focus(loads(_before("numbered")), spec, now=NOW)
    row = next(r for r in result.ledger.index.rows if r.id == "TEST-NEW-001")
    assert len(row.cells) == len(result.ledger.index.columns)
    assert row.priority == "High"  # the priority word as ledgers write it
    assert "Read a &#124; b tables" in row.cells


def test_focus_new_refuses_an_unknown_priority():
    with pytest.raises(UsageError, match="unknown priority"):
        new_focus(loads(_before("numbered")), NewFocus("X-001", "t", priority="urgent"), now=NOW)


def test_focus_new_refuses_an_existing_id():
    with pytest.raises(EditRefused):
        new_focus(loads(_before("numbered")), NewFocus("TEST-INDEX-001", "dup"), now=NOW)
    with pytest.raises(EditRefused):  # reset-layout focus items exist without a section
        new_focus(loads(_before("heading")), NewFocus("seed", "dup"), now=NOW)


def test_focus_new_in_the_reset_layout_writes_the_default_priority():
    result = new_focus(loads(_before("heading")), NewFocus("NEW-001", "New thing"), now=NOW)
    assert result.added_lines[1:3] == ["## [NEW-001] New thing", "- Priority: Medium"]
    assert result.ledger.get("NEW-001").priority is Priority.medium
    high = new_focus(loads(_before("heading")), NewFocus("NEW-001", "t", priority="high"), now=NOW)
    assert high.ledger.get("NEW-001").priority is Priority.high


def test_focus_new_rejects_unusable_ids():
    with pytest.raises(UsageError):
        new_focus(loads(_before("empty")), NewFocus("HAS SPACE", "t"), now=NOW)


def test_plan_templates_name_the_focus():
    files = plan_templates(NewFocus("X-001", "Do it"), NOW)
    assert "X-001" in files["implementation"] and "X-001" in files["summary"]
    assert "2026-02-03" in files["summary"]


def test_github_slug():
    assert github_slug("[TEST-SUITE-TRIAGE-002] Full pytest rerun and triage refresh") == (
        "test-suite-triage-002-full-pytest-rerun-and-triage-refresh"
    )
    assert github_slug("[STAGEA-PARAM-001] Geometry & beam") == "stagea-param-001-geometry--beam"


# --- header ------------------------------------------------------------------------------

GOLDEN_HEADERS = [
    (
        "header-latest",
        "latest",
        {"last_updated": "auto", "active_focus": "FIX-IMPORT-SIDE-EFFECTS-001"},
    ),
    ("header-numbered-bullets", "numbered", {"active_focus": "TEST-INDEX-001"}),
    (
        "header-reset-layout",
        "heading",
        {"active_focus": "seed", "last_updated": "2026-02-03 (loop 7)"},
    ),
]


@pytest.mark.parametrize("case, layout, kwargs", GOLDEN_HEADERS, ids=[c[0] for c in GOLDEN_HEADERS])
def test_header_matches_golden(case, layout, kwargs):
    before = _before(layout)
    result = set_header(loads(before), now=NOW, **kwargs)
    _check_golden(case, result.text)
    header = result.ledger.header
    if "active_focus" in kwargs:
        assert header.active_focus_id == kwargs["active_focus"]
    if kwargs.get("last_updated") == "auto":
        assert header.last_updated == "2026-02-03"


def test_header_unknown_active_focus():
    with pytest.raises(UnknownFocusError):
        set_header(loads(_before("empty")), active_focus="NOPE-001", now=NOW)


def test_reset_layout_status_of_a_focus_that_is_not_current_is_refused():
    text = (Path(__file__).parent / "data" / "ptychopinn" / "1769146718_8ba57f96.md").read_text(
        encoding="utf-8"
    )
    ledger = loads(text)
    assert ledger.header.active_focus_id == "DEBUG-SIM-LINES-DOSE-001"
    with pytest.raises(EditRefused):
        set_field(ledger, "seed", status="done")
    result = set_field(ledger, "DEBUG-SIM-LINES-DOSE-001", status="blocked")
    assert result.ledger.get("DEBUG-SIM-LINES-DOSE-001").status == Status.blocked


RESET = Path(__file__).parent / "data" / "ptychopinn" / "1769146718_8ba57f96.md"


def test_reset_layout_attempt_goes_where_the_log_continues_after_todos():
    # The loop went on appending after `## TODOs` (l.785); its last entry ends the file.
    text = RESET.read_text(encoding="utf-8")
    result = add_attempt(loads(text), "DEBUG-SIM-LINES-DOSE-001", PROBE, now=NOW)
    old = text.splitlines()
    new = result.text.splitlines()
    assert new[: len(old)] == old  # appended after l.1464, nothing mid-file
    assert new[len(old) + 1].startswith("### 2026-02-03T04:05Z — DEBUG-SIM-LINES-DOSE-001")
    assert result.focus.last_attempt.line == len(old) + 2


def test_reset_layout_attempt_of_another_focus_also_continues_the_shared_log():
    text = RESET.read_text(encoding="utf-8")
    result = add_attempt(loads(text), "seed", NewAttempt("Seed follow-up.", "planning"), now=NOW)
    assert result.text.startswith(text) and result.focus.attempts[-1].line == 1466


def test_reset_layout_log_that_ends_before_todos_is_continued_there():
    before = _before("heading")
    result = add_attempt(loads(before), "seed", PROBE, now=NOW)
    todos = before.splitlines().index("## TODOs")
    new = result.text.splitlines()
    assert new[todos - 1 : todos + 1] == ["", "### 2026-02-03T04:05Z — seed (implementation)"]
    assert new[todos + len(result.added_lines)] == "## TODOs"


# --- property: any generated ledger, any focus -------------------------------------------

_ATTEMPT_LINES = {
    "latest": lambda d, n: [f"- Latest Attempt ({d}T0{n}0000Z): planning — step {n}"],
    "numbered": lambda d, n: [f"  * [{d}] Attempt #{n} — Result: success. step {n}"],
    "dated": lambda d, n: [f"  * {d}T0{n}0000Z — step {n}"],
    "italic": lambda d, n: [f"  - *{d}T0{n}:00:00Z (planning):* step {n}"],
}


@st.composite
def _ledgers(draw):
    dialect = draw(st.sampled_from(sorted(_ATTEMPT_LINES)))
    level = draw(st.sampled_from([2, 3]))
    separator = draw(st.sampled_from([[""], ["", "---", ""], []]))
    lines = ["# Plan", "", "**Last Updated:** 2026-01-01", ""]
    for k in range(draw(st.integers(1, 4))):
        lines.append(f"{'#' * level} [F-{k:03d}] Focus {k}")
        lines.append(f"- Status: {draw(st.sampled_from(['pending', 'blocked — x', 'done (y)']))}")
        count = draw(st.integers(0, 4))
        days = draw(st.lists(st.integers(1, 9), min_size=count, max_size=count))
        if dialect != "latest" and (count or draw(st.booleans())):
            lines.append("- Attempts History:")
        for n, day in enumerate(days, 1):
            lines += _ATTEMPT_LINES[dialect](f"2026-01-0{day}", n)
        if draw(st.booleans()):
            lines.append("- Notes: trailing field")
        lines += separator
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_ledgers(), pick=st.integers(0, 3), summary=st.text(min_size=1, max_size=30))
def test_property_attempt_add_is_one_insertion_in_the_right_section(text, pick, summary):
    summary = "".join(c for c in summary if c.isprintable() or c == "\n").strip() or "x"
    ledger = loads(text)
    focus = ledger.focus_items[pick % len(ledger.focus_items)]
    result = add_attempt(ledger, focus.id, NewAttempt(summary, "planning"), now=NOW)
    start = _only_insert(text, result.text, len(result.added_lines))
    assert focus.line <= start <= focus.end_line
    for other in ledger.focus_items:
        expected = len(other.attempts) + (other.id == focus.id)
        assert len(result.ledger.get(other.id).attempts) == expected
    assert result.attempt is not None


def test_set_status_keeps_markup_only_when_it_wraps_the_status_word():
    text = "# P\n\n## [A-1] a\n- Status: **G-scaled ✅ COMPLETE** — rest\n\n## [B-1] b\n- Status: `done`\n"
    result = set_field(loads(text), "A-1", status="blocked")
    assert result.added_lines == ["- Status: blocked"]
    result = set_field(loads(text), "B-1", status="archived")
    assert result.added_lines == ["- Status: `archived`"]


def test_reset_layout_refuses_to_hand_the_current_focus_status_to_another_item():
    from conftest import RESET, read_corpus

    text = read_corpus(RESET)
    ledger = loads(text)
    with pytest.raises(EditRefused, match="## Current Focus") as info:
        set_header(ledger, active_focus="seed")
    assert "## Status" in (info.value.hint or "")
    same = set_header(ledger, active_focus="DEBUG-SIM-LINES-DOSE-001")
    assert same.text == text and not same.changed


def test_a_header_edit_warns_about_mojibake_only_when_the_header_has_it():
    clean_header = "# Plan\n\n**Last Updated:** 2026-01-01\n\n## [A-001] First\n- Status: caf‚Äî\n"
    result = set_header(loads(clean_header), last_updated="2026-02-02")
    assert result.changed and result.warnings == ()
    dirty_header = "# Plan ‚Äî notes\n\n**Last Updated:** 2026-01-01\n\n## [A-001] First\n"
    result = set_header(loads(dirty_header), last_updated="2026-02-02")
    assert len(result.warnings) == 1 and "header" in result.warnings[0]
