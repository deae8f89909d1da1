"""A case escalated or referred to a panel is on its next meeting's agenda as a new referral
while the panel has still to decide, by its reference only, and only for those who may see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from csphub.meetings import services
from csphub.meetings.choices import AgendaReason
from csphub.panels.choices import CaseStatus, TransitionKind, TransitionStatus
from csphub.panels.models import Transition
from tests.factories import AgencyFactory, CaseFactory, PanelFactory, TransitionFactory
from tests.meetings.conftest import MEETING_DAY, at


@pytest.fixture
def escalated(world):
    """An ASB panel's case, owned by housing, escalated to the meeting's panel: pending."""
    asb = PanelFactory(name="ASB Case Management Panel", slug="asb")
    case = CaseFactory(
        panel=asb, status=CaseStatus.ACTIVE, owning_agency=AgencyFactory(name="Housing")
    )
    world.escalation = TransitionFactory(
        case=case,
        kind=TransitionKind.ESCALATION,
        status=TransitionStatus.PENDING,
        from_panel=asb,
        to_panel=world.panel,
        reason="Escalating: knife seen at the youth club.",
    )
    world.escalated = case
    return world


def _agenda(w, meeting=None):
    return [(c, r) for c, r in services.agenda_candidates(meeting or w.meeting) if c == w.escalated]


def test_a_pending_escalation_to_the_panel_is_a_new_referral_on_its_agenda(escalated):
    items = services.do_generate_agenda(actor=escalated.coordinator, meeting=escalated.meeting)
    assert [(i.case, i.reason) for i in items] == [
        (escalated.new_referral, AgendaReason.NEW_REFERRAL),
        (escalated.escalated, AgendaReason.NEW_REFERRAL),
        (escalated.due, AgendaReason.REVIEW_DUE),
    ]
    # Generating again does not add it twice.
    assert services.do_generate_agenda(actor=escalated.coordinator, meeting=escalated.meeting) == []


@pytest.mark.parametrize(
    "status", [TransitionStatus.ACCEPTED, TransitionStatus.REJECTED, TransitionStatus.WITHDRAWN]
)
def test_a_decided_or_withdrawn_escalation_is_not_on_the_agenda(escalated, status):
    Transition.objects.filter(pk=escalated.escalation.pk).update(status=status)
    assert _agenda(escalated) == []


def test_a_closed_case_or_a_request_to_another_panel_is_not_on_the_agenda(escalated):
    Transition.objects.filter(pk=escalated.escalation.pk).update(to_panel=PanelFactory(slug="x"))
    assert _agenda(escalated) == []
    Transition.objects.filter(pk=escalated.escalation.pk).update(to_panel=escalated.panel)
    escalated.escalated.status = CaseStatus.CLOSED
    escalated.escalated.save()
    assert _agenda(escalated) == []


def test_once_decided_at_the_panels_meeting_it_is_not_new_again(escalated):
    items = services.do_generate_agenda(actor=escalated.coordinator, meeting=escalated.meeting)
    item = next(i for i in items if i.case == escalated.escalated)
    services.do_record_decision(
        actor=escalated.coordinator, item=item, discussion="", decision="Accept the escalation"
    )
    later = services.do_schedule_meeting(
        actor=escalated.coordinator,
        panel=escalated.panel,
        scheduled_for=at(MEETING_DAY + timedelta(days=28)),
    )
    assert _agenda(escalated, later) == []


def test_the_agenda_names_the_escalated_case_only_to_who_may_open_it(client_for, escalated):
    services.do_generate_agenda(actor=escalated.coordinator, meeting=escalated.meeting)
    person = escalated.escalated.subjects.get().person
    url = reverse("meetings:meeting_detail", args=[escalated.meeting.pk])
    for user in (escalated.coordinator, escalated.member):
        html = client_for(user).get(url).content.decode()
        # Until the panel's co-ordinator accepts it, only they see the case at all, and so
        # only they see whom it is about.
        opens = user == escalated.coordinator
        assert (f"Case {escalated.escalated.reference}" in html) == opens
        assert (f"{person.given_name} {person.family_name}" in html) == opens
        for secret in (
            escalated.escalated.summary,
            "knife seen at the youth club",
        ):
            assert secret not in html
    docx_url = reverse("meetings:minutes_docx", args=[escalated.meeting.pk])
    assert client_for(escalated.member).get(docx_url).status_code == 200


def test_a_rejected_escalation_drops_out_of_the_panels_view(client_for, escalated):
    services.do_generate_agenda(actor=escalated.coordinator, meeting=escalated.meeting)
    Transition.objects.filter(pk=escalated.escalation.pk).update(status=TransitionStatus.REJECTED)
    url = reverse("meetings:meeting_detail", args=[escalated.meeting.pk])
    for user in (escalated.coordinator, escalated.member):
        html = client_for(user).get(url).content.decode()
        assert escalated.escalated.reference not in html
        assert escalated.new_referral.reference in html


def test_outsiders_and_the_sending_panels_members_do_not_see_the_receiving_meeting(
    client_for, escalated
):
    services.do_generate_agenda(actor=escalated.coordinator, meeting=escalated.meeting)
    url = reverse("meetings:meeting_detail", args=[escalated.meeting.pk])
    for user in (escalated.outsider, escalated.other_coordinator):
        response = client_for(user).get(url)
        assert response.status_code == 404
        assert escalated.escalated.reference.encode() not in response.content
