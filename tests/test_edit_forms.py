"""Edits of the items in the other plan forms (edit.forms, edit.completed, edit.new_item): each
edit changes only the lines it must, in the item's own form, and the result reads back with the
new status. Every expectation is the whole new text: the old text with the expected lines
changed, everything else byte-identical."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from ledger.edit import NewAttempt, NewFocus, add_attempt, new_focus, set_field
from ledger.errors import EditRefused, UsageError
from ledger.model import ItemForm
from ledger.parse import loads
from ledger.vocab import AttemptDialect, Priority, Status

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 2, 3, 4, 5, tzinfo=timezone.utc)


def read(name: str) -> str:
    path = DATA / "public" / name
    if not path.exists():
        path = DATA / "expected" / "samples" / name
    return path.read_text(encoding="utf-8")


RALPH = read("ralph_fix_plan.md")
SPECKIT = read("speckit_tasks.md")
KIRO = read("kiro_tasks.md")
NEURON = read("SecBear__neuron__fix_plan.md")
BG_REMOVE = read("HazielCC__bg-remove__docs_fix_plan.md")
PDF_SKU = read("zhangzongchu2019__pdf-sku__docs_fix_plan.md")
DQ_AGENT = read("san042__dq-agent__docs_fix_plan.md")
MILESTONE = read("mattcallaway__milestone-app__docs_fix_plan.md")

CONFIG_LOADER = "implement-config-loader-for-yaml-and-toml-files"
PAYMENT = "integrate-payment-gateway-sandbox"

HEADINGS = """\
# Work

## Active

### W1: Cache the index
**Status:** pending
**Problem:** the index is rebuilt on every call

### W2: Retry uploads ✅

### W3（暂缓）：Drop the legacy API
"""


def swap(text: str, old: str, new: str) -> str:
    """`text` with its one line `old` replaced by `new` (and nothing else)."""
    assert text.count(old + "\n") == 1, old
    return text.replace(old + "\n", new + "\n")


def one_item(text: str, item_id: str):
    items = loads(text).all_named(item_id)
    assert len(items) == 1, item_id
    return items[0]


# --- checkbox queues ----------------------------------------------------------------------


def test_done_ticks_the_box_a_one_character_diff():
    result = set_field(loads(RALPH), CONFIG_LOADER, status="done")
    assert result.text == swap(
        RALPH,
        "- [ ] Implement config loader for YAML and TOML files",
        "- [x] Implement config loader for YAML and TOML files",
    )
    assert sum(a != b for a, b in zip(RALPH, result.text, strict=True)) == 1
    assert one_item(result.text, CONFIG_LOADER).status is Status.done


def test_ticking_a_box_keeps_the_derived_id():
    before = one_item(RALPH, CONFIG_LOADER)
    assert before.derived_id
    after = one_item(set_field(loads(RALPH), CONFIG_LOADER, status="done").text, CONFIG_LOADER)
    assert (after.id, after.derived_id, after.line) == (before.id, True, before.line)


def test_pending_clears_a_ticked_box():
    item = "set-up-project-skeleton-and-ci-workflow"
    result = set_field(loads(RALPH), item, status="pending")
    assert result.text == swap(
        RALPH,
        "- [x] Set up project skeleton and CI workflow",
        "- [ ] Set up project skeleton and CI workflow",
    )
    assert one_item(result.text, item).status is Status.pending


def test_blocked_writes_the_reason_in_place_of_the_box():
    result = set_field(loads(RALPH), CONFIG_LOADER, status="blocked", note="needs the schema")
    assert result.text == swap(
        RALPH,
        "- [ ] Implement config loader for YAML and TOML files",
        "- [BLOCKED:needs the schema] Implement config loader for YAML and TOML files",
    )
    item = one_item(result.text, CONFIG_LOADER)
    assert item.status is Status.blocked


def test_a_blocked_checkbox_needs_a_reason():
    with pytest.raises(UsageError):
        set_field(loads(RALPH), CONFIG_LOADER, status="blocked")


def test_unblocking_gives_the_box_back():
    result = set_field(loads(RALPH), PAYMENT, status="pending")
    assert result.text == swap(
        RALPH,
        "- [BLOCKED:P1:waiting on sandbox API keys from vendor] Integrate payment gateway sandbox",
        "- [ ] Integrate payment gateway sandbox",
    )
    assert one_item(result.text, PAYMENT).status is Status.pending


def test_deferred_is_a_marker_after_the_title():
    result = set_field(loads(RALPH), CONFIG_LOADER, status="deferred")
    assert result.text == swap(
        RALPH,
        "- [ ] Implement config loader for YAML and TOML files",
        "- [ ] Implement config loader for YAML and TOML files (deferred)",
    )
    assert one_item(result.text, CONFIG_LOADER).status is Status.deferred


def test_pending_drops_the_deferred_marker_again():
    deferred = set_field(loads(RALPH), CONFIG_LOADER, status="deferred").text
    assert set_field(loads(deferred), CONFIG_LOADER, status="pending").text == RALPH


def test_speckit_task_keeps_its_id_and_tags():
    result = set_field(loads(SPECKIT), "T010", status="done")
    line = "- [ ] T010 [US1] Implement POST /albums endpoint in src/albums/api/albums.py (depends on T009)"
    assert result.text == swap(SPECKIT, line, line.replace("[ ]", "[x]", 1))
    item = one_item(result.text, "T010")
    assert (item.status, item.depends_on) == (Status.done, ["T009"])


def test_kiro_sub_task_is_ticked_where_it_is_nested():
    result = set_field(loads(KIRO), "2.2", status="done")
    assert result.text == swap(
        KIRO,
        "  - [ ] 2.2 Implement User model with validation",
        "  - [x] 2.2 Implement User model with validation",
    )
    assert one_item(result.text, "2.2").status is Status.done


def test_kiro_task_blocked_keeps_its_number():
    result = set_field(loads(KIRO), "3", status="blocked", note="no database yet")
    assert result.text == swap(
        KIRO,
        "- [ ] 3. Create storage mechanism",
        "- [BLOCKED:no database yet] 3. Create storage mechanism",
    )
    assert one_item(result.text, "3").status is Status.blocked


def test_move_to_completed_ticks_and_moves_the_item():
    result = set_field(loads(RALPH), CONFIG_LOADER, move_to_completed=True, now=NOW)
    expected = swap(RALPH, "- [ ] Implement config loader for YAML and TOML files", "@@")
    expected = expected.replace("@@\n", "")
    expected = swap(
        expected,
        "- [ ] Migrated settings to the new config format",
        "- [ ] Migrated settings to the new config format\n"
        "- [x] Implement config loader for YAML and TOML files",
    )
    assert result.text == expected
    item = one_item(result.text, CONFIG_LOADER)
    assert (item.status, item.group) == (Status.done, "Completed")


def test_move_to_completed_takes_the_steps_along():
    item = "add-retry-with-backoff-to-the-http-client"
    result = set_field(loads(RALPH), item, move_to_completed=True, now=NOW)
    block = (
        "- [ ] Add retry with backoff to the HTTP client\n"
        "  - [ ] Cap retries at 5\n"
        "  - [x] Log each retry at debug level\n"
    )
    assert block in RALPH
    expected = RALPH.replace(block, "").replace(
        "- [ ] Migrated settings to the new config format\n",
        "- [ ] Migrated settings to the new config format\n" + block.replace("[ ] Add", "[x] Add"),
    )
    assert result.text == expected
    moved = one_item(result.text, item)
    assert (moved.status, moved.group, len(moved.steps)) == (Status.done, "Completed", 2)


def test_a_file_without_a_completed_group_gets_one_at_its_end():
    result = set_field(loads(SPECKIT), "T003", move_to_completed=True, now=NOW)
    line = "- [ ] T003 [P] Configure linting and formatting tools in ruff.toml"
    expected = swap(SPECKIT, line, "@@").replace("@@\n", "")
    expected += "\n## Completed\n\n" + line.replace("[ ]", "[x]") + "\n"
    assert result.text == expected
    assert one_item(result.text, "T003").group == "Completed"


def test_depends_is_written_after_the_title():
    result = set_field(loads(SPECKIT), "T011", depends_on=["T009", "T010"])
    line = "- [ ] T011 [US1] Add validation and error handling in src/albums/api/albums.py"
    assert result.text == swap(SPECKIT, line, line + " (depends on T009, T010)")
    assert one_item(result.text, "T011").depends_on == ["T009", "T010"]


def test_depends_replaces_the_written_ones():
    result = set_field(loads(SPECKIT), "T010", depends_on=["T006"])
    line = "- [ ] T010 [US1] Implement POST /albums endpoint in src/albums/api/albums.py"
    assert result.text == swap(SPECKIT, line + " (depends on T009)", line + " (depends on T006)")
    assert one_item(result.text, "T010").depends_on == ["T006"]


# --- dated notes --------------------------------------------------------------------------


def test_attempt_add_nests_a_dated_note_under_a_checkbox_item():
    attempt = NewAttempt(summary="tried the TOML parser", kind="planning")
    result = add_attempt(loads(RALPH), CONFIG_LOADER, attempt, now=NOW)
    line = "- [ ] Implement config loader for YAML and TOML files"
    lines = result.added_lines
    assert len(lines) == 1 and lines[0].startswith("  - 2026-02-03")
    assert result.text == swap(RALPH, line, f"{line}\n{lines[0]}")
    notes = one_item(result.text, CONFIG_LOADER).attempts
    assert [(a.dialect, a.timestamp) for a in notes] == [(AttemptDialect.dated, NOW)]
    assert "tried the TOML parser" in notes[0].text


def test_attempt_add_goes_after_the_last_line_of_a_numbered_entry():
    item = "brain-job-groups-fan-out-merge-for-large"
    result = add_attempt(loads(NEURON), item, NewAttempt(summary="fan-out works"), now=NOW)
    verify = "   - Verify: `nix develop -c cargo test -p brain`\n\n\n## Completed"
    assert verify in NEURON
    [note] = result.added_lines
    assert note.startswith("   - 2026-02-03")  # under the text, after `2. `
    assert result.text == NEURON.replace(verify, verify.replace("\n\n", f"\n{note}\n\n", 1))
    assert len(one_item(result.text, item).attempts) == 1


def test_attempt_add_refuses_a_table_row():
    with pytest.raises(EditRefused):
        add_attempt(loads(MILESTONE), "C-01", NewAttempt(summary="x"), now=NOW)


# --- numbered queues and their dated Completed log ----------------------------------------


def test_move_to_completed_writes_a_dated_log_entry():
    item = "brain-job-groups-fan-out-merge-for-large"
    result = set_field(loads(NEURON), item, move_to_completed=True, now=NOW)
    start = NEURON.index("2. Brain: job groups")
    end = NEURON.index("\n\n", start) + 2
    entry = NEURON[start:end]
    body = entry.strip("\n").splitlines()[1:]
    expected = NEURON[:start] + NEURON[end:]
    expected = expected.rstrip("\n") + "\n\n- 2026-02-03: Brain: job groups (fan-out + merge) "
    expected += "for large landscapes\n" + "".join(f"{b[1:]}\n" for b in body)
    assert result.text == expected
    moved = one_item(result.text, item)
    assert (moved.form, moved.status, moved.group) == (ItemForm.log, Status.done, "Completed")


LAST = "\n3. Verify compilation."  # the plan's last line, without a final newline


def test_a_queue_without_a_log_gets_a_completed_group_keeping_the_final_newline_state():
    item = "verify-compilation"
    result = set_field(loads(BG_REMOVE), item, move_to_completed=True, now=NOW)
    assert BG_REMOVE.endswith(LAST)
    kept = BG_REMOVE[: -len(LAST)]
    assert result.text == kept + "\n\n## Completed\n\n- 2026-02-03: Verify compilation."
    assert one_item(result.text, item).status is Status.done


def test_done_without_moving_marks_a_numbered_entry():
    item = "verify-compilation"
    result = set_field(loads(BG_REMOVE), item, status="done")
    assert result.text == BG_REMOVE + " (done)"
    assert one_item(result.text, item).status is Status.done


# --- heading items -------------------------------------------------------------------------


def test_heading_item_status_field_changes_in_place():
    result = set_field(loads(HEADINGS), "W1", status="done")
    assert result.text == swap(HEADINGS, "**Status:** pending", "**Status:** done")
    assert one_item(result.text, "W1").status is Status.done


def test_heading_item_emoji_goes_when_it_is_reopened():
    result = set_field(loads(HEADINGS), "W2", status="pending")
    assert result.text == swap(HEADINGS, "### W2: Retry uploads ✅", "### W2: Retry uploads")
    assert one_item(result.text, "W2").status is Status.pending


def test_heading_item_marker_changes_where_it_is_written():
    result = set_field(loads(HEADINGS), "W3", status="done")
    assert result.text == swap(
        HEADINGS, "### W3（暂缓）：Drop the legacy API", "### W3（done）：Drop the legacy API"
    )
    assert one_item(result.text, "W3").status is Status.done


def test_heading_item_marker_in_a_real_plan():
    result = set_field(loads(PDF_SKU), "P5", status="pending")
    assert result.text == swap(
        PDF_SKU, "### P5（暂缓）：score_filter密集页回退", "### P5：score_filter密集页回退"
    )
    assert one_item(result.text, "P5").status is Status.pending


def test_heading_item_attempt_is_a_column_0_note():
    result = add_attempt(loads(HEADINGS), "W1", NewAttempt(summary="measured it"), now=NOW)
    [note] = result.added_lines
    assert note.startswith("- 2026-02-03")
    problem = "**Problem:** the index is rebuilt on every call"
    assert result.text == swap(HEADINGS, problem, f"{problem}\n{note}")
    assert len(one_item(result.text, "W1").attempts) == 1


def test_heading_item_depends_is_a_field_like_its_others():
    result = set_field(loads(HEADINGS), "W1", depends_on=["W3"])
    status = "**Status:** pending"
    assert result.text == swap(HEADINGS, status, f"{status}\n**Depends on:** W3")
    assert one_item(result.text, "W1").depends_on == ["W3"]


# --- bold-ID paragraphs --------------------------------------------------------------------


def test_bold_id_item_gets_a_status_field_under_its_priority():
    result = set_field(loads(DQ_AGENT), "FIX-01", status="done")
    block = "**FIX-01**\n- Priority: Tier 0\n"
    assert result.text == DQ_AGENT.replace(block, block + "- Status: done\n", 1)
    assert one_item(result.text, "FIX-01").status is Status.done


def test_bold_id_item_status_field_changes_in_place():
    once = set_field(loads(DQ_AGENT), "FIX-01", status="done").text
    result = set_field(loads(once), "FIX-01", status="blocked", note="no warehouse")
    assert result.text == swap(once, "- Status: done", "- Status: blocked — no warehouse")
    assert one_item(result.text, "FIX-01").status is Status.blocked


# --- task tables ---------------------------------------------------------------------------


def test_table_status_cell_keeps_its_box():
    result = set_field(loads(MILESTONE), "C-01", status="pending")
    row = "| **[C-01] Fix Destination Path Flattening** | Critical | `copier.py` | {} |"
    assert result.text == swap(MILESTONE, row.format("[x] Complete"), row.format("[ ] Pending"))
    assert one_item(result.text, "C-01").status is Status.pending


def test_table_status_cell_takes_a_word_a_box_cannot_say():
    result = set_field(loads(MILESTONE), "C-01", status="deferred")
    row = "| **[C-01] Fix Destination Path Flattening** | Critical | `copier.py` | {} |"
    assert result.text == swap(MILESTONE, row.format("[x] Complete"), row.format("deferred"))
    assert one_item(result.text, "C-01").status is Status.deferred


def test_table_depends_goes_in_the_title_cell():
    result = set_field(loads(MILESTONE), "H-02", depends_on=["H-01"])
    [changed] = result.added_lines
    assert "(depends on H-01)" in changed.split("|")[1]
    assert (
        result.text.replace(
            changed,
            "| **[H-02] Fix Race Condition in task start** | High | `queue.py` | [x] Complete |",
        )
        == MILESTONE
    )
    assert one_item(result.text, "H-02").depends_on == ["H-01"]


def test_only_queue_entries_move_to_completed():
    before = loads(MILESTONE)
    with pytest.raises(EditRefused):
        set_field(before, "C-01", move_to_completed=True, now=NOW)


# --- new items -----------------------------------------------------------------------------


def test_new_item_goes_under_the_group_of_its_priority():
    spec = NewFocus(id="RETRY-1", title="Time out slow uploads", priority=Priority.high)
    result = new_focus(loads(RALPH), spec, now=NOW)
    anchor = "  - [x] Log each retry at debug level"
    assert result.text == swap(RALPH, anchor, f"{anchor}\n- [ ] Time out slow uploads")
    item = result.focus
    assert item is not None
    assert (item.form, item.group, item.priority) == (
        ItemForm.checkbox,
        "High Priority",
        Priority.high,
    )
    assert item.derived_id  # the plan names its items by their titles
    assert any("named by its title" in w for w in result.warnings)


def test_new_item_copies_the_written_id_form():
    spec = NewFocus(id="T020", title="Add album cover", priority=Priority.high)
    result = new_focus(loads(SPECKIT), spec, now=NOW)
    last = "- [ ] T011 [US1] Add validation and error handling in src/albums/api/albums.py"
    assert result.text == swap(SPECKIT, last, f"{last}\n- [ ] T020 Add album cover")
    item = one_item(result.text, "T020")
    assert (item.status, item.priority) == (Status.pending, Priority.high)


def test_new_numbered_entry_takes_the_next_number():
    spec = NewFocus(id="X1", title="Run the linter")
    result = new_focus(loads(BG_REMOVE), spec, now=NOW)
    assert result.text == BG_REMOVE + "\n4. Run the linter"
    assert result.focus is not None and result.focus.form is ItemForm.numbered


def test_new_heading_item_copies_the_heading_and_status_field():
    result = new_focus(loads(HEADINGS), NewFocus(id="W4", title="Compress logs"), now=NOW)
    # The last heading's separator (`：`), the Status field of the items that have one.
    expected = HEADINGS + "\n### W4：Compress logs\n\n**Status:** pending\n"
    assert result.text == expected
    assert one_item(result.text, "W4").status is Status.pending


def test_new_bold_id_item_copies_the_field_names():
    result = new_focus(loads(DQ_AGENT), NewFocus(id="FIX-99", title="Rotate keys"), now=NOW)
    added = result.added_lines
    assert added == ["", "**FIX-99**", "- Issue: Rotate keys"]
    item = one_item(result.text, "FIX-99")
    assert (item.form, item.title) == (ItemForm.bold, "Rotate keys")


def test_new_table_row_has_the_table_columns():
    spec = NewFocus(id="M-09", title="Cap queue size", priority=Priority.medium)
    result = new_focus(loads(MILESTONE), spec, now=NOW)
    [row] = result.added_lines
    assert row.count("|") == 5
    item = one_item(result.text, "M-09")
    assert (item.form, item.status, item.title) == (
        ItemForm.table,
        Status.pending,
        "Cap queue size",
    )
    assert row == "| **[M-09] Cap queue size** | Medium |  | [ ] Pending |"
    last = "| **[M-03] Cleanup Dead `signature_stub`** | Low | `schema.sql`, `models.py` | [x] Complete |"
    assert result.text == swap(MILESTONE, last, f"{last}\n{row}")


def test_new_item_refuses_an_existing_id():
    with pytest.raises(EditRefused):
        new_focus(loads(SPECKIT), NewFocus(id="T001", title="again"), now=NOW)


def test_a_status_the_place_contradicts_is_refused():
    """A box under `## Completed` reads as done whatever it says: reopening it there is refused
    rather than written to no effect."""
    item = "migrated-settings-to-the-new-config-format"
    assert one_item(RALPH, item).status is Status.done
    with pytest.raises(EditRefused, match="under Completed"):
        set_field(loads(RALPH), item, status="pending")


def test_an_item_already_under_completed_does_not_move():
    with pytest.raises(EditRefused, match="already under Completed"):
        set_field(
            loads(RALPH), "migrated-settings-to-the-new-config-format", move_to_completed=True
        )


@pytest.mark.parametrize("word", ["in_progress", "planning", "ready_for_implementation"])
def test_every_open_status_reads_back_from_its_marker(word):
    result = set_field(loads(RALPH), CONFIG_LOADER, status=word)
    line = "- [ ] Implement config loader for YAML and TOML files"
    assert result.text == swap(RALPH, line, f"{line} ({word})")
    assert one_item(result.text, CONFIG_LOADER).status is Status.parse(word)


def test_optional_kiro_task_keeps_its_star_when_ticked():
    result = set_field(loads(KIRO), "2.3", status="done")
    assert result.text == swap(
        KIRO,
        "  - [ ]* 2.3 Write unit tests for User model",
        "  - [x]* 2.3 Write unit tests for User model",
    )
    item = one_item(result.text, "2.3")
    assert (item.status, item.optional) == (Status.done, True)


def test_new_numbered_entry_is_set_apart_like_the_others():
    result = new_focus(loads(NEURON), NewFocus(id="X1", title="Brain: cache bundles"), now=NOW)
    verify = "   - Verify: `nix develop -c cargo test -p brain`\n\n\n## Completed"
    assert result.text == NEURON.replace(
        verify, verify.replace("\n\n", "\n\n3. Brain: cache bundles\n\n", 1)
    )
    assert result.focus is not None and result.focus.title == "Brain: cache bundles"


def test_new_kiro_task_is_a_top_level_task():
    result = new_focus(loads(KIRO), NewFocus(id="5", title="Write the API docs"), now=NOW)
    assert result.text == KIRO + "\n- [ ] 5. Write the API docs\n"
    item = one_item(result.text, "5")
    assert (item.form, item.status, item.optional) == (ItemForm.checkbox, Status.pending, False)


def test_a_note_moves_with_the_item():
    result = set_field(
        loads(RALPH), CONFIG_LOADER, move_to_completed=True, note="shipped in v2", now=NOW
    )
    line = "- [ ] Implement config loader for YAML and TOML files"
    expected = swap(RALPH, line, "@@").replace("@@\n", "")
    last = "- [ ] Migrated settings to the new config format"
    expected = swap(
        expected, last, f"{last}\n{line.replace('[ ]', '[x]')}\n  - Note: shipped in v2"
    )
    assert result.text == expected
    moved = one_item(result.text, CONFIG_LOADER)
    assert moved.field("note").value == "shipped in v2"
