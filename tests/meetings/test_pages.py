"""Every meeting page as co-ordinator (owner), panel member (colleague), outsider and anonymous."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csphub.accounts.roles import PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.meetings import services
from csphub.meetings.models import Action, AgendaItem, Attendance, Meeting
from csphub.panels.choices import CaseStatus, TransitionKind, TransitionStatus
from tests.factories import CaseFactory, MembershipFactory, PanelFactory, TransitionFactory
from tests.meetings.conftest import MEETING_DAY


def _urls(w):
    m, item = w.meeting.pk, w.items[0].pk
    return {
        "meeting_detail": reverse("meetings:meeting_detail", args=[m]),
        "attendance_edit": reverse("meetings:attendance_edit", args=[m]),
        "minutes_edit": reverse("meetings:minutes_edit", args=[m]),
        "decision_edit": reverse("meetings:decision_edit", args=[m, item]),
        "action_create": reverse("meetings:action_create", args=[m, item]),
        "minutes_pdf": reverse("meetings:minutes_pdf", args=[m]),
        "minutes_docx": reverse("meetings:minutes_docx", args=[m]),
        "action_detail": reverse("meetings:action_detail", args=[w.action.pk]),
        "panel_overdue": reverse("meetings:panel_overdue", args=[w.panel.pk]),
    }


RUN_PAGES = ["attendance_edit", "minutes_edit", "decision_edit", "action_create"]
VIEW_PAGES = ["meeting_detail", "minutes_pdf", "minutes_docx"]


@pytest.mark.parametrize("page", [*RUN_PAGES, *VIEW_PAGES, "action_detail", "panel_overdue"])
def test_coordinator_opens_every_page(client_for, minuted, page):
    assert client_for(minuted.coordinator).get(_urls(minuted)[page]).status_code == 200


@pytest.mark.parametrize("page", VIEW_PAGES)
def test_panel_member_sees_the_meeting_and_its_minutes(client_for, minuted, page):
    assert client_for(minuted.member).get(_urls(minuted)[page]).status_code == 200


@pytest.mark.parametrize("page", RUN_PAGES)
def test_panel_member_cannot_run_the_meeting(client_for, minuted, page):
    # Practitioners hold no run_meetings permission: the page is refused outright.
    assert client_for(minuted.member).get(_urls(minuted)[page]).status_code == 403


@pytest.mark.parametrize("page", [*RUN_PAGES, *VIEW_PAGES, "panel_overdue"])
def test_coordinator_of_another_panel_gets_not_found(client_for, minuted, page):
    assert client_for(minuted.other_coordinator).get(_urls(minuted)[page]).status_code == 404


@pytest.mark.parametrize("page", [*VIEW_PAGES, "action_detail"])
def test_outsider_gets_not_found(client_for, minuted, page):
    response = client_for(minuted.outsider).get(_urls(minuted)[page])
    assert response.status_code == 404
    assert b"Joint home visit" not in response.content


@pytest.mark.parametrize("page", [*RUN_PAGES, *VIEW_PAGES, "action_detail", "panel_overdue"])
def test_anonymous_visitor_is_sent_to_sign_in(minuted, page):
    response = Client().get(_urls(minuted)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_generate_agenda_is_post_only_and_for_the_coordinator(client_for, world):
    url = reverse("meetings:agenda_generate", args=[world.meeting.pk])
    assert client_for(world.coordinator).get(url).status_code == 405
    assert client_for(world.other_coordinator).post(url).status_code == 404
    assert client_for(world.member).post(url).status_code == 403
    response = client_for(world.coordinator).post(url)
    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=world.meeting).count() == 2


def test_meeting_list_shows_only_my_panels_meetings(client_for, world):
    other = Meeting.objects.create(
        panel=PanelFactory(slug="asb"), scheduled_for=world.meeting.scheduled_for
    )
    html = client_for(world.member).get(reverse("meetings:meeting_list")).content.decode()
    assert reverse("meetings:meeting_detail", args=[world.meeting.pk]) in html
    assert reverse("meetings:meeting_detail", args=[other.pk]) not in html
    assert client_for(world.outsider).get(reverse("meetings:meeting_list")).status_code == 200


def test_meeting_list_filters_by_panel_within_what_the_user_may_see(client_for, world):
    other = Meeting.objects.create(
        panel=PanelFactory(slug="asb"), scheduled_for=world.meeting.scheduled_for
    )
    url = reverse("meetings:meeting_list")
    member = client_for(world.member)
    html = member.get(url, {"panel": "vip"}).content.decode()
    assert reverse("meetings:meeting_detail", args=[world.meeting.pk]) in html
    # Asking for a panel the member does not sit on shows nothing, not that panel's meetings.
    html = member.get(url, {"panel": "asb"}).content.decode()
    assert reverse("meetings:meeting_detail", args=[other.pk]) not in html
    panel_page = member.get(reverse("panels:panel_detail", args=["vip"])).content.decode()
    assert f"{url}?panel=vip" in panel_page


def test_coordinator_schedules_a_meeting(client_for, world):
    response = client_for(world.coordinator).post(
        reverse("meetings:meeting_create"),
        {
            "panel": world.panel.pk,
            "on": "24/03/2026",
            "at": "10:00",
            "location": "Teams",
        },
    )
    meeting = Meeting.objects.exclude(pk=world.meeting.pk).get()
    assert response["Location"] == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert meeting.meeting_date.isoformat() == "2026-03-24"
    assert meeting.chair == world.coordinator


def test_coordinator_cannot_schedule_for_a_panel_they_do_not_run(client_for, world):
    response = client_for(world.other_coordinator).post(
        reverse("meetings:meeting_create"),
        {
            "panel": world.panel.pk,
            "on": "24/03/2026",
            "at": "10:00",
        },
    )
    assert response.status_code == 200
    assert Meeting.objects.count() == 1


def test_coordinator_records_attendance_minutes_decision_and_action(client_for, world):
    client = client_for(world.coordinator)
    client.post(reverse("meetings:agenda_generate", args=[world.meeting.pk]))
    item = world.meeting.items.first()
    client.post(
        reverse("meetings:attendance_edit", args=[world.meeting.pk]),
        {
            f"status_{world.police.pk}": "present",
            f"rep_{world.police.pk}": "PC Reid",
            f"status_{world.council.pk}": "apologies",
            f"rep_{world.council.pk}": "",
            f"person_{world.coordinator.pk}": "present",
            f"person_{world.member.pk}": "present",
            "version": 1,
        },
    )
    client.post(
        reverse("meetings:minutes_edit", args=[world.meeting.pk]),
        {"minutes": "Patrol plans shared.", "version": 1},
    )
    client.post(
        reverse("meetings:decision_edit", args=[world.meeting.pk, item.pk]),
        {"discussion": "Risk discussed", "decision": "Accepted", "version": 1},
    )
    response = client.post(
        reverse("meetings:action_create", args=[world.meeting.pk, item.pk]),
        {
            "description": "Visit the family",
            "owning_agency": world.police.pk,
            "owner": world.member.pk,
            "due_on": "24/03/2026",
        },
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("agency__name", "status")) == {
        world.police.name: "present",
        world.council.name: "apologies",
    }
    world.meeting.refresh_from_db()
    item.refresh_from_db()
    assert world.meeting.minutes == "Patrol plans shared."
    assert item.decision == "Accepted"
    assert Action.objects.get().owner == world.member


def test_action_with_an_owner_from_another_agency_is_refused_with_a_message(client_for, world):
    client = client_for(world.coordinator)
    client.post(reverse("meetings:agenda_generate", args=[world.meeting.pk]))
    item = world.meeting.items.first()
    response = client.post(
        reverse("meetings:action_create", args=[world.meeting.pk, item.pk]),
        {
            "description": "Visit",
            "owning_agency": world.council.pk,
            "owner": world.member.pk,
            "due_on": "24/03/2026",
        },
    )
    assert response.status_code == 200
    assert "must work for the agency" in response.content.decode()
    assert not Action.objects.exists()


def test_action_owner_updates_it_from_your_actions(client_for, minuted):
    client = client_for(minuted.member)
    page = client.get(reverse("meetings:my_actions")).content.decode()
    assert reverse("meetings:action_detail", args=[minuted.action.pk]) in page
    client.post(
        reverse("meetings:action_detail", args=[minuted.action.pk]),
        {"status": "done", "note": "Visited on Tuesday", "version": 1},
    )
    minuted.action.refresh_from_db()
    assert minuted.action.status == "done"


def test_your_actions_lists_nothing_of_anyone_else(client_for, minuted):
    html = client_for(minuted.outsider).get(reverse("meetings:my_actions")).content.decode()
    assert "Joint home visit" not in html
    assert reverse("meetings:action_detail", args=[minuted.action.pk]) not in html


def test_panel_overdue_list_shows_overdue_actions_only(client_for, minuted):
    Action.objects.filter(pk=minuted.action.pk).update(
        due_on=minuted.action.due_on - timedelta(days=400)
    )
    html = (
        client_for(minuted.coordinator)
        .get(reverse("meetings:panel_overdue", args=[minuted.panel.pk]))
        .content.decode()
    )
    assert reverse("meetings:action_detail", args=[minuted.action.pk]) in html
    Action.objects.filter(pk=minuted.action.pk).update(status="done")
    html = (
        client_for(minuted.coordinator)
        .get(reverse("meetings:panel_overdue", args=[minuted.panel.pk]))
        .content.decode()
    )
    assert reverse("meetings:action_detail", args=[minuted.action.pk]) not in html


def test_a_case_escalated_away_drops_out_of_the_old_panels_meeting_for_members(client_for, minuted):
    # The case moves to another panel and agency: the old panel's members may no longer see it.
    case = minuted.items[0].case
    case.owning_agency = minuted.council
    crest = PanelFactory(slug="crest")
    TransitionFactory(
        case=case,
        kind=TransitionKind.ESCALATION,
        status=TransitionStatus.ACCEPTED,
        from_panel=minuted.panel,
        to_panel=crest,
    )
    case.panel = crest
    case.status = CaseStatus.ACTIVE
    case.save()
    html = (
        client_for(minuted.member)
        .get(reverse("meetings:meeting_detail", args=[minuted.meeting.pk]))
        .content.decode()
    )
    assert case.reference not in html
    assert minuted.items[1].case.reference in html


def test_home_page_card_counts_the_users_own_overdue_actions(client_for, minuted):
    Action.objects.filter(pk=minuted.action.pk).update(due_on=date(2020, 1, 1))
    html = client_for(minuted.member).get(reverse("core:home")).content.decode()
    assert "Meetings and your actions" in html
    assert re.search(r"Your overdue actions</dt><dd[^>]*>1<", html)
    outsider = client_for(minuted.outsider).get(reverse("core:home")).content.decode()
    assert re.search(r"Your overdue actions</dt><dd[^>]*>0<", outsider)


def _meeting_with_items(world, n):
    for _ in range(n):
        CaseFactory(panel=world.panel, status=CaseStatus.REFERRED, owning_agency=world.police)
    items = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    for item in items:
        services.do_create_action(
            actor=world.coordinator,
            meeting=world.meeting,
            item=item,
            description="Visit",
            owning_agency=world.police,
            owner=world.member,
            due_on=MEETING_DAY + timedelta(days=22),
        )
    return len(items)


def test_meeting_page_and_exports_queries_do_not_grow_with_the_agenda(client_for, world):
    client = client_for(world.member)
    urls = [
        reverse(name, args=[world.meeting.pk])
        for name in ("meetings:meeting_detail", "meetings:minutes_docx", "meetings:minutes_pdf")
    ]
    _meeting_with_items(world, 1)

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    small = queries()
    assert _meeting_with_items(world, 8) == 8
    assert queries() == small


@pytest.mark.parametrize(
    "name", ["meetings:meeting_list", "meetings:meeting_create", "meetings:my_actions"]
)
def test_anonymous_visitor_is_sent_to_sign_in_from_the_lists(db, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_post_to_generate_the_agenda_changes_nothing(world):
    response = Client().post(reverse("meetings:agenda_generate", args=[world.meeting.pk]))
    assert response.status_code == 302
    assert not AgendaItem.objects.exists()


def test_practitioners_may_not_schedule_or_see_overdue_lists(client_for, minuted):
    for user in (minuted.member, minuted.outsider):
        client = client_for(user)
        assert client.get(reverse("meetings:meeting_create")).status_code == 403
        url = reverse("meetings:panel_overdue", args=[minuted.panel.pk])
        assert client.get(url).status_code == 403


def test_a_colleague_on_the_panel_cannot_open_someone_elses_action(client_for, minuted, make_user):
    colleague = make_user(PRACTITIONER, agency=minuted.police)
    MembershipFactory(panel=minuted.panel, user=colleague)
    client = client_for(colleague)
    url = reverse("meetings:action_detail", args=[minuted.action.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "done"}).status_code == 404
    minuted.action.refresh_from_db()
    assert minuted.action.status == "open"
    # They still see it in the meeting's minutes, as a member of the panel.
    page = client.get(reverse("meetings:meeting_detail", args=[minuted.meeting.pk]))
    assert "Joint home visit" in page.content.decode()


def test_viewing_a_meeting_is_audited(client_for, minuted):
    client_for(minuted.member).get(reverse("meetings:meeting_detail", args=[minuted.meeting.pk]))
    event = AuditEvent.objects.get(verb="meeting.viewed")
    assert (event.actor, event.target_id) == (minuted.member, str(minuted.meeting.pk))
    # The cases whose discussion the page showed, by reference.
    assert event.payload["page"] == "meetings:meeting_detail"
    assert sorted(event.payload["cases"]) == sorted(i.case.reference for i in minuted.items)


def test_a_second_coordinator_saving_over_a_decision_is_refused_and_keeps_their_text(
    client_for, minuted, make_user
):
    from csphub.accounts.roles import COORDINATOR
    from csphub.panels.choices import MembershipRole

    second = make_user(COORDINATOR, agency=minuted.council)
    MembershipFactory(panel=minuted.panel, user=second, role=MembershipRole.COORDINATOR)
    item = minuted.items[1]
    url = reverse("meetings:decision_edit", args=[minuted.meeting.pk, item.pk])
    first_client, second_client = client_for(minuted.coordinator), client_for(second)
    # Both open the form at version 1.
    assert 'name="version" value="1"' in first_client.get(url).content.decode()
    assert 'name="version" value="1"' in second_client.get(url).content.decode()
    assert first_client.post(url, {"decision": "Close the case", "version": 1}).status_code == 302
    response = second_client.post(url, {"decision": "Keep it open", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this after you opened it" in html
    assert "Keep it open" in html and "Close the case" in html
    item.refresh_from_db()
    assert (item.decision, item.version) == ("Close the case", 2)
    # Having seen the other version, a second save is a knowing overwrite.
    assert second_client.post(url, {"decision": "Keep it open", "version": 2}).status_code == 302
    item.refresh_from_db()
    assert item.decision == "Keep it open"


def test_general_minutes_are_guarded_the_same_way(client_for, minuted):
    client = client_for(minuted.coordinator)
    url = reverse("meetings:minutes_edit", args=[minuted.meeting.pk])
    assert client.post(url, {"minutes": "First", "version": 1}).status_code == 302
    response = client.post(url, {"minutes": "Stale", "version": 1})
    assert response.status_code == 409
    minuted.meeting.refresh_from_db()
    assert minuted.meeting.minutes == "First"
