"""The NRM pages as the co-ordinator, a voting member, the guardian, a first responder, an
outsider and an anonymous visitor; every view of a child's record audited."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from csphub.audit.models import AuditEvent
from csphub.nrm import services
from csphub.nrm.choices import DecisionKind, Outcome
from csphub.nrm.models import Referral
from tests.nrm.conftest import taken_on, votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(nrm):
    referral = taken_on(nrm)
    decision = services.do_record_decision(
        actor=nrm.coordinator,
        referral=referral,
        kind=DecisionKind.RG,
        meeting=nrm.meeting,
        decided_on=date(2023, 3, 14),
        outcome=Outcome.POSITIVE,
        chair=nrm.officer,
        votes=votes(nrm),
    )
    minute = services.do_write_minute(
        actor=nrm.coordinator,
        decision=decision,
        evidence=[{"item": "Intelligence report", "source": "Met Police"}],
        credibility="Consistent account given to the guardian.",
        trauma_informed="Disclosure delayed by fear of reprisal.",
        reasons="",
    )
    return referral, decision, minute


def test_the_coordinator_members_and_guardian_see_the_referral(nrm, decided, client_for):
    referral, _, _ = decided
    url = reverse("nrm:referral_detail", kwargs={"referral_id": referral.pk})
    for user in (nrm.coordinator, nrm.officer, nrm.ictg):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert "Not required: child" in response.content.decode()
    assert (
        AuditEvent.objects.filter(verb="nrm.referral_viewed", target_id=str(referral.pk)).count()
        == 3
    )


def test_only_the_coordinator_records_decisions_on_the_pages(nrm, decided, client_for):
    referral, _, _ = decided
    url = reverse("nrm:decision_create", kwargs={"referral_id": referral.pk})
    assert client_for(nrm.coordinator).get(url).status_code == 200
    # A role without the co-ordinator's permission is refused the page whatever the id.
    assert client_for(nrm.officer).get(url).status_code == 403
    assert client_for(nrm.ictg).get(url).status_code == 403


def test_a_first_responder_sees_their_referrals_status_only(nrm, decided, client_for):
    referral, _, minute = decided
    client = client_for(nrm.first_responder)
    mine = client.get(reverse("nrm:my_referrals")).content.decode()
    assert referral.reference in mine and "Reasonable Grounds: Positive" in mine
    assert "Kai" not in mine  # the child's name stays with the panel
    detail = reverse("nrm:referral_detail", kwargs={"referral_id": referral.pk})
    assert client.get(detail).status_code == 404
    pdf = reverse("nrm:minute_pdf", kwargs={"minute_id": minute.pk})
    assert client.get(pdf).status_code == 404
    assert AuditEvent.objects.filter(
        verb="nrm.referral_view_refused", actor=nrm.first_responder
    ).exists()
    assert reference_not_in_list(client, referral)


def reference_not_in_list(client, referral: Referral) -> bool:
    return referral.reference not in client.get(reverse("nrm:referral_list")).content.decode()


def test_an_outsider_is_refused_everything(nrm, decided, client_for):
    referral, decision, minute = decided
    client = client_for(nrm.outsider)
    for name, kwargs in [
        ("nrm:referral_detail", {"referral_id": referral.pk}),
        ("nrm:minute_pdf", {"minute_id": minute.pk}),
        ("nrm:minute_edit", {"decision_id": decision.pk}),
        ("nrm:audit_pack", {"decision_id": decision.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code in (403, 404), name
    assert referral.reference not in client.get(reverse("nrm:my_referrals")).content.decode()
    assert reference_not_in_list(client, referral)


def test_an_anonymous_visitor_is_sent_to_sign_in(nrm, decided, client):
    referral, _, _ = decided
    url = reverse("nrm:referral_detail", kwargs={"referral_id": referral.pk})
    response = client.get(url)
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_a_voting_member_signs_off_on_the_page_and_the_coordinator_issues(nrm, decided, client_for):
    _, _, minute = decided
    sign = reverse("nrm:minute_sign_off", kwargs={"minute_id": minute.pk})
    client_for(nrm.ictg).post(sign)
    minute.refresh_from_db()
    assert minute.signed_off_at is None
    client_for(nrm.nurse).post(sign)
    client_for(nrm.coordinator).post(reverse("nrm:minute_issue", kwargs={"minute_id": minute.pk}))
    minute.refresh_from_db()
    assert minute.signed_off_by == nrm.nurse and minute.issued_at is not None


def test_the_minute_pdf_reads_back(nrm, decided, client_for):
    _, _, minute = decided
    response = client_for(nrm.officer).get(
        reverse("nrm:minute_pdf", kwargs={"minute_id": minute.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Disclosure delayed by fear of reprisal." in text
    assert "Intelligence report" in text and "OFFICIAL-SENSITIVE" in text
    assert AuditEvent.objects.filter(verb="nrm.minute_exported", target_id=str(minute.pk)).exists()


def test_a_first_responder_refers_on_the_page(nrm, client_for):
    client = client_for(nrm.first_responder)
    response = client.post(
        reverse("nrm:refer"),
        {
            "panel": nrm.panel.pk,
            "given_name": "Remi",
            "family_name": "Page",
            "date_of_birth": "01/09/2008",
            "gender": "male",
            "nationality": "British",
            "exploitation_types": ["criminal"],
            "county_lines": "on",
            "exploited_where": "uk",
            "first_responder_type": "police",
            "first_responder_officer": "PC Responder",
            "received_on": "01/03/2023",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get(child__given_name="Remi")
    assert (
        referral.eligible and referral.county_lines and referral.referred_by == nrm.first_responder
    )


def test_figures_page_and_return_for_the_coordinator_not_an_outsider(nrm, decided, client_for):
    page = client_for(nrm.coordinator).get(reverse("nrm:figures"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert client_for(nrm.outsider).get(reverse("nrm:figures")).status_code == 403


def test_the_coordinator_sets_the_rg_due_days_and_a_comparator(nrm, client_for):
    from csphub.nrm.models import Comparator, NrmSettings

    client = client_for(nrm.coordinator)
    response = client.post(
        reverse("nrm:settings", kwargs={"slug": nrm.panel.slug}),
        {"rg_due_days": "30", "sca_target_working_days": "5", "cg_warning_days": "30"},
    )
    assert response.status_code == 302
    assert NrmSettings.objects.get(panel=nrm.panel).rg_due_days == 30
    client.post(
        reverse("nrm:comparator_create"),
        {
            "label": "Pilot areas, 2026",
            "measure": "final",
            "days": "88.5",
            "definition": "Average days to a final decision in the pilot areas.",
            "source": "Home Office",
        },
    )
    assert Comparator.objects.filter(label="Pilot areas, 2026", days=88.5).exists()
    page = client.get(reverse("nrm:figures")).content.decode()
    assert "Pilot areas, 2026: 88.5 days" in page
    assert "Average days to a final decision in the pilot areas." in page
    # A member who does not co-ordinate the panel is refused both.
    assert client_for(nrm.officer).get(reverse("nrm:comparator_create")).status_code == 403
    other = client_for(nrm.outsider).get(reverse("nrm:settings", kwargs={"slug": nrm.panel.slug}))
    assert other.status_code in (403, 404)
