"""Panel pages, dashboards (suppressed), offending before and after, and what stays private."""

import logging
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.models import Case
from csphub.panels.reports import before_after, cohort_offending, panel_dashboard
from tests.factories import CaseFactory, OffenceFactory, PersonFactory, PlaceFactory

PANEL_PAGES = ["panels:panel_list", "panels:panel_detail"]


def _url(name, world):
    return reverse(name) if name == "panels:panel_list" else reverse(name, args=[world.vip.slug])


@pytest.mark.parametrize("page", PANEL_PAGES)
@pytest.mark.parametrize("who", ["owner", "member", "coordinator", "outsider", "executive"])
def test_panels_are_listed_for_every_role_that_works_with_them(client_for, world, page, who):
    response = client_for(getattr(world, who)).get(_url(page, world))
    assert response.status_code == 200
    assert world.vip.name in response.content.decode()


@pytest.mark.parametrize("page", [*PANEL_PAGES, "panels:panel_dashboard"])
def test_anonymous_cannot_open_panel_pages(client, world, page):
    assert client.get(_url(page, world)).status_code == 302


def test_pending_referrals_are_shown_only_to_the_coordinator(client_for, world):
    case = services.do_refer(
        actor=world.owner,
        panel=world.vip,
        owning_agency=world.childrens,
        person=PersonFactory(),
        role="victim",
        reason_category="other",
        reason="r",
        consent_given=True,
        risk_level="low",
    )
    url = _url("panels:panel_detail", world)
    assert case.reference in client_for(world.coordinator).get(url).content.decode()
    assert case.reference not in client_for(world.member).get(url).content.decode()


@pytest.mark.parametrize(
    "who,status", [("executive", 200), ("coordinator", 200), ("owner", 403), ("outsider", 403)]
)
def test_dashboard_is_for_aggregate_readers(client_for, world, who, status):
    assert (
        client_for(getattr(world, who))
        .get(reverse("panels:panel_dashboard", args=[world.vip.slug]))
        .status_code
        == status
    )


def test_dashboard_suppresses_small_counts(client_for, world):
    for _ in range(6):
        CaseFactory(panel=world.vip, risk_level="high", owning_agency=world.police)
    CaseFactory(panel=world.vip, risk_level="low", owning_agency=world.police)
    CaseFactory(panel=world.vip, status="closed", closure_outcome="risk_reduced")
    data = panel_dashboard(world.vip)
    risk = next(f for f in data["figures"] if f.title == "Open cases by risk")
    assert dict(risk.rows) == {"Low": "<5", "Medium": "<5", "High": "6"}  # world.case is medium
    assert risk.total == "8"
    outcomes = next(f for f in data["figures"] if f.title == "Outcomes at closure")
    assert outcomes.rows[0][1] == "<5"
    page = (
        client_for(world.executive)
        .get(reverse("panels:panel_dashboard", args=[world.vip.slug]))
        .content.decode()
    )
    assert "&lt;5" in page and world.case.reference not in page


def test_dashboard_counts_places_by_ward_from_their_lsoa(world):
    # Real codes: Bexley 004A and 005B are in Erith; the ward typed in is not trusted over them.
    for code in ["E01000403", "E01000402", "E01000403", "E01000402", "E01000403"]:
        CaseFactory(panel=world.vip).subjects.create(
            place=PlaceFactory(lsoa_code=code, ward_name="Bexleyheath"), role="location"
        )
    figure = next(f for f in panel_dashboard(world.vip)["figures"] if "ward" in f.title)
    assert dict(figure.rows) == {"Erith": "5"}
    assert "approximate" in figure.title


def test_dashboard_falls_back_to_the_recorded_ward_then_the_lsoa(world):
    for _ in range(5):
        CaseFactory(panel=world.vip).subjects.create(
            place=PlaceFactory(lsoa_code="E01001000", ward_name="Woolwich Arsenal"),
            role="location",
        )
        CaseFactory(panel=world.vip).subjects.create(
            place=PlaceFactory(lsoa_code="E01001001", ward_name=""), role="location"
        )
    figure = next(f for f in panel_dashboard(world.vip)["figures"] if "ward" in f.title)
    assert dict(figure.rows) == {"Woolwich Arsenal": "5", "E01001001": "5"}


def test_before_after_counts_and_weights_twelve_months_either_side():
    pivot = date(2024, 6, 1)
    offences = [
        OffenceFactory.build(
            offence_date=pivot - timedelta(days=400), harm_weight=100
        ),  # too early
        OffenceFactory.build(offence_date=pivot - timedelta(days=30), harm_weight=120),
        OffenceFactory.build(offence_date=pivot - timedelta(days=1), harm_weight=None),
        OffenceFactory.build(offence_date=pivot, harm_weight=20),
    ]
    result = before_after(offences, pivot, today=date(2025, 6, 1))
    assert (result.before_count, result.after_count) == (2, 1)
    assert (result.before_harm, result.after_harm) == (120, 20)
    assert result.after_complete is True


def test_cohort_offending_is_suppressed_for_small_cohorts(world):
    referred = timezone.localdate(world.case.referred_at)
    OffenceFactory(person=world.person, offence_date=referred - timedelta(days=10))
    result = cohort_offending(world.vip, today=referred + timedelta(days=400))
    assert result["people_shown"] is False
    assert result["before"] == "<5" and result["before_harm"] == "[c]"


def test_cohort_offending_adds_up_a_larger_cohort(world):
    referred = []
    for _ in range(5):
        person = PersonFactory()
        case = CaseFactory(panel=world.vip, subject=person)
        day = timezone.localdate(case.referred_at)
        referred.append(day)
        for delta in (-100, -50):
            OffenceFactory(person=person, offence_date=day + timedelta(days=delta), harm_weight=10)
    result = cohort_offending(world.vip, today=max(referred) + timedelta(days=400))
    assert (result["before"], result["after"], result["before_harm"]) == ("10", "0", "100")


def test_nothing_personal_in_urls_audit_payloads_or_logs(client_for, world, caplog):
    caplog.set_level(logging.DEBUG)
    owner = client_for(world.owner)
    response = owner.post(
        reverse("panels:refer"),
        {
            "panel": world.vip.pk,
            "given_name": "Keisha",
            "family_name": "Baptiste",
            "date_of_birth": "02/09/2008",
            "gender": "female",
            "ethnicity": "black",
            "address": "7 Lodge Lane",
            "role": "victim",
            "reason_category": "serious_violence",
            "reason": "Assaulted near the station",
            "consent_given": "no",
            "lawful_basis": "safeguarding",
            "override_reason": "Parent is the suspect",
            "risk_level": "high",
            "confirm_new": "on",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(subjects__person__family_name="Baptiste")
    person = case.subjects.get().person
    owner.post(reverse("people:person_reveal", args=[person.reference]), {"reason": "Home visit"})
    owner.get(reverse("panels:case_detail", args=[case.pk]))
    urls = [response.url, reverse("people:person_detail", args=[person.reference])]
    for text in [
        *urls,
        *(str(e.payload) + e.target_id for e in AuditEvent.objects.all()),
        caplog.text,
    ]:
        for secret in ("Keisha", "Baptiste", "2008-09-02", "Lodge Lane", "Parent is the suspect"):
            assert secret not in text
    assert str(person) == person.reference and str(case) == case.reference


def test_dashboard_uses_meetings_for_first_discussion_and_overdue_actions(world):
    from csphub.meetings.models import Action, AgendaItem, Meeting

    now = timezone.now()
    earlier = Meeting.objects.create(panel=world.vip, scheduled_for=now - timedelta(days=20))
    later = Meeting.objects.create(panel=world.vip, scheduled_for=now - timedelta(days=5))
    for days in (30, 31, 32, 33, 34):
        case = CaseFactory(panel=world.vip)
        Case.objects.filter(pk=case.pk).update(referred_at=now - timedelta(days=days))
        AgendaItem.objects.create(meeting=earlier, case=case, reason="new_referral")
        AgendaItem.objects.create(meeting=later, case=case, reason="review_due")
    for due, status in [(-3, "open"), (-1, "in_progress"), (-2, "done"), (4, "open")]:
        Action.objects.create(
            meeting=later,
            description="Visit",
            owning_agency=world.police,
            owner=world.member,
            due_on=timezone.localdate() + timedelta(days=due),
            status=status,
        )
    data = panel_dashboard(world.vip)
    assert data["first_discussion_cases"] == 5
    assert data["first_discussion_median"] == 12  # referred 30-34 days ago, first met 20 days ago
    assert data["overdue_actions"] == 2
    assert data["overdue_actions_shown"] is False  # 2 is a small number: shown as <5
