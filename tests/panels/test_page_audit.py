"""Case pages other than the case itself are audited as views of the case: its edit form, the
flag-clearing form, a transition's page (with its consent-override reason) and the case list."""

import json

import pytest
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.panels.models import CaseFlag
from tests.factories import CaseFactory, TransitionFactory


def _views():
    return list(AuditEvent.objects.filter(verb__endswith="viewed").order_by("seq"))


def _since(seq):
    """The events after SEQ (signing in is an event of its own)."""
    return [e.verb for e in AuditEvent.objects.filter(seq__gt=seq).order_by("seq")]


def _last_seq():
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _edit_url(world):
    return reverse("panels:case_edit", kwargs={"case_id": world.case.pk})


@pytest.mark.parametrize("who", ["owner", "colleague", "coordinator"])
def test_opening_the_case_edit_form_is_a_view_of_the_case(client_for, world, who):
    user = getattr(world, who)
    assert client_for(user).get(_edit_url(world)).status_code == 200
    [event] = _views()
    assert (event.verb, event.actor, event.target_type, event.target_id) == (
        "case.viewed",
        user,
        "panels.case",
        str(world.case.pk),
    )
    assert event.payload == {"page": "panels:case_edit"}


def test_an_outsider_is_refused_the_edit_form_and_records_a_refusal_not_a_view(client_for, world):
    client = client_for(world.outsider)
    before = _last_seq()
    assert client.get(_edit_url(world)).status_code == 404
    assert _since(before) == ["case.view_refused"]


def test_a_member_who_may_not_edit_is_refused_the_form_and_records_no_view(client_for, world):
    client = client_for(world.member)
    before = _last_seq()
    assert client.get(_edit_url(world)).status_code == 403
    assert _since(before) == []


def test_an_anonymous_visitor_records_nothing(client, world):
    assert client.get(_edit_url(world)).status_code == 302
    assert not AuditEvent.objects.exists()


def test_a_saved_edit_records_the_change_and_a_stale_one_the_version_it_shows(client_for, world):
    client = client_for(world.coordinator)
    world.case.refresh_from_db()
    form = {"summary": "New", "plan": "", "risk_level": "high", "version": world.case.version}
    before = _last_seq()
    assert client.post(_edit_url(world), form).status_code == 302
    assert _since(before) == ["case.updated"]
    # The same form again is stale: the page shows the version saved meanwhile, a view.
    assert client.post(_edit_url(world), {**form, "summary": "Older"}).status_code == 409
    assert [(e.verb, e.payload["page"]) for e in _views()] == [("case.viewed", "panels:case_edit")]


def test_the_flag_clearing_form_is_a_view_of_the_case_naming_the_flag(client_for, world):
    flag = CaseFlag.objects.create(
        case=world.case, kind="weapons", reason="Seen with a knife at the station"
    )
    url = reverse("panels:case_flag_clear", kwargs={"case_id": world.case.pk, "flag_id": flag.pk})
    page = client_for(world.coordinator).get(url)
    assert page.status_code == 200 and "Seen with a knife" in page.content.decode()
    [event] = _views()
    assert (event.verb, event.target_id) == ("case.viewed", str(world.case.pk))
    assert event.payload == {"page": "panels:case_flag_clear", "flag": str(flag.pk)}
    # A member who may not clear flags is refused: no view.
    assert client_for(world.member).get(url).status_code == 403
    assert len(_views()) == 1


def test_a_transitions_page_with_its_consent_override_is_audited_with_its_case(client_for, world):
    transition = TransitionFactory(
        case=world.case,
        consent_given=False,
        lawful_basis="safeguarding",
        override_reason="Parent is the suspect",
    )
    url = reverse("panels:transition_decide", kwargs={"transition_id": transition.pk})
    page = client_for(world.member).get(url)
    assert page.status_code == 200 and "Parent is the suspect" in page.content.decode()
    [event] = _views()
    assert (event.verb, event.actor, event.target_type, event.target_id) == (
        "transition.viewed",
        world.member,
        "panels.transition",
        str(transition.pk),
    )
    assert event.payload == {"page": "panels:transition_decide", "case": str(world.case.pk)}
    assert "suspect" not in json.dumps(event.payload)
    # Someone who may not see the case: its refusal, no view.
    assert client_for(world.outsider).get(url).status_code == 404
    assert len(_views()) == 1
    assert AuditEvent.objects.filter(verb="case.view_refused", actor=world.outsider).exists()


def test_the_case_list_names_the_cases_it_listed(client_for, world):
    other = CaseFactory(panel=world.crest)
    client_for(world.member).get(reverse("panels:case_list"))
    client_for(world.crest_coordinator).get(reverse("panels:case_list"))
    client_for(world.outsider).get(reverse("panels:case_list"))
    listed = {
        e.actor: e.payload["cases"] for e in AuditEvent.objects.filter(verb="case.list_viewed")
    }
    assert listed == {
        world.member: [world.case.reference],
        world.crest_coordinator: [other.reference],
        world.outsider: [],
    }
