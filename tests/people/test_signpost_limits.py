"""The "Is this person known?" search: an exact name and date of birth only, a limited number of
searches an hour for each user and from each address, and every search and refusal audited."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.roles import PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.panels.services import do_signpost_search
from tests.factories import AgencyFactory

JAYDEN = {"given_name": "Jayden", "family_name": "Okoro", "date_of_birth": "17/05/2009"}


def _search(client, address="192.0.2.10", **fields):
    return client.post(reverse("people:signpost"), {**JAYDEN, **fields}, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "fields",
    [
        {"given_name": "Jaydan"},  # one letter out
        {"family_name": "Okoroh"},
        {"given_name": "Okoro", "family_name": "Jayden"},  # the two names swapped
        {"given_name": "Jay"},
        {"date_of_birth": "18/05/2009"},
    ],
)
def test_signpost_requires_exact_match(client_for, world, fields):
    page = _search(client_for(world.outsider), **fields).content.decode()
    assert "Not known" in page and "Known to the partnership" not in page
    assert AuditEvent.objects.get(verb="person.signpost_searched").payload["known"] is False


@pytest.mark.parametrize(
    "given, family", [("Jayden", "Okoro"), ("JAYDEN", "okoro"), ("  jayden ", " Okoro  ")]
)
def test_signpost_matches_whatever_the_capitals_and_spaces(client_for, world, given, family):
    page = _search(client_for(world.outsider), given_name=given, family_name=family)
    assert "Known to the partnership" in page.content.decode()


def test_signpost_search_is_throttled_per_user_and_per_address(client_for, world, settings):
    settings.SIGNPOST_SEARCHES_PER_USER = 3
    settings.SIGNPOST_SEARCHES_PER_ADDRESS = 5
    first = client_for(world.outsider)
    for _ in range(3):
        assert "Known to the partnership" in _search(first).content.decode()
    refused = _search(first, given_name="Kofi")
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "There is a problem" in page
    assert "You have made 3 searches this hour, the most allowed" in page
    assert "Known to the partnership" not in page and "Not known" not in page
    assert 'value="Kofi"' in page  # what was typed is kept
    # The same user is refused from another address too: the limit is theirs.
    assert _search(first, address="198.51.100.7").status_code == 429

    # A colleague at the same address may search until the address has had its five.
    second = client_for(world.colleague)
    assert _search(second).status_code == 200
    assert _search(second).status_code == 200
    from_office = _search(second)
    assert from_office.status_code == 429
    assert "from your network this hour" in from_office.content.decode()
    # Elsewhere, the colleague may still search.
    assert _search(second, address="198.51.100.7").status_code == 200

    searched = AuditEvent.objects.filter(verb="person.signpost_searched")
    assert searched.count() == 6
    limited = AuditEvent.objects.filter(verb="person.signpost_refused").order_by("seq")
    assert [(e.actor, e.payload) for e in limited] == [
        (world.outsider, {"limit": "user"}),
        (world.outsider, {"limit": "user"}),
        (world.colleague, {"limit": "address"}),
    ]
    assert all("Okoro" not in str(e.payload) and "Kofi" not in str(e.payload) for e in limited)


def test_searches_are_allowed_again_in_the_next_hour(client_for, world, settings, monkeypatch):
    from csphub.core import throttle

    settings.SIGNPOST_SEARCHES_PER_USER = 1
    now = timezone.make_aware(datetime(2026, 3, 10, 14, 20))
    monkeypatch.setattr(throttle, "_now", lambda: now)
    client = client_for(world.outsider)
    assert _search(client).status_code == 200
    refused = _search(client)
    assert refused.status_code == 429
    assert "You can search again from 3pm" in refused.content.decode()
    monkeypatch.setattr(throttle, "_now", lambda: now + timedelta(minutes=40))
    assert _search(client).status_code == 200


def test_the_limit_holds_in_the_service_without_a_page(world, settings, make_user):
    from csphub.panels.services import SignpostLimitReached

    settings.SIGNPOST_SEARCHES_PER_USER = 2
    officer = make_user(PRACTITIONER, agency=AgencyFactory(name="Probation"))
    for _ in range(2):
        do_signpost_search(
            actor=officer, given_name="Jayden", family_name="Okoro", date_of_birth=date(2009, 5, 17)
        )
    with pytest.raises(SignpostLimitReached):
        do_signpost_search(
            actor=officer, given_name="Jayden", family_name="Okoro", date_of_birth=date(2009, 5, 17)
        )
    assert AuditEvent.objects.filter(verb="person.signpost_searched").count() == 2


def test_the_service_refuses_anyone_without_the_search_permission(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_signpost_search(
            actor=world.executive,
            given_name="Jayden",
            family_name="Okoro",
            date_of_birth=date(2009, 5, 17),
        )
    assert not AuditEvent.objects.filter(verb="person.signpost_searched").exists()


def test_an_invalid_search_is_not_counted(client_for, world, settings):
    settings.SIGNPOST_SEARCHES_PER_USER = 1
    client = client_for(world.outsider)
    response = client.post(reverse("people:signpost"), {**JAYDEN, "date_of_birth": "31/02/2009"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert "Known to the partnership" in _search(client).content.decode()
