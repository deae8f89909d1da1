"""Every edit form of a meeting and its actions refuses a stale save (409) and changes nothing."""

import pytest
from django.urls import reverse

from csphub.accounts.roles import COORDINATOR
from csphub.panels.choices import MembershipRole
from tests.factories import MembershipFactory
from tests.stale_saves import row, save_both


@pytest.fixture
def second_coordinator(make_user, minuted):
    user = make_user(COORDINATOR, agency=minuted.council)
    MembershipFactory(panel=minuted.panel, user=user, role=MembershipRole.COORDINATOR)
    return user


def test_an_owners_done_is_not_overwritten_by_an_older_form(client_for, minuted):
    save_both(
        client_for(minuted.member),  # the owner
        client_for(minuted.coordinator),  # had the action open from before
        reverse("meetings:action_detail", args=[minuted.action.pk]),
        {"status": "done", "note": "Visited on Tuesday"},
        {"status": "in_progress", "note": "Chasing"},
        lambda: row(minuted.action),
    )
    minuted.action.refresh_from_db()
    assert (minuted.action.status, minuted.action.update_note) == ("done", "Visited on Tuesday")


def test_attendance_saved_over_by_an_older_form_is_refused(client_for, minuted, second_coordinator):
    police, council = minuted.police.pk, minuted.council.pk

    def attendance(status, rep):
        return {
            f"person_{minuted.coordinator.pk}": "present",
            f"person_{minuted.member.pk}": status,
            f"person_{second_coordinator.pk}": "apologies",
            f"status_{police}": status,
            f"rep_{police}": rep,
            f"status_{council}": "present",
            f"rep_{council}": "Sam",
        }

    save_both(
        client_for(minuted.coordinator),
        client_for(second_coordinator),
        reverse("meetings:attendance_edit", args=[minuted.meeting.pk]),
        attendance("present", "PC Dana Reid"),
        attendance("absent", ""),
        lambda: (
            sorted(minuted.meeting.attendance.values_list("agency", "status", "representative"))
            + sorted(minuted.meeting.people.values_list("person", "status"))
        ),
    )
    assert minuted.meeting.attendance.get(agency=minuted.police).status == "present"
    assert minuted.meeting.people.get(person=minuted.member).status == "present"


def test_minutes_saved_over_by_an_older_form_are_refused(client_for, minuted, second_coordinator):
    save_both(
        client_for(minuted.coordinator),
        client_for(second_coordinator),
        reverse("meetings:minutes_edit", args=[minuted.meeting.pk]),
        {"minutes": "Apologies from health."},
        {"minutes": "Older notes."},
        lambda: row(minuted.meeting),
    )


def test_a_decision_saved_over_by_an_older_form_is_refused(client_for, minuted, second_coordinator):
    item = minuted.items[1]
    save_both(
        client_for(minuted.coordinator),
        client_for(second_coordinator),
        reverse("meetings:decision_edit", args=[minuted.meeting.pk, item.pk]),
        {"discussion": "", "decision": "Close the case"},
        {"discussion": "", "decision": "Keep it open"},
        lambda: (row(item), item.case.timeline.filter(kind="meeting.decision_recorded").count()),
    )
