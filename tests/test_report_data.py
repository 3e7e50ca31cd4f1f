"""The data behind `ledger report`'s board, graph and health parts, and the page made of them."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from conftest import SEED, corpus_files, read_corpus
from golden import assert_golden

from ledger import loads
from ledger.checks import check_text
from ledger.depgraph import DependencyGraph
from ledger.graph import build_graph
from ledger.report import DwellAbsent, build_report, render_html
from ledger.report.data import COLUMN_OF, Column, build_board
from ledger.report.svg import anchor
from ledger.vocab import Priority, Severity, Status

SMALL = """# Small plan

**Last Updated:** 2025-11-02
**Active Focus:** B-002 — second

## [A-001] First item
- Status: in_progress
- Priority: Medium
- Latest Attempt (2025-11-01T100000Z): implementation — landed the parser

## [B-002] Second item
- Status: in_progress
- Priority: Critical
- Depends on: A-001, C-003

## [C-003] Third item
- Status: blocked
- Depends on: B-002
- Return Condition: B-002 lands

## [D-004] Old item
- Status: done
- Depends on: A-001

## [E-005] Gone item
- Status: superseded

## [F-006] Bare item
"""


def report_of(text: str, dwell=None):
    ledger = loads(text)
    return build_report(
        ledger,
        source="docs/fix_plan.md",
        findings=check_text(text, path="docs/fix_plan.md"),
        dwell=dwell or DwellAbsent("history not read (--no-git)"),
    )


def test_every_status_has_a_column():
    assert set(COLUMN_OF) == set(Status)


def test_cards_go_to_the_column_of_their_status_priority_first():
    board = report_of(SMALL).board
    ids = {col.column: [c.id for c in col.cards] for col in board.columns}
    assert ids == {
        Column.in_progress: ["B-002", "A-001"],  # Critical before Medium
        Column.ready: [],
        Column.waiting: ["F-006"],  # no status: unknown, waiting
        Column.blocked: ["C-003"],
        Column.done: ["D-004"],
        Column.archived: ["E-005"],
    }
    assert [c.column for c in board.columns] == list(Column)


def test_a_card_carries_what_the_ledger_says_and_degrades_when_it_says_nothing():
    board = report_of(SMALL).board
    a, b = board.cards_in(Column.in_progress)[1], board.cards_in(Column.in_progress)[0]
    assert (a.id, a.title, a.priority, a.line) == ("A-001", "First item", Priority.medium, 6)
    assert (a.last_attempt_date, a.last_attempt_kind, a.attempts) == (
        date(2025, 11, 1),
        "implementation",
        1,
    )
    assert b.active and not a.active and board.active_focus_id == "B-002"
    assert b.unmet == ("A-001", "C-003")  # neither is closed
    bare = board.cards_in(Column.waiting)[0]
    assert (bare.priority, bare.last_attempt_date, bare.last_attempt_kind, bare.unmet) == (
        None,
        None,
        None,
        (),
    )
    assert bare.dwell is None and bare.tier is None


def test_unmet_dependencies_are_the_graphs():
    ledger = loads(SMALL)
    deps = DependencyGraph.of(ledger)
    board = build_board(ledger, deps, [])
    for col in board.columns:
        for card in col.cards:
            assert list(card.unmet) == [e.target for e in deps.unmet(card.id)]


def test_dwell_given_per_focus_shows_on_its_card():
    ledger = loads(SMALL)
    board = build_board(ledger, DependencyGraph.of(ledger), [], {"A-001": (3, 1)})
    a = next(c for c in board.cards_in(Column.in_progress) if c.id == "A-001")
    assert (a.dwell, a.tier) == (3, 1)


def test_the_graph_is_ledger_graphs_with_its_cycles():
    ledger = loads(read_corpus(SEED))
    part = report_of(read_corpus(SEED)).graph
    reference = build_graph(ledger)
    assert list(part.nodes) == list(reference.nodes)
    assert [(e.source, e.target, e.kind) for e in part.edges] == [
        (e.source, e.target, e.kind) for e in reference.edges
    ]
    assert [c.name for c in part.cycles] == [c.name for c in reference.cycles]
    assert len(part.cycles) == 2
    members = {n for c in part.cycles for n in c.ids}
    assert {n.id for n in part.nodes.values() if n.in_cycle} == members
    closed = {n.id for n in part.nodes.values() if n.closed}
    assert "INTEGRATE-PYTORCH-PARITY-001" in closed and "FIX-TF-C1D-SCALED-RERUN-001" not in closed
    assert {n.id for n in part.nodes.values() if n.external} >= {"PINN-CHUNKED-001"}


def test_health_counts_the_findings_of_ledger_check_by_rule():
    text = read_corpus(SEED)
    findings = check_text(text, path="docs/fix_plan.md")
    health = report_of(text).health
    assert list(health.findings) == findings
    assert sum(r.count for r in health.rules) == len(findings)
    for r in health.rules:
        assert r.count == sum(1 for f in findings if f.code == r.code)
    counts = [r.count for r in health.rules]
    assert counts == sorted(counts, reverse=True)
    assert health.count(Severity.error) == sum(f.severity is Severity.error for f in findings)
    worst = health.worst_by_line()
    for f in findings:
        assert list(Severity).index(worst[f.line]) <= list(Severity).index(f.severity)


def test_the_page_names_every_part_and_links_findings_to_lines():
    page = render_html(report_of(SMALL))
    for part in ("board", "graph", "dwell", "health", "ledger"):
        assert f'<section id="{part}">' in page
    assert 'id="dwell-absent"' in page and "history not read (--no-git)" in page
    for n in range(1, len(SMALL.splitlines()) + 1):
        assert f'id="L{n}"' in page
    for f in check_text(SMALL):
        assert f'href="#L{f.line}"' in page


def test_the_page_fetches_nothing_and_allows_only_its_own_script():
    page = render_html(report_of(read_corpus(SEED)))
    assert not re.search(r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", page)
    assert "@import" not in page and "url(http" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "default-src 'none'" in csp.group(1) and "script-src 'sha256-" in csp.group(1)
    assert "'unsafe-inline'" not in csp.group(1).split("script-src")[1].split(";")[0]
    assert page.count("<script") == 2


XSS = """# Plan <script>alert("title")</script>

**Last Updated:** 2025-11-01 </script><script>alert(1)</script>
**Active Focus:** XSS-001 — "><img src=x onerror=alert(2)>

## [XSS-001] <script>window.__xss = 1</script> & "quoted" 'title'
- Priority: High
- Status: in_progress <b onmouseover=alert(3)>bold</b>
- Depends on: XSS-002, X-1
- Latest Attempt (2025-11-01T100000Z): planning — </script><script>window.__xss=2</script>

## [XSS-002] </title></style></script><img src=x onerror="window.__xss=3">
- Status: blocked
- Depends on: XSS-001
- Return Condition: `<iframe src="javascript:alert(6)">` XSS-001 done

## [A<b>-1] <svg onload="window.__xss=4"><title>t</title></svg>
- Status: pending
"""


def test_html_from_the_ledger_is_text_in_the_source():
    page = render_html(report_of(XSS))
    assert page.count("<script") == 2 and page.count("</script>") == 2
    for raw in ("<script>window", "<img src=x", "<b onmouseover", "<iframe", "<svg onload"):
        assert raw not in page
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt; &amp; &quot;quoted&quot;" in page
    # the data block parses back to the ledger's own strings
    block = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S
    )
    assert block is not None
    data = json.loads(block.group(1))
    titles = {f["id"]: f["title"] for f in data["focus"]}
    assert titles["XSS-002"] == '</title></style></script><img src=x onerror="window.__xss=3">'
    assert "A<b>-1" in titles
    # an ID with markup in it gets an id attribute of plain characters, and links to it match
    assert anchor("card", "A<b>-1") == "card-A_3c_b_3e_-1"
    assert 'id="card-A_3c_b_3e_-1"' in page


def test_undecodable_bytes_become_replacement_characters():
    text = "# P\n\n## [A-001] caf\udce9 title\n- Status: pending\n"
    page = render_html(report_of(text))
    page.encode("utf-8")  # no lone surrogate left
    assert "caf\ufffd title" in page


def test_small_ledger_page_matches_golden():
    assert_golden("report/small.html", render_html(report_of(SMALL)))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_corpus_ledger_renders_with_a_card_per_focus(path):
    text = read_corpus(path)
    ledger = loads(text)
    page = render_html(report_of(text))
    for focus_id in ledger.ids:
        assert f'id="{anchor("card", focus_id)}"' in page
    assert page.count('<article class="card') == len(ledger.ids)
    assert page.count('<span class="line') == len(ledger.document.contents)


def test_the_active_focus_leads_its_priority_in_its_column():
    text = (
        "# P\n**Active Focus:** B-002\n\n## [A-001] a\n- Status: pending\n- Priority: High\n\n"
        "## [B-002] b\n- Status: pending\n- Priority: High\n\n"
        "## [C-003] c\n- Status: pending\n- Priority: Critical\n"
    )
    cards = report_of(text).board.cards_in(Column.waiting)
    assert [c.id for c in cards] == ["C-003", "B-002", "A-001"]
