"""Three-way ledger merge: one-side changes are lossless, the ledger rules, conflicts, the CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import EEA, LARGEST, RESET, SEED, read_corpus
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import ledger
from ledger.cli._app import build_app
from ledger.merge import Stable, Unstable, diff3, merge_ledgers, merge_lines
from ledger.merge.driver import driver_command, side_names

BASE = """\
# Fix Plan Ledger

**Last Updated:** 2026-01-10 (galph loop)
**Active Focus:** [A-001]

## [A-001] First focus
- Priority: High
- Status: in_progress
- Attempts History:
  * [2026-01-01] Attempt #1 — Result: ok. First try.
  * [2026-01-02] Attempt #2 — Result: partial. Second try.
- Exit Criteria:
  - tests pass

## [B-002] Second focus
- Priority: Medium
- Status: pending
- Attempts History:
  * [2026-01-03] Attempt #1 — Result: ok. Scoped.

---

Notes written by hand.
More notes.
"""

ATTEMPT_3_OURS = "  * [2026-01-05] Attempt #3 — Result: ok. Done on ours.\n"
ATTEMPT_3_THEIRS = "  * [2026-01-04] Attempt #3 — Result: ok. Done on theirs.\n"
LAST_A = "  * [2026-01-02] Attempt #2 — Result: partial. Second try.\n"
# Both sides numbered their new attempt #3; the merge renumbers the later one (ours, 01-05).
ATTEMPT_4_OURS = ATTEMPT_3_OURS.replace("#3", "#4")


def add_after(text: str, anchor: str, new: str) -> str:
    assert text.count(anchor) == 1, anchor
    return text.replace(anchor, anchor + new)


def sub(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# --- one side only: byte for byte ----------------------------------------------------------


@pytest.mark.parametrize("path", [SEED, LARGEST, EEA, RESET], ids=lambda p: p.name)
def test_change_on_one_side_only_returns_that_side_byte_for_byte(path):
    base = read_corpus(path)
    changed = base.replace("Status:", "Status:  ", 1) + "trailing line without newline"
    assert merge_ledgers(base, changed, base).text == changed
    assert merge_ledgers(base, base, changed).text == changed
    assert merge_ledgers(base, changed, changed).text == changed


def test_each_focus_comes_back_byte_for_byte_from_the_side_that_changed_it():
    ours = sub(BASE, "- Status: in_progress", "- Status: done  ")  # trailing spaces kept
    theirs = sub(BASE, "- Priority: Medium", "- Priority: Low")
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == sub(ours, "- Priority: Medium", "- Priority: Low")


def test_crlf_ledger_keeps_crlf_and_bytes_it_cannot_decode():
    base = BASE.replace("\n", "\r\n")
    ours = add_after(base, LAST_A.replace("\n", "\r\n"), ATTEMPT_3_OURS.replace("\n", "\r\n"))
    theirs = sub(base, "More notes.", "More notes \udcff.")
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts == 0
    assert result.text == sub(ours, "More notes.", "More notes \udcff.")
    assert "\n" not in result.text.replace("\r\n", "")


@settings(max_examples=60, deadline=None)
@given(
    base=st.text(alphabet="ab#[]- :\n\r*", max_size=80),
    other=st.text(alphabet="ab#[]- :\n*", max_size=80),
)
def test_any_text_changed_on_one_side_is_returned_unchanged(base, other):
    assert merge_ledgers(base, other, base).text == other
    assert merge_ledgers(base, base, other).text == other


# --- the ledger rules ------------------------------------------------------------------------


def test_attempts_added_on_both_sides_are_both_kept_in_timestamp_order():
    ours = add_after(BASE, LAST_A, ATTEMPT_3_OURS)
    theirs = add_after(BASE, LAST_A, ATTEMPT_3_THEIRS)
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    # Oldest first, like the section: theirs (01-04) before ours (01-05) whatever the side;
    # both were numbered #3, so the later one (ours) becomes #4.
    assert result.text == add_after(BASE, LAST_A, ATTEMPT_3_THEIRS + ATTEMPT_4_OURS)
    assert merge_ledgers(BASE, theirs, ours).text == result.text


def test_the_later_of_two_new_attempts_with_one_number_is_renumbered_and_said():
    ours = add_after(BASE, LAST_A, ATTEMPT_3_OURS)
    theirs = add_after(BASE, LAST_A, ATTEMPT_3_THEIRS)
    result = merge_ledgers(BASE, ours, theirs, ours_label="main", theirs_label="feature")
    assert result.clean
    (renumbered,) = result.renumbered
    assert (renumbered.focus, renumbered.side, renumbered.old, renumbered.new) == (
        "A-001",
        "main",
        3,
        4,
    )
    assert renumbered.line == 13
    assert result.notes == [
        "both sides added Attempt #3 to A-001; the later one (from main) is now Attempt #4 "
        "(line 13)"
    ]
    item = ledger.loads(result.text).get("A-001")
    assert [a.number for a in item.attempts] == [1, 2, 3, 4]


def test_two_new_attempts_of_the_same_date_renumber_theirs():
    ours_entry = "  * [2026-01-04] Attempt #3 — Result: ok. Ours, same day.\n"
    ours = add_after(BASE, LAST_A, ours_entry)
    theirs = add_after(BASE, LAST_A, ATTEMPT_3_THEIRS)
    result = merge_ledgers(BASE, ours, theirs)
    assert result.text == add_after(BASE, LAST_A, ours_entry + ATTEMPT_3_THEIRS.replace("#3", "#4"))
    assert [r.side for r in result.renumbered] == ["theirs"]


def test_new_attempts_in_different_focus_items_keep_their_numbers():
    last_b = "  * [2026-01-03] Attempt #1 — Result: ok. Scoped.\n"
    ours = add_after(BASE, LAST_A, ATTEMPT_3_OURS)
    theirs = add_after(BASE, last_b, "  * [2026-01-04] Attempt #3 — Result: ok. B's third.\n")
    result = merge_ledgers(BASE, ours, theirs)
    assert result.clean and result.renumbered == ()
    assert "Attempt #3 — Result: ok. B's third." in result.text


def test_a_new_attempt_inside_a_conflict_is_not_renumbered_and_the_merge_is_not_clean():
    # Each side adds #3 followed by a loose line: that stretch is merged line-wise, and both
    # entries end up inside the markers, where a person decides what stays.
    ours = add_after(BASE, LAST_A, ATTEMPT_3_OURS + "Loose note from ours.\n")
    theirs = add_after(BASE, LAST_A, ATTEMPT_3_THEIRS + "Loose note from theirs.\n")
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 1 and not result.clean
    assert result.renumbered == () and "Attempt #4" not in result.text
    assert [(u.focus, u.number) for u in result.unresolved] == [("A-001", 3)]
    assert result.notes == [
        "both sides added Attempt #3 to A-001, and the later one is inside a conflict (or was "
        "changed), so it was not renumbered: renumber it by hand"
    ]


def test_newest_first_section_keeps_new_attempts_newest_first():
    base = """\
## [N-001] Newest first
- Status: in_progress
- *2026-01-12T000000Z (planning):* second
- *2026-01-11T000000Z (planning):* first
- Exit Criteria: x
"""
    a13 = "- *2026-01-13T000000Z (implementation):* ours\n"
    a14 = "- *2026-01-14T000000Z (verification):* theirs\n"
    head = "- Status: in_progress\n"
    result = merge_ledgers(base, add_after(base, head, a13), add_after(base, head, a14))
    assert result.conflicts == 0
    assert result.text == add_after(base, head, a14 + a13)
    assert [a.timestamp.day for a in ledger.loads(result.text).focus_items[0].attempts] == [
        14,
        13,
        12,
        11,
    ]


def test_attempts_separated_by_blank_lines_keep_one_blank_line_between_them():
    base = "## [L-001] Latest\n- Status: planning\n\n- Latest Attempt (2026-01-01T000000Z): planning — old\n\n- Exit Criteria: x\n"
    ours = sub(
        base, "(2026-01-01T000000Z): planning — old", "(2026-01-03T000000Z): planning — ours"
    )
    theirs = sub(
        base, "(2026-01-01T000000Z): planning — old", "(2026-01-02T000000Z): planning — theirs"
    )
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts == 0
    assert result.text == (
        "## [L-001] Latest\n- Status: planning\n\n"
        "- Latest Attempt (2026-01-02T000000Z): planning — theirs\n\n"
        "- Latest Attempt (2026-01-03T000000Z): planning — ours\n\n"
        "- Exit Criteria: x\n"
    )


def test_field_changed_on_one_side_takes_that_side_while_the_other_adds_an_attempt():
    ours = sub(BASE, "- Status: in_progress", "- Status: blocked — waiting on data")
    theirs = add_after(BASE, LAST_A, ATTEMPT_3_THEIRS)
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == add_after(ours, LAST_A, ATTEMPT_3_THEIRS)
    item = ledger.loads(result.text).get("A-001")
    assert item.status.value == "blocked" and len(item.attempts) == 3


def test_focus_items_added_on_both_sides_are_both_kept():
    new_c = "\n## [C-003] Third\n- Status: pending\n"
    new_d = "\n## [D-004] Fourth\n- Status: pending\n"
    anchor = "  * [2026-01-03] Attempt #1 — Result: ok. Scoped.\n"
    ours = add_after(BASE, anchor, new_c)
    theirs = add_after(BASE, anchor, new_d)
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == add_after(BASE, anchor, new_c + new_d)
    assert ledger.loads(result.text).ids == ["A-001", "B-002", "C-003", "D-004"]


def test_focus_appended_at_the_end_on_both_sides_gets_a_blank_line_between():
    base = "# Plan\n\n## [A-001] One\n- Status: pending\n"
    ours = base + "\n## [C-003] Three\n- Status: pending\n"
    theirs = base + "\n## [D-004] Four\n- Status: pending\n"
    result = merge_ledgers(base, ours, theirs)
    assert result.text == ours + "\n## [D-004] Four\n- Status: pending\n"


@pytest.mark.parametrize("later", ["ours", "theirs"])
def test_last_updated_takes_the_later_value(later):
    early = sub(BASE, "2026-01-10 (galph loop)", "2026-01-11T0900Z (ralph loop)")
    late = sub(BASE, "2026-01-10 (galph loop)", "2026-01-11T1730Z (galph loop)")
    late = add_after(late, LAST_A, ATTEMPT_3_OURS)
    ours, theirs = (late, early) if later == "ours" else (early, late)
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == late


def test_adjacent_header_lines_changed_on_different_sides_merge():
    ours = sub(BASE, "2026-01-10 (galph loop)", "2026-01-12 (ours)")
    theirs = sub(BASE, "**Active Focus:** [A-001]", "**Active Focus:** [B-002]")
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == sub(ours, "**Active Focus:** [A-001]", "**Active Focus:** [B-002]")


def test_prose_is_merged_line_wise_like_git():
    ours = sub(BASE, "Notes written by hand.", "Notes written by hand, revised.")
    theirs = sub(BASE, "More notes.", "More notes.\nEven more notes.")
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == sub(ours, "More notes.", "More notes.\nEven more notes.")


# --- conflicts -----------------------------------------------------------------------------


def test_conflicting_status_changes_are_a_conflict_around_the_status_line_only():
    ours = add_after(sub(BASE, "- Status: in_progress", "- Status: done"), LAST_A, ATTEMPT_3_OURS)
    theirs = add_after(
        sub(BASE, "- Status: in_progress", "- Status: blocked"), LAST_A, ATTEMPT_3_THEIRS
    )
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 1
    assert not result.clean
    expected = add_after(
        sub(
            BASE,
            "- Status: in_progress\n",
            "<<<<<<< ours\n- Status: done\n=======\n- Status: blocked\n>>>>>>> theirs\n",
        ),
        LAST_A,
        ATTEMPT_3_THEIRS + ATTEMPT_4_OURS,
    )
    assert result.text == expected


def test_conflict_markers_follow_the_ledger_newline_style():
    base = BASE.replace("\n", "\r\n")
    ours = sub(base, "- Status: pending", "- Status: done")
    theirs = sub(base, "- Status: pending", "- Status: paused")
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts == 1
    assert (
        "<<<<<<< ours\r\n- Status: done\r\n=======\r\n- Status: paused\r\n>>>>>>> theirs\r\n"
        in result.text
    )


def test_focus_changed_on_one_side_and_deleted_on_the_other_is_a_conflict():
    section_b = BASE[BASE.index("## [B-002]") : BASE.index("---")]
    ours = sub(BASE, "- Status: pending", "- Status: done")
    theirs = sub(BASE, section_b, "")
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 1
    assert "<<<<<<< ours\n## [B-002] Second focus\n" in result.text
    assert "- Status: done\n" in result.text and "=======\n>>>>>>> theirs\n" in result.text


def test_focus_deleted_on_one_side_and_untouched_on_the_other_is_deleted():
    section_b = BASE[BASE.index("## [B-002]") : BASE.index("---")]
    ours = sub(BASE, section_b, "")
    theirs = add_after(BASE, LAST_A, ATTEMPT_3_THEIRS)
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == add_after(ours, LAST_A, ATTEMPT_3_THEIRS)


def test_the_same_focus_added_differently_on_both_sides_conflicts_only_where_it_differs():
    new = "\n## [C-003] Third\n- Priority: Low\n- Status: {}\n"
    anchor = "  * [2026-01-03] Attempt #1 — Result: ok. Scoped.\n"
    result = merge_ledgers(
        BASE,
        add_after(BASE, anchor, new.format("pending")),
        add_after(BASE, anchor, new.format("done")),
    )
    assert result.conflicts == 1
    assert (
        "- Priority: Low\n<<<<<<< ours\n- Status: pending\n=======\n- Status: done\n>>>>>>> theirs\n"
        in result.text
    )


# --- line-wise merge and diff3 -------------------------------------------------------------


def test_diff3_separates_stable_runs_from_changed_regions():
    regions = diff3(list("abcde"), list("aXcde"), list("abcdY"))
    assert regions == [
        Stable(["a"]),
        Unstable(["b"], ["X"], ["b"]),
        Stable(["c", "d"]),
        Unstable(["e"], ["e"], ["Y"]),
    ]


def test_merge_lines_trims_the_conflict_to_the_lines_that_differ():
    base = "one\ntwo\nthree\n"
    ours = "one\nsame\nours\nthree\n"
    theirs = "one\nsame\ntheirs\nthree\n"
    result = merge_lines(base, ours, theirs)
    assert result.conflicts == 1
    assert result.text == "one\nsame\n<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> theirs\nthree\n"


def test_merge_lines_ends_lines_before_markers_when_the_file_has_no_final_newline():
    result = merge_lines("a\nb", "a\nours", "a\ntheirs")
    assert result.text == "a\n<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> theirs\n"


# --- CLI ---------------------------------------------------------------------------------------


@pytest.fixture
def three(tmp_path: Path) -> tuple[Path, Path, Path]:
    paths = [tmp_path / name for name in ("base.md", "ours.md", "theirs.md")]
    texts = [
        BASE,
        add_after(BASE, LAST_A, ATTEMPT_3_OURS),
        add_after(BASE, LAST_A, ATTEMPT_3_THEIRS),
    ]
    for path, text in zip(paths, texts):
        path.write_bytes(text.encode())
    return paths[0], paths[1], paths[2]


def test_cli_merge_writes_the_merged_ledger_to_output(three, tmp_path):
    base, ours, theirs = three
    out = tmp_path / "out.md"
    result = CliRunner().invoke(
        build_app(), ["merge", str(ours), str(base), str(theirs), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text() == add_after(BASE, LAST_A, ATTEMPT_3_THEIRS + ATTEMPT_4_OURS)
    assert "the later one (from ours) is now Attempt #4" in result.stderr


def test_cli_merge_prints_to_stdout_and_exits_1_on_conflict(tmp_path):
    files = []
    for name, status in (("b", "in_progress"), ("o", "done"), ("t", "blocked")):
        path = tmp_path / f"{name}.md"
        path.write_text(sub(BASE, "- Status: in_progress", f"- Status: {status}"))
        files.append(path)
    result = CliRunner().invoke(build_app(), ["merge", str(files[1]), str(files[0]), str(files[2])])
    assert result.exit_code == 1
    assert (
        "<<<<<<< ours\n- Status: done\n=======\n- Status: blocked\n>>>>>>> theirs\n"
        in result.stdout
    )


def test_merge_driver_writes_the_result_over_ours(three):
    base, ours, theirs = three
    result = CliRunner().invoke(
        build_app(),
        ["merge-driver", str(base), str(ours), str(theirs), "--path", "docs/fix_plan.md"],
    )
    assert result.exit_code == 0, result.output
    assert ours.read_text() == add_after(BASE, LAST_A, ATTEMPT_3_THEIRS + ATTEMPT_4_OURS)
    assert result.stderr == (
        "ledger: docs/fix_plan.md: both sides added Attempt #3 to A-001; the later one "
        "(from ours) is now Attempt #4 (line 13)\n"
    )


def test_merge_driver_names_the_sides_it_is_given_in_markers_and_notes(tmp_path):
    paths = [tmp_path / name for name in ("base.md", "ours.md", "theirs.md")]
    texts = [BASE] + [
        add_after(sub(BASE, "- Status: in_progress", f"- Status: {s}"), LAST_A, entry)
        for s, entry in (("done", ATTEMPT_3_OURS), ("blocked", ATTEMPT_3_THEIRS))
    ]
    for path, text in zip(paths, texts):
        path.write_text(text)
    args = ["merge-driver", *map(str, paths), "--ours-name", "main", "--theirs-name", "feature"]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 1
    merged = paths[1].read_text()
    assert "<<<<<<< main\n- Status: done\n=======\n- Status: blocked\n>>>>>>> feature\n" in merged
    assert "(from main) is now Attempt #4" in result.stderr


def test_merge_driver_without_files_is_a_usage_error():
    result = CliRunner().invoke(build_app(), ["merge-driver"])
    assert result.exit_code == 2
    assert "needs the three files" in result.output


def test_install_configures_git_and_gitattributes_once(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitattributes").write_text("*.png binary")  # no final newline
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        result = CliRunner().invoke(build_app(), ["merge-driver", "--install"])
        assert result.exit_code == 0, result.output
    assert (
        tmp_path / ".gitattributes"
    ).read_text() == "*.png binary\ndocs/fix_plan.md merge=ledger\n"
    driver = subprocess.run(
        ["git", "config", "merge.ledger.driver"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert driver == "ledger merge-driver %O %A %B --path %P"


def test_install_outside_a_repository_is_a_git_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(build_app(), ["merge-driver", "--install"])
    assert result.exit_code == 1
    assert result.stderr == f"ledger: error: {Path.cwd()} is not inside a git repository\n"
    assert not (tmp_path / ".gitattributes").exists()


def test_an_attempt_edited_on_one_side_while_the_other_adds_one_keeps_the_edit_and_both():
    edited = LAST_A.replace("Second try.", "Second try (rerun).")
    ours = sub(BASE, LAST_A, edited)
    theirs = add_after(BASE, LAST_A, ATTEMPT_3_THEIRS)
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == add_after(ours, edited, ATTEMPT_3_THEIRS)


def test_the_same_attempt_edited_differently_on_both_sides_is_a_conflict_not_two_copies():
    ours = sub(BASE, LAST_A, LAST_A.replace("Second try.", "Second try, ours."))
    theirs = sub(BASE, LAST_A, LAST_A.replace("Second try.", "Second try, theirs."))
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 1
    assert result.text.count("Attempt #2") == 2  # once per side, inside the markers
    assert "<<<<<<< ours\n" + LAST_A.replace("Second try.", "Second try, ours.") in result.text


def test_heading_attempts_appended_on_both_sides_are_kept_in_time_order_with_a_blank_line():
    base = (
        "# Plan\n\n## Attempts History\n\n### 2026-01-22T02:40Z — A-001 (initial)\nDid a thing.\n"
    )
    ours = base + "\n### 2026-01-22T05:00Z — A-001.F1 (shipped)\nOurs.\n"
    theirs = base + "\n### 2026-01-22T04:00Z — A-001.F2 (scoped)\nTheirs.\n"
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts == 0
    assert result.text == (
        base
        + "\n### 2026-01-22T04:00Z — A-001.F2 (scoped)\nTheirs.\n"
        + "\n### 2026-01-22T05:00Z — A-001.F1 (shipped)\nOurs.\n"
    )


def test_index_rows_added_on_both_sides_are_both_kept():
    base = "# Plan\n\n## Index\n| ID | Title | Status |\n| --- | --- | --- |\n| [A-001] | One | pending |\n\n## [A-001] One\n- Status: pending\n"
    row_c, row_d = "| [C-003] | Three | pending |\n", "| [D-004] | Four | pending |\n"
    anchor = "| [A-001] | One | pending |\n"
    ours = add_after(base, anchor, row_c) + "\n## [C-003] Three\n- Status: pending\n"
    theirs = add_after(base, anchor, row_d) + "\n## [D-004] Four\n- Status: pending\n"
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts == 0
    doc = ledger.loads(result.text)
    assert [row.id for row in doc.index.rows] == ["A-001", "C-003", "D-004"]
    assert doc.ids == ["A-001", "C-003", "D-004"]


def test_an_attempt_added_identically_on_both_sides_is_written_once():
    ours = add_after(BASE, LAST_A, ATTEMPT_3_THEIRS + ATTEMPT_3_OURS)
    theirs = add_after(BASE, LAST_A, ATTEMPT_3_THEIRS)
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == ours


def test_a_second_field_of_the_same_name_does_not_take_the_first_ones_identity():
    base = "## [A-001] One\n- Status: in_progress\n- Attempts History:\n  * [2026-01-01] Attempt #1 — ok\n- Next Actions:\n  1. old plan\n- Exit Criteria: x\n"
    new_actions = "- Next Actions:\n  1. new plan\n"
    # the old one kept below
    ours = sub(base, "- Attempts History:\n", new_actions + "- Attempts History:\n")
    theirs = sub(base, "- Next Actions:\n  1. old plan\n", "")  # the old one removed
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts == 0
    assert result.text == sub(ours, "- Next Actions:\n  1. old plan\n", "")


def test_prose_written_at_the_same_place_on_both_sides_is_not_duplicated():
    base = "# Plan\n\n## [A-001] One\n- Status: pending\n\n---\n\nNotes.\n"
    ours = base + "Ours adds a line.\n"
    theirs = base + "Theirs adds another.\n"
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts == 1
    assert (
        result.text
        == base + "<<<<<<< ours\nOurs adds a line.\n=======\nTheirs adds another.\n>>>>>>> theirs\n"
    )


def test_a_heading_attempt_edited_on_one_side_while_the_other_appends_one_merges():
    base = (
        "# Plan\n\n## Attempts History\n\n### 2026-01-22T02:40Z — A-001 (initial)\nDid a thing.\n"
    )
    ours = base.replace("Did a thing.\n", "Did a thing.\n**Next Actions:** more.\n")
    theirs = base + "\n### 2026-01-22T04:00Z — A-001.F2 (scoped)\nTheirs.\n"
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts == 0
    assert result.text == ours + "\n### 2026-01-22T04:00Z — A-001.F2 (scoped)\nTheirs.\n"


LINES = [
    "# Plan\n",
    "**Last Updated:** 2026-01-0{}\n",
    "## [A-001] One\n",
    "## [B-002] Two\n",
    "## Index\n",
    "| [A-001] | One | pending |\n",
    "- Status: pending\n",
    "- Status: done\n",
    "- Attempts History:\n",
    "  * [2026-01-0{}] Attempt #1 — ok\n",
    "- *2026-01-0{}T000000Z (planning):* text\n",
    "### 2026-01-0{}T00:00Z — A-001 (x)\n",
    "- Next Actions:\n",
    "  1. step\n",
    "---\n",
    "prose\n",
    "\n",
    "\r\n",
    "no newline",
]


def ledger_texts():
    line = st.tuples(st.sampled_from(LINES), st.integers(1, 9)).map(
        lambda p: p[0].replace("{}", str(p[1]))
    )
    return st.lists(line, max_size=14).map("".join)


@settings(max_examples=150, deadline=None)
@given(base=ledger_texts(), ours=ledger_texts(), theirs=ledger_texts())
def test_any_three_ledgers_merge_without_error_and_keep_agreed_changes(base, ours, theirs):
    result = merge_ledgers(base, ours, theirs)
    assert result.conflicts >= 0
    assert result.conflicts == 0 or "<<<<<<< ours" in result.text
    assert merge_ledgers(base, ours, ours).text == ours
    if result.conflicts == 0:
        assert "<<<<<<<" not in result.text


def test_cli_merge_into_a_missing_folder_is_one_clear_error(three, tmp_path):
    base, ours, theirs = three
    out = tmp_path / "missing" / "out.md"
    result = CliRunner().invoke(
        build_app(), ["merge", str(ours), str(base), str(theirs), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "does not exist" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.parent.exists()


def test_cli_merge_missing_input_is_one_clear_error(three, tmp_path):
    base, ours, _theirs = three
    result = CliRunner().invoke(
        build_app(), ["merge", str(ours), str(base), str(tmp_path / "nope.md")]
    )
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_last_updated_changed_on_both_sides_next_to_other_header_edits_still_merges():
    ours = sub(
        BASE,
        "**Last Updated:** 2026-01-10 (galph loop)\n",
        "**Last Updated:** 2026-01-12 (ours)\n**Note:** ours\n",
    )
    theirs = sub(
        BASE,
        "**Last Updated:** 2026-01-10 (galph loop)\n",
        "**Last Updated:** 2026-01-11 (theirs)\n",
    )
    result = merge_ledgers(BASE, ours, theirs)
    assert result.conflicts == 0
    assert result.text == ours


def test_merge_driver_keeps_bom_crlf_and_undecodable_bytes(tmp_path):
    crlf = BASE.replace("\n", "\r\n").encode()
    base = b"\xef\xbb\xbf" + crlf + b"caf\xe9 \xff\r\n"
    ours = base.replace(
        LAST_A.replace("\n", "\r\n").encode(),
        (LAST_A + ATTEMPT_3_OURS).replace("\n", "\r\n").encode(),
    )
    theirs = base.replace(b"- Status: pending", b"- Status: done")
    paths = []
    for name, data in (("O", base), ("A", ours), ("B", theirs)):
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    result = CliRunner().invoke(build_app(), ["merge-driver", *paths])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "A").read_bytes() == ours.replace(b"- Status: pending", b"- Status: done")


# --- the driver protocol -------------------------------------------------------------------

HEAD_SHA, OTHER_SHA = "a" * 40, "b" * 40


def test_side_names_take_the_labels_git_substituted():
    assert side_names("main", "feature", {f"GITHEAD_{OTHER_SHA}": "topic"}, HEAD_SHA) == (
        "main",
        "feature",
    )


def test_side_names_from_githead_variables_ours_being_heads_commit():
    env = {f"GITHEAD_{OTHER_SHA}": "feature", "PATH": "/bin"}
    assert side_names(None, None, env, HEAD_SHA) == ("ours", "feature")
    env[f"GITHEAD_{HEAD_SHA}"] = "main"
    assert side_names(None, None, env, HEAD_SHA) == ("main", "feature")


def test_side_names_fall_back_to_ours_and_theirs():
    assert side_names(None, None, {}, None) == ("ours", "theirs")
    # placeholders an older git left unsubstituted are not names
    assert side_names("%X", "%Y", {}, HEAD_SHA) == ("ours", "theirs")
    # two other heads (an octopus merge): which one is theirs is not known
    env = {f"GITHEAD_{OTHER_SHA}": "b", f"GITHEAD_{'c' * 40}": "c"}
    assert side_names(None, None, env, HEAD_SHA) == ("ours", "theirs")


def test_driver_command_passes_the_labels_from_git_2_44_on():
    assert driver_command("ledger", (2, 39, 5)) == "ledger merge-driver %O %A %B --path %P"
    assert driver_command("ledger", (2, 44, 0)) == (
        "ledger merge-driver %O %A %B --path %P --ours-name %X --theirs-name %Y"
    )
    assert driver_command("ledger", ()) == "ledger merge-driver %O %A %B --path %P"
