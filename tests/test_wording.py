"""`wording`: counts said the way a person says them."""

from __future__ import annotations

import pytest

from ledger.wording import plural


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 findings"), (1, "1 finding"), (2, "2 findings")]
)
def test_one_is_singular_and_every_other_count_plural(count, expected):
    assert plural(count, "finding") == expected


def test_an_irregular_plural_is_given_by_the_caller():
    assert (
        plural(3, "focus", "focuses") == "3 focuses" and plural(1, "focus", "focuses") == "1 focus"
    )
