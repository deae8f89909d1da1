"""The demo loaders for meetings and case reviews: realistic, and safe to run twice."""

from io import StringIO

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from csphub.casereview.models import CaseReview
from csphub.meetings.models import Action, InformationRequest, Meeting, PersonAttendance

pytestmark = pytest.mark.slow  # loads the whole demo partnership, more than once


def _load_demo() -> str:
    out = StringIO()
    # The crime loader imports the real police files into the warehouse: it has its own tests.
    for dotted in settings.DEMO_LOADERS:
        if not dotted.startswith("csphub.crime."):
            import_string(dotted)(out)
    return out.getvalue()


def test_demo_gives_each_panel_a_past_and_an_upcoming_meeting_and_is_idempotent(db):
    _load_demo()
    meetings, actions, reviews = (
        Meeting.objects.count(),
        Action.objects.count(),
        CaseReview.objects.count(),
    )
    assert meetings >= 2 and meetings % 2 == 0
    assert reviews == 4
    assert any(a.is_overdue() for a in Action.objects.all())
    # Actions go to panel members, never to administrators or analysts.
    assert not Action.objects.filter(
        owner__email__in=["admin@bexley.demo", "analyst@bexley.demo"]
    ).exists()
    _load_demo()
    assert (Meeting.objects.count(), Action.objects.count(), CaseReview.objects.count()) == (
        meetings,
        actions,
        reviews,
    )


def test_demo_includes_an_action_for_the_meeting_itself_about_a_place(db):
    _load_demo()
    # A meeting's own actions (a plan item's milestones belong to no meeting).
    meeting_actions = Action.objects.filter(item__isnull=True, plan_item__isnull=True)
    assert meeting_actions.exists()
    assert all(a.place_id and a.theme for a in meeting_actions)


def test_demo_records_people_apologies_and_research_asked_and_given(db):
    _load_demo()
    assert PersonAttendance.objects.filter(status="present").exists()
    assert PersonAttendance.objects.filter(status="apologies").exists()
    answered = InformationRequest.objects.filter(answered_at__isnull=False)
    assert answered.exists()
    assert InformationRequest.objects.filter(answered_at__isnull=True).exists()
    # Each answer was given by a member of the asked agency.
    assert all(r.answered_by.agency_id == r.agency_id for r in answered)
