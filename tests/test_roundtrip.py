"""`dumps(loads(t)) == t` for every string, and `load`/`dump` keep every byte of a file."""

from __future__ import annotations

import random

import pytest
from conftest import SEED, corpus_files, read_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ledger

LEDGERISH_LINES = [
    "# Fix Plan Ledger",
    "**Last Updated:** 2025-11-20",
    "**Active Focus:** A-001 — x",
    "## [A-001] Title",
    "### [B-002] Other",
    "## Index",
    "| ID | Title | Priority | Status |",
    "| --- | --- | --- | --- |",
    "| [A-001](#a-001-title) | Title | High | done |",
    "- Status: blocked — waiting",
    "- **Status:** done",
    "- Priority: High",
    "- Depends on: B-002",
    "- Attempts History:",
    "  * [2025-10-15] Attempt #1 — Result: success",
    "    Metrics: n/a",
    "- Latest Attempt (2025-11-19T190500Z): planning — text",
    "  - *2026-01-13T000000Z (planning):* text",
    "### 2026-01-22T02:40Z — A-001.F1 (shipped)",
    "### Attempt #84 — title",
    "## Attempts History",
    "## TODOs",
    "---",
    "```",
    "~~~",
    "",
    "   ",
    "Process references:",
    '<plan_update version="1.0">',
]

line_endings = st.sampled_from(["\n", "\r\n", "\r", ""])


@st.composite
def ledgerish_texts(draw) -> str:
    parts = draw(
        st.lists(
            st.tuples(
                st.one_of(st.sampled_from(LEDGERISH_LINES), st.text(max_size=30)), line_endings
            ),
            max_size=40,
        )
    )
    return "".join(a + b for a, b in parts)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_roundtrip_arbitrary_text(text):
    assert ledger.dumps(ledger.loads(text)) == text


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(ledgerish_texts())
def test_roundtrip_ledger_shaped_text(text):
    doc = ledger.loads(text)
    assert ledger.dumps(doc) == text
    # the model's line numbers always point inside the text
    for item in doc.focus_items:
        assert 1 <= item.line <= max(doc.line_count, 1)
        for attempt in item.attempts:
            assert (
                item.line <= attempt.line <= attempt.end_line <= doc.line_count
                or not item.has_section
            )


SEED_LINES = read_corpus(SEED).split("\n")


@settings(max_examples=150, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(["delete", "duplicate", "shuffle"]))
def test_roundtrip_mutated_seed(rng: random.Random, mutation: str):
    lines = list(SEED_LINES)
    k = rng.randint(1, 25)
    if mutation == "delete":
        for _ in range(k):
            del lines[rng.randrange(len(lines))]
    elif mutation == "duplicate":
        for _ in range(k):
            i = rng.randrange(len(lines))
            lines.insert(i, lines[rng.randrange(len(lines))])
    else:
        start = rng.randrange(len(lines))
        chunk = lines[start : start + rng.randint(2, 80)]
        rng.shuffle(chunk)
        lines[start : start + len(chunk)] = chunk
    text = "\n".join(lines)
    assert ledger.dumps(ledger.loads(text)) == text


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_file_roundtrips_byte_for_byte(path, tmp_path):
    raw = path.read_bytes()
    doc = ledger.load(path)
    assert ledger.dumps(doc) == read_corpus(path)
    out = tmp_path / "out.md"
    ledger.dump(doc, out)
    assert out.read_bytes() == raw


@pytest.mark.parametrize(
    "raw",
    [
        b"## [A-1] x\n- Status: done\n",
        b"## [A-1] x\r\n- Status: done\r\n",
        b"## [A-1] x\r\n- Status: done\n\n\r\n",
        b"## [A-1] x\n- Status: done",
        b"\xef\xbb\xbf# Title\n## [A-1] x\n",
        b"## [A-1] caf\xe9 \xff\xfe bytes\n- Status: done\n\x00\n",
        b"",
        b"\n\n\n",
    ],
    ids=["lf", "crlf", "mixed", "no-final-newline", "bom", "invalid-utf8", "empty", "blank-lines"],
)
def test_load_dump_keeps_bytes(raw, tmp_path):
    src = tmp_path / "fix_plan.md"
    src.write_bytes(raw)
    doc = ledger.load(src)
    dst = tmp_path / "copy.md"
    ledger.dump(doc, dst)
    assert dst.read_bytes() == raw


def test_crlf_ledger_parses_like_lf():
    lf = "# T\n## [A-1] x\n- Status: blocked — y\n- Latest Attempt (2025-01-01): planning — z\n"
    crlf = lf.replace("\n", "\r\n")
    a, b = ledger.loads(lf), ledger.loads(crlf)
    assert a.focus_items[0].status == b.focus_items[0].status
    assert a.focus_items[0].attempts[0].summary == b.focus_items[0].attempts[0].summary == "z"
    assert b.newline == "\r\n" and a.newline == "\n"


def test_dump_skips_the_write_when_nothing_changed(tmp_path):
    path = tmp_path / "fix_plan.md"
    path.write_bytes(b"## [A-1] x\n")
    assert ledger.dump(ledger.load(path), path) is False
