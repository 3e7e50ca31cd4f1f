"""The terminal table layout: which column gives way first, and what is never cut."""

from __future__ import annotations

import re

import pytest

from ledger.cli.tables import (
    Cell,
    Column,
    Justify,
    Overflow,
    Screen,
    Table,
    cell_width,
    truncate,
    wrap,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def focus_table() -> Table:
    """IDs, a title that shrinks, a status, and two columns that drop (Note first)."""
    table = Table(
        [
            Column("ID"),
            Column("Title", overflow=Overflow.ellipsis, max_width=30, shrink=1, shrink_to=10),
            Column("Status"),
            Column("Count", Justify.right, drop=2),
            Column("Note", drop=1),
        ]
    )
    table.add_row("TEST-SUITE-TRIAGE-001", "Full pytest run and triage", "done", "52", "old")
    table.add_row(
        "TEST-SUITE-TRIAGE-002", "Full pytest rerun and triage refresh", "in_progress", "9", ""
    )
    return table


def visible(lines: list[str]) -> list[str]:
    return [ANSI.sub("", line) for line in lines]


def test_unlimited_width_cuts_only_at_max_width_and_leaves_no_trailing_spaces():
    lines = focus_table().render(Screen())
    assert lines == [
        "ID                     Title                           Status       Count  Note",
        "TEST-SUITE-TRIAGE-001  Full pytest run and triage      done            52  old",
        "TEST-SUITE-TRIAGE-002  Full pytest rerun and triage …  in_progress      9",
    ]


def test_the_title_shrinks_before_any_column_is_dropped():
    # natural width 79 (see above); 75 is 4 too many: the title gives them up
    lines = focus_table().render(Screen(width=75))
    assert lines[0].split() == ["ID", "Title", "Status", "Count", "Note"]
    assert lines[2] == "TEST-SUITE-TRIAGE-002  Full pytest rerun and tri…  in_progress      9"
    assert max(map(cell_width, lines)) <= 75


def test_columns_drop_in_their_order_and_the_title_gets_the_room_back():
    # with the title at its floor (10) the table needs 59 columns; without Note 53, and with
    # the title back at 30, 73; without Note and Count 46 (66 with the title at 30)
    assert len(focus_table().render(Screen(width=59))[0].split()) == 5
    assert focus_table().render(Screen(width=58))[0].split() == ["ID", "Title", "Status", "Count"]
    lines = focus_table().render(Screen(width=50))
    assert lines[0].split() == ["ID", "Title", "Status"]
    assert lines[1] == "TEST-SUITE-TRIAGE-001  Full pytest r…  done"  # a title of 14


@pytest.mark.parametrize("width", range(20, 90, 3))
def test_ids_and_statuses_are_never_cut(width):
    lines = visible(focus_table().render(Screen(width=width, color=True, terminal=True)))
    assert lines[2].startswith("TEST-SUITE-TRIAGE-001  ")
    assert lines[3].startswith("TEST-SUITE-TRIAGE-002  ")
    assert "in_progress" in lines[3] and "Status" in lines[0]


def test_when_nothing_else_can_go_the_title_shrinks_past_its_floor():
    lines = focus_table().render(Screen(width=45))  # one less than ID, Title at 10 and Status
    assert lines[2] == "TEST-SUITE-TRIAGE-002  Full pyt…  in_progress"
    # the last floor is 6; past that the lines run over rather than cut an ID
    assert focus_table().render(Screen(width=20))[2] == "TEST-SUITE-TRIAGE-002  Full …  in_progress"


def test_a_wrapping_column_keeps_its_words_whole_and_adds_lines():
    table = Table([Column("ID"), Column("Deps", overflow=Overflow.wrap, shrink=1)])
    table.add_row("A-001", "B-002, C-003, D-004")
    assert table.render(Screen(width=20)) == [
        "ID     Deps",
        "A-001  B-002, C-003,",
        "       D-004",
    ]
    assert wrap("abcdefghij klm", 4) == ["abcd", "efgh", "ij", "klm"]  # a long word is folded


def test_terminal_output_has_a_header_rule_and_colours_only_when_asked():
    table = Table([Column("ID", style="bold"), Column("Status")])
    table.add_row("A-001", Cell("blocked", "bold white on red"))
    lines = table.render(Screen(width=80, color=True, terminal=True))
    assert lines[1] == "\x1b[2m" + "─" * 14 + "\x1b[0m"
    assert lines[2] == "\x1b[1mA-001\x1b[0m  \x1b[1;37;41mblocked\x1b[0m"
    plain = table.render(Screen(width=80, color=False, terminal=True))
    assert plain[1] == "─" * 14 and "\x1b" not in "".join(plain)


def test_wide_characters_take_two_cells():
    assert cell_width("日本") == 4 and cell_width("é") == 1 and cell_width("e\u0301") == 1
    assert truncate("日本語の題", 6) == "日本 …"  # a wide character never straddles the edge
    table = Table([Column("T"), Column("S")])
    table.add_row("日本", "x")
    table.add_row("abc", "y")
    assert table.render(Screen()) == ["T     S", "日本  x", "abc   y"]


def test_a_row_must_fill_every_column():
    with pytest.raises(ValueError, match="1 cells for 2 columns"):
        Table([Column("A"), Column("B")]).add_row("x")


def test_wrapping_text_that_keeps_blanks_keeps_its_indent_and_the_break_space():
    assert wrap("    - one two three", 13, keep_blanks=True) == ["    - one two ", "three"]
    assert wrap("    - one two three", 13) == ["- one two", "three"]
