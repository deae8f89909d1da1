"""One lookup per record holding personal data: `(record, can_write)`, a 404 for anyone else,
and that refusal audited when the record exists (never when it does not)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.casereview import services as casereview_services
from csphub.casereview.lookup import review_for
from csphub.meetings import services as meeting_services
from csphub.meetings.lookup import action_for, meeting_for
from csphub.panels.choices import MembershipRole, SubjectRole
from csphub.panels.lookup import case_for, person_for, place_for
from csphub.panels.models import CaseSubject
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    MembershipFactory,
    PanelFactory,
    PlaceFactory,
)


@pytest.fixture
def records(make_user):
    police = AgencyFactory(name="Met Police", kind="police")
    council = AgencyFactory(name="Community Safety", kind="community_safety")
    school = AgencyFactory(name="Bexley Academy", kind="education")
    panel = PanelFactory(slug="vip", name="Violence Intervention Panel")
    coordinator = make_user(COORDINATOR, agency=council)
    member = make_user(PRACTITIONER, agency=police)
    outsider = make_user(PRACTITIONER, agency=school)
    MembershipFactory(panel=panel, user=coordinator, role=MembershipRole.COORDINATOR)
    MembershipFactory(panel=panel, user=member)
    case = CaseFactory(panel=panel, owning_agency=police)
    place = PlaceFactory()
    CaseSubject.objects.create(case=case, place=place, role=SubjectRole.LOCATION)
    when = timezone.make_aware(datetime(2026, 3, 10, 14))
    meeting = meeting_services.do_schedule_meeting(
        actor=coordinator, panel=panel, scheduled_for=when
    )
    action = meeting_services.do_create_action(
        actor=coordinator,
        meeting=meeting,
        item=None,
        description="Walk the estate with the youth team",
        owning_agency=police,
        owner=member,
        due_on=date(2026, 3, 10) + timedelta(days=14),
    )
    review = casereview_services.do_create_case_review(
        actor=make_user(COORDINATOR),
        received_on=date(2025, 3, 3),
        applicant_name="Jean Applicant",
        problem_summary="Loud music every night",
    )
    return SimpleNamespace(
        coordinator=coordinator,
        member=member,
        outsider=outsider,
        case=case,
        person=case.subjects.get(person__isnull=False).person,
        place=place,
        meeting=meeting,
        action=action,
        review=review,
    )


Lookup = Callable[[Any, Any], tuple[Any, bool]]
# (lookup, the record's key in the lookup, the record, its label in the audit trail, verb)
LOOKUPS: dict[str, tuple[Lookup, Callable[[Any], Any], str, str]] = {
    "case": (case_for, lambda r: r.case.pk, "panels.case", "case.view_refused"),
    "person": (person_for, lambda r: r.person.reference, "people.person", "person.view_refused"),
    "place": (place_for, lambda r: r.place.reference, "people.place", "place.view_refused"),
    "meeting": (meeting_for, lambda r: r.meeting.pk, "meetings.meeting", "meeting.view_refused"),
    "action": (action_for, lambda r: r.action.pk, "meetings.action", "action.view_refused"),
    "review": (
        review_for,
        lambda r: r.review.pk,
        "casereview.casereview",
        "casereview.view_refused",
    ),
}


def _request(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


def _events() -> list[tuple[str, str, str, Any]]:
    return list(AuditEvent.objects.values_list("verb", "target_type", "target_id", "actor_id"))


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_an_outsider_is_answered_404_and_the_refusal_is_audited(records, name):
    lookup, key, label, verb = LOOKUPS[name]
    record = getattr(records, name)
    before = AuditEvent.objects.count()
    with pytest.raises(Http404):
        lookup(_request(records.outsider), key(records))
    refused = list(AuditEvent.objects.order_by("seq")[before:])
    assert [(e.verb, e.target_type, e.target_id, e.actor_id) for e in refused] == [
        (verb, label, str(record.pk), records.outsider.pk)
    ]


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_an_unknown_record_is_a_404_that_records_nothing(records, name):
    lookup = LOOKUPS[name][0]
    unknown = "P-ZZZZZ" if name in ("person", "place") else uuid.uuid4()
    before = _events()
    for user in (records.outsider, records.coordinator):
        with pytest.raises(Http404):
            lookup(_request(user), unknown)
    assert _events() == before


@pytest.mark.parametrize("name", sorted(LOOKUPS))
def test_an_anonymous_visitor_is_refused_as_an_outsider_is(records, name):
    lookup, key, _, verb = LOOKUPS[name]
    with pytest.raises(Http404):
        lookup(_request(AnonymousUser()), key(records))
    assert AuditEvent.objects.filter(verb=verb, actor=None).count() == 1


def test_each_lookup_says_whether_the_user_may_change_the_record(records, make_user):
    coordinator, member = _request(records.coordinator), _request(records.member)
    # The co-ordinator works the case and runs the meeting; the member adds notes to the case
    # and owns the action, but does not run the meeting.
    assert case_for(coordinator, records.case.pk) == (records.case, True)
    assert case_for(member, records.case.pk) == (records.case, True)
    assert meeting_for(coordinator, records.meeting.pk) == (records.meeting, True)
    assert meeting_for(member, records.meeting.pk) == (records.meeting, False)
    assert action_for(member, records.action.pk) == (records.action, True)
    # The co-ordinator merges the person's records; a place is never changed once recorded.
    assert person_for(coordinator, records.person.reference) == (records.person, True)
    assert place_for(coordinator, records.place.reference) == (records.place, False)
    manager = _request(make_user(COORDINATOR))
    assert review_for(manager, records.review.pk) == (records.review, True)


def test_a_colleague_who_only_reads_the_case_may_change_nothing(records, make_user):
    childrens = AgencyFactory(name="Children's Social Care", kind="childrens_social_care")
    elsewhere = CaseFactory(panel=PanelFactory(slug="crest"), owning_agency=childrens)
    elsewhere.assigned_practitioners.add(records.member)
    colleague = make_user(PRACTITIONER, agency=records.member.agency)
    # A colleague of an assigned practitioner opens the case and changes nothing on it.
    assert case_for(_request(colleague), elsewhere.pk) == (elsewhere, False)
    assert case_for(_request(records.member), elsewhere.pk) == (elsewhere, True)


@pytest.mark.parametrize(
    ("url_name", "kwargs", "verb"),
    [
        ("panels:case_detail", lambda r: {"case_id": r.case.pk}, "case.view_refused"),
        ("people:place_detail", lambda r: {"reference": r.place.reference}, "place.view_refused"),
        ("meetings:meeting_detail", lambda r: {"meeting_id": r.meeting.pk}, "meeting.view_refused"),
        ("meetings:action_detail", lambda r: {"action_id": r.action.pk}, "action.view_refused"),
    ],
)
def test_the_pages_refuse_through_their_lookup(records, client_for, url_name, kwargs, verb):
    url = reverse(url_name, kwargs=kwargs(records))
    assert client_for(records.outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(verb=verb, actor=records.outsider).count() == 1
    assert client_for(records.coordinator).get(url).status_code == 200
    assert AuditEvent.objects.filter(verb=verb).count() == 1
