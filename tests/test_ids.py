"""What a new focus ID may be: safe as a heading, an index cell and a folder name."""

from __future__ import annotations

import pytest

from ledger.errors import UsageError
from ledger.ids import MAX_ID_LENGTH, check_new_id, ids_in_subject, is_valid_new_id


@pytest.mark.parametrize(
    "text",
    ["FIX-LOADER-001", "seed", "A", "ID.F1", "INTEGRATE-PYTORCH-PARITY-001B", "x_y-z.2", "Ö-1"],
)
def test_ids_of_letters_digits_dots_underscores_and_hyphens_are_accepted(text):
    assert is_valid_new_id(text)
    assert check_new_id(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "../../../escaped",
        "..",
        ".",
        "a/b",
        "a\\b",
        "a..b",
        "with space",
        "ends.",
        ".hidden",
        "-rf",
        "_x",
        "[A-1]",
        "a|b",
        "",
        "A\n",
        "A-1‑2",  # U+2011 inside: real ledgers have it, new IDs may not
    ],
)
def test_ids_that_could_escape_a_folder_or_break_markdown_are_refused(text):
    assert not is_valid_new_id(text)
    with pytest.raises(UsageError, match="not a usable focus ID"):
        check_new_id(text)


def test_overlong_ids_are_refused():
    assert is_valid_new_id("A" * MAX_ID_LENGTH)
    assert not is_valid_new_id("A" * (MAX_ID_LENGTH + 1))


def test_ids_in_subject_name_only_known_ids_standing_alone():
    known = {"A-001", "A-001B", "seed"}
    assert ids_in_subject("A-001B: x", known) == ["A-001B"]
    assert ids_in_subject("A-0012 and XA-001", known) == []
    assert ids_in_subject("seed S1-S2: capture", known) == ["seed"]
    assert ids_in_subject("A-001/A-001B parity", known) == ["A-001", "A-001B"]
