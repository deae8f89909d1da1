"""Every case page and download as owner, colleague, panel member, outsider and anonymous."""

import pytest
from django.urls import reverse

from csphub.audit.models import AuditEvent

CASE_PAGES = ["case_detail", "case_edit", "case_note", "case_flag", "case_subject"]
COORDINATOR_PAGES = ["case_status", "case_escalate", "case_transfer"]
# Who opens each case page besides the co-ordinator (docs/permissions.md, changes to a case).
OPENED_BY = {
    "case_detail": ["owner", "colleague", "member"],
    "case_edit": ["owner", "colleague"],
    "case_note": ["owner", "colleague", "member"],
    "case_flag": ["owner", "colleague", "member"],
    "case_subject": [],
}


def _url(name, world):
    return reverse(f"panels:{name}", kwargs={"case_id": world.case.pk})


@pytest.mark.parametrize("page", CASE_PAGES)
@pytest.mark.parametrize("who", ["owner", "colleague", "member", "coordinator"])
def test_people_entitled_to_the_case_open_the_pages_for_what_they_may_do(
    client_for, world, page, who
):
    response = client_for(getattr(world, who)).get(_url(page, world))
    entitled = who == "coordinator" or who in OPENED_BY[page]
    assert response.status_code == (200 if entitled else 403)
    assert world.case.reference in response.content.decode()


@pytest.mark.parametrize("page", CASE_PAGES + COORDINATOR_PAGES)
def test_coordinator_of_another_panel_gets_not_found_on_every_case_page(client_for, world, page):
    assert client_for(world.crest_coordinator).get(_url(page, world)).status_code == 404


@pytest.mark.parametrize("page", CASE_PAGES)
def test_outsider_gets_not_found_on_every_case_page(client_for, world, page):
    assert client_for(world.outsider).get(_url(page, world)).status_code == 404


@pytest.mark.parametrize("page", COORDINATOR_PAGES)
def test_outsider_practitioner_is_refused_coordinator_pages_before_any_lookup(
    client_for, world, page
):
    # The role does not open these pages at all, so the 403 says nothing about the case.
    assert client_for(world.outsider).get(_url(page, world)).status_code == 403
    assert not AuditEvent.objects.filter(verb="case.view_refused").exists()


@pytest.mark.parametrize("page", CASE_PAGES + COORDINATOR_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, page):
    response = client.get(_url(page, world))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", COORDINATOR_PAGES)
def test_only_the_panels_coordinator_opens_coordinator_pages(client_for, world, page):
    assert client_for(world.coordinator).get(_url(page, world)).status_code == 200
    assert client_for(world.owner).get(_url(page, world)).status_code == 403
    assert client_for(world.member).get(_url(page, world)).status_code == 403


def test_executive_sees_no_case_pages(client_for, world):
    client = client_for(world.executive)
    assert client.get(reverse("panels:case_list")).status_code == 403
    assert client.get(_url("case_detail", world)).status_code == 403


def test_member_sees_the_case_in_the_list_and_outsider_does_not(client_for, world):
    listed = client_for(world.member).get(reverse("panels:case_list")).content.decode()
    assert world.case.reference in listed
    not_listed = client_for(world.outsider).get(reverse("panels:case_list")).content.decode()
    assert world.case.reference not in not_listed


def test_view_and_refusal_are_both_audited(client_for, world):
    client_for(world.member).get(_url("case_detail", world))
    client_for(world.outsider).get(_url("case_detail", world))
    viewed = AuditEvent.objects.get(verb="case.viewed")
    refused = AuditEvent.objects.get(verb="case.view_refused")
    assert (viewed.actor, viewed.target_id) == (world.member, str(world.case.pk))
    assert (refused.actor, refused.target_id) == (world.outsider, str(world.case.pk))


def test_unknown_case_is_not_found_and_not_audited_as_a_refusal(client_for, world):
    response = client_for(world.outsider).get("/cases/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb="case.view_refused").exists()


def test_case_page_names_the_person_but_not_their_date_of_birth(client_for, world):
    page = client_for(world.member).get(_url("case_detail", world)).content.decode()
    assert world.person.reference in page and "Jayden Okoro" in page
    assert "May 2009" not in page


def test_case_page_shows_references_only_when_names_are_kept_off(client_for, world, settings):
    settings.NAMES_ON_PAGES = False
    page = client_for(world.member).get(_url("case_detail", world)).content.decode()
    assert world.person.reference in page
    assert "Okoro" not in page and "Jayden" not in page


def test_export_contains_only_visible_cases_and_is_audited(client_for, world):
    from tests.factories import CaseFactory

    elsewhere = CaseFactory(panel=world.crest)
    second = CaseFactory(panel=world.vip, owning_agency=world.police)
    response = client_for(world.coordinator).get(reverse("panels:case_export"))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.case.reference in body and elsewhere.reference not in body
    assert "Okoro" not in body
    # The event names the cases the file held (its first column), not just how many.
    held = [row.split(",")[0] for row in body.splitlines()[1:]]
    assert sorted(held) == sorted([world.case.reference, second.reference])
    event = AuditEvent.objects.get(verb="cases.exported")
    assert (event.actor, event.target_id) == (world.coordinator, "")
    assert event.payload == {"page": "panels:case_export", "cases": held}


@pytest.mark.parametrize("who,status", [("owner", 403), ("outsider", 403), ("executive", 403)])
def test_export_needs_the_export_permission(client_for, world, who, status):
    assert client_for(getattr(world, who)).get(reverse("panels:case_export")).status_code == status


def test_anonymous_cannot_download_the_export(client, world):
    assert client.get(reverse("panels:case_export")).status_code == 302


def test_note_is_added_to_the_timeline(client_for, world):
    response = client_for(world.colleague).post(
        _url("case_note", world), {"text": "Home visit completed\nMother engaged"}
    )
    assert response.status_code == 302
    entry = world.case.timeline.get(kind="case.note_added")
    assert entry.summary == "Home visit completed"
    assert entry.actor == world.colleague


def test_outsider_cannot_post_a_note(client_for, world):
    response = client_for(world.outsider).post(_url("case_note", world), {"text": "x"})
    assert response.status_code == 404
    assert not world.case.timeline.exists()
