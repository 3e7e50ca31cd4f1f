"""Patterns compiled on first use behave as the compiled pattern."""

from __future__ import annotations

import re

import pytest

from ledger.lazyregex import lazy_compile


def test_a_lazy_pattern_matches_as_the_compiled_one():
    lazy = lazy_compile(r"(?P<word>[a-z]+)-(\d+)", re.IGNORECASE)
    compiled = re.compile(r"(?P<word>[a-z]+)-(\d+)", re.IGNORECASE)
    text = "Alpha-1 beta-22 gamma"
    assert lazy.match(text).groups() == compiled.match(text).groups()
    assert lazy.search("x beta-22").span() == compiled.search("x beta-22").span()
    assert [m.group("word") for m in lazy.finditer(text)] == ["Alpha", "beta"]
    assert lazy.findall(text) == compiled.findall(text)
    assert lazy.sub("#", text) == compiled.sub("#", text)
    assert lazy.fullmatch("a-1") is not None and lazy.split(text) == compiled.split(text)
    assert lazy.groupindex == compiled.groupindex and lazy.groups == 2


def test_the_source_is_readable_before_the_pattern_compiles():
    lazy = lazy_compile(r"\d+")
    assert lazy.pattern == r"\d+"
    assert "match" not in vars(lazy)  # nothing compiled yet
    assert lazy.match("42")
    assert "match" in vars(lazy)


def test_a_bad_pattern_fails_when_first_used():
    lazy = lazy_compile("(")
    with pytest.raises(re.error):
        lazy.match("x")
