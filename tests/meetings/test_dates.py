"""Meetings and due dates are planned within a few years: 9999 is refused with a message."""

import pytest
from django.urls import reverse

from csphub.meetings.models import Action, Meeting


@pytest.mark.parametrize("day", ["31/12/9999", "01/01/1900"])
def test_a_meeting_far_from_today_is_refused(client_for, world, day):
    response = client_for(world.coordinator).post(
        reverse("meetings:meeting_create"),
        {"panel": world.panel.pk, "on": day, "at": "14:00", "location": "Room 2"},
    )
    assert response.status_code == 200
    assert "The meeting date must be the same as or " in response.content.decode()
    assert Meeting.objects.count() == 1  # the world's own meeting


def test_an_action_due_in_9999_is_refused(client_for, minuted):
    item = minuted.items[0]
    response = client_for(minuted.coordinator).post(
        reverse("meetings:action_create", args=[minuted.meeting.pk, item.pk]),
        {
            "description": "Visit",
            "owning_agency": minuted.police.pk,
            "owner": minuted.member.pk,
            "due_on": "31/12/9999",
        },
    )
    assert response.status_code == 200
    assert "The due date must be the same as or before" in response.content.decode()
    assert Action.objects.count() == 1  # the fixture's own action
