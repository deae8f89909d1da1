"""Every ASB case review page as co-ordinator, administrator, outsider and anonymous visitor."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.casereview.models import CaseReview
from tests.stale_saves import loaded_version

RECORD_PAGES = [
    "review_detail",
    "complaint_add",
    "acknowledge",
    "threshold_decision",
    "review_meeting",
    "recommendation_add",
]


@pytest.mark.parametrize("page", ["review_list", "review_create"])
def test_coordinator_and_administrator_open_the_list_and_form(client_for, coordinator, admin, page):
    for user in (coordinator, admin):
        assert client_for(user).get(reverse(f"casereview:{page}")).status_code == 200


@pytest.mark.parametrize("page", ["review_list", "review_create", "annual_counts", "policy_edit"])
def test_practitioner_is_refused_the_pages(client_for, practitioner, page):
    assert client_for(practitioner).get(reverse(f"casereview:{page}")).status_code == 403


@pytest.mark.parametrize("page", [*RECORD_PAGES, "applicant_details"])
def test_practitioner_is_refused_record_pages(client_for, practitioner, make_review, page):
    review = make_review()
    send = (
        client_for(practitioner).post
        if page == "applicant_details"
        else client_for(practitioner).get
    )
    response = send(reverse(f"casereview:{page}", args=[review.pk]))
    assert response.status_code == 403
    assert "Loud music" not in response.content.decode()


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in(make_review, page):
    review = make_review()
    response = Client().get(reverse(f"casereview:{page}", args=[review.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_unknown_record_is_not_found(client_for, coordinator, page):
    url = reverse(f"casereview:{page}", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(coordinator).get(url).status_code == 404


def test_list_and_detail_show_the_reference_not_the_applicants_name(
    client_for, coordinator, make_review
):
    review = make_review(applicant_name="Jean Applicant")
    client = client_for(coordinator)
    listing = client.get(reverse("casereview:review_list")).content.decode()
    detail = client.get(reverse("casereview:review_detail", args=[review.pk])).content.decode()
    for html in (listing, detail):
        assert review.reference in html
        assert "Jean Applicant" not in html
    assert AuditEvent.objects.filter(verb="casereview.viewed", target_id=str(review.pk)).exists()


def test_coordinator_reveals_the_applicant_and_it_is_audited(client_for, coordinator, make_review):
    review = make_review(applicant_name="Jean Applicant")
    client = client_for(coordinator)
    detail = client.get(reverse("casereview:review_detail", args=[review.pk])).content.decode()
    assert "Show the applicant" in detail and "Jean Applicant" not in detail
    # Only a deliberate POST reveals: a link followed or prefetched (GET) does not.
    url = reverse("casereview:applicant_details", args=[review.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    assert "Jean Applicant" in response.content.decode()
    event = AuditEvent.objects.get(verb="casereview.applicant_revealed")
    assert (event.actor, event.target_id) == (coordinator, str(review.pk))


def test_administrator_manages_reviews_but_may_not_reveal_the_applicant(
    client_for, admin, make_review
):
    review = make_review(applicant_name="Jean Applicant")
    client = client_for(admin)
    detail = client.get(reverse("casereview:review_detail", args=[review.pk])).content.decode()
    assert "Show the applicant" not in detail
    response = client.post(reverse("casereview:applicant_details", args=[review.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(verb="casereview.applicant_revealed").exists()


def test_coordinator_records_an_application_and_takes_it_to_a_review(
    client_for, coordinator, police
):
    client = client_for(coordinator)
    response = client.post(
        reverse("casereview:review_create"),
        {
            "received_on": "03/03/2025",
            "applicant_name": "Pat Resident",
            "problem_summary": "Groups gathering and shouting late at night",
        },
    )
    review = CaseReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("casereview:review_detail", args=[review.pk])
    for day in ("12/01/2025", "02/02/2025", "20/02/2025"):
        response = client.post(
            reverse("casereview:complaint_add", args=[review.pk]),
            {
                "problem": "Gathering outside the shops",
                "incident_on": day,
                "reported_on": day,
                "reported_to": police.pk,
            },
        )
        assert response.status_code == 302
    for step, data in [
        ("acknowledge", {"acknowledged_on": "05/03/2025"}),
        ("threshold_decision", {"met": "yes", "decided_on": "10/03/2025", "reason": ""}),
        ("review_meeting", {"held_on": "24/03/2025", "outcome": "Dispersal order considered"}),
    ]:
        url = reverse(f"casereview:{step}", args=[review.pk])
        response = client.post(url, {**data, "version": loaded_version(client, url)})
        assert response.status_code == 302, step
    client.post(
        reverse("casereview:recommendation_add", args=[review.pk]),
        {"agency": police.pk, "text": "Weekend patrols", "due_on": ""},
    )
    review.refresh_from_db()
    assert review.status == "review_held"
    assert review.acknowledged_on == date(2025, 3, 5)
    assert review.threshold_met_by_rule is True
    assert review.recommendations.count() == 1
    page = client.get(reverse("casereview:review_detail", args=[review.pk])).content.decode()
    assert "Weekend patrols" in page
    assert "On time" in page


def test_a_refused_step_shows_the_reason_and_keeps_the_form(client_for, coordinator, make_review):
    review = make_review(complaints=1)
    response = client_for(coordinator).post(
        reverse("casereview:threshold_decision", args=[review.pk]),
        {"met": "yes", "decided_on": "10/03/2025", "reason": "", "version": review.version},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "give the reason" in html
    # Kept in the date's three boxes.
    for part, value in (("day", "10"), ("month", "3"), ("year", "2025")):
        assert f'name="decided_on_{part}" type="text" inputmode="numeric" value="{value}"' in html
    review.refresh_from_db()
    assert review.threshold_decided_on is None


def test_an_impossible_date_is_an_error_not_a_crash(client_for, coordinator, make_review):
    review = make_review()
    response = client_for(coordinator).post(
        reverse("casereview:acknowledge", args=[review.pk]), {"acknowledged_on": "31/02/2025"}
    )
    assert response.status_code == 200
    assert "Enter a real date" in response.content.decode()


def test_executive_sees_the_published_counts_and_nothing_else(client_for, executive, make_review):
    make_review(received_on=date(2024, 6, 3))
    client = client_for(executive)
    response = client.get(reverse("casereview:annual_counts") + "?year=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2024 to 2025" in html
    # One application received: the Act requires the count in full, so "1" and not "<5".
    assert re.search(r">2024 to 2025</th>\s*<td[^>]*>1</td>", html), html
    assert "&lt;5" not in html
    assert client.get(reverse("casereview:review_list")).status_code == 403


def test_administrator_changes_the_threshold_and_it_is_audited(client_for, admin, coordinator):
    response = client_for(admin).post(
        reverse("casereview:policy_edit"),
        {
            "complaints_required": 2,
            "window_months": 6,
            "report_within_months": 1,
            "acknowledge_working_days": 10,
            "decision_working_days": 15,
            "meeting_working_days": 20,
            "region": "ENG",
            "version": 1,
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="casereview.policy_changed").exists()
    assert client_for(coordinator).get(reverse("casereview:policy_edit")).status_code == 403


def test_home_page_card_counts_applications_with_a_step_overdue(
    client_for, coordinator, make_review, practitioner
):
    make_review(received_on=date(2023, 4, 24))
    html = client_for(coordinator).get(reverse("core:home")).content.decode()
    assert "ASB case reviews" in html
    assert re.search(r"With a step overdue</dt><dd[^>]*>1<", html)
    assert (
        "With a step overdue"
        not in client_for(practitioner).get(reverse("core:home")).content.decode()
    )


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_every_record_page_is_a_view_of_the_application(client_for, coordinator, make_review, page):
    review = make_review()
    assert (
        client_for(coordinator).get(reverse(f"casereview:{page}", args=[review.pk])).status_code
        == 200
    )
    event = AuditEvent.objects.get(verb="casereview.viewed")
    assert (event.actor, event.target_type, event.target_id, event.payload) == (
        coordinator,
        "casereview.casereview",
        str(review.pk),
        {"page": f"casereview:{page}"},
    )


def test_the_list_names_the_applications_listed_and_a_refusal_records_nothing(
    client_for, coordinator, practitioner, make_review
):
    first, second = make_review(), make_review(received_on=date(2025, 4, 1))
    assert client_for(practitioner).get(reverse("casereview:review_list")).status_code == 403
    assert client_for(coordinator).get(reverse("casereview:review_list")).status_code == 200
    [event] = AuditEvent.objects.filter(verb="casereview.list_viewed")
    assert event.actor == coordinator
    assert sorted(event.payload["reviews"]) == sorted([first.reference, second.reference])


def test_timescales_table_names_each_state(client_for, coordinator, make_review):
    from csphub.casereview import services

    review = make_review(received_on=date(2023, 4, 24))  # every step long overdue today
    services.do_acknowledge_case_review(
        actor=coordinator, review=review, acknowledged_on=date(2023, 5, 11)
    )
    review.refresh_from_db()
    services.do_decide_threshold(
        actor=coordinator, review=review, decided_on=date(2023, 5, 12), met=False
    )
    page = client_for(coordinator).get(reverse("casereview:review_detail", args=[review.pk]))
    table = page.content.decode().split("Timescales", 1)[1].split("Complaints", 1)[0]
    tags = re.findall(r'<strong class="govuk-tag ([^"]*)">([^<]*)</strong>', table)
    assert [(colour.strip(), text) for colour, text in tags] == [
        ("govuk-tag--red", "Late"),  # acknowledged on 11 May, due 10 May
        ("govuk-tag--green", "On time"),  # decided on 12 May, due 17 May
        ("govuk-tag--grey", "Not needed"),  # no meeting once the threshold is not met
    ]
