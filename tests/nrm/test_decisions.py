"""The panel's rules for a decision: chair, quorum, the guardian, votes, the CG warning, and
RG and CG at one meeting."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from csphub.core.errors import ServiceError
from csphub.meetings import services as meeting_services
from csphub.nrm import services, wording
from csphub.nrm.choices import DecisionKind, Outcome, Vote
from tests.nrm.conftest import at, taken_on, votes

pytestmark = pytest.mark.django_db


def rg(nrm, referral, *, chair=None, present=None, day=date(2023, 3, 14), meeting=None, **kw):
    return services.do_record_decision(
        actor=nrm.coordinator,
        referral=referral,
        kind=DecisionKind.RG,
        meeting=meeting or nrm.meeting,
        decided_on=day,
        outcome=kw.pop("outcome", Outcome.POSITIVE),
        chair=chair or nrm.officer,
        votes=present if present is not None else votes(nrm),
        **kw,
    )


def meeting_on(nrm, day):
    return meeting_services.do_schedule_meeting(
        actor=nrm.coordinator, panel=nrm.panel, scheduled_for=at(day)
    )


def messages(error: ServiceError) -> str:
    return " ".join(str(m) for m in error.messages)


def test_the_chair_may_not_be_the_childs_allocated_social_worker(nrm):
    referral = taken_on(nrm)
    services.do_update_referral(
        actor=nrm.coordinator, referral=referral, allocated_social_worker=nrm.social_care
    )
    with pytest.raises(ServiceError) as refused:
        rg(nrm, referral, chair=nrm.social_care)
    assert services.CHAIR_IS_SOCIAL_WORKER in messages(refused.value)
    assert not referral.decisions.exists()
    decision = rg(nrm, referral, chair=nrm.officer)
    assert decision.chair == nrm.officer


def test_without_health_present_there_is_no_quorum(nrm):
    referral = taken_on(nrm)
    present = {nrm.social_care: Vote.POSITIVE, nrm.officer: Vote.POSITIVE, nrm.ictg: ""}
    with pytest.raises(ServiceError) as refused:
        rg(nrm, referral, present=present)
    assert "The quorum needs 1 Health member present; 0 present" in messages(refused.value)


def test_the_quorum_is_the_panels_setting(nrm):
    nrm.panel.quorum = {"social_care": 2, "police": 1, "health": 1}
    nrm.panel.save()
    referral = taken_on(nrm)
    with pytest.raises(ServiceError) as refused:
        rg(nrm, referral)
    assert "2 Children's social care members present; 1 present" in messages(refused.value)
    present = votes(nrm) | {nrm.social_care_2: Vote.POSITIVE}
    assert rg(nrm, referral, present=present).attendance.count() == 5


def test_the_guardian_must_be_present_and_does_not_vote(nrm):
    referral = taken_on(nrm)
    present = votes(nrm)
    del present[nrm.ictg]
    with pytest.raises(ServiceError) as refused:
        rg(nrm, referral, present=present)
    assert services.ICTG_REQUIRED in messages(refused.value)
    with pytest.raises(ServiceError) as voted:
        rg(nrm, referral, present=votes(nrm) | {nrm.ictg: Vote.POSITIVE})
    assert "Only members on a voting seat vote" in messages(voted.value)


def test_attendance_and_votes_are_recorded_per_decision(nrm):
    referral = taken_on(nrm)
    present = votes(nrm) | {nrm.nurse: Vote.NEGATIVE}
    decision = rg(nrm, referral, present=present)
    recorded = {(a.member, a.seat, a.vote) for a in decision.attendance.all()}
    assert recorded == {
        (nrm.social_care, "social_care", "positive"),
        (nrm.officer, "police", "positive"),
        (nrm.nurse, "health", "negative"),
        (nrm.ictg, "ictg", ""),
    }


def test_the_outcome_must_be_the_majoritys(nrm):
    referral = taken_on(nrm)
    with pytest.raises(ServiceError) as refused:
        rg(nrm, referral, outcome=Outcome.NEGATIVE)
    assert "majority" in messages(refused.value)


def test_the_rg_stores_the_wording_in_force_on_the_decision_date(nrm):
    before = taken_on(nrm, received_on=date(2023, 1, 10))
    decision = rg(nrm, before, day=date(2023, 1, 20))
    assert decision.test_version == "RG-2022"
    after = taken_on(nrm, received_on=date(2023, 3, 1), given_name="Bo")
    assert rg(nrm, after).test_version == "RG-2023-01"
    july = taken_on(nrm, received_on=date(2023, 7, 1), given_name="Cy")
    decided = rg(nrm, july, day=date(2023, 7, 10))
    assert decided.test_version == "RG-2023-07"
    assert decided.test_wording == wording.in_force("rg", date(2023, 7, 10)).wording
    assert "suspects but cannot prove" in decided.test_wording


def test_a_cg_sooner_than_30_days_after_a_positive_rg_is_warned_not_blocked(nrm):
    referral = taken_on(nrm)
    rg(nrm, referral)
    soon = meeting_on(nrm, date(2023, 4, 4))

    def cg(**kw):
        return services.do_record_decision(
            actor=nrm.coordinator,
            referral=referral,
            kind=DecisionKind.CG,
            meeting=soon,
            decided_on=date(2023, 4, 4),
            outcome=Outcome.POSITIVE,
            chair=nrm.officer,
            votes=votes(nrm),
            **kw,
        )

    with pytest.raises(ServiceError) as warned:
        cg()
    # 14 March to 4 April 2023: 17 + 4 = 21 days.
    assert "21 days after the positive Reasonable Grounds decision" in str(
        warned.value.message_dict["accept_warning"]
    )
    decision = cg(accept_warning=True)
    assert "sooner than 30 days" in decision.warning


def test_a_cg_30_days_after_the_rg_is_not_warned(nrm):
    referral = taken_on(nrm)
    rg(nrm, referral)
    later = meeting_on(nrm, date(2023, 4, 13))  # 17 + 13 = 30 days
    cg = services.do_record_decision(
        actor=nrm.coordinator,
        referral=referral,
        kind=DecisionKind.CG,
        meeting=later,
        decided_on=date(2023, 4, 13),
        outcome=Outcome.POSITIVE,
        chair=nrm.officer,
        votes=votes(nrm),
    )
    assert cg.warning == ""


def test_a_cg_needs_a_positive_rg(nrm):
    referral = taken_on(nrm)
    rg(nrm, referral, present=votes(nrm, Vote.NEGATIVE), outcome=Outcome.NEGATIVE)
    with pytest.raises(ServiceError) as refused:
        services.do_record_decision(
            actor=nrm.coordinator,
            referral=referral,
            kind=DecisionKind.CG,
            meeting=meeting_on(nrm, date(2023, 5, 1)),
            decided_on=date(2023, 5, 1),
            outcome=Outcome.POSITIVE,
            chair=nrm.officer,
            votes=votes(nrm),
        )
    assert services.CG_NEEDS_POSITIVE_RG in messages(refused.value)


def test_rg_and_cg_at_the_same_meeting(nrm):
    referral = taken_on(nrm)
    first, final = services.do_record_rg_and_cg(
        actor=nrm.coordinator,
        referral=referral,
        meeting=nrm.meeting,
        decided_on=date(2023, 3, 14),
        cg_outcome=Outcome.POSITIVE,
        chair=nrm.officer,
        rg_votes=votes(nrm),
        cg_votes=votes(nrm),
    )
    assert (first.kind, final.kind) == ("rg", "cg")
    assert first.meeting == final.meeting and final.warning == ""
    assert final.test_version == "CG-2021"


def test_a_referral_routed_to_the_sca_is_not_decided_locally(nrm):
    referral = taken_on(nrm, age_disputed=True)
    assert referral.case.transitions.get().status == "rejected"
    with pytest.raises(ServiceError):
        rg(nrm, referral)


def test_only_the_coordinator_records_a_decision(nrm):
    referral = taken_on(nrm)
    for user in (nrm.officer, nrm.ictg, nrm.first_responder, nrm.outsider):
        with pytest.raises(PermissionDenied):
            services.do_record_decision(
                actor=user,
                referral=referral,
                kind=DecisionKind.RG,
                meeting=nrm.meeting,
                decided_on=date(2023, 3, 14),
                outcome=Outcome.POSITIVE,
                chair=nrm.officer,
                votes=votes(nrm),
            )
    assert not referral.decisions.exists()
