"""Reading words of the vocabularies: the first word of a value, as the kinds and statuses do."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ledger.vocab import AttemptKind, Status, first_word

_SEPARATOR = re.compile(r"[\s*`(,;:.—–]")


def _first_word_of_whole_value(text: str) -> str:
    """The definition: strip the value, drop leading emphasis, lower-case, cut at a separator."""
    cleaned = text.strip().lstrip("*`_ ").lower()
    return _SEPARATOR.split(cleaned, maxsplit=1)[0] if cleaned else ""


def test_first_word_skips_emphasis_and_stops_at_a_separator():
    assert first_word("**Done** (archived)") == "done"
    assert first_word("  `blocked`: waiting") == "blocked"
    assert first_word("_evidence_only_ — logs") == "evidence_only_"
    assert first_word("*** ") == ""


@given(
    st.text(alphabet=st.sampled_from(list(" \t\n\xa0\u2028*`_(,;:.—–aBİß-✅")) | st.characters())
)
def test_first_word_reads_only_the_start_of_the_value(text):
    assert first_word(text) == _first_word_of_whole_value(text)


def test_long_values_are_read_by_their_first_word():
    tail = " and more" * 10_000
    assert AttemptKind.parse("Implementation" + tail) is AttemptKind.implementation
    assert Status.parse("**blocked** — " + tail) is Status.blocked
