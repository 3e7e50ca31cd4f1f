"""JSON edited as text: an added member or item lands in the container's own layout, and removing
it gives back the same bytes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger import jsontext
from ledger.errors import EditRefused

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
layouts = st.sampled_from(
    [
        {"indent": None},
        {"indent": None, "separators": (",", ":")},
        {"indent": 2},
        {"indent": 4},
        {"indent": "\t"},
    ]
)


@given(st.dictionaries(st.text(max_size=6), values, max_size=4), values, layouts, st.booleans())
def test_adding_then_removing_a_member_gives_back_the_same_bytes(obj, value, layout, final_nl):
    text = json.dumps(obj, **layout) + ("\n" if final_nl else "")
    key = "\u2603 new key"
    added = jsontext.add_member(text, jsontext.parse(text), key, value)
    assert json.loads(added) == {**obj, key: value}
    assert added.endswith("\n") == final_nl
    assert jsontext.remove_member(added, jsontext.parse(added), key) == text


@given(st.lists(values, max_size=4), values, layouts)
def test_appending_then_removing_an_item_gives_back_the_same_bytes(items, value, layout):
    text = json.dumps({"list": items}, **layout)
    array = jsontext.parse(text).member("list")
    added = jsontext.append_item(text, array, value)
    assert json.loads(added) == {"list": [*items, value]}
    new_array = jsontext.parse(added).member("list")
    assert jsontext.remove_item(added, new_array, len(items)) == text


def test_an_addition_uses_the_indentation_of_its_siblings():
    text = '{\n    "a": {\n        "b": 1\n    }\n}\n'
    inner = jsontext.parse(text).member("a")
    assert jsontext.add_member(text, inner, "c", [1]) == (
        '{\n    "a": {\n        "b": 1,\n        "c": [\n            1\n        ]\n    }\n}\n'
    )


def test_a_one_line_container_stays_on_one_line():
    text = '{"a": 1, "b": [true]}'
    root = jsontext.parse(text)
    assert jsontext.add_member(text, root, "c", {"d": None}) == (
        '{"a": 1, "b": [true], "c": {"d": null}}'
    )


def test_a_member_in_the_middle_is_removed_with_its_separator():
    text = '{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}'
    assert jsontext.remove_member(text, jsontext.parse(text), "b") == '{\n  "a": 1,\n  "c": 3\n}'


def test_nodes_know_their_values_and_spans():
    text = ' { "k" : [ 1 , "x" ] , "e" : { } } '
    root = jsontext.parse(text)
    assert root.value == {"k": [1, "x"], "e": {}}
    assert root.keys == ["k", "e"]
    child = root.member("k")
    assert text[child.start : child.end] == '[ 1 , "x" ]'
    assert root.member("missing") is None


@pytest.mark.parametrize("text", ["", "{", '{"a": 1,}', "{'a': 1}", "// comment\n{}"])
def test_what_is_not_json_is_refused(text):
    with pytest.raises(EditRefused, match="not valid JSON"):
        jsontext.parse(text)
