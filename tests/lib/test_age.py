"""Age at a date: one year older on each birthday, and on 1 March for someone born on 29 February
in a year without one. Expected ages are worked out by hand."""

import doctest
from datetime import date

import pytest

from csphub.lib import dates
from csphub.lib.dates import age_on
from csphub.people.models import Person


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2012, 6, 15), date(2025, 6, 14), 12),  # the day before the 13th birthday
        (date(2012, 6, 15), date(2025, 6, 15), 13),  # the birthday itself
        (date(2012, 6, 15), date(2025, 6, 16), 13),
        (date(2012, 12, 31), date(2025, 12, 30), 12),
        (date(2012, 12, 31), date(2025, 12, 31), 13),
        (date(2012, 1, 1), date(2024, 12, 31), 12),  # year boundary
        (date(2012, 1, 1), date(2025, 1, 1), 13),
        (date(2012, 2, 29), date(2025, 2, 28), 12),  # 2025 has no 29 February...
        (date(2012, 2, 29), date(2025, 3, 1), 13),  # ...so the birthday counts on 1 March
        (date(2012, 2, 29), date(2024, 2, 28), 11),  # in a leap year it is the day itself
        (date(2012, 2, 29), date(2024, 2, 29), 12),
        (date(2012, 3, 1), date(2024, 2, 29), 11),  # born 1 March: not yet on 29 February
        (date(2012, 3, 1), date(2024, 3, 1), 12),
        (date(2012, 2, 28), date(2025, 2, 28), 13),
        (date(2025, 3, 1), date(2025, 3, 1), 0),  # the day of birth
    ],
)
def test_age_on_a_day(born, day, age):
    assert age_on(born, day) == age


def test_a_person_without_a_date_of_birth_has_no_age():
    assert Person(date_of_birth=None).age_on(date(2025, 3, 1)) is None


@pytest.mark.parametrize("day", [date(2025, 2, 28), date(2025, 3, 1), date(2024, 2, 29)])
def test_a_persons_age_is_the_one_rule(day):
    born = date(2012, 2, 29)
    assert Person(date_of_birth=born).age_on(day) == age_on(born, day)


def test_the_dates_doctests_pass():
    assert doctest.testmod(dates).failed == 0
