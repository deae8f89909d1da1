"""A panel with a co-ordinator, a member, an outsider, cases and a meeting."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.meetings import services
from csphub.panels.choices import CaseStatus, MembershipRole
from tests.factories import AgencyFactory, CaseFactory, MembershipFactory, PanelFactory


def _tuesday_weeks_ahead(weeks: int) -> date:
    """A Tuesday WEEKS or so from today: the meetings are still to come (a meeting whose day is
    over takes no new agenda), always on the same weekday, so working-day sums do not shift."""
    today = date.today()
    return today + timedelta(days=(1 - today.weekday()) % 7 + 7 * weeks)


MEETING_DAY = _tuesday_weeks_ahead(6)


def at(day: date, hour: int = 14) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


@pytest.fixture
def world(make_user, police, school):
    council = AgencyFactory(name="Council Community Safety", kind="community_safety")
    panel = PanelFactory(name="Violence Intervention Panel", slug="vip")
    panel.member_agencies.add(police, council)
    coordinator = make_user(
        COORDINATOR, agency=council, full_name="Sam Okafor", email="coord@example.test"
    )
    member = make_user(
        PRACTITIONER, agency=police, full_name="Dana Reid", email="member@example.test"
    )
    outsider = make_user(
        PRACTITIONER, agency=school, full_name="Ruth Adeyemi", email="outsider@example.test"
    )
    other_coordinator = make_user(COORDINATOR, agency=council, email="other@example.test")
    MembershipFactory(panel=panel, user=coordinator, role=MembershipRole.COORDINATOR)
    MembershipFactory(panel=panel, user=member)
    MembershipFactory(
        panel=PanelFactory(slug="crest"), user=other_coordinator, role=MembershipRole.COORDINATOR
    )
    new_referral = CaseFactory(panel=panel, status=CaseStatus.REFERRED, owning_agency=police)
    due = CaseFactory(
        panel=panel, status=CaseStatus.ACTIVE, review_due=MEETING_DAY, owning_agency=police
    )
    not_due = CaseFactory(
        panel=panel,
        status=CaseStatus.ACTIVE,
        review_due=MEETING_DAY + timedelta(days=1),
        owning_agency=police,
    )
    closed = CaseFactory(
        panel=panel,
        status=CaseStatus.CLOSED,
        review_due=MEETING_DAY - timedelta(days=30),
        owning_agency=police,
    )
    elsewhere = CaseFactory(status=CaseStatus.REFERRED)
    meeting = services.do_schedule_meeting(
        actor=coordinator,
        panel=panel,
        scheduled_for=at(MEETING_DAY),
        location="Room 1",
        chair=coordinator,
    )
    return SimpleNamespace(
        panel=panel,
        coordinator=coordinator,
        member=member,
        outsider=outsider,
        other_coordinator=other_coordinator,
        police=police,
        council=council,
        meeting=meeting,
        new_referral=new_referral,
        due=due,
        not_due=not_due,
        closed=closed,
        elsewhere=elsewhere,
    )


@pytest.fixture
def minuted(world):
    """The meeting with its agenda, a decision and an action owned by the member."""
    items = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    services.do_record_decision(
        actor=world.coordinator, item=items[0], discussion="Discussed", decision="Accept and visit"
    )
    action = services.do_create_action(
        actor=world.coordinator,
        meeting=world.meeting,
        item=items[0],
        description="Joint home visit",
        owning_agency=world.police,
        owner=world.member,
        due_on=MEETING_DAY + timedelta(days=14),
    )
    world.items, world.action = items, action
    return world
