"""The archive core: reading snapshots, appending, compaction that loses nothing, diff, verify."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from conftest import LARGEST, SEED, corpus_files, read_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import loads
from ledger.archive import (
    POINTER_RE,
    append_snapshot,
    chronological,
    compact,
    compaction,
    diff_ledgers,
    diff_snapshots,
    first_difference,
    removed_lines,
    snapshot_rows,
    split_archive,
    verify_append_only,
)
from ledger.document import split_lines
from ledger.edit import NewAttempt, add_attempt
from ledger.errors import EditRefused, LedgerError, UsageError
from ledger.model import ItemForm

LATER = datetime(2026, 1, 20, 12, 0, tzinfo=timezone.utc)

BEFORE = """\
# Demo Fix Plan Ledger
**Last Updated:** 2026-01-05
**Active Focus:** DEMO-002 — speed up the loader

## Index
| ID | Title | Priority | Status |
| --- | --- | --- | --- |
| DEMO-001 | Fix the parser | High | done |
| DEMO-002 | Speed up the loader | High | in_progress |

## [DEMO-001] Fix the parser
- Priority: High
- Status: done — merged in a1b2c3d
- Owner/Date: ralph/2025-12-01
- Exit Criteria: parser tests green
- Attempts History:
  * [2025-12-01] Attempt #1 — Result: failed. Tokenizer crash.
  * [2025-12-02] Attempt #2 — Result: success. Fixed.

## [DEMO-002] Speed up the loader
- Depends on: DEMO-001
- Priority: High
- Status: in_progress
- Owner/Date: galph/2025-12-03
- Working Plan: `plans/active/DEMO-002/implementation.md`
- Notes: profile before changing anything.
- Attempts History:
  * [2025-12-03] Attempt #1 — Result: partial. Profiled; the loader is I/O bound.
    Metrics: 12 s per epoch
  * [2025-12-04] Attempt #2 — Result: failed. mmap broke on NFS.
  * [2025-12-05] Attempt #3 — Result: success. Prefetch thread.
    Metrics: 4 s per epoch
- Exit Criteria: under 5 s per epoch
"""

# Written by hand from the rules in docs/archive.md (this is the example shown there).
AFTER = """\
# Demo Fix Plan Ledger
**Last Updated:** 2026-01-05
**Active Focus:** DEMO-002 — speed up the loader

## Index
| ID | Title | Priority | Status |
| --- | --- | --- | --- |
| DEMO-001 | Fix the parser | High | done |
| DEMO-002 | Speed up the loader | High | in_progress |

## [DEMO-001] Fix the parser
- Status: done — merged in a1b2c3d
- Archived history: the full section is in `docs/fix_plan_archive.md` (snapshot 2026-01-06).

## [DEMO-002] Speed up the loader
- Depends on: DEMO-001
- Priority: High
- Status: in_progress
- Owner/Date: galph/2025-12-03
- Working Plan: `plans/active/DEMO-002/implementation.md`
- Attempts History:
  * [2025-12-03] Attempt #1 — Result: partial. Profiled; the loader is I/O bound.
    Metrics: 12 s per epoch
  * [2025-12-05] Attempt #3 — Result: success. Prefetch thread.
    Metrics: 4 s per epoch
  * Archived history: 1 of 3 attempts and the rest of this section are in `docs/fix_plan_archive.md` (snapshot 2026-01-06).
- Exit Criteria: under 5 s per epoch
"""


def _ledger_text(path) -> str:
    """A corpus ledger; the seed is itself an archive, so its one snapshot is the ledger."""
    text = read_corpus(path)
    return split_archive(text).snapshots[0].body if path == SEED else text


# Ledgers of focus sections (or the reset layout): what compaction condenses.
SECTIONED = [
    p
    for p in corpus_files()
    if any(f.form.is_ledger_section for f in loads(read_corpus(p)).focus_items)
]


# --- reading and appending ----------------------------------------------------------------


def test_seed_reads_as_an_archive_with_one_snapshot_of_fifteen_sections():
    text = read_corpus(SEED)
    archive = split_archive(text)
    assert archive.preamble.startswith("# Fix Plan Archive\n")
    assert [s.date for s in archive.snapshots] == ["2026-01-06"]
    snap = archive.snapshots[0]
    assert snap.line == 12
    assert snap.body.startswith("# PtychoPINN Fix Plan Ledger (Condensed)\n")
    assert text.endswith(snap.body)
    led = snap.ledger()
    assert len([f for f in led.focus_items if f.has_section]) == 15
    assert led.header.last_updated.startswith("2025-11-20")


def test_snapshot_rows_describe_the_seed_snapshot():
    (row,) = snapshot_rows(split_archive(read_corpus(SEED)))
    assert (row["number"], row["date"], row["line"]) == (1, "2026-01-06", 12)
    assert row["focus_items"] == 15
    assert (
        row["attempts"] == loads(split_archive(read_corpus(SEED)).snapshots[0].body).attempt_count
    )
    assert row["size_bytes"] == len(read_corpus(SEED).encode("utf-8", "surrogateescape")) - len(
        "\n".join(read_corpus(SEED).split("\n")[:13]).encode() + b"\n"
    )


def test_appending_keeps_every_prior_byte_and_reads_back_exactly():
    seed = read_corpus(SEED)
    ledger_text = read_corpus(LARGEST)
    new = append_snapshot(seed, ledger_text, "2026-02-01")
    assert new.startswith(seed)
    archive = split_archive(new)
    assert [s.date for s in archive.snapshots] == ["2026-01-06", "2026-02-01"]
    assert archive.snapshots[1].body == ledger_text
    assert archive.snapshots[0].body == split_archive(seed).snapshots[0].body
    assert new[len(seed) :].startswith("\n---\n\n# Snapshot 2026-02-01 Fix Plan Ledger\n\n")


def test_a_new_archive_gets_the_standard_preamble():
    new = append_snapshot(None, BEFORE, "2026-01-06")
    archive = split_archive(new)
    assert archive.preamble.startswith("# Fix Plan Archive\n\n")
    assert "Each snapshot is appended and never modified after creation." in archive.preamble
    assert archive.snapshots[0].body == BEFORE
    assert archive.snapshots[0].line == 8


def test_several_snapshots_each_read_back_byte_for_byte():
    bodies = [BEFORE, "\n# starts with a blank line\n\n---\n", "no final newline", "x\r\ny\r\n"]
    text = None
    for n, body in enumerate(bodies, 1):
        text = append_snapshot(text, body, f"2026-01-0{n}")
    got = [s.body for s in split_archive(text).snapshots]
    # A ledger without a final newline gets one when the next snapshot is appended after it.
    assert got == [BEFORE, bodies[1], "no final newline\n", bodies[3]]


def test_crlf_ledgers_get_a_crlf_frame():
    body = "# L\r\n\r\n## [A-001] One\r\n- Status: done\r\n"
    new = append_snapshot(None, body, "2026-01-06")
    assert "\r\n---\r\n\r\n# Snapshot 2026-01-06 Fix Plan Ledger\r\n\r\n" in new
    assert split_archive(new).snapshots[0].body == body


def test_a_ledger_holding_a_snapshot_heading_is_refused():
    with pytest.raises(EditRefused):
        append_snapshot(None, "# Snapshot 2026-01-01 Fix Plan Ledger\n", "2026-01-06")


@pytest.mark.parametrize("bad", ["2026-1-6", "2026-02-30", "yesterday", ""])
def test_bad_dates_are_usage_errors(bad):
    with pytest.raises(UsageError):
        append_snapshot(None, BEFORE, bad)


def test_snapshots_are_found_by_date_number_and_latest():
    text = None
    for day in ("2026-01-01", "2026-01-02", "2026-01-02"):
        text = append_snapshot(text, f"# L {day}\n" + ("x\n" if text else ""), day)
    archive = split_archive(text)
    assert archive.find("2026-01-01").number == 1
    assert archive.find("2026-01-02").number == 3  # the last of that day
    assert archive.find("2026-01-02#1").number == 2
    assert archive.find("2").number == 2
    assert archive.find("latest").number == 3
    with pytest.raises(LedgerError, match="2026-01-01, 2026-01-02"):
        archive.find("2026-01-09")
    with pytest.raises(LedgerError):
        archive.find("7")


def test_an_archive_without_snapshots_says_so():
    with pytest.raises(LedgerError, match="no snapshots"):
        split_archive("# Fix Plan Archive\n").find("latest")


# --- compaction -----------------------------------------------------------------------------


def test_compaction_matches_the_hand_written_example():
    assert compact(loads(BEFORE), "2026-01-06") == AFTER


def test_compaction_reports_what_it_did():
    result = compaction(loads(BEFORE), "2026-01-06")
    assert result.condensed == ["DEMO-002"]
    assert result.stubbed == ["DEMO-001"]
    assert (result.attempts_kept, result.attempts_removed) == (2, 3)
    assert result.after_bytes < result.before_bytes


def test_keep_attempts_n_keeps_the_most_recent():
    text = compact(loads(BEFORE), "2026-01-06", "2")
    assert "Attempt #1 —" not in text.split("## [DEMO-002]")[1]
    assert "Attempt #2 —" in text and "Attempt #3 —" in text
    assert "1 of 3 attempts" in text


def test_keep_fields_are_configurable():
    text = compact(loads(BEFORE), "2026-01-06", keep_fields=["Status", "Notes"])
    live = text.split("## [DEMO-002]")[1]
    assert "- Notes: profile before changing anything." in live
    assert "- Depends on:" not in live and "- Working Plan:" not in live


def test_first_and_last_follow_the_timestamps_not_the_order():
    led = loads(
        "## [A-001] T\n- Status: pending\n"
        "- Latest Attempt (2025-11-19T190500Z): planning — newest\n"
        "- Latest Attempt (2025-11-10T000000Z): planning — oldest\n"
        "- Latest Attempt (2025-11-15T000000Z): planning — middle\n"
    )
    order = [a.summary for a in chronological(led.focus_items[0].attempts)]
    assert order == ["oldest", "middle", "newest"]
    text = compact(led, "2026-01-06")
    assert "newest" in text and "oldest" in text and "middle" not in text


def _check_nothing_lost(original: str, compacted: str, snapshot_body: str) -> None:
    """Every line missing from the compacted ledger is, at the same line, in the snapshot."""
    assert snapshot_body == original
    snap_lines = split_lines(snapshot_body)
    for number, line in removed_lines(original, compacted):
        assert snap_lines[number - 1] == line
    # And independently of `removed_lines`: new lines are only pointers and blanks, and the
    # kept lines are a subsequence of the original.
    remaining = iter(split_lines(original))
    for line in split_lines(compacted):
        if POINTER_RE.match(line) or not line.strip():
            continue
        assert any(old == line or old.rstrip("\r\n") == line.rstrip("\r\n") for old in remaining), (
            line
        )


@pytest.mark.parametrize("path", SECTIONED, ids=lambda p: p.name[:32])
def test_snapshot_compact_snapshot_cycle_keeps_every_byte_somewhere(path):
    original = _ledger_text(path)
    archive = append_snapshot(None, original, "2026-01-06")
    first = compact(loads(original), "2026-01-06")
    _check_nothing_lost(original, first, split_archive(archive).snapshots[-1].body)

    # Work continues: one more attempt on the first live item, then the cycle again.
    led = loads(first)
    notable = (ItemForm.section, ItemForm.checkbox, ItemForm.numbered, ItemForm.heading)
    live = next((f for f in led.focus_items if f.form in notable and not f.status.is_closed), None)
    grown = first
    if live is not None:
        work = NewAttempt(summary="new work.", kind="planning")
        grown = add_attempt(led, live.id, work, now=LATER, line=live.line, force=True).text
    archive2 = append_snapshot(archive, grown, "2026-02-01")
    assert archive2.startswith(archive)
    second = compact(loads(grown), "2026-02-01")
    snaps = split_archive(archive2).snapshots
    assert [s.body for s in snaps] == [original, grown]
    _check_nothing_lost(grown, second, snaps[-1].body)
    # Every line of every live version is still in the archive.
    held = Counter(split_lines(snaps[0].body)) + Counter(split_lines(snaps[1].body))
    assert not Counter(split_lines(original)) - held
    assert not Counter(split_lines(grown)) - held


@pytest.mark.parametrize("path", SECTIONED, ids=lambda p: p.name[:32])
def test_compaction_keeps_ids_statuses_fields_and_first_last_attempts(path):
    before = loads(_ledger_text(path))
    after = loads(compact(before, "2026-01-06"))

    def sections(led):
        return [f for f in led.focus_items if f.has_section]

    assert [(f.id, f.status) for f in sections(before)] == [
        (f.id, f.status) for f in sections(after)
    ]
    for old, new in zip(sections(before), sections(after)):
        if old.status.is_closed:
            continue
        for fld in old.fields:
            if fld.name in (
                "Status",
                "Priority",
                "Depends on",
                "Owner/Date",
                "Working Plan",
                "Exit Criteria",
            ):
                assert fld.text in after.text
        inside = [a for a in old.attempts if old.line <= a.line <= old.end_line]
        if inside:
            ordered = chronological(inside)
            kept = {a.text for a in new.attempts}
            assert ordered[0].text in kept and ordered[-1].text in kept
        if old.last_attempt is not None:  # what `ledger status` shows does not change
            assert new.last_attempt is not None and new.last_attempt.text == old.last_attempt.text


@pytest.mark.parametrize("path", SECTIONED, ids=lambda p: p.name[:32])
def test_compacting_twice_changes_nothing(path):
    once = compact(loads(_ledger_text(path)), "2026-01-06")
    assert compact(loads(once), "2026-02-01") == once


def test_compacting_the_largest_ledger_shrinks_it_by_at_least_80_percent():
    text = read_corpus(LARGEST)
    assert len(text.encode()) > 800_000
    result = compaction(loads(text), "2026-01-06")
    assert result.after_bytes <= 0.2 * result.before_bytes
    assert result.summary()["saved_percent"] >= 80


def test_orphan_attempts_become_one_pointer_per_run():
    seed_body = split_archive(read_corpus(SEED)).snapshots[0].body
    text = compact(loads(seed_body), "2026-01-06")
    tail = text.split("Process references:")[1]
    assert "2025-11-11T161300Z" not in tail.split("Archived history")[0]
    assert "- Archived history: 2 attempts (2025-11-11T161300Z to 2025-11-14T0849Z) are in" in tail


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
def test_compaction_keeps_the_newline_style_and_the_missing_final_newline(nl):
    # A closed focus last in the file: its last line goes, and a pointer follows its Status.
    text = nl.join(
        [
            "# L",
            "## [A-001] One",
            "- Status: pending",
            "- Latest Attempt (2025-11-10T000000Z): planning — a",
            "- Latest Attempt (2025-11-11T000000Z): planning — b",
            "- Latest Attempt (2025-11-12T000000Z): planning — c",
            "## [B-002] Two",
            "- Status: done",
            "- Notes: gone after compaction",
        ]
    )
    out = compact(loads(text), "2026-01-06")
    pointer = "- Archived history: the full section is in `docs/fix_plan_archive.md` (snapshot 2026-01-06)."
    assert out.endswith(f"## [B-002] Two{nl}- Status: done{nl}{pointer}")
    assert "planning — b" not in out and out.count(nl) == len(split_lines(out)) - 1
    removed = removed_lines(text, out)
    assert [line.rstrip("\r\n") for _, line in removed] == [
        "- Latest Attempt (2025-11-11T000000Z): planning — b",
        "- Notes: gone after compaction",
    ]
    assert compact(loads(out), "2026-01-07") == out


LINE_KINDS = [
    "# Plan",
    "## [A-001] One",
    "## [B-002] Two",
    "### [C-003] Three",
    "- Status: done",
    "- Status: pending",
    "- Priority: High",
    "- Notes: n",
    "- Attempts History:",
    "  * [2025-12-01] Attempt #1 — Result: x",
    "  * [2025-12-02] Attempt #2 — Result: y",
    "    Metrics: m",
    "- Latest Attempt (2025-11-10T000000Z): planning — a",
    "- Latest Attempt (2025-11-12T000000Z): planning — b",
    "### 2026-01-22T02:40Z — A-001 (planning)",
    "### 2026-01-23T02:40Z — D-004 (scoped)",
    "## Attempts History",
    "---",
    "",
    "text",
    "* [2025-10-01] Attempt #9 — Result: z",
    "### Attempt #84 — Phase R",
    "**Focus:** [A-001] x",
    "```",
    "## Index",
    "- Archived history: 2 attempts are in `a.md` (snapshot 2026-01-01).",
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(LINE_KINDS), max_size=40),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_compaction_of_any_ledger_only_removes_lines_and_is_stable(lines, nl, final_newline):
    text = nl.join(lines) + (nl if final_newline and lines else "")
    led = loads(text)
    try:
        out = compact(led, "2026-01-06")
    except EditRefused:
        return  # a removal would split a code fence: refusing is the documented outcome
    removed_lines(text, out)  # raises on any line that is not original, a pointer or blank
    new = loads(out)

    def sections(x):
        return [(f.id, f.status) for f in x.focus_items if f.has_section]

    assert sections(new) == sections(led)
    assert compact(new, "2026-01-07") == out
    assert split_archive(append_snapshot(None, text, "2026-01-06")).snapshots[0].body == text


def test_compacting_the_last_entry_under_the_history_keeps_the_rest_of_the_log():
    text = (
        "### 2026-01-23T02:40Z — D-004 (scoped)\n## [A-001] One\n- Status: done\n"
        "## Attempts History\n### 2026-01-22T02:40Z — A-001 (planning)\n"
    )
    out = compact(loads(text), "2026-01-06")
    assert "D-004 (scoped)" in out and "A-001 (planning)" not in out
    assert [f.id for f in loads(out).focus_items] == ["D-004", "A-001"]
    assert compact(loads(out), "2026-01-07") == out


def test_compaction_never_leaves_half_a_code_fence():
    # an unterminated fence inside an entry belongs to that entry, so it goes (or stays) whole
    text = "  * [2025-12-01] Attempt #1 — Result: x\n```\n  * [2025-12-01] Attempt #1 — Result: x"
    try:
        out = compact(loads(text), "2026-01-06")
    except EditRefused as exc:  # refusing is the documented outcome for a split fence
        assert "code fence" in str(exc)
        return
    assert out.count("```") % 2 == text.count("```") % 2 or "```" not in out
    removed_lines(text, out)


def test_removed_lines_refuses_a_line_that_is_not_from_the_original():
    with pytest.raises(EditRefused):
        removed_lines("a\nb\n", "a\nsomething new\n")
    assert removed_lines("a\nb\nc\n", "a\nc\n") == [(2, "b\n")]


# --- diff ---------------------------------------------------------------------------------


def test_diff_reports_status_changes_attempts_and_items_added_and_removed():
    old = loads(BEFORE)
    new_text = (
        BEFORE.replace("- Status: in_progress", "- Status: done").replace(
            "## [DEMO-001] Fix the parser", "## [DEMO-003] New item"
        )
        + "  * [2025-12-06] Attempt #4 — Result: success. Verified on NFS.\n"
    )
    result = diff_ledgers(old, loads(new_text))
    assert [i["id"] for i in result["added"]] == ["DEMO-003"]
    assert [i["id"] for i in result["removed"]] == ["DEMO-001"]
    (changed,) = result["changed"]
    assert changed["id"] == "DEMO-002"
    assert (changed["status"]["old"], changed["status"]["new"]) == ("in_progress", "done")
    assert [a["label"] for a in changed["attempts_added"]] == ["Attempt #4"]
    assert "attempts_removed" not in changed


def test_diff_between_snapshots_counts_attempts_moved_out_by_compaction():
    archive = append_snapshot(None, BEFORE, "2026-01-06")
    archive = append_snapshot(archive, compact(loads(BEFORE), "2026-01-06"), "2026-01-07")
    result = diff_snapshots(split_archive(archive), "2026-01-06", "2026-01-07")
    assert (result["from"]["number"], result["to"]["number"]) == (1, 2)
    by_id = {c["id"]: c for c in result["changed"]}
    assert by_id["DEMO-001"]["attempts_removed"] == 2
    assert by_id["DEMO-002"]["attempts_removed"] == 1
    assert not result["added"] and not result["removed"]


# --- append-only verification -----------------------------------------------------------


def test_appends_only_is_clean():
    assert verify_append_only([("c1", b"a\n"), ("c2", b"a\nb\n"), ("c3", b"a\nb\nc\n")]) == []


def test_a_rewrite_is_reported_with_its_commit_and_line():
    (found,) = verify_append_only(
        [("c1", b"a\n"), ("c2", b"a\nb\n", "append"), ("c3", b"a\nB\nc\n", "edit old snapshot")]
    )
    assert (found.commit, found.previous, found.subject) == ("c3", "c2", "edit old snapshot")
    assert (found.line, found.old_line, found.new_line) == (2, "b", "B")


def test_a_deleted_archive_is_a_rewrite_and_later_versions_compare_with_the_last_one():
    found = verify_append_only([("c1", b"a\n"), ("c2", None), ("c3", b"a\nb\n")])
    assert [(f.commit, f.deleted) for f in found] == [("c2", True)]


def test_first_difference_finds_the_line_where_versions_part():
    assert first_difference(b"x\ny\n", b"x\ny\nz\n") is None
    assert first_difference(b"x\ny\n", b"x\n") == (2, "y", "")
    assert first_difference(b"one\ntwo\n", b"one\ntwo!\n") == (2, "two", "two!")


def test_the_documented_example_is_the_tested_one():
    doc = (Path(__file__).parents[1] / "docs" / "archive.md").read_text(encoding="utf-8")
    assert f"```\n{BEFORE}```" in doc
    assert f"```\n{AFTER}```" in doc
