"""Assigning and unassigning practitioners, and clearing flags, on a case."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from csphub.accounts.roles import PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.models import CaseFlag
from csphub.panels.selectors import cases_visible_to
from tests.factories import AgencyFactory


@pytest.fixture
def flag(world):
    return services.do_raise_flag(
        actor=world.member, case=world.case, kind="weapons", reason="Seen with a knife."
    )


@pytest.fixture
def youth_worker(make_user):
    """A practitioner from an agency with no link to the case yet."""
    return make_user(
        PRACTITIONER, agency=AgencyFactory(name="Youth Offending Service", kind="youth_justice")
    )


def _assign_url(world):
    return reverse("panels:case_assign", args=[world.case.pk])


def _unassign_url(world, user):
    return reverse("panels:case_unassign", args=[world.case.pk, user.pk])


def _clear_url(world, flag):
    return reverse("panels:case_flag_clear", args=[world.case.pk, flag.pk])


# Who opens the assignment page.


@pytest.mark.parametrize("who", ["coordinator", "owner", "colleague"])
def test_coordinator_and_the_owning_agency_open_the_assign_page(client_for, world, who):
    response = client_for(getattr(world, who)).get(_assign_url(world))
    assert response.status_code == 200
    assert world.case.reference in response.content.decode()


def test_panel_member_from_another_agency_is_refused_assignment(client_for, world):
    # They can see the case (403, not 404) but assignment is not theirs to make.
    assert client_for(world.member).get(_assign_url(world)).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "crest_coordinator"])
def test_people_who_cannot_see_the_case_get_not_found(client_for, world, who):
    assert client_for(getattr(world, who)).get(_assign_url(world)).status_code == 404
    world.case.assigned_practitioners.add(world.colleague)
    assert (
        client_for(getattr(world, who)).get(_unassign_url(world, world.colleague)).status_code
        == 404
    )


def test_anonymous_is_sent_to_sign_in_from_assignment_pages(client, world):
    world.case.assigned_practitioners.add(world.colleague)
    for url in (_assign_url(world), _unassign_url(world, world.colleague)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_executive_has_no_assignment_pages(client_for, world):
    assert client_for(world.executive).get(_assign_url(world)).status_code == 403


# What each may assign.


def test_coordinator_assigns_anyone_who_works_cases_and_it_opens_the_case(
    client_for, world, youth_worker
):
    assert not cases_visible_to(youth_worker).filter(pk=world.case.pk).exists()
    response = client_for(world.coordinator).post(
        _assign_url(world), {"practitioner": youth_worker.pk}
    )
    assert response.status_code == 302
    assert cases_visible_to(youth_worker).filter(pk=world.case.pk).exists()
    entry = world.case.timeline.get(kind="case.assigned")
    assert entry.actor == world.coordinator
    assert entry.summary == f"{youth_worker.full_name} (Youth Offending Service) assigned"
    event = AuditEvent.objects.get(verb="case.assigned")
    assert event.payload == {"user": str(youth_worker.pk), "entry": str(entry.pk)}


def test_owning_agency_practitioner_assigns_only_colleagues(client_for, world, youth_worker):
    page = client_for(world.owner).get(_assign_url(world)).content.decode()
    assert world.colleague.full_name in page
    assert youth_worker.full_name not in page
    refused = client_for(world.owner).post(_assign_url(world), {"practitioner": youth_worker.pk})
    assert refused.status_code == 200  # not a choice: a form error
    assert not world.case.assigned_practitioners.exists()
    with pytest.raises(ValidationError):
        services.do_assign_practitioner(
            actor=world.owner, case=world.case, practitioner=youth_worker
        )
    client_for(world.owner).post(_assign_url(world), {"practitioner": world.colleague.pk})
    assert list(world.case.assigned_practitioners.all()) == [world.colleague]


def test_the_service_refuses_someone_without_the_right_to_assign(world):
    with pytest.raises(PermissionDenied):
        services.do_assign_practitioner(
            actor=world.member, case=world.case, practitioner=world.member
        )


def test_someone_who_cannot_work_cases_cannot_be_assigned(world):
    with pytest.raises(ValidationError):
        services.do_assign_practitioner(
            actor=world.coordinator, case=world.case, practitioner=world.executive
        )


def test_assigning_twice_is_refused(world):
    services.do_assign_practitioner(
        actor=world.coordinator, case=world.case, practitioner=world.colleague
    )
    with pytest.raises(ValidationError):
        services.do_assign_practitioner(
            actor=world.coordinator, case=world.case, practitioner=world.colleague
        )
    assert world.case.timeline.filter(kind="case.assigned").count() == 1


# Unassigning.


def test_coordinator_unassigns_with_a_reason_on_the_timeline(client_for, world, youth_worker):
    services.do_assign_practitioner(
        actor=world.coordinator, case=world.case, practitioner=youth_worker
    )
    url = _unassign_url(world, youth_worker)
    assert client_for(world.coordinator).get(url).status_code == 200
    response = client_for(world.coordinator).post(url, {"reason": "Work complete."})
    assert response.status_code == 302
    assert not cases_visible_to(youth_worker).filter(pk=world.case.pk).exists()
    entry = world.case.timeline.get(kind="case.unassigned")
    assert entry.detail == "Work complete."
    assert AuditEvent.objects.get(verb="case.unassigned").payload == {
        "user": str(youth_worker.pk),
        "entry": str(entry.pk),
    }


def test_owning_agency_cannot_unassign_another_agencys_practitioner(
    client_for, world, youth_worker
):
    services.do_assign_practitioner(
        actor=world.coordinator, case=world.case, practitioner=youth_worker
    )
    assert client_for(world.owner).get(_unassign_url(world, youth_worker)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.do_unassign_practitioner(
            actor=world.owner, case=world.case, practitioner=youth_worker
        )
    assert world.case.assigned_practitioners.filter(pk=youth_worker.pk).exists()


def test_owning_agency_unassigns_its_own_colleague(client_for, world):
    services.do_assign_practitioner(
        actor=world.owner, case=world.case, practitioner=world.colleague
    )
    response = client_for(world.owner).post(_unassign_url(world, world.colleague), {})
    assert response.status_code == 302
    assert not world.case.assigned_practitioners.exists()


def test_unassigning_someone_not_assigned_is_not_found(client_for, world):
    assert (
        client_for(world.coordinator).get(_unassign_url(world, world.colleague)).status_code == 404
    )


def test_case_page_offers_assignment_only_to_those_who_may(client_for, world):
    world.case.assigned_practitioners.add(world.colleague)
    case_url = reverse("panels:case_detail", args=[world.case.pk])
    for who, offered in [("coordinator", True), ("owner", True), ("member", False)]:
        page = client_for(getattr(world, who)).get(case_url).content.decode()
        assert (_assign_url(world) in page) is offered, who
        assert (_unassign_url(world, world.colleague) in page) is offered, who


# Clearing flags.


def test_coordinator_clears_a_flag_with_a_reason_kept_on_the_timeline(client_for, world, flag):
    client = client_for(world.coordinator)
    assert client.get(_clear_url(world, flag)).status_code == 200
    response = client.post(
        _clear_url(world, flag), {"reason": "Knife handed in; no further sightings.", "version": 1}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.cleared_at is not None and flag.cleared_by == world.coordinator
    assert flag.cleared_reason == "Knife handed in; no further sightings."
    entry = world.case.timeline.get(kind="case.flag_cleared")
    assert entry.detail == "Knife handed in; no further sightings."
    assert entry.source_id == str(flag.pk)
    # The flag it cleared is still in the history.
    assert world.case.timeline.filter(kind="case.flag_raised").exists()
    event = AuditEvent.objects.get(verb="case.flag_cleared")
    assert event.payload == {"flag": "weapons", "flag_id": str(flag.pk), "entry": str(entry.pk)}
    page = client.get(reverse("panels:case_detail", args=[world.case.pk])).content.decode()
    assert "Flag cleared: Known to carry weapons" in page
    assert "govuk-warning-text__text" not in page  # no longer shown as a warning


def test_a_flag_cannot_be_cleared_without_a_reason(client_for, world, flag):
    response = client_for(world.coordinator).post(
        _clear_url(world, flag), {"reason": "  ", "version": 1}
    )
    assert response.status_code == 200
    flag.refresh_from_db()
    assert flag.cleared_at is None
    with pytest.raises(ValidationError):
        services.do_clear_flag(actor=world.coordinator, flag=flag, reason="")


def test_a_cleared_flag_cannot_be_cleared_again(client_for, world, flag):
    services.do_clear_flag(actor=world.coordinator, flag=flag, reason="Resolved.")
    assert client_for(world.coordinator).get(_clear_url(world, flag)).status_code == 404
    stale = CaseFlag.objects.get(pk=flag.pk)
    stale.cleared_at = None  # a copy loaded before the first clearance
    with pytest.raises(ValidationError):
        services.do_clear_flag(actor=world.coordinator, flag=stale, reason="Again.")
    assert world.case.timeline.filter(kind="case.flag_cleared").count() == 1


@pytest.mark.parametrize("who", ["owner", "colleague", "member"])
def test_only_the_coordinator_clears_flags(client_for, world, flag, who):
    # Practitioners do not hold the co-ordinator permission: the page is not theirs (403).
    assert client_for(getattr(world, who)).get(_clear_url(world, flag)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.do_clear_flag(actor=getattr(world, who), flag=flag, reason="No.")


def test_coordinator_of_another_panel_gets_not_found_for_flags(client_for, world, flag):
    assert client_for(world.crest_coordinator).get(_clear_url(world, flag)).status_code == 404


def test_outsider_and_anonymous_cannot_clear_flags(client_for, client, world, flag):
    assert client_for(world.outsider).get(_clear_url(world, flag)).status_code == 403
    response = client.get(_clear_url(world, flag))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    flag.refresh_from_db()
    assert flag.cleared_at is None


def test_flag_of_another_case_is_not_found(client_for, world, flag):
    from tests.factories import CaseFactory

    other = CaseFactory(panel=world.vip, owning_agency=world.childrens)
    url = reverse("panels:case_flag_clear", args=[other.pk, flag.pk])
    assert client_for(world.coordinator).get(url).status_code == 404


def test_case_page_offers_clearing_only_to_the_coordinator(client_for, world, flag):
    case_url = reverse("panels:case_detail", args=[world.case.pk])
    assert _clear_url(world, flag) in client_for(world.coordinator).get(case_url).content.decode()
    assert _clear_url(world, flag) not in client_for(world.owner).get(case_url).content.decode()
