"""The sentence's wording of a change, as ONS writes it; expected strings written by hand."""

import pytest

from csphub.crime.wording import ons_change


@pytest.mark.parametrize(
    ("pct", "text"),
    [
        (-20.0, "a 20.0% decrease"),
        (8.46, "an 8.5% increase"),
        (11.0, "an 11.0% increase"),
        (18.04, "an 18.0% increase"),
        (80.0, "an 80.0% increase"),
        (1.9, "a 1.9% increase"),
        (-0.04, "no change"),
        (1234.5, "a 1,234.5% increase"),
        (8000.0, "an 8,000.0% increase"),
    ],
)
def test_a_change_in_a_sentence_is_written_as_ons_writes_it(pct: float, text: str) -> None:
    assert ons_change(pct) == text
