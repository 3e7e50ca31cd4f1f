"""Merging plans of the other forms: by item (checkbox, numbered entry, heading item, table row),
then inside the item (its line, fields, dated notes, sub-steps, nested items)."""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import pairwise

import pytest
from checks_helpers import PUBLIC, SAMPLES
from conftest import read_corpus

import ledger
from ledger.edit import NewAttempt, add_attempt, set_field
from ledger.merge import merge_ledgers
from ledger.model import ItemForm

NOW = datetime(2026, 2, 3, 4, 5, tzinfo=timezone.utc)
LATER = datetime(2026, 2, 4, 9, 30, tzinfo=timezone.utc)

QUEUE = """\
# Fix Plan

## High Priority
- [ ] CR-01: Fix the login redirect loop
- [ ] CR-02: Validate the upload size
- [ ] CR-03: Cache the board query
  - [ ] Measure the query first
  - [ ] Add the cache

## Medium Priority
- [ ] CR-04: Write help text for the CLI

## Completed
- [x] CR-00: Project skeleton
"""
RALPH = SAMPLES / "ralph_fix_plan.md"
KIRO = SAMPLES / "kiro_tasks.md"
NUMBERED = PUBLIC / "HazielCC__bg-remove__docs_fix_plan.md"
HEADINGS = PUBLIC / "zhangzongchu2019__pdf-sku__docs_fix_plan.md"
TABLE = PUBLIC / "mattcallaway__milestone-app__docs_fix_plan.md"


def tick(text: str, item_id: str) -> str:
    return set_field(ledger.loads(text), item_id, status="done", now=NOW).text


def note(text: str, item_id: str, summary: str, when: datetime = NOW) -> str:
    attempt = NewAttempt(summary, kind="planning", timestamp=when)
    return add_attempt(ledger.loads(text), item_id, attempt, now=when).text


def sub(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def merged_cleanly(base: str, ours: str, theirs: str) -> ledger.Ledger:
    result = merge_ledgers(base, ours, theirs)
    assert result.clean, result.text
    assert "<<<<<<<" not in result.text
    return ledger.loads(result.text)


def summaries(item) -> list[str]:
    return [a.summary for a in item.attempts]


# --- checkbox queues ---------------------------------------------------------------------


def test_ticking_one_item_while_the_other_side_notes_the_next_one_merges():
    ours, theirs = tick(QUEUE, "CR-01"), note(QUEUE, "CR-02", "limit is 10 MB")
    plan = merged_cleanly(QUEUE, ours, theirs)
    assert plan.get("CR-01").status is ledger.Status.done
    assert summaries(plan.get("CR-02")) == ["limit is 10 MB"]
    # The merge is what making both edits one after the other writes.
    assert plan.document.text == note(ours, "CR-02", "limit is 10 MB")


def test_ticking_an_item_while_the_other_side_notes_the_same_item_keeps_both():
    plan = merged_cleanly(QUEUE, tick(QUEUE, "CR-01"), note(QUEUE, "CR-01", "seen on Safari"))
    item = plan.get("CR-01")
    assert item.status is ledger.Status.done and summaries(item) == ["seen on Safari"]


def test_notes_added_to_one_item_on_both_sides_are_both_kept_in_time_order():
    ours = note(QUEUE, "CR-02", "wrote the check", when=LATER)
    theirs = note(QUEUE, "CR-02", "limit is 10 MB", when=NOW)
    plan = merged_cleanly(QUEUE, ours, theirs)
    assert summaries(plan.get("CR-02")) == ["limit is 10 MB", "wrote the check"]
    assert plan.get("CR-03").line == plan.get("CR-02").line + 3  # both notes nested under CR-02


def test_items_added_at_the_end_of_one_group_on_both_sides_are_both_kept():
    ours = sub(QUEUE, "  - [ ] Add the cache\n", "  - [ ] Add the cache\n- [ ] CR-05: Ours\n")
    theirs = sub(QUEUE, "  - [ ] Add the cache\n", "  - [ ] Add the cache\n- [ ] CR-06: Theirs\n")
    plan = merged_cleanly(QUEUE, ours, theirs)
    high = [f.id for f in plan.focus_items if f.group == "High Priority"]
    assert high == ["CR-01", "CR-02", "CR-03", "CR-05", "CR-06"]


def test_an_item_added_in_another_group_merges_with_edits_elsewhere():
    ours = note(tick(QUEUE, "CR-02"), "CR-03", "p95 is 800 ms")
    theirs = sub(QUEUE, "- [ ] CR-04: Write help text for the CLI\n", "- [ ] CR-04: Write help "
                 "text for the CLI\n- [ ] CR-07: Add shell completions\n")  # fmt: skip
    plan = merged_cleanly(QUEUE, ours, theirs)
    assert plan.get("CR-07").group == "Medium Priority"
    assert plan.get("CR-02").status is ledger.Status.done
    assert summaries(plan.get("CR-03")) == ["p95 is 800 ms"]


def test_a_step_ticked_on_one_side_and_a_note_added_on_the_other_merge():
    ours = sub(QUEUE, "  - [ ] Measure the query first", "  - [x] Measure the query first")
    theirs = note(QUEUE, "CR-03", "p95 is 800 ms")
    plan = merged_cleanly(QUEUE, ours, theirs)
    item = plan.get("CR-03")
    assert [s.done for s in item.steps] == [True, False] and summaries(item) == ["p95 is 800 ms"]


def test_conflicting_changes_to_one_item_conflict_around_that_item_only():
    ours = tick(note(QUEUE, "CR-01", "fixed"), "CR-02")
    theirs = sub(
        note(QUEUE, "CR-03", "p95 is 800 ms"),
        "- [ ] CR-02: Validate",
        "- [BLOCKED:P1:no size limit in the spec] CR-02: Validate",
    )
    result = merge_ledgers(QUEUE, ours, theirs)
    assert result.conflicts == 1
    assert (
        "<<<<<<< ours\n- [x] CR-02: Validate the upload size\n=======\n"
        "- [BLOCKED:P1:no size limit in the spec] CR-02: Validate the upload size\n"
        ">>>>>>> theirs\n"
    ) in result.text
    # Outside the markers, both sides' other changes are merged.
    outside = result.text.split("<<<<<<<")[0] + result.text.split(">>>>>>> theirs\n")[1]
    assert "fixed" in outside and "p95 is 800 ms" in outside


def test_the_same_note_rewritten_differently_conflicts_inside_that_item():
    base = note(QUEUE, "CR-02", "limit is 10 MB")
    ours = sub(base, "limit is 10 MB", "limit is 20 MB")
    theirs = tick(sub(base, "limit is 10 MB", "limit is 5 MB"), "CR-01")
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts == 1
    before, rest = result.text.split("<<<<<<< ours\n")
    assert before.endswith("- [ ] CR-02: Validate the upload size\n")
    assert "- [x] CR-01" in before  # the other item's change is merged
    assert rest.split(">>>>>>> theirs\n")[1].startswith("- [ ] CR-03")


# --- the public and sample plans ---------------------------------------------------------


def test_ralph_plan_ticked_step_and_noted_item_round_trip():
    base = read_corpus(RALPH)
    item = "add-retry-with-backoff-to-the-http-client"
    ours = tick(sub(base, "  - [ ] Cap retries at 5", "  - [x] Cap retries at 5"), item)
    theirs = note(base, item, "backoff doubles from 100 ms")
    plan = merged_cleanly(base, ours, theirs)
    merged = plan.get(item)
    assert merged.status is ledger.Status.done and all(s.done for s in merged.steps)
    assert summaries(merged) == ["backoff doubles from 100 ms"]
    assert ledger.loads(plan.document.text).document.text == plan.document.text


def test_kiro_sub_tasks_of_one_task_change_on_both_sides():
    base = read_corpus(KIRO)
    ours = note(tick(base, "2.2"), "2.2", "email regex from the RFC")
    theirs = note(tick(base, "2.3"), "3.1", "tables created", when=LATER)
    plan = merged_cleanly(base, ours, theirs)
    assert plan.get("2.2").status is ledger.Status.done
    assert plan.get("2.3").status is ledger.Status.done
    assert summaries(plan.get("2.2")) == ["email regex from the RFC"]
    assert summaries(plan.get("3.1")) == ["tables created"]


def test_numbered_queue_notes_on_both_sides_of_the_same_entry():
    base = read_corpus(NUMBERED)
    first = ledger.loads(base).focus_items[0].id
    ours = note(base, first, "the import is on line 3", when=LATER)
    theirs = note(tick(base, first), first, "grep found one match")
    item = merged_cleanly(base, ours, theirs).get(first)
    assert item.status is ledger.Status.done
    assert summaries(item) == ["grep found one match", "the import is on line 3"]


def test_heading_item_status_in_its_heading_and_a_note_in_its_body_merge():
    base = read_corpus(HEADINGS)
    ours = set_field(ledger.loads(base), "P2", status="deferred", now=NOW).text
    theirs = note(note(base, "P2", "density threshold 0.3"), "P3", "reran the eval", when=LATER)
    plan = merged_cleanly(base, ours, theirs)
    assert plan.get("P2").status is ledger.Status.deferred
    assert summaries(plan.get("P2")) == ["density threshold 0.3"]
    assert summaries(plan.get("P3")) == ["reran the eval"]


def test_adjacent_table_rows_changed_on_both_sides_merge_by_row():
    base = read_corpus(TABLE)
    rows = [f for f in ledger.loads(base).focus_items if f.form is ItemForm.table]
    first, second = next((r, n) for r, n in pairwise(rows) if n.line == r.line + 1)
    lines = base.splitlines(keepends=True)
    ours_lines, theirs_lines = list(lines), list(lines)
    ours_lines[first.line - 1] = lines[first.line - 1].replace("|", "| (ours)", 1)
    theirs_lines[second.line - 1] = lines[second.line - 1].rstrip("\n") + " reviewed |\n"
    result = merge_ledgers(base, "".join(ours_lines), "".join(theirs_lines))
    assert result.clean
    out = result.text.splitlines(keepends=True)
    assert out[first.line - 1] == ours_lines[first.line - 1]
    assert out[second.line - 1] == theirs_lines[second.line - 1]


@pytest.mark.parametrize("path", [RALPH, KIRO, NUMBERED, HEADINGS, TABLE], ids=lambda p: p.name)
def test_neighbouring_items_changed_on_each_side_merge_as_both_edits(path):
    base = read_corpus(path)
    items = [f for f in ledger.loads(base).focus_items if f.has_section]

    def changes(item) -> list:
        """The edits this item allows: a row has no room for a note, a done item no tick."""
        out = []
        if item.status is not ledger.Status.done:
            out.append(lambda text: tick(text, item.id))
        if item.form not in (ItemForm.table, ItemForm.roadmap):
            out.append(lambda text: note(text, item.id, f"looked at {item.id}"))
        return out

    merges = 0
    for first, second in pairwise(items):
        for mine, other in ((first, second), (second, first)):
            for ours_edit in changes(mine):
                for theirs_edit in changes(other):
                    ours, theirs = ours_edit(base), theirs_edit(base)
                    plan = merged_cleanly(base, ours, theirs)
                    assert plan.document.text == theirs_edit(ours), (mine.id, other.id)
                    merges += 1
    assert merges  # the plan has items open to an edit


# --- an item moved to another group on one side --------------------------------------------


def move_done(text: str, item_id: str) -> str:
    return set_field(
        ledger.loads(text), item_id, status="done", move_to_completed=True, now=NOW
    ).text


@pytest.mark.parametrize("mover", ["ours", "theirs"])
def test_an_item_moved_to_completed_keeps_the_note_the_other_side_added_where_it_was(mover):
    moved, noted = move_done(QUEUE, "CR-01"), note(tick(QUEUE, "CR-03"), "CR-01", "seen on Safari")
    sides = (moved, noted) if mover == "ours" else (noted, moved)
    plan = merged_cleanly(QUEUE, *sides)
    item = plan.get("CR-01")
    assert item.group == "Completed" and item.status is ledger.Status.done
    assert summaries(item) == ["seen on Safari"]
    assert plan.document.text == note(tick(moved, "CR-03"), "CR-01", "seen on Safari")


def test_items_moved_on_both_sides_each_follow_their_move():
    ours = note(move_done(QUEUE, "CR-01"), "CR-02", "limit is 10 MB")
    theirs = note(move_done(QUEUE, "CR-02"), "CR-01", "seen on Safari", when=LATER)
    plan = merged_cleanly(QUEUE, ours, theirs)
    done = [f.id for f in plan.focus_items if f.group == "Completed"]
    assert sorted(done) == ["CR-00", "CR-01", "CR-02"]
    assert summaries(plan.get("CR-01")) == ["seen on Safari"]
    assert summaries(plan.get("CR-02")) == ["limit is 10 MB"]


def test_the_same_item_moved_on_both_sides_is_written_once():
    plan = merged_cleanly(QUEUE, move_done(QUEUE, "CR-01"), move_done(QUEUE, "CR-01"))
    assert [f.id for f in plan.focus_items].count("CR-01") == 1


def test_a_moved_item_changed_differently_on_the_other_side_conflicts_in_its_new_place():
    theirs = sub(QUEUE, "- [ ] CR-01", "- [BLOCKED:P1:waiting on the SSO team] CR-01")
    result = merge_ledgers(QUEUE, move_done(QUEUE, "CR-01"), theirs)
    assert result.conflicts == 1
    completed = result.text.split("## Completed\n")[1]
    assert completed.startswith("- [x] CR-00: Project skeleton\n<<<<<<< ours\n- [x] CR-01")
    assert "## High Priority\n- [ ] CR-02" in result.text


def test_ralph_plan_item_moved_to_completed_while_its_step_is_ticked():
    base = read_corpus(RALPH)
    item = "add-retry-with-backoff-to-the-http-client"
    ours = move_done(base, item)
    theirs = sub(base, "  - [ ] Cap retries at 5", "  - [x] Cap retries at 5")
    plan = merged_cleanly(base, ours, theirs)
    merged = plan.get(item)
    assert merged.group == "Completed" and all(s.done for s in merged.steps)


def test_an_item_moved_to_an_empty_group_goes_under_its_heading_on_every_side():
    base = QUEUE + "\n## Deferred\n"
    ours = sub(base, "- [ ] CR-04: Write help text for the CLI\n", "").replace(
        "## Deferred\n", "## Deferred\n- [ ] CR-04: Write help text for the CLI\n"
    )
    theirs = note(base, "CR-04", "needs the CLI reference first")
    plan = merged_cleanly(base, ours, theirs)
    assert plan.get("CR-04").group == "Deferred"
    assert summaries(plan.get("CR-04")) == ["needs the CLI reference first"]


def test_a_description_line_edited_while_the_other_side_notes_the_item_merges():
    base = read_corpus(KIRO)
    old = "  - Define interfaces that establish system boundaries"
    ours = sub(base, old, old.replace("establish", "establish the"))
    theirs = note(base, "1", "layout agreed")
    assert merged_cleanly(base, ours, theirs).document.text == note(ours, "1", "layout agreed")


def test_a_title_edited_on_one_side_and_a_note_added_on_the_other_is_one_item():
    base = read_corpus(RALPH)  # its items have no written IDs: the IDs are slugs of the titles
    old, new = "Write help text for all CLI subcommands", "Write help text for every CLI command"
    ours = sub(base, old, new)
    theirs = note(base, "write-help-text-for-all-cli-subcommands", "list the commands first")
    plan = merged_cleanly(base, ours, theirs)
    assert plan.document.text == sub(theirs, old, new)


def test_a_title_edited_on_one_side_and_the_box_ticked_on_the_other_conflict_on_that_line():
    base = read_corpus(RALPH)
    old, new = "Write help text for all CLI subcommands", "Write help text for every CLI command"
    result = merge_ledgers(
        base, sub(base, old, new), tick(base, "write-help-text-for-all-cli-subcommands")
    )
    # One line, changed differently on both sides; no second copy of the item.
    assert result.conflicts == 1
    assert f"<<<<<<< ours\n- [ ] {new}\n=======\n- [x] {old}\n>>>>>>> theirs\n" in result.text
    assert result.text.count("Write help text") == 2


# --- every pair of edits to two different items --------------------------------------------


def add_after(text: str, item_id: str, new_id: str) -> str:
    plan = ledger.loads(text)
    item = plan.get(item_id)
    lines = text.splitlines(keepends=True)
    lines.insert(item.end_line, f"- [ ] {new_id}: Follow-up of {item_id}\n")
    return "".join(lines)


EDITS = {
    "tick": lambda text, item, side: tick(text, item),
    "note": lambda text, item, side: note(text, item, f"{side} note", NOW if side else LATER),
    "add": lambda text, item, side: add_after(text, item, f"{item}-{side or 'T'}"),
    "move": lambda text, item, side: move_done(text, item),
}


@pytest.mark.parametrize("theirs_edit", sorted(EDITS))
@pytest.mark.parametrize("ours_edit", sorted(EDITS))
def test_two_edits_to_different_items_merge_as_if_made_one_after_the_other(ours_edit, theirs_edit):
    ids = ["CR-01", "CR-02", "CR-03", "CR-04"]
    for mine, other in ((a, b) for a in ids for b in ids if a != b):
        ours = EDITS[ours_edit](QUEUE, mine, "O")
        theirs = EDITS[theirs_edit](QUEUE, other, "")
        result = merge_ledgers(QUEUE, ours, theirs)
        expected = EDITS[theirs_edit](ours, other, "")
        assert result.clean and result.text == expected, (ours_edit, mine, theirs_edit, other)
