"""Tests for `ledger.fix`: mojibake, duplicate attempts, index rows, opt-in trailing spaces;
idempotence, and that nothing but exact duplicates is ever deleted."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import DATA, EEA, SEED, corpus_files, read_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.checks import check_text
from ledger.config import CheckConfig
from ledger.encoding import demojibake, suspects
from ledger.fix import (
    ChangeKind,
    fix_duplicate_attempts,
    fix_index,
    fix_mojibake,
    fix_open_boxes,
    fix_text,
)
from ledger.parse import loads

REPAIRED = ("LDG204", "LDG404", "LDG501", "LDG502", "LDG503", "LDG504", "LDG507", "LDG801")


@pytest.fixture(scope="module")
def seed_fixed():
    return fix_text(read_corpus(SEED))


def test_seed_comes_back_as_proper_utf8(seed_fixed):
    text = seed_fixed.text
    assert "‚Äî" not in text and "‚Äú" not in text and "√©" not in text
    assert (
        "FIX-TF-C1D-SCALED-RERUN-001 — Guard + scaled TF rerun evidence capture (Phase\u202fC1d)"
        in text
    )
    assert "Detailed “Attempts History” entries" in text
    assert "(🚧)" in text
    text.encode("utf-8")  # no surrogates: valid UTF-8 all the way
    assert seed_fixed.counts() == {"mojibake": 141}


def test_seed_fix_changes_only_mojibake_lines(seed_fixed):
    before = seed_fixed.before.split("\n")
    after = seed_fixed.text.split("\n")
    assert len(before) == len(after)
    for old, new in zip(before, after):
        if old != new:
            assert demojibake(old) == (new, "mac_roman")


def test_fixed_seed_no_longer_reports_mojibake_and_parses_the_same(seed_fixed):
    codes = {f.code for f in check_text(seed_fixed.text)}
    assert "LDG801" not in codes and "LDG101" in codes  # the rest stays a finding
    assert loads(seed_fixed.text).ids == loads(seed_fixed.before).ids


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_fix_is_idempotent_and_deletes_only_exact_duplicates(path):
    text = read_corpus(path)
    result = fix_text(text)
    assert not fix_text(result.text).changed
    # Mojibake and index repairs rewrite lines in place or add rows; they never drop one.
    demojibaked = fix_mojibake(text)[0]
    assert demojibaked.count("\n") == text.count("\n")
    deduplicated, removed = fix_duplicate_attempts(demojibaked)
    assert fix_index(deduplicated)[0].count("\n") >= deduplicated.count("\n")
    # Every line the duplicate step dropped has an identical copy that stayed.
    after = Counter(deduplicated.split("\n"))
    gone = Counter(demojibaked.split("\n")) - after
    assert bool(gone) == bool(removed)
    assert all(after[line] >= 1 for line in gone)
    # What fix repairs is no longer reported.
    left = {f.code for f in check_text(result.text)}
    assert not left & set(REPAIRED)


def test_eea_fix_regenerates_index_rows_and_drops_the_duplicate_attempt():
    text = read_corpus(EEA)
    result = fix_text(text)
    assert result.counts() == {"duplicate-attempt": 1, "index-row": 5}
    lines = result.text.split("\n")
    assert lines[13] == (
        "| [CLI-DEFAULTS-001](#cli-defaults-001-minimal--default_f-cli-invocation)"
        " | Minimal -default_F CLI invocation | High | in_progress |"
    )
    assert "(#vector-parity-001-restore-4096-benchmark-parity)" in lines[20]
    assert len(lines) == len(text.split("\n")) - 1


LEDGER = """\
# Demo

## Index
| ID | Title | Priority | Status | Owner |
|----|-------|----------|--------|-------|
| [A-001](#a-001-first) | First | High | done (Phase H archived) | ralph |
| [B-001](#b-001-old) | Old title | Low | done | galph |
| [Z-001](#z-001) | Gone | Low | done | nobody |

## [A-001] First
- Priority: High
- Status: done

## [B-001] Second item
- Priority: Medium
- Status: in_planning

## [C-001] Third | piped
- Priority: Critical (Tier 2)
- Status: blocked — waiting
"""


def test_index_fix_keeps_agreeing_cells_and_extra_columns():
    fixed, changes = fix_index(LEDGER)
    lines = fixed.split("\n")
    assert lines[5] == "| [A-001](#a-001-first) | First | High | done (Phase H archived) | ralph |"
    assert (
        lines[6] == "| [B-001](#b-001-second-item) | Second item | Medium | in_planning | galph |"
    )
    assert lines[7] == "| [Z-001](#z-001) | Gone | Low | done | nobody |"  # unknown: kept
    assert (
        lines[8] == "| [C-001](#c-001-third--piped) | Third &#124; piped | Critical | blocked |  |"
    )
    assert [c.kind for c in changes] == [ChangeKind.index_row, ChangeKind.index_row_added]
    assert fix_index(fixed) == (fixed, [])


def test_index_fix_without_a_final_newline_keeps_it_that_way():
    text = "## Index\n| ID | Title | Status |\n| --- | --- | --- |\n| A-001 | First | done |"
    text = text + "\n\n## [A-001] First\n- Status: done\n\n## [B-001] Second\n- Status: pending"
    fixed, _ = fix_index(text.replace("| A-001 | First | done |\n\n", "| A-001 | First | done |\n"))
    assert "| B-001 | Second | pending |" in fixed and not fixed.endswith("\n")


def test_duplicate_attempts_are_removed_only_when_every_line_matches():
    text = (
        "## [A-001] First\n"
        "- Status: in_progress\n"
        "- Latest Attempt (2026-01-05T100000Z): planning — same\n"
        "  - Evidence: one\n"
        "- Latest Attempt (2026-01-05T100000Z): planning — same\n"
        "  - Evidence: two\n"
        "- Latest Attempt (2026-01-05T100000Z): planning — same\n"
        "  - Evidence: one\n"
    )
    fixed, changes = fix_duplicate_attempts(text)
    assert fixed == "".join(text.splitlines(keepends=True)[:6])
    assert [c.line for c in changes] == [7]


def test_same_attempt_in_two_foci_is_not_a_duplicate():
    entry = "- Latest Attempt (2026-01-05T100000Z): planning — shared\n"
    text = "## [A-001] A\n- Status: done\n" + entry + "\n## [B-001] B\n- Status: done\n" + entry
    assert fix_duplicate_attempts(text) == (text, [])


def test_trailing_whitespace_only_when_configured():
    text = "# T\n\n## [A-001] A  \n- Status: done\t\r\n"
    assert fix_text(text).text == text
    fixed = fix_text(text, CheckConfig(fix_trailing_whitespace=True))
    assert fixed.text == "# T\n\n## [A-001] A\n- Status: done\r\n"


def test_line_endings_bom_and_undecodable_bytes_survive():
    raw = "\ufeff# T\r\n\r\nNote ‚Äî here\r\nbad \udce2\udc80 bytes\r\n"
    fixed = fix_text(raw).text
    assert fixed == "\ufeff# T\r\n\r\nNote — here\r\nbad \udce2\udc80 bytes\r\n"


def test_open_box_under_completed_is_ticked_and_nothing_else_changes():
    text = read_corpus(DATA / "expected" / "samples" / "ralph_fix_plan.md")
    result = fix_text(text)
    before, after = text.splitlines(keepends=True), result.text.splitlines(keepends=True)
    changed = [n for n, (a, b) in enumerate(zip(before, after), 1) if a != b]
    assert len(before) == len(after) and changed == [26]
    assert before[25] == "- [ ] Migrated settings to the new config format\n"
    assert after[25] == "- [x] Migrated settings to the new config format\n"
    assert [(c.kind, c.line) for c in result.changes] == [(ChangeKind.ticked_box, 26)]
    assert result.counts() == {"ticked-box": 1}


def test_open_boxes_keep_their_indentation_line_endings_and_optional_mark():
    text = "# P\r\n\r\n## Done\r\n- [x] Shipped\r\n  - [ ] 2.1 Sub-task\r\n- [ ]* Optional extra"
    fixed, changes = fix_open_boxes(text)
    assert (
        fixed
        == "# P\r\n\r\n## Done\r\n- [x] Shipped\r\n  - [x] 2.1 Sub-task\r\n- [x]* Optional extra"
    )
    assert [c.line for c in changes] == [5, 6]


def test_index_of_a_plan_without_sections_gets_no_rows_for_its_items():
    text = (
        "# P\n\n## Index\n| ID | Title | Status |\n| --- | --- | --- |\n| T-1 | Migrate | done |\n"
        "\n## Queue\n- [ ] Q-1: Write the docs\n"
    )
    assert fix_index(text) == (text, [])


def test_clean_text_is_unchanged():
    text = read_corpus(SEED)
    once = fix_text(text).text
    assert fix_text(once).changes == []


PIECES = [
    "# T\n",
    "## Index\n",
    "| ID | Title | Priority | Status |\n",
    "| --- | --- | --- | --- |\n",
    "| [A-001](#a-001-x) | X | High | done |\n",
    "| B-002 | Y | | |\n",
    "## [A-001] X\n",
    "## [B-002] Y | z\n",
    "- Status: done\n",
    "- Priority: High\n",
    "- Depends on: B-002\n",
    "- Latest Attempt (2026-01-01T000000Z): planning — x\n",
    "  * [2026-01-01] Attempt #1 — ok\n",
    "- Attempts History:\n",
    "---\n",
    "\n",
    "```\n",
    "Note ‚Äî here\n",
    "bad \udce2 x\n",
    "x  \n",
    "\r\n",
    "### 2026-01-22T02:40Z — A-001.F1 (scoped)\n",
    "## Attempts History\n",
    "## TODOs\n",
    "## Completed\n",
    "- [ ] CR-01: an open box\n",
    "- [x] CR-02: a ticked box\n",
    "  - [ ] a step\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.booleans())
def test_fix_never_fails_and_is_idempotent_on_ledger_like_text(parts, strip):
    config = CheckConfig(fix_trailing_whitespace=strip)
    result = fix_text("".join(parts), config)
    assert fix_text(result.text, config).text == result.text
    check_text(result.text, config)


def test_the_lines_that_may_be_mojibake_are_those_holding_a_lead_character_each_once():
    text = "plain\ndone â€” ok â€” twice\nαβγ ✅\n\nÃ© at the end"
    assert suspects(text).mojibake_lines == [1, 4]
    assert suspects("plain ascii\nlines").mojibake_lines == []
    assert suspects("Ã©").mojibake_lines == [0]


def test_one_scan_finds_the_first_control_character_of_each_line_beside_the_mojibake():
    text = "ok\nâ€” a\x07b\x01\n\x1b[0m Ã©\nclean\ttab\n\x85"
    found = suspects(text)
    assert found.mojibake_lines == [1, 2]
    assert found.controls == [(1, 5, "\x07"), (2, 0, "\x1b"), (4, 0, "\x85")]
    assert found.undecodable_lines == []
    assert suspects("a\nb \udcff\udc80 \x00\n").undecodable_lines == [1]
    assert demojibake("αβγ ✅") is None  # non-ASCII without a lead character is not tried
