"""Dates outside a sensible range are refused with a message; a bad row already stored breaks
no page."""

from datetime import date

import pytest
from django.urls import reverse

from csphub.casereview.models import CaseReview
from csphub.casereview.services import current_policy


def _apply(client, received_on):
    return client.post(
        reverse("casereview:review_create"),
        {
            "received_on": received_on,
            "applicant_name": "Pat Resident",
            "problem_summary": "Groups shouting late at night",
        },
    )


@pytest.mark.parametrize(
    "typed,message",
    [
        ("31/12/9999", "Date the application was received must be today or in the past"),
        ("01/01/0001", "Date the application was received must be the same as or after"),
    ],
)
def test_an_application_received_outside_a_sensible_range_is_refused(
    client_for, coordinator, typed, message
):
    response = _apply(client_for(coordinator), typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    # What was typed is kept, in the date's day, month and year boxes.
    day, month, year = typed.split("/")
    for part, value in (("day", str(int(day))), ("month", str(int(month))), ("year", year)):
        assert f'name="received_on_{part}" type="text" inputmode="numeric" value="{value}"' in page
    assert not CaseReview.objects.exists()


def test_a_complaint_and_a_recommendation_out_of_range_are_refused(
    client_for, coordinator, make_review, police
):
    review = make_review()
    client = client_for(coordinator)
    response = client.post(
        reverse("casereview:complaint_add", args=[review.pk]),
        {"problem": "Noise", "incident_on": "01/01/9999", "reported_on": "01/01/9999"},
    )
    assert response.status_code == 200
    assert "Date of the incident must be today or in the past" in response.content.decode()
    assert not review.complaints.exists()


@pytest.mark.parametrize("received_on", [date(9999, 12, 31), date(1, 1, 1)])
def test_a_bad_date_already_stored_breaks_no_page(
    client_for, coordinator, make_review, received_on
):
    """Rows from before the forms checked dates: the home page, list and record still open."""
    review = make_review()
    CaseReview.objects.filter(pk=review.pk).update(received_on=received_on)
    client = client_for(coordinator)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("casereview:review_list")).status_code == 200
    assert client.get(reverse("casereview:review_detail", args=[review.pk])).status_code == 200
    assert current_policy() == review.policy
