"""Referring a place (an address, school, park or neighbourhood), known or new, through the page."""

import pytest
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.choices import RISK_INDICATORS
from csphub.panels.models import Case, CaseSubject
from csphub.people.models import Place
from tests.factories import PlaceFactory

URL = reverse("panels:refer_place")


def _post(panel, **overrides):
    data = {
        "panel": panel.pk,
        "place_reference": "",
        "place_name": "Martens Grove park",
        "place_kind": "park",
        "lsoa_code": "e01000353",
        "ward_name": "",
        "reason_category": "county_lines",
        "reason": "Younger children seen running bags from the park gates.",
        "consent_given": "no",
        "lawful_basis": "prevention_of_crime",
        "override_reason": "No one to ask: a public park.",
        "risk_level": "medium",
        **{f"indicator_{code}": "1" for code, _ in RISK_INDICATORS},
    }
    data.update(overrides)
    return data


@pytest.fixture
def known_place(world):
    """A place already on the world's VIP case (so its entitled users can see it)."""
    place = PlaceFactory(name="Broadway bus station", kind="transport")
    services.do_add_subject(actor=world.coordinator, case=world.case, place=place, role="location")
    return place


def _new_cases():
    return Case.objects.filter(subjects__place__isnull=False)


def test_owner_refers_a_new_place_and_owns_the_case(client_for, world):
    response = client_for(world.owner).post(URL, _post(world.vip))
    assert response.status_code == 302
    case = _new_cases().get()
    subject = case.subjects.get()
    assert (case.panel, case.owning_agency, case.status) == (world.vip, world.childrens, "referred")
    assert (subject.role, subject.person, subject.place.name) == (
        "location",
        None,
        "Martens Grove park",
    )
    assert (subject.place.kind, subject.place.lsoa_code) == ("park", "E01000353")
    assert response.url == reverse("panels:case_detail", kwargs={"case_id": case.pk})
    transition = case.transitions.get()
    assert (transition.lawful_basis, transition.risk_level) == ("prevention_of_crime", "medium")
    assert AuditEvent.objects.filter(verb="place.created", actor=world.owner).exists()
    assert AuditEvent.objects.filter(verb="case.referral_made", target_id=str(case.pk)).exists()


def test_colleague_refers_a_known_place_by_its_reference(client_for, world, known_place):
    response = client_for(world.colleague).post(
        URL,
        _post(world.crest, place_reference=known_place.reference.lower(), place_name=""),
    )
    assert response.status_code == 302
    case = Case.objects.get(panel=world.crest)
    assert case.subjects.get().place == known_place
    assert Place.objects.count() == 1  # no second record of the same place
    assert CaseSubject.objects.filter(place=known_place).count() == 2


def test_outsider_cannot_refer_a_place_they_cannot_see(client_for, world, known_place):
    response = client_for(world.outsider).post(
        URL, _post(world.vip, place_reference=known_place.reference, place_name="")
    )
    assert response.status_code == 200
    assert "No place you can see has that reference" in response.content.decode()
    assert CaseSubject.objects.filter(place=known_place).count() == 1
    assert not _new_cases().exclude(pk=world.case.pk).exists()


def test_the_service_itself_refuses_a_place_the_referrer_cannot_see(world, known_place):
    """A referral links a known place only for someone who sees it: the case's viewers (the
    receiving co-ordinator, then the panel) would see a place on someone else's case."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="No place you can see"):
        services.do_refer(
            actor=world.outsider,
            panel=world.crest,
            owning_agency=world.school,
            place=known_place,
            role="location",
            reason_category="county_lines",
            reason="Seen there.",
            consent_given=True,
            risk_level="medium",
            indicators={code: 1 for code, _ in RISK_INDICATORS},
        )
    assert CaseSubject.objects.filter(place=known_place).count() == 1
    # Someone who sees it may link it.
    services.do_refer(
        actor=world.colleague,
        panel=world.vip,
        owning_agency=world.childrens,
        place=known_place,
        role="location",
        reason_category="county_lines",
        reason="Seen there.",
        consent_given=True,
        risk_level="medium",
    )
    assert CaseSubject.objects.filter(place=known_place).count() == 2


def test_outsider_may_refer_a_new_place_but_the_referral_is_their_agencys(client_for, world):
    response = client_for(world.outsider).post(URL, _post(world.vip))
    assert response.status_code == 302
    assert _new_cases().get().owning_agency == world.school


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_sign_in(client, world, method):
    response = getattr(client, method)(URL, _post(world.vip))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not Place.objects.exists()


def test_executive_without_the_referral_permission_is_refused(client_for, world):
    assert client_for(world.executive).get(URL).status_code == 403
    assert client_for(world.executive).post(URL, _post(world.vip)).status_code == 403
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lsoa_code": "E0100"}, "Enter an LSOA code like E01000353"),
        ({"place_name": ""}, "Give either the reference of a known place or a new place"),
        (
            {"place_reference": "L-AAAAA"},
            "Give either the reference of a known place or a new place",
        ),
        ({"place_kind": ""}, "Choose the kind of place"),
        ({"override_reason": "   "}, "Explain why you are proceeding without consent"),
    ],
)
def test_the_place_is_validated_like_any_place(client_for, world, overrides, message):
    response = client_for(world.owner).post(URL, _post(world.vip, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Place.objects.exists()
    assert not _new_cases().exists()


def test_crest_screen_still_applies_to_a_place(client_for, world):
    response = client_for(world.owner).post(
        URL, _post(world.crest, risk_level="low", indicator_drugs="3")
    )
    assert response.status_code == 200
    assert "cannot be low when any indicator scores 3" in response.content.decode()
    assert not Place.objects.exists()


def test_referral_page_offers_the_place_branch(client_for, world):
    page = client_for(world.owner).get(reverse("panels:refer")).content.decode()
    assert URL in page
    assert client_for(world.owner).get(URL).status_code == 200
