"""The lossless line scan: endings kept, fences respected, headings and breaks recognized."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledger.document import (
    BLANK,
    BREAK,
    CODE,
    HEADING,
    TEXT,
    Document,
    classify,
    dominant_newline,
    split_lines,
    strip_eol,
)


def test_split_lines_keeps_every_ending_and_joins_back():
    text = "a\r\nb\n\rc\x0bd\u2028e\nlast"
    lines = split_lines(text)
    assert lines == ["a\r\n", "b\n", "\rc\x0bd\u2028e\n", "last"]
    assert "".join(lines) == text


def test_split_lines_of_empty_text_is_empty():
    assert split_lines("") == []


def test_final_newline_does_not_create_an_empty_line():
    assert split_lines("x\n") == ["x\n"]
    assert split_lines("x\n\n") == ["x\n", "\n"]


def test_strip_eol_removes_lf_and_crlf_only():
    assert strip_eol("a\r\n") == "a"
    assert strip_eol("a\n") == "a"
    assert strip_eol("a\r") == "a\r"


def test_dominant_newline():
    assert dominant_newline("a\r\nb\r\nc\n") == "\r\n"
    assert dominant_newline("a\nb\nc\r\n") == "\n"
    assert dominant_newline("no newline") == "\n"


def test_headings_inside_fences_are_code():
    lines = split_lines("## [A] real\n```md\n## [B] not a heading\n```\n## [C] real\n")
    classes, headings = classify(lines)
    assert classes == [HEADING, CODE, CODE, CODE, HEADING]
    assert [h.text for h in headings.values()] == ["[A] real", "[C] real"]


def test_tilde_fence_closes_only_with_tildes():
    lines = split_lines("~~~\n```\n# x\n~~~\n# y\n")
    classes, headings = classify(lines)
    assert classes[:4] == [CODE, CODE, CODE, CODE]
    assert classes[4] == HEADING and headings[4].text == "y"


def test_unclosed_fence_runs_to_the_end():
    classes, headings = classify(split_lines("```\n## [A] x\n"))
    assert classes == [CODE, CODE] and headings == {}


def test_breaks_blanks_and_text():
    classes, _ = classify(split_lines("---\n\n* * *\ntext\n- bullet\n"))
    assert classes == [BREAK, BLANK, BREAK, TEXT, TEXT]


def test_heading_levels_and_closing_hashes():
    _, headings = classify(split_lines("### Title ###\n#nospace\n####### seven\n"))
    assert headings == {0: headings[0]}
    assert headings[0].level == 3 and headings[0].text == "Title"


def test_breaks_may_end_in_blanks_and_bullets_ending_in_a_mark_are_text():
    classes, _ = classify(split_lines("---  \n***\t\r\n- item -\n_ _ _ \n-- x --\n"))
    assert classes == [BREAK, BREAK, TEXT, BREAK, TEXT]


# Lines short and long, with every kind of ending, so that spans are cut both ways (joined from
# a few lines, sliced from the text at line offsets).
_LINES = st.lists(st.sampled_from(["", "a", "- b", "  c", "\r", "é😀", "x" * 40]), max_size=30)


@given(_LINES, st.sampled_from(["\n", "\r\n"]), st.booleans(), st.data())
def test_span_is_the_exact_text_of_its_lines(contents, newline, ended, data):
    text = newline.join(contents) + (newline if ended and contents else "")
    doc = Document.parse(text)
    lines = split_lines(text)
    start = data.draw(st.integers(0, len(lines)))
    stop = data.draw(st.integers(start, len(lines)))
    assert doc.span(start, stop) == "".join(lines[start:stop])
    assert doc.span(0, len(lines)) == text


def test_a_fence_may_be_indented_up_to_three_spaces():
    lines = split_lines("   ```\n## [A] inside\n   ```\n    ```\n## [B] heading\n")
    classes, headings = classify(lines)
    assert classes[:3] == [CODE, CODE, CODE]
    assert classes[3] == TEXT and [h.text for h in headings.values()] == ["[B] heading"]
