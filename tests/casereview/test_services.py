"""Applications through their stages: timescales on real dates, rules, audit."""

from datetime import date

import pytest

from csphub.audit.models import AuditEvent
from csphub.casereview import services
from csphub.casereview.choices import ReviewStatus
from csphub.core.errors import ServiceError
from csphub.lib.deadlines import Deadline, DeadlineState


def test_timescales_are_working_days_from_receipt_skipping_the_coronation(make_review):
    # Received Mon 24 Apr 2023: 1 May and the Coronation (8 May) are skipped.
    review = make_review(received_on=date(2023, 4, 24))
    assert review.acknowledge_by == date(2023, 5, 10)
    assert review.decision_by == date(2023, 5, 17)
    assert review.meeting_by == date(2023, 5, 24)


def test_timescales_over_christmas_and_new_year(make_review):
    # Received Fri 20 Dec 2024: Christmas, Boxing Day and New Year's Day are skipped.
    review = make_review(received_on=date(2024, 12, 20))
    assert review.acknowledge_by == date(2025, 1, 8)
    assert review.decision_by == date(2025, 1, 15)
    assert review.meeting_by == date(2025, 1, 22)


def test_deadline_states_follow_what_was_done_and_when(make_review, coordinator):
    review = make_review(received_on=date(2023, 4, 24))
    states = [d.state for d in review.deadlines(date(2023, 5, 11))]
    assert states == ["overdue", "due", "due"]
    services.do_acknowledge_case_review(
        actor=coordinator, review=review, acknowledged_on=date(2023, 5, 11)
    )
    review.refresh_from_db()
    assert review.deadlines(date(2023, 5, 11))[0].state == "late"
    services.do_decide_threshold(
        actor=coordinator, review=review, decided_on=date(2023, 5, 12), met=False
    )
    review.refresh_from_db()
    assert [d.state for d in review.deadlines(date(2023, 6, 30))] == ["late", "met", "not needed"]


def test_a_decision_against_the_rule_needs_a_reason(make_review, coordinator):
    review = make_review(complaints=2)
    with pytest.raises(ServiceError, match="give the reason"):
        services.do_decide_threshold(
            actor=coordinator, review=review, decided_on=date(2025, 3, 10), met=True
        )
    services.do_decide_threshold(
        actor=coordinator,
        review=review,
        decided_on=date(2025, 3, 10),
        met=True,
        reason="Persistent harm to a vulnerable victim.",
    )
    review.refresh_from_db()
    assert (review.threshold_met, review.threshold_met_by_rule) == (True, False)
    assert review.status == ReviewStatus.AWAITING_REVIEW
    assert review.acknowledged_on == date(2025, 3, 10)


def test_three_complaints_meet_the_threshold_without_a_reason(make_review, coordinator):
    review = make_review(complaints=3)
    services.do_decide_threshold(
        actor=coordinator, review=review, decided_on=date(2025, 3, 10), met=True
    )
    review.refresh_from_db()
    assert review.threshold_met_by_rule is True
    event = AuditEvent.objects.get(verb="casereview.threshold_decided")
    assert event.payload == {"met": True, "rule_met": True, "counted": 3, "on_time": True}


def test_complaints_cannot_be_added_after_the_decision_or_dated_after_the_application(
    make_review, coordinator
):
    review = make_review()
    with pytest.raises(ServiceError, match="before the application"):
        services.do_add_complaint(
            actor=coordinator,
            review=review,
            problem="Noise",
            incident_on=date(2025, 3, 1),
            reported_on=date(2025, 3, 4),
        )
    with pytest.raises(ServiceError, match="before the incident"):
        services.do_add_complaint(
            actor=coordinator,
            review=review,
            problem="Noise",
            incident_on=date(2025, 2, 5),
            reported_on=date(2025, 2, 4),
        )
    services.do_decide_threshold(
        actor=coordinator, review=review, decided_on=date(2025, 3, 4), met=False
    )
    with pytest.raises(ServiceError, match="no longer be added"):
        services.do_add_complaint(
            actor=coordinator,
            review=review,
            problem="Noise",
            incident_on=date(2025, 2, 1),
            reported_on=date(2025, 2, 2),
        )
    assert review.complaints.count() == 0


def test_review_and_recommendations_only_follow_a_met_threshold(make_review, coordinator, police):
    review = make_review(complaints=3)
    with pytest.raises(ServiceError):
        services.do_record_review_meeting(
            actor=coordinator, review=review, held_on=date(2025, 3, 20), outcome="x"
        )
    services.do_decide_threshold(
        actor=coordinator, review=review, decided_on=date(2025, 3, 10), met=True
    )
    with pytest.raises(ServiceError):
        services.do_add_recommendation(actor=coordinator, review=review, agency=police, text="x")
    services.do_record_review_meeting(
        actor=coordinator, review=review, held_on=date(2025, 3, 28), outcome="Joint visit agreed."
    )
    services.do_add_recommendation(
        actor=coordinator,
        review=review,
        agency=police,
        text="Patrols at weekends",
        due_on=date(2025, 5, 1),
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.REVIEW_HELD
    assert review.recommendations.get().text == "Patrols at weekends"
    assert AuditEvent.objects.get(verb="casereview.review_held").payload == {"on_time": True}


def test_a_new_policy_applies_to_new_applications_only(make_review, coordinator, admin):
    before = make_review(complaints=2)
    services.do_set_policy(
        actor=admin,
        complaints_required=2,
        window_months=6,
        report_within_months=1,
        acknowledge_working_days=5,
        decision_working_days=10,
        meeting_working_days=15,
        region="ENG",
    )
    after = make_review(complaints=2)
    assert not services.threshold_for(before).met
    assert services.threshold_for(after).met
    assert before.acknowledge_by == date(2025, 3, 17)
    assert after.acknowledge_by == date(2025, 3, 10)
    assert AuditEvent.objects.filter(verb="casereview.policy_changed").count() == 1


def test_references_are_pseudonymous_and_audit_payloads_hold_no_personal_data(make_review):
    review = make_review(applicant_name="Jean Applicant")
    assert review.reference.startswith("CR-") and len(review.reference) == 9
    assert "Jean" not in review.reference
    for event in AuditEvent.objects.filter(verb__startswith="casereview."):
        assert "Jean" not in str(event.payload)
        assert "Example Road" not in str(event.payload)


def test_the_case_review_counts_its_timescales_with_the_shared_deadlines(make_review):
    review = make_review(received_on=date(2023, 4, 24))
    steps = review.deadlines(date(2023, 5, 11))
    assert all(isinstance(step, Deadline) for step in steps)
    assert [(s.due, s.state) for s in steps] == [
        (date(2023, 5, 10), DeadlineState.OVERDUE),
        (date(2023, 5, 17), DeadlineState.DUE),
        (date(2023, 5, 24), DeadlineState.DUE),
    ]
