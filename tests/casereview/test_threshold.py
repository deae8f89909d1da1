"""The threshold rule on its own: same problem, six-month window, reported within a month."""

from dataclasses import dataclass
from datetime import date

from csphub.casereview.threshold import assess
from csphub.lib.periods import add_months


@dataclass
class C:
    problem: str
    incident_on: date
    reported_on: date


RECEIVED = date(2025, 8, 31)


def test_three_timely_complaints_about_one_problem_meet_the_default_threshold():
    complaints = [
        C("Noise", date(2025, 3, 1), date(2025, 3, 2)),
        C("noise ", date(2025, 5, 1), date(2025, 5, 20)),
        C("NOISE", date(2025, 8, 1), date(2025, 8, 30)),
    ]
    result = assess(complaints, received_on=RECEIVED)
    assert result.met
    assert (result.counted, result.problem, result.window_start) == (3, "Noise", date(2025, 2, 28))


def test_complaints_about_different_problems_do_not_add_up():
    complaints = [
        C("Noise", date(2025, 6, 1), date(2025, 6, 2)),
        C("Noise", date(2025, 6, 3), date(2025, 6, 4)),
        C("Drug dealing", date(2025, 6, 5), date(2025, 6, 6)),
    ]
    result = assess(complaints, received_on=RECEIVED)
    assert not result.met
    assert result.counted == 2


def test_a_complaint_reported_more_than_a_month_after_the_incident_does_not_count():
    complaints = [
        C("Noise", date(2025, 6, 1), date(2025, 6, 2)),
        C("Noise", date(2025, 6, 3), date(2025, 6, 4)),
        C("Noise", date(2025, 5, 1), date(2025, 6, 2)),
    ]  # one month and a day later
    result = assess(complaints, received_on=RECEIVED)
    assert (result.met, result.counted, result.reported_late) == (False, 2, 1)
    on_the_day = [*complaints[:2], C("Noise", date(2025, 5, 1), date(2025, 6, 1))]
    assert assess(on_the_day, received_on=RECEIVED).met


def test_complaints_reported_before_the_six_month_window_do_not_count():
    complaints = [
        C("Noise", date(2025, 2, 20), date(2025, 2, 27)),  # the day before the window
        C("Noise", date(2025, 6, 3), date(2025, 6, 4)),
        C("Noise", date(2025, 7, 3), date(2025, 7, 4)),
    ]
    result = assess(complaints, received_on=RECEIVED)
    assert (result.met, result.outside_window) == (False, 1)


def test_the_partnership_can_set_a_lower_threshold_and_a_longer_window():
    complaints = [
        C("Noise", date(2024, 12, 1), date(2024, 12, 2)),
        C("Noise", date(2025, 6, 3), date(2025, 6, 4)),
    ]
    assert not assess(complaints, received_on=RECEIVED).met
    assert assess(complaints, received_on=RECEIVED, complaints_required=2, window_months=12).met


def test_month_arithmetic_clamps_to_the_end_of_shorter_months():
    assert add_months(date(2025, 8, 31), -6) == date(2025, 2, 28)
    assert add_months(date(2024, 8, 31), -6) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
