"""What a new focus ID may be: safe as a heading, an index cell and a folder name."""

from __future__ import annotations

import pytest

from ledger.errors import UsageError
from ledger.ids import (
    MAX_ID_LENGTH,
    FocusTag,
    IdMatcher,
    bracketed_tokens,
    check_new_id,
    focus_tag,
    ids_in_paths,
    ids_in_subject,
    is_valid_new_id,
    subject_id,
)


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


def test_ids_used_as_folders_and_as_an_entry_subject():
    assert ids_in_paths("`plans/active/FIX-A-001/x.md`, plans/FIX-B-002") == ["FIX-A-001"]
    assert subject_id("**[FIX-A-001]** — moved here") == "FIX-A-001"
    assert subject_id("mentions FIX-A-001: in passing") is None


def test_bracketed_tokens_keep_the_first_line_they_are_on():
    lines = ["see [PINN-CHUNKED-001] and [x]", "", "again [PINN-CHUNKED-001], [B 2]"]
    assert bracketed_tokens(lines) == {"PINN-CHUNKED-001": 1, "x": 1}


def test_focus_tag_names_the_id_and_its_column():
    assert focus_tag("  <focus_id> FIX-A-001 </focus_id>") == FocusTag("FIX-A-001", 14)
    assert focus_tag("no tag here") is None


def test_ids_in_subject_name_only_known_ids_standing_alone():
    known = {"A-001", "A-001B", "seed"}
    assert ids_in_subject("A-001B: x", known) == ["A-001B"]
    assert ids_in_subject("A-0012 and XA-001", known) == []
    assert ids_in_subject("seed S1-S2: capture", known) == ["seed"]
    assert ids_in_subject("A-001/A-001B parity", known) == ["A-001", "A-001B"]


def test_the_first_known_id_is_an_id_shaped_token_else_a_known_word():
    ids = IdMatcher({"FIX-A-001", "seed"})
    assert ids.first_known("UNKNOWN-9 then [FIX-A-001] and seed") == "FIX-A-001"
    assert ids.first_known("UNKNOWN-9, then the seed item") == "seed"
    assert ids.first_known("UNKNOWN-9 only; plans/active/FIX-A-001/x.md is a path") is None
    assert ids.find("UNKNOWN-9 then seed") == ["UNKNOWN-9", "seed"]
