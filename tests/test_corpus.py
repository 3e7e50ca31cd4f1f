"""The real ledgers: every focus heading and every attempt line ends up in the model.

The expectations are computed independently of the parser, with deliberately simple regexes
over the raw lines (fences respected), and then compared with what the parser found.
"""

from __future__ import annotations

import re

import pytest
from conftest import EEA, RESET, SEED, corpus_files, read_corpus

import ledger
from ledger import AttemptDialect, Status
from ledger.model import ItemForm

ATTEMPT_LINE = re.compile(
    r"^(\s*[-*] \[[^\]]*\] Attempt #\d+"  # numbered
    r"|[-*] (Latest )?Attempt \("  # latest
    r"|\s*[-*] \*\d{4}-|\s*[-*] \*(First|Last) \("  # italic
    r"|#{2,4} \d{4}-\d\d-\d\d"  # reset-layout heading
    r"|#{2,4} Attempt #\d+)"  # free-form attempt heading
)
FOCUS_HEADING = re.compile(r"^#{2,3} \[[^\]]+\]")
FENCE = re.compile(r"^ {0,3}(```|~~~)")


def expected_lines(text: str, pattern: re.Pattern) -> set[int]:
    found, in_fence = set(), False
    for number, line in enumerate(text.split("\n"), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and pattern.match(line):
            found.add(number)
    return found


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_focus_heading_becomes_a_focus_item(path):
    """...except an attempts log (`### [ID] Attempts History`) for an item the roadmap states:
    the roadmap bullet is that item."""
    text = read_corpus(path)
    doc = ledger.loads(text)
    sections = {f.line for f in doc.focus_items if f.form is ItemForm.section}
    roadmap = {f.id for f in doc.focus_items if f.form is ItemForm.roadmap}
    lines = text.split("\n")
    logs = {
        n
        for n in expected_lines(text, FOCUS_HEADING) - sections
        if lines[n - 1].endswith("] Attempts History")
        and lines[n - 1].split("[", 1)[1].split("]")[0] in roadmap
    }
    assert sections | logs == expected_lines(text, FOCUS_HEADING)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_attempt_line_becomes_an_attempt_or_an_orphan(path):
    text = read_corpus(path)
    doc = ledger.loads(text)
    found = [a.line for f in doc.focus_items for a in f.attempts] + [
        a.line for a in doc.orphan_attempts
    ]
    assert len(found) == len(set(found)), "an attempt was attached twice"
    assert expected_lines(text, ATTEMPT_LINE) <= set(found)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_attempts_lie_inside_their_section(path):
    doc = ledger.loads(read_corpus(path))
    for item in doc.focus_items:
        if not item.has_section:
            continue
        for attempt in item.attempts:
            assert item.line < attempt.line <= attempt.end_line <= item.end_line


def test_seed_snapshot_structure():
    doc = ledger.load(SEED)
    assert len(doc.focus_items) == 15
    assert [f.line for f in doc.all_named("STUDY-SYNTH-FLY64-DOSE-OVERLAP-001")] == [21, 142]
    assert doc.attempt_count == 89  # 81 `Latest Attempt` + 8 `Attempt` entries
    assert [o.line for o in doc.orphan_attempts] == [360, 362]
    assert all(o.dialect is AttemptDialect.latest for o in doc.orphan_attempts)
    assert doc.header.active_focus_id == "FIX-TF-C1D-SCALED-RERUN-001"
    statuses = [f.status for f in doc.focus_items]
    assert statuses.count(Status.done) == 6 and statuses.count(Status.archived) == 2
    rerun = doc.get("FIX-TF-C1D-SCALED-RERUN-001")
    assert rerun.depends_on == ["FIX-PYTORCH-FORWARD-PARITY-001"]
    assert len(rerun.return_conditions) == 4


def test_seed_lost_heading_keeps_its_fields_in_the_previous_section():
    lazy = ledger.load(SEED).get("FEAT-LAZY-LOADING-001")
    assert [f.line for f in lazy.fields_named("status")] == [73, 90]
    assert lazy.end_line == 95


def test_nanobragg_index_and_sections_disagree_where_the_file_does():
    doc = ledger.load(EEA)
    row = next(r for r in doc.index.rows if r.id == "CLI-DEFAULTS-001")
    assert row.status is Status.done
    assert doc.get("CLI-DEFAULTS-001").status is Status.in_progress
    assert [f.line for f in doc.all_named("STAGEA-PARAM-001")] == [952, 980]


def test_reset_layout_ledger_has_focus_items_without_sections():
    doc = ledger.load(RESET)
    assert {f.id for f in doc.focus_items} == {"seed", "DEBUG-SIM-LINES-DOSE-001"}
    assert not any(f.has_section for f in doc.focus_items)
    current = doc.get("DEBUG-SIM-LINES-DOSE-001")
    assert current.status is Status.in_progress
    # the log goes on after `## TODOs` (l.785): 22 headings before it, 23 after it and one bold
    # paragraph (l.1221) all count for the focus they continue; the newest is l.1432
    assert doc.orphan_attempts == []
    lines = [a.line for a in current.attempts]
    assert len([n for n in lines if n < 785]) == 22 and len([n for n in lines if n > 785]) == 24
    assert 1221 in lines and current.last_attempt.line == 1432
    assert current.field("working plan").line == 11
