"""Styles as ANSI SGR codes, for the lines the commands print without rich."""

from __future__ import annotations

from ledger.cli._style import sgr, styled


def test_a_style_is_its_attributes_then_its_colours():
    assert sgr("dim green") == "\x1b[2;32m"
    assert sgr("bold white on red") == "\x1b[1;37;41m"


def test_no_style_and_unknown_words_give_no_code():
    assert sgr("") == "" and sgr("nonsense") == ""


def test_styled_text_is_reset_after_it_and_left_alone_without_colour():
    assert styled("LDG101", "bold red", True) == "\x1b[1;31mLDG101\x1b[0m"
    assert styled("LDG101", "bold red", False) == "LDG101"
    assert styled("", "bold", True) == ""
