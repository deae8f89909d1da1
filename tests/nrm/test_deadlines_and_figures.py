"""The RG due date across bank holidays, and decision times worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from csphub.lib.deadlines import DeadlineState
from csphub.meetings import services as meeting_services
from csphub.nrm import figures, services
from csphub.nrm.choices import DecisionKind, Outcome, Vote
from csphub.nrm.deadlines import rg_deadlines
from csphub.nrm.models import NrmSettings, Referral
from csphub.nrm.reports import case_times, dashboard
from tests.nrm.conftest import at, taken_on, votes

pytestmark = pytest.mark.django_db


def test_rg_due_dates_over_christmas_2023(nrm):
    referral = taken_on(nrm, received_on=date(2023, 12, 21))
    settings = NrmSettings.objects.get(panel=nrm.panel)
    panel_due, sca = rg_deadlines(referral, settings, today=date(2024, 1, 3))
    # 45 calendar days from Thursday 21 December 2023: 10 to 31 December, 31 in January, 4 in
    # February: Sunday 4 February 2024.
    assert panel_due.due == date(2024, 2, 4)
    assert panel_due.state == DeadlineState.DUE
    # 5 working days: Fri 22 Dec (1); 25, 26 Dec bank holidays; 27, 28, 29 Dec (2-4);
    # 1 Jan bank holiday; Tue 2 Jan 2024 (5).
    assert sca.due == date(2024, 1, 2)
    assert sca.state == DeadlineState.OVERDUE


def test_the_rg_due_days_are_a_setting(nrm):
    settings = NrmSettings.objects.get(panel=nrm.panel)
    settings.rg_due_days = 30
    referral = taken_on(nrm, received_on=date(2023, 12, 21))
    assert rg_deadlines(referral, settings, today=date(2024, 1, 3))[0].due == date(2024, 1, 20)


def _decide(nrm, referral, kind, day, outcome, meeting):
    return services.do_record_decision(
        actor=nrm.coordinator,
        referral=referral,
        kind=kind,
        meeting=meeting,
        decided_on=day,
        outcome=outcome,
        chair=nrm.officer,
        votes=votes(nrm, Vote.POSITIVE if outcome == Outcome.POSITIVE else Vote.NEGATIVE),
        accept_warning=True,
    )


def test_decision_times_mean_and_median_by_hand(nrm, make_user):
    march = nrm.meeting  # 14 March 2023
    april = meeting_services.do_schedule_meeting(
        actor=nrm.coordinator, panel=nrm.panel, scheduled_for=at(date(2023, 4, 25))
    )
    a = taken_on(nrm, received_on=date(2023, 3, 1), given_name="A")
    _decide(nrm, a, DecisionKind.RG, date(2023, 3, 14), Outcome.POSITIVE, march)
    _decide(nrm, a, DecisionKind.CG, date(2023, 4, 25), Outcome.POSITIVE, april)
    b = taken_on(nrm, received_on=date(2023, 2, 10), given_name="B")
    _decide(nrm, b, DecisionKind.RG, date(2023, 3, 14), Outcome.NEGATIVE, march)
    c = taken_on(nrm, received_on=date(2023, 1, 5), given_name="C")
    services.do_record_rg_and_cg(
        actor=nrm.coordinator,
        referral=c,
        meeting=march,
        decided_on=date(2023, 3, 14),
        cg_outcome=Outcome.POSITIVE,
        chair=nrm.officer,
        rg_votes=votes(nrm),
        cg_votes=votes(nrm),
    )
    taken_on(nrm, received_on=date(2023, 4, 1), given_name="D")  # not yet decided
    # By hand: A 1 Mar -> 14 Mar = 13 to RG, 1 Mar -> 25 Apr = 30 + 25 = 55 to CG (final);
    # B 10 Feb -> 14 Mar = 18 + 14 = 32 to a negative RG (final);
    # C 5 Jan -> 14 Mar = 26 + 28 + 14 = 68 to RG and CG (final).
    # Final: 55, 32, 68: mean 155 / 3 = 51.7, median 55. RG: 13, 32, 68: mean 113 / 3 = 37.7,
    # median 32. CG: 55, 68: mean and median 61.5.
    board = dashboard(nrm.coordinator)
    got = {m["key"]: m["summary"] for m in board.measures}
    assert (got["final"].count, got["final"].mean, got["final"].median) == (3, 51.7, 55.0)
    assert (got["rg"].mean, got["rg"].median) == (37.7, 32.0)
    assert (got["cg"].mean, got["cg"].median) == (61.5, 61.5)
    assert board.awaiting == 1
    # Quarters by the final decision's date: B, C in 2022-23 Q4 (March), A in 2023-24 Q1.
    quarters = {label: (s.count, s.mean) for label, s in board.quarters}
    assert quarters == {"2022-23 Q4": (2, 50.0), "2023-24 Q1": (1, 55.0)}
    bands = dict(board.distribution)
    assert bands["31 to 45 days"] == 1 and bands["46 to 60 days"] == 1
    assert bands["61 to 90 days"] == 1 and bands["0 to 30 days"] == 0


def test_figures_are_for_those_who_may_see_them(nrm, make_user):
    from csphub.accounts.roles import EXECUTIVE

    executive = make_user(EXECUTIVE)
    taken_on(nrm)
    assert len(case_times(Referral.objects.all())) == 1
    assert dashboard(executive).awaiting == 1
    assert dashboard(nrm.outsider).awaiting == 0


def test_summary_of_nothing_is_empty():
    assert figures.summarise([]) == figures.Summary(0, None, None, None, None)
