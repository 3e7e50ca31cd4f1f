"""Per-dialect parsing of small hand-written ledgers: IDs, statuses, fields, attempts."""

from __future__ import annotations

import contextlib
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ledger
from ledger import AttemptDialect, AttemptKind, Status
from ledger.ids import find_ids, focus_of_reference
from ledger.model import ItemForm
from ledger.timestamps import TIMESTAMP_RE, parse_timestamp


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


# --- D4: the seed's condensed layout -----------------------------------------------------------

D4 = """\
# Demo Fix Plan Ledger (Condensed)

**Last Updated:** 2025-11-20 (Tier-2 dwell context preserved)
**Active Focus:** FIX-B-001 — Guard + scaled rerun

---

## [FIX-A-001] First focus
- Depends on: FIX-B-001 (guard landed), finding `PINN-CHUNKED-001`; see `plans/active/FIX-A-001/x.md`
- Priority: High (unblocks the study)
- Status: blocked — waiting on FIX-B-001
- Working Plan: `plans/active/FIX-A-001/implementation.md`
- Return Conditions:
  - Guard log exists under `$HUB/green/`.
  - FIX-B-001 produced the scaled evidence.
- Latest Attempt (2025-11-19T190500Z): planning — Dwell hit Tier 2.
- Latest Attempt (2025-11-19T011500Z) [superseded by 2025-11-19T014500Z]: Planning — older.
  - nested note that belongs to the attempt
- Attempt (2025-11-14T0849Z): implementation (COMPLETE) — landed the guard.

## [FIX-B-001] Second focus
- Priority: Critical
- Status: in_progress — executing now
- **Status:** done
- Return Condition: one line condition
"""


def test_d4_sections_fields_and_header():
    doc = ledger.loads(D4)
    a, b = doc.focus_items
    assert (a.id, a.title, a.line, a.level) == ("FIX-A-001", "First focus", 8, 2)
    assert a.status is Status.blocked and a.status_text == "blocked — waiting on FIX-B-001"
    assert a.priority == "High"
    assert a.depends_on == ["FIX-B-001", "PINN-CHUNKED-001"]
    assert a.return_conditions == [
        "Guard log exists under `$HUB/green/`.",
        "FIX-B-001 produced the scaled evidence.",
    ]
    assert [f.name for f in a.fields] == [
        "Depends on",
        "Priority",
        "Status",
        "Working Plan",
        "Return Conditions",
    ]
    assert doc.header.title == "Demo Fix Plan Ledger (Condensed)"
    assert doc.header.last_updated.startswith("2025-11-20")
    assert doc.header.last_updated_date.isoformat() == "2025-11-20"
    assert doc.header.active_focus_id == "FIX-B-001"
    # the first Status wins; the repeated (bold) one stays a field for `ledger check`
    assert b.status is Status.in_progress
    assert [f.bold for f in b.fields_named("status")] == [False, True]
    assert b.return_conditions == ["one line condition"]


def test_d4_attempts():
    a = ledger.loads(D4).focus_items[0]
    first, second, third = a.attempts
    assert first.dialect is AttemptDialect.latest
    assert first.label == "Latest Attempt"
    assert first.timestamp == utc(2025, 11, 19, 19, 5, 0)
    assert first.kind is AttemptKind.planning and first.summary == "Dwell hit Tier 2."
    assert second.label == "Latest Attempt [superseded by 2025-11-19T014500Z]"
    assert second.kind is AttemptKind.planning and second.kind_text == "Planning"
    assert (second.line, second.end_line) == (17, 18)
    assert third.timestamp == utc(2025, 11, 14, 8, 49)
    assert third.kind is AttemptKind.implementation
    assert third.kind_text == "implementation (COMPLETE)"
    assert a.last_attempt is first


# --- D2: nanoBragg numbered attempts -----------------------------------------------------------

D2 = """\
# Fix Plan Ledger
**Last Updated:** 2025-10-15 (ralph loop i=510)
**Active Focus:**
- CRITICAL: `[TEST-SUITE-TRIAGE-002]` — Phase M synthesis COMPLETE
- MONITOR: `[DETERMINISM-001]` — docs done

## Index
| ID | Title | Priority | Status |
| --- | --- | --- | --- |
| [TEST-SUITE-TRIAGE-002](#test-suite-triage-002-full-rerun) | Full rerun | Critical | in_progress |
| [DETERMINISM-001](#determinism-001-rng) | RNG | High | done |

## [TEST-SUITE-TRIAGE-002] Full rerun
- Priority: Critical
- Status: in_progress (Phases A–D complete)
- Attempts History:
  * [2025-10-15] Attempt #1 — Result: ✅ success (Phase A preflight complete). Captured env.
    Metrics: n/a
    Artifacts: `reports/a/`
  * [2025-10-15] Attempt #2 (ralph loop) — Result: partial. More.
* [2025-10-16] Attempt #3 (galph loop CG) — Result: **BLOCKED** (stuck)
- Next Actions:
  1. ✅ COMPLETE (Attempt #12, STAMP 20251015T150723Z) — not an attempt entry

## [DETERMINISM-001] RNG
- Status: done (archived)

## Completed / Archived Items
- [SOURCE-WEIGHT-001] Correct weighted source normalization — DONE (2025-10-10).
  * [2025-10-10] Attempt #31 — Result: ✅ success (orphaned under the archive list).

---

### Attempt #84 — Phase R Ledger Sync (R4 Completion)

**Date:** 2025-10-15 UTC
**Focus:** [TEST-SUITE-TRIAGE-001] Phase R ledger sync
"""


def test_d2_numbered_attempts_with_continuations():
    doc = ledger.loads(D2)
    triage = doc.get("TEST-SUITE-TRIAGE-002")
    assert triage.status is Status.in_progress
    one, two, three = triage.attempts
    assert one.dialect is AttemptDialect.numbered and one.number == 1
    assert one.result == "✅ success" and one.timestamp == utc(2025, 10, 15)
    assert (one.line, one.end_line) == (17, 19)
    assert one.text.endswith("Artifacts: `reports/a/`\n")
    assert two.actor == "ralph loop" and two.label == "Attempt #2 (ralph loop)"
    assert two.result == "partial"
    assert three.number == 3 and three.indent == "" and three.result == "BLOCKED"
    assert doc.get("DETERMINISM-001").status is Status.done


def test_d2_index_and_multiline_active_focus():
    doc = ledger.loads(D2)
    assert doc.header.active_focus_id == "TEST-SUITE-TRIAGE-002"
    assert "DETERMINISM-001" in doc.header.active_focus
    assert doc.index is not None
    assert doc.index.columns == ["ID", "Title", "Priority", "Status"]
    rows = {r.id: r for r in doc.index.rows}
    assert rows["DETERMINISM-001"].anchor == "determinism-001-rng"
    assert rows["DETERMINISM-001"].status is Status.done
    assert rows["TEST-SUITE-TRIAGE-002"].line == 10


def test_d2_orphans_under_completed_items_and_after_a_break():
    doc = ledger.loads(D2)
    orphans = doc.orphan_attempts
    assert [(o.line, o.dialect) for o in orphans] == [
        (30, AttemptDialect.numbered),
        (34, AttemptDialect.attempt_heading),
    ]
    heading = orphans[1]
    assert heading.number == 84 and heading.focus_ref == "TEST-SUITE-TRIAGE-001"
    assert heading.timestamp == utc(2025, 10, 15)


# --- dated entries under Attempts History (diffbragg) and D5 italic entries --------------------

DATED = """\
# DBEX Fix Plan Ledger

## Active / Pending Initiatives

### [ARCH-REFACTOR-001] Refinement Engine Modularization
- Status: in_progress
- Attempts History:
  * 2025-12-04T120500Z — see docs/fix_plan_archive.md for details.
  * 2025-12-02T233717Z — see docs/fix_plan_archive.md for details.
  * ... (see docs/fix_plan_archive.md for full history).

### [ARCH-REFINE-001] — **archived** (2025-12-01T161600Z, see docs/archive.md)
- Working Plan: `plans/active/ARCH-REFINE-001/implementation.md`

---

### [DEBUG-SIM-001] Isolate the discrepancy
- Priority: **Critical** (Highest Priority)
- Status: pending — plan drafted
- Attempts History:
  - *2026-01-13T000000Z:* Drafted phased debugging plan.
  - *2026-01-07T06:00:00Z (Phase C complete):* Removed XLA workarounds.
  - *2026-01-26T00:35:00Z – 2026-01-26T01:00:00Z (planning):* Reviewed.
  - *First (2025-11-14):* the first one.
  - *Last (2025-11-19T190500Z):* the last one.
"""


def test_dated_entries_become_attempts_only_under_attempts_history():
    doc = ledger.loads(DATED)
    arch = doc.get("ARCH-REFACTOR-001")
    assert arch.level == 3
    assert [a.timestamp_text for a in arch.attempts] == ["2025-12-04T120500Z", "2025-12-02T233717Z"]
    assert all(a.dialect is AttemptDialect.dated for a in arch.attempts)


def test_status_in_heading_when_no_status_field():
    doc = ledger.loads(DATED)
    assert doc.get("ARCH-REFINE-001").status is Status.archived


def test_italic_attempts_with_labels_ranges_and_first_last():
    item = ledger.loads(DATED).get("DEBUG-SIM-001")
    assert item.priority == "Critical"
    stamps = [a.timestamp for a in item.attempts]
    assert stamps == [
        utc(2026, 1, 13),
        utc(2026, 1, 7, 6, 0, 0),
        utc(2026, 1, 26, 0, 35, 0),
        utc(2025, 11, 14),
        utc(2025, 11, 19, 19, 5),
    ]
    assert [a.label for a in item.attempts] == [
        "",
        "Phase C complete",
        "planning",
        "First",
        "Last",
    ]
    assert item.attempts[2].kind is AttemptKind.planning
    assert item.attempts[1].kind is None  # a free label is kept, not guessed


# --- D6: the reset layout ----------------------------------------------------------------------

D6 = """\
# Fix Plan

## Status
`in_progress`

## Current Focus
**DEBUG-SIM-LINES-DOSE-001 — Legacy ground-truth bundle**

Maintainer <2> asked for the legacy bundle.

- Working Plan: `plans/active/DEBUG-SIM-LINES-DOSE-001/implementation.md`
- Request Source: `inbox/request.md`

## Attempts History

### 2026-01-22T02:40Z — seed S1–S2 (initial)
**Action:** Created the snapshot script.

### 2026-01-23T00:15Z — DEBUG-SIM-LINES-DOSE-001.A1 (manifest CLI shipped)
**Action:** Shipped.

### 2026-01-23T00:35Z — DEBUG-SIM-LINES-DOSE-001.C1/C2 (shipped)
**Action:** Shipped more.

## TODOs
- [ ] DEBUG-SIM-LINES-DOSE-001.F1: Await acknowledgement

### 2026-01-23T08:35Z — DEBUG-SIM-LINES-DOSE-001.F1 (per-actor history)
**Action:** Filed after the TODOs.

---

**2026-01-23T12:35Z — Escalation Brief for Maintainer <3>**

**Summary:** Written as a bold paragraph.

### 2026-01-23T07:05Z — seed S5 (scoped)
**Action:** Out of order.
"""


def test_reset_layout_attempts_belong_to_the_focus_their_heading_names():
    doc = ledger.loads(D6)
    assert [f.id for f in doc.focus_items] == ["DEBUG-SIM-LINES-DOSE-001", "seed"]
    current = doc.get("DEBUG-SIM-LINES-DOSE-001")
    assert not current.has_section
    assert current.line == 7  # first mention: the Current Focus line
    assert current.title == "Legacy ground-truth bundle"
    assert current.status is Status.in_progress
    assert current.attempts[:2] == [a for a in current.attempts if a.line < 26]
    assert [a.label for a in current.attempts[:2]] == ["manifest CLI shipped", "shipped"]
    assert current.attempts[1].kind is AttemptKind.implementation
    assert current.attempts[0].timestamp == utc(2026, 1, 23, 0, 15)
    seed = doc.get("seed")
    assert seed.line == 16 and seed.attempts[0].label == "initial"
    assert doc.header.active_focus_id == "DEBUG-SIM-LINES-DOSE-001"


def test_reset_layout_log_goes_on_after_todos_and_counts_for_the_focus_it_names():
    doc = ledger.loads(D6)
    assert doc.orphan_attempts == []
    current = doc.get("DEBUG-SIM-LINES-DOSE-001")
    assert [a.line for a in current.attempts] == [19, 22, 28, 33]
    assert [a.line for a in doc.get("seed").attempts] == [16, 37]  # after the `---` too
    assert current.last_attempt.label == "Escalation Brief for Maintainer <3>"


def test_reset_layout_bold_paragraph_entry_continues_the_focus_of_the_entry_before_it():
    doc = ledger.loads(D6)
    bold = doc.get("DEBUG-SIM-LINES-DOSE-001").attempts[-1]
    assert bold.dialect is AttemptDialect.bold
    assert (bold.line, bold.end_line) == (33, 35)  # up to the next heading, blank lines off
    assert bold.timestamp == utc(2026, 1, 23, 12, 35)
    assert bold.summary == "Escalation Brief for Maintainer <3>" and bold.kind is None
    assert bold.focus_ref == "DEBUG-SIM-LINES-DOSE-001"


def test_reset_layout_bold_paragraph_names_its_own_focus_when_it_starts_with_one():
    text = D6.replace("Escalation Brief for Maintainer <3>", "seed S6 (escalation)")
    bold = ledger.loads(text).get("seed").attempts[1]
    assert bold.line == 33 and bold.kind is AttemptKind.escalation


def test_a_reset_log_whose_entries_were_archived_is_still_the_log():
    pointer = (
        "- Archived history: 1 attempt is in `docs/fix_plan_archive.md` (snapshot 2026-01-06)."
    )
    text = (
        "### 2026-01-23T02:40Z — D-004 (scoped)\n## [A-001] One\n- Status: done\n"
        f"## Attempts History\n{pointer}\n"
    )
    doc = ledger.loads(text)
    assert [f.id for f in doc.focus_items] == ["D-004", "A-001"] and not doc.orphan_attempts
    # without the pointer (or with it elsewhere) the heading is an orphan, as before
    orphaned = ledger.loads(text.replace(pointer, "- nothing archived"))
    assert [f.id for f in orphaned.focus_items] == ["A-001"] and orphaned.orphan_attempts


def test_bold_timestamp_paragraph_outside_a_reset_log_is_prose():
    text = "## [A-001] Real\n- Status: pending\n\n---\n\n**2026-01-23T12:35Z — A-001 note**\n"
    doc = ledger.loads(text)
    assert doc.get("A-001").attempts == [] and doc.orphan_attempts == []


def test_reset_layout_current_focus_fields_are_the_current_focus_fields():
    current = ledger.loads(D6).get("DEBUG-SIM-LINES-DOSE-001")
    assert [(f.name, f.line) for f in current.fields] == [
        ("Working Plan", 11),
        ("Request Source", 12),
    ]
    assert current.field("working plan").value.startswith("`plans/active/")
    assert ledger.loads(D6).get("seed").fields == []


def test_heading_attempts_without_a_reset_log_stay_orphans_that_keep_their_reference():
    text = D6.replace("## Attempts History", "## Notes")
    doc = ledger.loads(text)
    # Without the log the file is no reset ledger: its TODO checkbox is its one item.
    assert [(f.id, f.form) for f in doc.focus_items] == [
        ("DEBUG-SIM-LINES-DOSE-001.F1", ItemForm.checkbox)
    ]
    assert [(o.line, o.focus_ref) for o in doc.orphan_attempts] == [
        (16, "seed"),
        (19, "DEBUG-SIM-LINES-DOSE-001"),
        (22, "DEBUG-SIM-LINES-DOSE-001"),
        (28, "DEBUG-SIM-LINES-DOSE-001"),
        (37, "seed"),
    ]


def test_reset_layout_attempt_naming_a_real_section_joins_it():
    text = "## [A-001] Real\n- Status: pending\n\n## Attempts History\n\n### 2026-01-01T00:00Z — A-001.F1 (scoped)\nbody\n"
    item = ledger.loads(text).get("A-001")
    assert item.has_section and [a.kind for a in item.attempts] == [AttemptKind.planning]


# --- structure -----------------------------------------------------------------------------------


def test_fenced_headings_are_not_focus_items():
    text = "## [A-001] Real\n```\n## [B-001] Example in code\n- Latest Attempt (2025-01-01): planning — x\n```\n"
    doc = ledger.loads(text)
    assert doc.ids == ["A-001"] and doc.focus_items[0].attempts == []


def test_thematic_break_closes_a_section_and_later_attempts_are_orphans():
    text = (
        "## [A-001] Last section\n- Status: archived\n\n---\n\nProcess references:\n"
        "- Supervisor prompt: `prompts/supervisor.md`\n\n"
        "- Latest Attempt (2025-11-11T161300Z): implementation — lands after the footer\n"
    )
    doc = ledger.loads(text)
    assert doc.get("A-001").attempts == []
    assert [o.line for o in doc.orphan_attempts] == [9]


def test_lost_heading_is_folded_into_the_previous_section():
    text = (
        "## [A-001] First\n- Priority: High\n- Status: pending\n\n"
        "- Priority: High (unblocks tests)\n- Status: pending — plan drafted\n"
        "- Working Plan: `plans/active/B-002/implementation.md`\n"
    )
    item = ledger.loads(text).get("A-001")
    assert [f.key for f in item.fields_named("status", "priority")] == [
        "priority",
        "status",
        "priority",
        "status",
    ]


def test_duplicate_ids_appear_twice_in_document_order():
    doc = ledger.loads(
        "## [A-1] one\n- Status: done\n## [B-1] b\n## [A-1] two\n- Status: pending\n"
    )
    assert [f.id for f in doc.focus_items] == ["A-1", "B-1", "A-1"]
    assert doc.get("A-1").title == "one" and len(doc.all_named("A-1")) == 2


def test_ids_are_whatever_sits_in_the_brackets():
    text = "### [AT‑PARALLEL‑002] Pixel Size (HIGH)\n* [YYYY‑MM‑DD] Attempt #1 — Result: pending (to be filled).\n## [seed] Inbox\n"
    doc = ledger.loads(text)
    assert doc.ids == ["AT‑PARALLEL‑002", "seed"]
    attempt = doc.focus_items[0].attempts[0]
    assert attempt.timestamp is None and attempt.timestamp_text == "YYYY‑MM‑DD"


def test_blocks_cover_every_line_in_order():
    doc = ledger.loads(D2)
    expected = 1
    for block in doc.blocks:
        assert block.line == expected
        expected = block.end_line + 1
    assert expected - 1 == doc.line_count
    assert {b.kind for b in doc.blocks} >= {"group", "section", "break", "attempt"}


def test_front_matter_is_its_own_block():
    doc = ledger.loads("---\nname: x\n---\n# Title\n")
    assert doc.blocks[0].kind == "front_matter" and doc.header.title == "Title"


# --- vocabularies --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-19T190500Z", utc(2025, 11, 19, 19, 5, 0)),
        ("2025-11-14T0849Z", utc(2025, 11, 14, 8, 49)),
        ("2026-01-22T02:40Z", utc(2026, 1, 22, 2, 40)),
        ("2026-01-07T06:00:00Z", utc(2026, 1, 7, 6, 0, 0)),
        ("2025-10-15", utc(2025, 10, 15)),
        ("2026-01-26T00:35:00Z – 2026-01-26T01:00:00Z", utc(2026, 1, 26, 0, 35)),
        ("YYYY-MM-DD", None),
        ("2025-13-40", None),
        (None, None),
    ],
)
def test_parse_timestamp_forms(text, expected):
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in_progress (Phases A–D complete)", Status.in_progress),
        ("blocked — Phase A/B complete", Status.blocked),
        ("blocked_escalation ‚Äî Tier‚ÄØ3 dwell", Status.blocked_escalation),
        ("in_planning", Status.planning),
        ("`in_progress`", Status.in_progress),
        ("**done**", Status.done),
        ("✅ COMPLETE", Status.done),
        ("archived 2025-10-20 — see x", Status.archived),
        ("superseded by REFACTOR-001", Status.superseded),
        ("Phase 6 in progress — Tasks", Status.unknown),
        ("", Status.unknown),
    ],
)
def test_status_words_normalize(text, expected):
    assert Status.parse(text) is expected


def test_find_ids_ignores_paths_and_keeps_known_lowercase_ids():
    text = "seed (inbox) and FIX-A-001; see `plans/active/FIX-Z-009/x.md`, Tier-2"
    assert find_ids(text, {"seed"}) == ["FIX-A-001", "seed"]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("DEBUG-SIM-LINES-DOSE-001.F1", "DEBUG-SIM-LINES-DOSE-001"),
        ("DEBUG-SIM-LINES-DOSE-001.C1/C2", "DEBUG-SIM-LINES-DOSE-001"),
        ("seed S1–S2", "seed"),
        ("ID-001 A1:", "ID-001"),
        ("", None),
    ],
)
def test_focus_of_reference(ref, expected):
    assert focus_of_reference(ref) == expected


# --- where focus sections start (the section-wise split dwell uses) ----------------------------


def test_section_starts_are_where_the_parser_opens_sections_on_the_whole_corpus():
    from conftest import corpus_files, read_corpus

    from ledger.model import BlockKind
    from ledger.parse.blocks import section_starts

    for path in corpus_files():
        text = read_corpus(path)
        doc = ledger.loads(text)
        if doc.blocks and doc.blocks[0].kind is BlockKind.front_matter:
            continue  # headings inside front matter are not the cutter's business
        offsets = [0]
        for line in doc.document.lines:
            offsets.append(offsets[-1] + len(line))
        opened = [offsets[b.line - 1] for b in doc.blocks if b.kind is BlockKind.section]
        assert section_starts(text) == [o for o in opened if o], path


@pytest.mark.parametrize(
    "text, lines",
    [
        ("# T\n## [A-1] a\n### [B-2] b\n", [2, 3]),
        ("# T\n```\n## [A-1] in code\n```\n## [B-2] b\n", [5]),
        ("# T\n~~~~\n## [A-1] x\n~~~\n## [B-2] still code\n~~~~\n## [C-3] c\n", [7]),
        ("# T\n```py `x`\n## [A-1] not a fence: a heading\n", [3]),
        ("# T\n    ```\n## [A-1] indented 4: not a fence\n", [3]),
        ("# T\n####### [A-1] seven marks\n #[B-2] no blank\n##\t[C-3] tab\r\n", [4]),
        ("## [A-1] at the very start\n", [1]),
    ],
)
def test_section_starts_follow_the_fence_and_heading_rules(text, lines):
    from ledger.parse.blocks import section_starts

    offsets = section_starts(text)
    assert [text[:o].count("\n") + 1 for o in offsets] == [n for n in lines if n > 1]
    assert all(o == 0 or text[o - 1] == "\n" for o in offsets)
    assert [b.line for b in ledger.loads(text).blocks if b.kind == "section"] == lines


NESTED = """\
## [FIX-A-001] Nested entries
- Status: in_progress
- Attempts History:
  * [2025-10-15] Attempt #1 — Result: partial (implementation).
    - **Metrics:** `pytest -q` 12 passed
    - *note* on the run, `- [ ]` inside it
      * [2025-10-16] Attempt #2 — Result: success (implementation).
        continuation of the second
        - *2025-10-17T000000Z (planning):* an italic entry, deeper still
  * plain bullet at the entry's own depth
"""


def test_a_nested_entry_runs_over_deeper_lines_until_a_sibling_entry():
    one, two, three = ledger.loads(NESTED).get("FIX-A-001").attempts
    # bold and plain sub-bullets continue the entry; a deeper numbered or italic one is next
    assert (one.number, one.line, one.end_line) == (1, 4, 6)
    assert (two.number, two.line, two.end_line) == (2, 7, 8)
    assert two.text.endswith("continuation of the second\n")
    assert three.dialect is AttemptDialect.italic and (three.line, three.end_line) == (9, 9)
    assert three.kind is AttemptKind.planning


@given(st.text(alphabet="0123456789-٣ T:Z.", min_size=8, max_size=12))
def test_a_bare_date_reads_as_the_timestamp_pattern_reads_it(text):
    m = TIMESTAMP_RE.search(text)
    expected = None
    if m:
        y, mo, d, hh, mm, ss = m.groups()
        with contextlib.suppress(ValueError):
            expected = datetime(
                int(y),
                int(mo),
                int(d),
                int(hh or 0),
                int(mm or 0),
                int(ss or 0),
                tzinfo=timezone.utc,
            )
    assert parse_timestamp(text) == expected


def test_bare_dates_and_impossible_ones():
    assert parse_timestamp("2025-10-15") == utc(2025, 10, 15)
    assert parse_timestamp("2025-13-01") is None and parse_timestamp("2025-1--15") is None
