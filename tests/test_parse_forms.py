"""The other plan forms: every public plan file reads as a person reads it, and each form on its own.

The expectations for the public files and the samples are written by hand in
`tests/data/expected/*.json` (see its README: what counts as an item, how each field was
decided); this test compares the parser with them, item by item.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DATA, read_corpus
from hypothesis import given
from hypothesis import strategies as st

import ledger
from ledger.ids import derive_id
from ledger.model import ItemForm, Status
from ledger.parse.forms import has_roadmap
from ledger.vocab import Priority, read_priority

EXPECTED = DATA / "expected"
CASES = sorted(EXPECTED.glob("*.json")) + sorted((EXPECTED / "samples").glob("*.json"))
# How the expectations write a status, as `Status` values (`open` is pending; archived is done).
STATUS_OF = {"open": {Status.pending}, "done": {Status.done, Status.archived}}
# An archived stub takes its title from its first bullet (`### [ID] — **archived** (...)`): the
# expectations README lets a test skip the title there.
ARCHIVED_STUB = re.compile(r"^#+ \[[^\]]+\] — \*\*")


def plan_file(case: Path) -> Path:
    if case.parent.name == "samples":
        return case.with_suffix("")
    return DATA / "public" / json.loads(case.read_text())["file"]


def priority_of(item) -> str | None:
    """The priority in the expectations' words: a level's name, or a label as written."""
    label = read_priority(item.priority_text).label if item.priority_text else ""
    if re.fullmatch(r"P?[0-9]", label):
        return label
    return item.priority.value.lower() if item.priority else None


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem.split("__")[0])
def test_every_item_a_person_sees_is_read_with_its_id_title_status_group_and_priority(case):
    expected = json.loads(case.read_text())["items"]
    path = plan_file(case)
    text = read_corpus(path)
    lines = text.split("\n")
    items = ledger.loads(text).focus_items
    assert [i.line for i in items] == [e["line"] for e in expected]
    for item, want in zip(items, expected):
        where = f"{path.name}:{want['line']}"
        assert (None if item.derived_id else item.id) == want["id"], where
        statuses = (
            STATUS_OF[want["status"]] if want["status"] in STATUS_OF else {Status(want["status"])}
        )
        assert item.status in statuses, where
        assert item.group == want["group"], where
        assert priority_of(item) == want["priority"], where
        assert item.depends_on == want.get("depends_on", []), where
        assert item.optional == want.get("optional", False), where
        if not ARCHIVED_STUB.match(lines[item.line - 1]):
            assert item.title == want["title"], where


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem.split("__")[0])
def test_public_plans_read_back_byte_for_byte(case):
    text = read_corpus(plan_file(case))
    assert ledger.dumps(ledger.loads(text)) == text


# --- each form -----------------------------------------------------------------------------


def items_of(text: str):
    return ledger.loads(text).focus_items


def test_a_checkbox_queue_takes_priority_and_placement_from_its_groups():
    items = items_of(
        "# Plan\n\n## High Priority\n- [ ] A thing\n- [x] Done thing\n\n"
        "## Low Priority\n- [ ] Later\n\n## Optional\n- [ ] Nice\n\n"
        "## Completed\n- [ ] Left unticked\n- [x] Ticked\n\n## Notes\n- [ ] not an item\n"
    )
    assert [(i.title, i.status, i.priority, i.group, i.optional) for i in items] == [
        ("A thing", Status.pending, Priority.high, "High Priority", False),
        ("Done thing", Status.done, Priority.high, "High Priority", False),
        ("Later", Status.pending, Priority.low, "Low Priority", False),
        ("Nice", Status.pending, None, "Optional", True),
        ("Left unticked", Status.done, None, "Completed", False),
        ("Ticked", Status.done, None, "Completed", False),
    ]
    assert {i.form for i in items} == {ItemForm.checkbox}


def test_a_group_heading_marked_done_closes_its_unticked_items():
    items = items_of("# P\n\n## Phase 1: HTML ✅\n- [ ] page one\n\n## Phase 2\n- [ ] page two\n")
    assert [(i.title, i.status) for i in items] == [
        ("page one", Status.done),
        ("page two", Status.pending),
    ]


def test_a_blocked_marker_gives_status_reason_and_its_own_priority():
    (item,) = items_of("# P\n\n## Low Priority\n- [BLOCKED:P1:vendor keys] Integrate payments\n")
    assert (item.status, item.title, item.priority_text) == (
        Status.blocked,
        "Integrate payments",
        "P1",
    )
    assert item.status_text == "[BLOCKED:P1:vendor keys]"


def test_nested_checkboxes_are_steps_and_numbered_sub_tasks_are_items():
    text = (
        "# P\n\n## Queue\n- [ ] Retry with backoff\n  - [ ] Cap retries\n  - [x] Log retries\n"
        "- [ ] 2. Models\n  - [x] 2.1 Interfaces\n  - [ ]* 2.2 Tests\n"
    )
    retry, models, interfaces, tests = items_of(text)
    assert [(s.line, s.done, s.text) for s in retry.steps] == [
        (5, False, "Cap retries"),
        (6, True, "Log retries"),
    ]
    assert (models.id, interfaces.id, tests.id) == ("2", "2.1", "2.2")
    assert (interfaces.status, tests.optional, models.status) == (Status.done, True, Status.pending)


def test_spec_kit_tags_leave_the_title_and_an_inline_dependency_is_read():
    (item,) = items_of(
        "# Tasks\n\n## Phase 3 (Priority: P1)\n- [ ] T010 [P] [US1] Add API in a.py (depends on T009)\n"
    )
    assert (item.id, item.title, item.depends_on, item.priority_text) == (
        "T010",
        "Add API in a.py",
        ["T009"],
        "P1",
    )


def test_a_numbered_queue_has_fields_and_its_completed_log_is_done():
    text = (
        "# fix_plan\n\nRules:\n\n1. Keep it short.\n\n## Queue\n\n1. Brain: ingest\n"
        "   - Spec: `specs/17.md`\n   - Verify: `cargo test`\n\n## Completed\n\n"
        "- 2026-02-27: Implemented v1\n  - Spec: `specs/14.md`\n- [2026-01-29] Basic client\n"
    )
    queue, first, second = items_of(text)
    assert (queue.form, queue.title, [f.name for f in queue.fields]) == (
        ItemForm.numbered,
        "Brain: ingest",
        ["Spec", "Verify"],
    )
    assert [(i.form, i.title, i.status) for i in (first, second)] == [
        (ItemForm.log, "Implemented v1", Status.done),
        (ItemForm.log, "Basic client", Status.done),
    ]


@pytest.mark.parametrize(
    ("heading", "item_id", "title", "status"),
    [
        ("### W1: Wire the loader", "W1", "Wire the loader", Status.pending),
        ("### Batch 3: Port the CLI", "Batch 3", "Port the CLI", Status.pending),
        ("### Task 1.2 Add the cache", "Task 1.2", "Add the cache", Status.pending),
        ("### Fix 2 — Null pointer ✅", "Fix 2", "Null pointer", Status.done),
        ("## Issue 4: Slow start FIXED", "Issue 4", "Slow start", Status.done),
        ("### Fix 3 — Retry storm DEFERRED", "Fix 3", "Retry storm", Status.deferred),
        ("### Fix 5 — Keys 🟠 BLOCKED", "Fix 5", "Keys", Status.blocked),
        ("### P5（暂缓）：score_filter 回退", "P5", "score_filter 回退", Status.deferred),
    ],
)
def test_a_heading_item_reads_its_code_title_and_status_word(heading, item_id, title, status):
    (item,) = items_of(f"# Plan\n\n## Work\n\n{heading}\n**File:** `a.py`\n- **Action**: fix it\n")
    assert (item.form, item.id, item.title, item.status) == (
        ItemForm.heading,
        item_id,
        title,
        status,
    )
    assert [f.name for f in item.fields] == ["File", "Action"]


def test_a_heading_with_checkboxes_under_it_is_a_group_not_an_item():
    (item,) = items_of("# Plan\n\n### Task 1: Setup\n- [ ] Create the repo\n")
    assert (item.form, item.group) == (ItemForm.checkbox, "Task 1: Setup")


def test_a_bold_id_paragraph_takes_its_title_and_priority_from_its_fields():
    (item,) = items_of(
        "# Fix Plan\n\n## TIER 0 — Cannot run\n\n---\n\n**FIX-01**\n- Priority: Tier 0\n"
        "- File: a.sql\n- Issue: Table DDL is commented out\n- Fix: Uncomment it\n\n---\n"
    )
    assert (item.form, item.id, item.title, item.priority_text, item.group) == (
        ItemForm.bold,
        "FIX-01",
        "Table DDL is commented out",
        "P0",
        "TIER 0 — Cannot run",
    )


def test_task_table_rows_are_items_and_other_tables_are_not():
    text = (
        "# Audit\n\n## Phase 1\n\n| Task | Priority | Status |\n| :--- | :--- | :--- |\n"
        "| **[C-01] Fix paths** | Critical | [x] Complete |\n| **[H-01] Add delete** | High | [ ] |\n\n"
        "## Summary\n\n| Tier | Count |\n|---|---|\n| 0 | 5 |\n"
    )
    done, open_ = items_of(text)
    assert [(i.form, i.id, i.title, i.status, i.priority) for i in (done, open_)] == [
        (ItemForm.table, "C-01", "Fix paths", Status.done, Priority.critical),
        (ItemForm.table, "H-01", "Add delete", Status.pending, Priority.high),
    ]


def test_front_matter_and_non_english_headings_are_read():
    text = (
        "---\nname: 计划\n---\n\n# 计划\n\n## المرحلة 1 ✅\n- [ ] صفحة\n\n## 待办\n- [ ] 任务一\n"
    )
    first, second = items_of(text)
    assert (first.group, first.status) == ("المرحلة 1 ✅", Status.done)
    assert (second.group, second.status, second.id) == ("待办", Status.pending, "任务一")


def test_a_checkbox_list_inside_a_focus_section_is_that_sections_text():
    text = "# Ledger\n\n## [A-001] Loader\n- Status: in_progress\n- Do Now:\n  - [ ] step one\n- [ ] loose\n"
    (item,) = items_of(text)
    assert (item.id, item.form) == ("A-001", ItemForm.section)


def test_a_roadmap_adds_only_ids_without_a_section_and_only_when_it_restates_sections():
    text = (
        "# Ledger\n\n## Execution Roadmap\n### Tier 0\n"
        "- [A-001] (Loader) — **in_progress**\n- [B-002] (Writer) — **done** (2025-12-01)\n\n---\n\n"
        "## Active\n\n### [A-001] Loader\n- Status: in_progress\n"
    )
    items = items_of(text)
    assert [(i.id, i.form, i.status, i.group) for i in items] == [
        ("B-002", ItemForm.roadmap, Status.done, "Tier 0"),
        ("A-001", ItemForm.section, Status.in_progress, "Active"),
    ]
    alone = text.replace(
        "### [A-001] Loader\n- Status: in_progress\n", "### [C-003] Other\n- Status: pending\n"
    )
    assert [i.id for i in items_of(alone)] == ["C-003"]


def test_dated_notes_under_an_item_are_its_attempts():
    (item,) = items_of(
        "# P\n\n## Queue\n- [ ] Loader\n  - 2026-02-03T04:05Z (planning) — read the spec\n"
    )
    (note,) = item.attempts
    assert (note.line, note.summary, note.kind.value) == (5, "read the spec", "planning")


# --- derived IDs -----------------------------------------------------------------------------


def test_a_derived_id_is_the_title_in_words_and_survives_edits_elsewhere_and_reordering():
    text = "# P\n\n## Queue\n- [ ] Create `src/ralph.sh` - main loop script\n- [ ] Add docs\n"
    before = {i.title: i.id for i in items_of(text)}
    assert (
        before["Create src/ralph.sh - main loop script"] == "create-src-ralph-sh-main-loop-script"
    )
    edited = text.replace("- [ ] Add docs\n", "- [x] Add docs\n- [ ] New one\n")
    reordered = "# P\n\n## Queue\n- [ ] Add docs\n- [ ] Create `src/ralph.sh` - main loop script\n"
    for other in (edited, reordered):
        after = {i.title: i.id for i in items_of(other)}
        assert (
            after["Create src/ralph.sh - main loop script"]
            == before["Create src/ralph.sh - main loop script"]
        )
        assert after["Add docs"] == before["Add docs"]


def test_two_items_with_one_title_get_distinct_ids_in_document_order():
    items = items_of("# P\n\n## A\n- [ ] Write tests\n\n## B\n- [ ] Write tests\n")
    assert [i.id for i in items] == ["write-tests", "write-tests-2"]
    assert all(i.derived_id for i in items)


def test_a_long_title_is_cut_at_a_word_and_an_empty_one_still_has_an_id():
    assert derive_id("Implement the loader for every " + "very " * 20 + "long thing") == (
        "implement-the-loader-for-every-very-very-very"
    )
    assert derive_id("…") == "item"


# --- tolerance ---------------------------------------------------------------------------------

_LINE = st.one_of(
    st.sampled_from(
        [
            "# Plan", "## High Priority", "## Completed", "## Notes", "### W1: Title", "### P5（暂缓）：x",
            "- [ ] item", "- [x] CR-01: done", "  - [ ] step", "- [BLOCKED] x", "- [BLOCKED:P1:", "1. step",
            "   - Spec: a", "- 2026-02-27: shipped", "**FIX-01**", "- Priority: Tier 0", "- Issue: x",
            "| Task | Status |", "|---|---|", "| **[C-01] x** | [x] Complete |", "| a |", "---", "```", "",
            "- [ID-1] (Title) — **done**", "## [A-1] T", "- Status: done", "  - 2026-01-01 (x) — note",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
)  # fmt: skip


@given(st.lists(_LINE, max_size=40), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_any_plan_shaped_text_parses_and_reads_back_byte_for_byte(lines, newline, final):
    text = newline.join(lines) + (newline if final else "")
    doc = ledger.loads(text)
    assert ledger.dumps(doc) == text
    ids = [i.id for i in doc.focus_items if i.derived_id]
    assert len(ids) == len(set(ids))


def test_a_note_under_a_kiro_sub_task_is_the_sub_tasks_and_not_its_parents():
    text = (
        "- [ ] 2. Implement data models\n"
        "  - [x] 2.1 Create core interfaces\n"
        "    - _Requirements: 2.1_\n"
        "    - 2026-02-03T040500Z (planning) — looked at 2.1\n"
        "  - [ ] 2.2 Implement the User model\n"
        "  - 2026-02-04T040500Z (planning) — looked at 2\n"
    )
    parsed = ledger.loads(text)
    assert [a.summary for a in parsed.get("2.1").attempts] == ["looked at 2.1"]
    assert [a.summary for a in parsed.get("2").attempts] == ["looked at 2"]
    assert ledger.dumps(parsed) == text


@pytest.mark.parametrize("gap", [" ", "\t", "  ", " \t", "\t "])
def test_a_roadmap_bullet_is_found_whatever_blanks_part_its_id_and_title(gap):
    text = f"# Plan\n\nprose [x] here\n- [ROAD-001]{gap}(Title) — **in progress**\n"
    assert has_roadmap(text)
    assert not has_roadmap(text.replace("(Title)", "Title"))
    assert not has_roadmap("- [ROAD-001] Title — **done**\n* [2025-10-15] Attempt #1 (loop)\n")
