"""Search returns only what the searcher may open, and is audited without its terms."""

import hashlib
import hmac
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.audit.models import AuditEvent
from csphub.meetings import services as meeting_services
from csphub.search.selectors import search
from csphub.search.terms import parse
from tests.factories import CaseFactory, PersonFactory, PlaceFactory


def _page(client, q):
    return client.get(reverse("search:results"), {"q": q}).content.decode()


@pytest.mark.parametrize(
    "q", ["Jayden Okoro", "okoro", "JAYDEN", "17/05/2009", "2009-05-17", "Example Road"]
)
@pytest.mark.parametrize("who", ["owner", "colleague", "member", "coordinator"])
def test_those_who_may_open_the_case_find_the_person_and_the_case(client_for, world, who, q):
    page = _page(client_for(getattr(world, who)), q)
    assert reverse("panels:case_detail", args=[world.case.pk]) in page
    assert reverse("people:person_detail", args=[world.person.reference]) in page


@pytest.mark.parametrize("q", ["Jayden Okoro", "17/05/2009", "Example Road"])
@pytest.mark.parametrize("who", ["outsider", "crest_coordinator"])
def test_anyone_else_finds_nothing(client_for, world, who, q):
    page = _page(client_for(getattr(world, who)), q)
    assert reverse("panels:case_detail", args=[world.case.pk]) not in page
    assert world.case.reference not in page and world.person.reference not in page
    assert "Okoro" not in page.replace(f'value="{q}"', "") and "0 results" in page


def test_a_reference_finds_the_case_only_for_those_who_may_open_it(client_for, world):
    assert reverse("panels:case_detail", args=[world.case.pk]) in _page(
        client_for(world.owner), world.case.reference.lower()
    )
    page = _page(client_for(world.outsider), world.case.reference)
    assert reverse("panels:case_detail", args=[world.case.pk]) not in page and "0 results" in page


@pytest.mark.parametrize("who", ["executive", "analyst", "dpo", "csp_admin"])
def test_roles_without_casework_are_offered_no_search(client_for, world, who):
    client = client_for(getattr(world, who))
    assert client.get(reverse("search:results"), {"q": "Okoro"}).status_code == 403
    assert 'id="site-search-q"' not in client.get("/").content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(reverse("search:results"), {"q": "Okoro"})
    assert response.status_code == 302 and "Okoro" not in response.content.decode()


def test_a_search_never_returns_what_the_searcher_cannot_open(world):
    """Every result of every kind is in the searcher's own selectors' answer."""
    from csphub.meetings.selectors import meetings_visible_to
    from csphub.panels.selectors import cases_visible_to
    from csphub.people.selectors import people_visible_to, places_visible_to

    other = PersonFactory(given_name="Jayden", family_name="Okoro-Smith")
    CaseFactory(panel=world.crest, owning_agency=world.school, subject=other)
    PlaceFactory(name="Okoro Youth Club", kind="youth_club")
    for who in ("owner", "colleague", "outsider", "member", "crest_coordinator"):
        user = getattr(world, who)
        for q in ("Jayden", "Okoro", "17/05/2009", "Example", "Youth Club"):
            found = search(user, parse(q))
            assert set(found.cases) <= set(cases_visible_to(user)), (who, q)
            assert set(found.people) <= set(people_visible_to(user)), (who, q)
            assert set(found.places) <= set(places_visible_to(user)), (who, q)
            assert set(found.meetings) <= set(meetings_visible_to(user)), (who, q)
    # The school's teacher, who owns the other case, finds theirs and not the VIP one.
    found = search(world.outsider, parse("Jayden"))
    assert [p.pk for p in found.people] == [other.pk]


def test_a_search_is_audited_by_a_keyed_hash_and_the_count_never_the_terms(
    client_for, world, settings
):
    client_for(world.owner).get(reverse("search:results"), {"q": "  Jayden   OKORO "})
    event = AuditEvent.objects.get(verb="search.performed")
    expected = hmac.new(settings.SECRET_KEY.encode(), b"jayden okoro", hashlib.sha256).hexdigest()
    assert event.payload["terms_hash"] == expected
    assert event.payload["results"] == 2  # the case and the person
    assert "jayden" not in str(event.payload).lower() and "okoro" not in str(event.payload).lower()


def test_meetings_are_found_by_date_and_panel_for_those_on_the_panel(client_for, world):
    meeting = meeting_services.do_schedule_meeting(
        actor=world.coordinator,
        panel=world.vip,
        scheduled_for=timezone.make_aware(datetime(2026, 3, 10, 14)),
        location="Room 1",
        chair=world.coordinator,
    )
    link = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert link in _page(client_for(world.member), "10/03/2026")
    assert link in _page(client_for(world.member), "Violence Intervention")
    assert link not in _page(client_for(world.outsider), "10/03/2026")


def test_a_home_address_is_never_found_as_a_place(world):
    from csphub.panels.models import CaseSubject

    home = PlaceFactory(name="12 Hidden Lane", kind="address")
    CaseSubject.objects.create(case=world.case, place=home, role="location")
    assert search(world.owner, parse("Hidden Lane")).places == []


def test_the_search_box_is_on_every_signed_in_page_and_not_for_visitors(client_for, world, client):
    for url in ("/", reverse("panels:case_list"), reverse("notifications:notification_list")):
        page = client_for(world.owner).get(url).content.decode()
        assert 'id="site-search-q"' in page and 'name="q"' in page, url
    assert 'id="site-search-q"' not in client.get(reverse("accounts:login")).content.decode()


def test_parse_reads_references_and_dates():
    assert parse(" c-7k3q9 ").reference == "C-7K3Q9"
    assert parse("17 May 2009").day == date(2009, 5, 17)
    assert parse("17/05/2009").day == date(2009, 5, 17)
    assert parse("Okoro").day is None and parse("Okoro").reference == ""
    assert len(parse("x" * 500).text) == 100
