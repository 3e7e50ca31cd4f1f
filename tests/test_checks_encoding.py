"""`ledger.checks.encoding` (LDG8xx): mojibake, bytes, control characters, conflict and diff residue."""

from __future__ import annotations

from checks_helpers import A_SECTION, ledger, line_of, lines_of, only, run

from ledger.config import CheckConfig

# --- LDG8xx encoding -----------------------------------------------------------------------


def test_mojibake_mac_roman_and_cp1252_but_not_real_text():
    text = ledger(
        A_SECTION,
        "Note: Phase C ‚Äî done\n",  # Mac Roman reading of an em dash
        "Other: itâ€™s done\n",  # cp1252 reading of a right quote
        "Volume delta O(1e-3) Å³ and café — fine\n",
    )
    found = [f for f in run(text) if f.code == "LDG801"]
    assert sorted(f.line for f in found) == [line_of(text, "Note:"), line_of(text, "Other:")]
    assert any("Mac Roman" in f.message for f in found) and any(
        "cp1252" in f.message for f in found
    )


def test_invalid_utf8_bytes():
    raw = ledger(A_SECTION).encode() + b"bad \xe2\x80 bytes\n"
    text = raw.decode("utf-8", "surrogateescape")
    f = only(run(text), "LDG802")
    assert f.line == line_of(text, "bad ") and "0xE2 0x80" in f.message and f.col == 5


def test_control_characters():
    text = ledger(A_SECTION, "bell \x07 here\n")
    f = only(run(text), "LDG803")
    assert f.line == line_of(text, "bell") and f.col == 6 and "U+0007" in f.message


def test_conflict_markers_but_not_setext_underlines():
    text = ledger(
        A_SECTION,
        "Title\n=======\n\n<<<<<<< HEAD\n- Status: done\n=======\n- Status: blocked\n>>>>>>> branch\n",
    )
    expected = [line_of(text, "<<<<<<<"), line_of(text, "=======", 2), line_of(text, ">>>>>>>")]
    assert lines_of(run(text), "LDG804") == expected


def test_diff_residue_outside_code_blocks():
    text = ledger(
        A_SECTION,
        "-### [FNO-001] FNO stability overhaul\n",
        "-  - *2026-01-28T05:00:00Z:* pasted attempt\n",
        "```diff\n-### [X-001] inside a fence is fine\n```\n",
    )
    assert lines_of(run(text), "LDG805") == [
        line_of(text, "-### [FNO"),
        line_of(text, "pasted attempt"),
    ]


def test_trailing_whitespace_only_when_configured():
    text = ledger(A_SECTION.replace("High\n", "High  \n"))
    assert lines_of(run(text), "LDG806") == []
    config = CheckConfig(fix_trailing_whitespace=True)
    assert lines_of(run(text, config=config), "LDG806") == [line_of(text, "High  ")]
