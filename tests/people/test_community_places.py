"""Places outside a case (a school, a ward, an outreach site) are the partnership's; the cases
about any place keep the case's rule."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.panels.choices import SubjectRole
from csphub.panels.models import CaseSubject
from csphub.people import services
from csphub.people.models import Place
from csphub.people.selectors import community_places, places_visible_to
from tests.panels.factories import PlaceFactory

WHO = ["owner", "colleague", "outsider"]


def _page(place):
    return reverse("people:place_detail", args=[place.reference])


@pytest.fixture
def school(world):
    return services.do_create_place(
        actor=world.owner,
        name="Bexley Academy",
        kind="school",
        lsoa_code="E01000353",
        community=True,
    )


@pytest.mark.parametrize("who", WHO)
def test_community_place_outside_any_case_is_seen_by_every_partnership_user(
    world, school, client_for, who
):
    user = getattr(world, who)
    assert school in places_visible_to(user)
    page = client_for(user).get(_page(school))
    assert page.status_code == 200
    assert "Bexley Academy" in page.content.decode()
    assert "community place" in page.content.decode()


def test_anonymous_visitor_sees_no_community_place(world, school):
    assert not places_visible_to(AnonymousUser()).exists()
    response = Client().get(_page(school))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("who", "sees_case"), [("owner", True), ("colleague", True), ("outsider", False)]
)
def test_community_place_on_a_case_lists_the_case_only_by_the_case_rule(
    world, school, client_for, who, sees_case
):
    CaseSubject.objects.create(case=world.case, place=school, role=SubjectRole.LOCATION)
    page = client_for(getattr(world, who)).get(_page(school))
    assert page.status_code == 200
    assert (world.case.reference in page.content.decode()) is sees_case


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("colleague", 200), ("outsider", 404)])
def test_a_cases_place_keeps_the_case_rule(world, client_for, who, status):
    place = PlaceFactory(name="Broadway car park")
    CaseSubject.objects.create(case=world.case, place=place, role=SubjectRole.LOCATION)
    assert client_for(getattr(world, who)).get(_page(place)).status_code == status
    assert Client().get(_page(place)).status_code == 302
    if status == 404:
        assert AuditEvent.objects.filter(verb="place.view_refused").count() == 1


def test_a_cases_place_is_not_published_by_losing_its_case(world, client_for):
    place = PlaceFactory(name="Broadway car park")
    link = CaseSubject.objects.create(case=world.case, place=place, role=SubjectRole.LOCATION)
    link.delete()
    assert place not in places_visible_to(world.outsider)
    assert place not in places_visible_to(world.owner)
    assert place not in community_places()
    assert client_for(world.outsider).get(_page(place)).status_code == 404


def test_a_home_address_cannot_be_a_community_place(world):
    with pytest.raises(ValidationError):
        services.do_create_place(
            actor=world.owner, name="1 Example Road", kind="address", community=True
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(name="1 Example Road", kind="address", is_community_place=True)
    assert not Place.objects.filter(is_community_place=True).exists()


def test_a_referrer_may_refer_a_community_place_already_on_a_case_they_cannot_see(world, school):
    from csphub.panels import services as panel_services

    CaseSubject.objects.create(case=world.case, place=school, role=SubjectRole.LOCATION)
    case = panel_services.do_refer_place(
        actor=world.outsider,
        panel=world.vip,
        place_reference=school.reference,
        reason_category="other",
        reason="Fights at the gates after school",
        consent_given=True,
        risk_level="medium",
    )
    assert case.subjects.get().place == school
    # The referral opens the referrer's own case, not the one already about the school.
    assert world.case.pk != case.pk
