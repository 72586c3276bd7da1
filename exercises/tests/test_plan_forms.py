"""The inline plan rows' own parsing (exercises/forms/plans.py): no database."""

import re

import pytest

from exercises.forms.plans import parse_numbers


def test_team_numbers_are_read_from_any_separator():
    assert parse_numbers(" 1; 2,5  2 ") == [1, 2, 5]
    assert parse_numbers("") == []


@pytest.mark.parametrize("text", ["1;٥", "１", "1_0", "2;²", "+2", "0", "-1", "2.0", "two"])
def test_team_numbers_are_ascii_digits_from_1(text):
    """int() also takes “٥”, “１” and “1_0”: the inline form read them as 5, 1 and 10 (as the MEL did, item 9)."""
    with pytest.raises(ValueError, match=re.escape(text)):
        parse_numbers(text)
