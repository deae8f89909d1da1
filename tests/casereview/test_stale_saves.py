"""Every step that changes an ASB case review, and the threshold settings, refuse a stale save."""

from datetime import date

import pytest
from django.urls import reverse

from csphub.accounts.roles import COORDINATOR, CSP_ADMIN
from csphub.casereview import services
from csphub.casereview.models import CaseReviewPolicy
from tests.stale_saves import loaded_version, row, save_both


@pytest.fixture
def second_coordinator(make_user):
    return make_user(COORDINATOR)


def test_acknowledging_twice_from_two_open_forms_is_refused(
    client_for, coordinator, second_coordinator, make_review
):
    review = make_review()
    save_both(
        client_for(coordinator),
        client_for(second_coordinator),
        reverse("casereview:acknowledge", args=[review.pk]),
        {"acknowledged_on": "05/03/2025"},
        {"acknowledged_on": "07/03/2025"},
        lambda: row(review),
    )
    review.refresh_from_db()
    assert review.acknowledged_on == date(2025, 3, 5)


def test_a_threshold_decision_from_an_older_form_is_refused(
    client_for, coordinator, second_coordinator, make_review
):
    review = make_review(complaints=3)
    save_both(
        client_for(coordinator),
        client_for(second_coordinator),
        reverse("casereview:threshold_decision", args=[review.pk]),
        {"met": "yes", "decided_on": "10/03/2025", "reason": ""},
        {"met": "no", "decided_on": "11/03/2025", "reason": "Not persistent enough"},
        lambda: row(review),
    )
    review.refresh_from_db()
    assert review.threshold_met is True


def test_a_threshold_decision_made_before_a_new_complaint_was_added_is_refused(
    client_for, coordinator, second_coordinator, make_review
):
    """The decider saw two complaints; a third arrived meanwhile, so the rule may now differ."""
    review = make_review(complaints=2)
    url = reverse("casereview:threshold_decision", args=[review.pk])
    version = loaded_version(client_for(coordinator), url)
    services.do_add_complaint(
        actor=second_coordinator,
        review=review,
        problem="Noise from flat 3",
        incident_on=date(2025, 2, 1),
        reported_on=date(2025, 2, 2),
    )
    response = client_for(coordinator).post(
        url, {"met": "no", "decided_on": "10/03/2025", "reason": "", "version": version}
    )
    assert response.status_code == 409
    review.refresh_from_db()
    assert review.threshold_decided_on is None


def test_a_review_meeting_recorded_from_an_older_form_is_refused(
    client_for, coordinator, second_coordinator, make_review
):
    review = make_review(complaints=3)
    services.do_decide_threshold(
        actor=coordinator, review=review, decided_on=date(2025, 3, 10), met=True
    )
    save_both(
        client_for(coordinator),
        client_for(second_coordinator),
        reverse("casereview:review_meeting", args=[review.pk]),
        {"held_on": "24/03/2025", "outcome": "Dispersal order considered"},
        {"held_on": "25/03/2025", "outcome": "No further action"},
        lambda: row(review),
    )


def _policy(**overrides):
    data = {
        "complaints_required": 3,
        "window_months": 6,
        "report_within_months": 1,
        "acknowledge_working_days": 10,
        "decision_working_days": 15,
        "meeting_working_days": 20,
        "region": "ENG",
    }
    data.update(overrides)
    return data


def test_threshold_settings_saved_over_by_an_older_form_are_refused(client_for, admin, make_user):
    def state():
        return [row(p) for p in CaseReviewPolicy.objects.order_by("created_at")]

    save_both(
        client_for(admin),
        client_for(make_user(CSP_ADMIN)),
        reverse("casereview:policy_edit"),
        _policy(complaints_required=2),
        _policy(window_months=12),
        state,
    )
    current = services.current_policy()
    assert (current.complaints_required, current.window_months) == (2, 6)
