"""The Community Trigger's letters to the applicant: acknowledgement and outcome, as PDF and
DOCX, from the application's own record; only for those who may see the applicant's details,
every download audited."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from csphub.audit.models import AuditEvent
from csphub.casereview import services
from tests.factories import AgencyFactory

LETTERS = ["acknowledgement_pdf", "acknowledgement_docx", "outcome_pdf", "outcome_docx"]


def _url(name, review):
    return reverse(f"casereview:{name}", kwargs={"review_id": review.pk})


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_the_acknowledgement_names_the_timescales_from_the_application(
    client_for, coordinator, make_review, settings
):
    settings.PARTNERSHIP_ADDRESS = "Civic Offices|2 Watling Street|Bexleyheath|DA6 7AT"
    review = make_review(received_on=date(2025, 3, 3))
    services.do_acknowledge_case_review(
        actor=coordinator, review=review, acknowledged_on=date(2025, 3, 5)
    )
    response = client_for(coordinator).get(_url("acknowledgement_pdf", review))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"case-review-acknowledgement-{review.reference}.pdf" in response["Content-Disposition"]
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    for expected in (
        "Jean Applicant",
        "1 Example Road",
        "Civic Offices",
        "DA6 7AT",
        "received on 3 March 2025",
        "Date: 5 March 2025",
        # 15 and 20 working days after Monday 3 March 2025 (no bank holiday in March)
        "by 24 March 2025",
        "held by 31 March 2025",
        f"Our reference: {review.reference}",
    ):
        assert expected in text, expected
    event = AuditEvent.objects.get(verb="casereview.letter_downloaded")
    assert event.target_id == str(review.pk)
    assert event.payload["letter"] == "acknowledgement"
    assert "Jean" not in str(event.payload)


def test_there_is_no_outcome_letter_before_an_outcome(client_for, coordinator, make_review):
    review = make_review()
    assert client_for(coordinator).get(_url("outcome_docx", review)).status_code == 404
    assert not AuditEvent.objects.filter(verb="casereview.letter_downloaded").exists()


def test_the_outcome_letter_when_the_threshold_is_not_met_gives_the_reason(
    client_for, coordinator, make_review
):
    review = make_review(complaints=1)
    services.do_decide_threshold(
        actor=coordinator,
        review=review,
        decided_on=date(2025, 3, 10),
        met=False,
        reason="One complaint was reported in the six months before the application.",
    )
    text = _docx_text(client_for(coordinator).get(_url("outcome_docx", review)).content)
    assert "decided on 10 March 2025 that it is not met" in text
    assert "One complaint was reported in the six months" in text


def test_the_outcome_letter_after_a_review_lists_its_recommendations(
    client_for, coordinator, make_review
):
    review = make_review(complaints=3)
    services.do_decide_threshold(
        actor=coordinator, review=review, decided_on=date(2025, 3, 10), met=True
    )
    review.refresh_from_db()
    services.do_record_review_meeting(
        actor=coordinator,
        review=review,
        held_on=date(2025, 3, 20),
        outcome="The noise was not followed up after the first visit.",
    )
    services.do_add_recommendation(
        actor=coordinator,
        review=review,
        agency=AgencyFactory(name="Orbit Housing", kind="housing"),
        text="Install noise monitoring in flat 4",
        due_on=date(2025, 4, 30),
    )
    response = client_for(coordinator).get(_url("outcome_docx", review))
    text = _docx_text(response.content)
    assert "was held on 20 March 2025" in text
    assert "The noise was not followed up" in text
    assert "Orbit Housing: Install noise monitoring in flat 4 (by 30 April 2025)" in text
    page = client_for(coordinator).get(reverse("casereview:review_detail", args=[review.pk]))
    assert _url("outcome_pdf", review) in page.content.decode()


def test_an_administrator_who_may_not_see_the_applicant_gets_no_letter(
    client_for, admin, make_review
):
    review = make_review()
    page = client_for(admin).get(reverse("casereview:review_detail", args=[review.pk]))
    assert _url("acknowledgement_pdf", review) not in page.content.decode()
    response = client_for(admin).get(_url("acknowledgement_pdf", review))
    assert response.status_code == 403
    assert b"Jean" not in response.content


@pytest.mark.parametrize("name", LETTERS)
def test_a_practitioner_is_refused_and_an_anonymous_visitor_sent_to_sign_in(
    client_for, practitioner, make_review, name
):
    review = make_review()
    assert client_for(practitioner).get(_url(name, review)).status_code == 403
    response = Client().get(_url(name, review))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", LETTERS)
def test_an_unknown_application_is_not_found(client_for, coordinator, name):
    url = reverse(f"casereview:{name}", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(coordinator).get(url).status_code == 404
