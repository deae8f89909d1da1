"""Meeting pages beyond the meeting itself are audited: a case's decision form, the minutes
form, an action's page and the lists of actions; a refused request records no view."""

import pytest
from django.urls import reverse

from csphub.audit.models import AuditEvent


def _views():
    return list(AuditEvent.objects.filter(verb__endswith="viewed").order_by("seq"))


def _decision_url(minuted):
    item = minuted.items[0]
    return reverse("meetings:decision_edit", args=[minuted.meeting.pk, item.pk])


def test_the_decision_form_is_a_view_of_the_agenda_item_naming_meeting_and_case(
    client_for, minuted
):
    item = minuted.items[0]
    page = client_for(minuted.coordinator).get(_decision_url(minuted))
    assert page.status_code == 200 and "Accept and visit" in page.content.decode()
    [event] = _views()
    assert (event.verb, event.actor, event.target_type, event.target_id) == (
        "agenda_item.viewed",
        minuted.coordinator,
        "meetings.agendaitem",
        str(item.pk),
    )
    assert event.payload == {
        "page": "meetings:decision_edit",
        "meeting": str(minuted.meeting.pk),
        "case": str(item.case_id),
    }


@pytest.mark.parametrize("who", ["member", "outsider", "other_coordinator"])
def test_the_decision_form_refused_records_no_view(client_for, minuted, who):
    assert client_for(getattr(minuted, who)).get(_decision_url(minuted)).status_code in (403, 404)
    assert _views() == []


def test_the_minutes_form_is_a_view_of_the_meeting(client_for, minuted):
    url = reverse("meetings:minutes_edit", args=[minuted.meeting.pk])
    assert client_for(minuted.coordinator).get(url).status_code == 200
    assert client_for(minuted.outsider).get(url).status_code == 403
    [event] = _views()
    assert (event.verb, event.actor, event.target_id, event.payload) == (
        "meeting.viewed",
        minuted.coordinator,
        str(minuted.meeting.pk),
        {"page": "meetings:minutes_edit"},
    )


def test_an_actions_page_is_audited_with_its_meeting_and_case(client_for, minuted):
    url = reverse("meetings:action_detail", args=[minuted.action.pk])
    page = client_for(minuted.member).get(url)
    assert page.status_code == 200 and "Joint home visit" in page.content.decode()
    assert client_for(minuted.outsider).get(url).status_code == 404
    [event] = _views()
    assert (event.verb, event.actor, event.target_type, event.target_id) == (
        "action.viewed",
        minuted.member,
        "meetings.action",
        str(minuted.action.pk),
    )
    assert event.payload == {
        "page": "meetings:action_detail",
        "meeting": str(minuted.meeting.pk),
        "case": str(minuted.action.case_id),
    }


def test_the_owners_list_of_actions_names_the_actions_listed(client_for, minuted):
    client_for(minuted.member).get(reverse("meetings:my_actions"))
    client_for(minuted.outsider).get(reverse("meetings:my_actions"))
    listed = {
        e.actor: e.payload["actions"] for e in AuditEvent.objects.filter(verb="action.list_viewed")
    }
    assert listed == {minuted.member: [str(minuted.action.pk)], minuted.outsider: []}


def test_anonymous_visitors_record_nothing(client, minuted):
    before = AuditEvent.objects.count()
    for url in (
        _decision_url(minuted),
        reverse("meetings:minutes_edit", args=[minuted.meeting.pk]),
        reverse("meetings:action_detail", args=[minuted.action.pk]),
    ):
        assert client.get(url).status_code == 302
    assert AuditEvent.objects.count() == before
