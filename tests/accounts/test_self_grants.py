"""No self-granting: a role or panel seat that opens personal data, given to oneself, waits for
a second administrator (a different person) to approve or decline it; all three are audited."""

import pytest
from django.urls import reverse

from csphub.accounts.models import User
from csphub.accounts.roles import (
    ANALYST,
    COORDINATOR,
    CSP_ADMIN,
    DPO,
    EXECUTIVE,
    PRACTITIONER,
    ROLES,
    Role,
    role_keys_of,
)
from csphub.audit.models import AuditEvent
from tests.factories import PanelFactory


def _edit(client, subject, roles, is_active=True):
    """Post the user edit form as it stands now, with ROLES."""
    subject.refresh_from_db()
    data = {
        "full_name": subject.full_name,
        "job_title": subject.job_title,
        "agency": subject.agency_id,
        "roles": roles,
        "version": getattr(subject, "version", ""),
    }
    if is_active:
        data["is_active"] = "on"
    return client.post(reverse("accounts:user_edit", args=[subject.pk]), data)


def _pending():
    from csphub.accounts.models import GrantRequest

    return GrantRequest.objects.filter(status="pending")


@pytest.fixture
def admin(make_user, police):
    return make_user(CSP_ADMIN, agency=police)


@pytest.fixture
def second_admin(make_user, school):
    return make_user(CSP_ADMIN, agency=school)


# Which roles open personal data: derived from their permissions.


def test_roles_opening_personal_data_are_derived_from_their_permissions():
    from csphub.accounts.roles import opens_personal_data

    assert {key for key in ROLES if opens_personal_data(ROLES[key])} == {
        CSP_ADMIN,  # user records, ASB case review applications
        COORDINATOR,
        PRACTITIONER,
        DPO,
    }
    # A permission nobody has classified yet counts as opening personal data.
    new = Role("new", "New", "", False, frozenset({"crime.view_figures", "people.new_thing"}))
    assert opens_personal_data(new)
    aggregate = Role("agg", "Agg", "", False, frozenset({"crime.view_figures"}))
    assert not opens_personal_data(aggregate)


# Roles.


def test_admin_cannot_grant_self_personal_data_role(client_for, admin):
    client = client_for(admin)
    response = _edit(client, admin, [CSP_ADMIN, COORDINATOR])
    assert response.status_code == 302
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN}
    assert not admin.has_perm("panels.view_cases")
    request = _pending().get()
    assert (request.user, request.requested_by, request.kind) == (admin, admin, "roles")
    assert request.detail == {"role": COORDINATOR}
    event = AuditEvent.objects.get(verb="grant.requested")
    assert event.actor == admin
    assert event.payload == {"user": str(admin.pk), "kind": "roles", "role": COORDINATOR}
    assert not AuditEvent.objects.filter(verb="user.roles_changed").exists()
    page = client.get(response["Location"]).content.decode()
    assert "another administrator" in page


def test_other_changes_to_ones_own_record_are_saved_while_the_role_waits(client_for, admin):
    admin.job_title = "Old title"
    admin.save()
    client = client_for(admin)
    data = {
        "full_name": "Renamed Admin",
        "job_title": "New title",
        "agency": admin.agency_id,
        "roles": [CSP_ADMIN, DPO, EXECUTIVE],
        "is_active": "on",
        "version": admin.version,
    }
    assert client.post(reverse("accounts:user_edit", args=[admin.pk]), data).status_code == 302
    admin.refresh_from_db()
    assert (admin.full_name, admin.job_title) == ("Renamed Admin", "New title")
    # Executive opens aggregate figures only: given at once. The DPO role waits.
    assert role_keys_of(admin) == {CSP_ADMIN, EXECUTIVE}
    assert _pending().get().detail == {"role": DPO}


def test_admin_may_give_themselves_a_role_without_personal_data(client_for, admin):
    _edit(client_for(admin), admin, [CSP_ADMIN, ANALYST])
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN, ANALYST}
    assert not _pending().exists()


def test_admin_may_drop_their_own_roles_at_once(client_for, make_user, police):
    admin = make_user(CSP_ADMIN, COORDINATOR, agency=police)
    _edit(client_for(admin), admin, [CSP_ADMIN])
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN}
    assert not _pending().exists()


def test_grants_to_other_users_are_applied_at_once(client_for, admin, make_user, police):
    subject = make_user(ANALYST, agency=police)
    _edit(client_for(admin), subject, [ANALYST, COORDINATOR])
    subject.refresh_from_db()
    assert role_keys_of(subject) == {ANALYST, COORDINATOR}
    assert not _pending().exists()


def test_second_admin_approves_self_grant(client_for, admin, second_admin):
    _edit(client_for(admin), admin, [CSP_ADMIN, COORDINATOR])
    request = _pending().get()
    client = client_for(second_admin)
    page = client.get(reverse("accounts:grant_requests"))
    assert page.status_code == 200
    assert admin.full_name in page.content.decode()
    assert ROLES[COORDINATOR].label in page.content.decode()
    response = client.post(reverse("accounts:grant_request_approve", args=[request.pk]))
    assert response.status_code == 302
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN, COORDINATOR}
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", second_admin)
    approved = AuditEvent.objects.get(verb="grant.approved")
    assert approved.actor == second_admin
    assert approved.payload["requested_by"] == str(admin.pk)
    changed = AuditEvent.objects.get(verb="user.roles_changed")
    assert changed.actor == second_admin
    assert changed.payload == {"from": [CSP_ADMIN], "to": [COORDINATOR, CSP_ADMIN]}


def test_approval_adds_to_the_roles_held_then(client_for, admin, second_admin):
    # Roles changed between the request and the approval are kept, not rolled back.
    _edit(client_for(admin), admin, [CSP_ADMIN, COORDINATOR])
    _edit(client_for(second_admin), admin, [CSP_ADMIN, ANALYST])
    request = _pending().get()
    client_for(second_admin).post(reverse("accounts:grant_request_approve", args=[request.pk]))
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN, ANALYST, COORDINATOR}


def test_same_admin_cannot_approve_own_request(client_for, admin):
    client = client_for(admin)
    _edit(client, admin, [CSP_ADMIN, COORDINATOR])
    request = _pending().get()
    page = client.get(reverse("accounts:grant_requests")).content.decode()
    assert reverse("accounts:grant_request_approve", args=[request.pk]) not in page
    response = client.post(reverse("accounts:grant_request_approve", args=[request.pk]))
    assert response.status_code == 403
    for verb in ("decline",):
        url = reverse(f"accounts:grant_request_{verb}", args=[request.pk])
        assert client.post(url).status_code == 403
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN}
    assert _pending().get() == request
    assert not AuditEvent.objects.filter(verb__in=["grant.approved", "grant.declined"]).exists()


def test_an_account_the_requester_created_cannot_approve(client_for, admin, police):
    client = client_for(admin)
    client.post(
        reverse("accounts:user_create"),
        {
            "email": "second.account@example.test",
            "full_name": "Second Account",
            "agency": police.pk,
            "roles": [CSP_ADMIN],
            "is_active": "on",
        },
    )
    puppet = User.objects.get(email="second.account@example.test")
    assert puppet.created_by == admin
    _edit(client, admin, [CSP_ADMIN, PRACTITIONER])
    request = _pending().get()
    response = client_for(puppet).post(reverse("accounts:grant_request_approve", args=[request.pk]))
    assert response.status_code == 403
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN}


def test_a_grant_from_an_account_to_the_one_that_created_it_waits_too(
    client_for, admin, second_admin, police
):
    client_for(admin).post(
        reverse("accounts:user_create"),
        {
            "email": "second.account@example.test",
            "full_name": "Second Account",
            "agency": police.pk,
            "roles": [CSP_ADMIN],
            "is_active": "on",
        },
    )
    puppet = User.objects.get(email="second.account@example.test")
    _edit(client_for(puppet), admin, [CSP_ADMIN, PRACTITIONER])
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN}
    request = _pending().get()
    assert (request.user, request.requested_by) == (admin, puppet)
    client_for(second_admin).post(reverse("accounts:grant_request_approve", args=[request.pk]))
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN, PRACTITIONER}


def test_second_admin_declines_self_grant(client_for, admin, second_admin):
    _edit(client_for(admin), admin, [CSP_ADMIN, DPO])
    request = _pending().get()
    response = client_for(second_admin).post(
        reverse("accounts:grant_request_decline", args=[request.pk])
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("declined", second_admin)
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN}
    event = AuditEvent.objects.get(verb="grant.declined")
    assert event.actor == second_admin
    # A decided request cannot be decided again.
    again = client_for(second_admin).post(
        reverse("accounts:grant_request_approve", args=[request.pk])
    )
    assert again.status_code == 404
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN}


def test_asking_twice_makes_one_request(client_for, admin):
    client = client_for(admin)
    _edit(client, admin, [CSP_ADMIN, COORDINATOR])
    _edit(client, admin, [CSP_ADMIN, COORDINATOR])
    assert _pending().count() == 1
    assert AuditEvent.objects.filter(verb="grant.requested").count() == 1


@pytest.mark.parametrize("role", [ANALYST, COORDINATOR, PRACTITIONER, EXECUTIVE, DPO])
def test_only_administrators_open_or_decide_requests(client_for, admin, make_user, police, role):
    _edit(client_for(admin), admin, [CSP_ADMIN, COORDINATOR])
    request = _pending().get()
    client = client_for(make_user(role, agency=police))
    assert client.get(reverse("accounts:grant_requests")).status_code == 403
    for name in ("accounts:grant_request_approve", "accounts:grant_request_decline"):
        assert client.post(reverse(name, args=[request.pk])).status_code == 403
    assert _pending().get() == request


def test_anonymous_visitor_is_sent_to_sign_in_from_requests(client, admin, client_for):
    _edit(client_for(admin), admin, [CSP_ADMIN, COORDINATOR])
    request = _pending().get()
    for url in (
        reverse("accounts:grant_requests"),
        reverse("accounts:grant_request_approve", args=[request.pk]),
    ):
        response = client.post(url) if "approve" in url else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert _pending().get() == request


def test_unknown_request_is_not_found(client_for, second_admin):
    url = reverse("accounts:grant_request_approve", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(second_admin).post(url).status_code == 404


def test_approval_needs_a_post(client_for, admin, second_admin):
    _edit(client_for(admin), admin, [CSP_ADMIN, COORDINATOR])
    request = _pending().get()
    url = reverse("accounts:grant_request_approve", args=[request.pk])
    assert client_for(second_admin).get(url).status_code == 405
    assert _pending().get() == request


# Panel seats.


@pytest.fixture
def working_admin(make_user, police):
    """An administrator who also works cases, so a seat would open a panel's cases to them."""
    return make_user(CSP_ADMIN, PRACTITIONER, agency=police)


def test_admin_cannot_seat_themselves_on_a_panel(client_for, working_admin, second_admin):
    from csphub.panels.models import PanelMembership

    panel = PanelFactory(slug="crest", name="CREST")
    url = reverse("panels:panel_members", args=[panel.slug])
    client = client_for(working_admin)
    response = client.post(url, {"user": working_admin.pk, "role": "member"})
    assert response.status_code == 302
    assert not PanelMembership.objects.filter(panel=panel, user=working_admin).exists()
    assert not AuditEvent.objects.filter(verb="panel.member_added").exists()
    request = _pending().get()
    assert request.kind == "panel_seat"
    assert request.detail == {"panel": str(panel.pk), "role": "member"}
    page = client.get(url).content.decode()
    assert "another administrator" in page
    assert AuditEvent.objects.get(verb="grant.requested").payload == {
        "user": str(working_admin.pk),
        "kind": "panel_seat",
        "panel": str(panel.pk),
        "role": "member",
    }

    listing = client_for(second_admin).get(reverse("accounts:grant_requests")).content.decode()
    assert "CREST" in listing
    client_for(second_admin).post(reverse("accounts:grant_request_approve", args=[request.pk]))
    membership = PanelMembership.objects.get(panel=panel, user=working_admin)
    assert membership.role == "member"
    assert AuditEvent.objects.get(verb="panel.member_added").actor == second_admin
    assert AuditEvent.objects.get(verb="grant.approved").actor == second_admin


def test_the_service_itself_refuses_a_self_seat(working_admin):
    from csphub.accounts.models import GrantRequest
    from csphub.panels import services
    from csphub.panels.models import PanelMembership

    panel = PanelFactory(slug="crest", name="CREST")
    outcome = services.do_add_panel_member(actor=working_admin, panel=panel, user=working_admin)
    assert isinstance(outcome, GrantRequest)
    assert not PanelMembership.objects.filter(user=working_admin).exists()


def test_admin_cannot_approve_their_own_seat(client_for, working_admin):
    from csphub.panels.models import PanelMembership

    panel = PanelFactory(slug="crest", name="CREST")
    client = client_for(working_admin)
    client.post(
        reverse("panels:panel_members", args=[panel.slug]),
        {"user": working_admin.pk, "role": "member"},
    )
    request = _pending().get()
    assert (
        client.post(reverse("accounts:grant_request_approve", args=[request.pk])).status_code == 403
    )
    assert not PanelMembership.objects.filter(user=working_admin).exists()


def test_seating_someone_else_is_applied_at_once(client_for, admin, make_user, police):
    from csphub.panels.models import PanelMembership

    panel = PanelFactory(slug="crest", name="CREST")
    officer = make_user(PRACTITIONER, agency=police)
    client_for(admin).post(
        reverse("panels:panel_members", args=[panel.slug]), {"user": officer.pk, "role": "member"}
    )
    assert PanelMembership.objects.filter(panel=panel, user=officer).exists()
    assert not _pending().exists()


def test_each_role_waits_as_its_own_request(client_for, admin, second_admin):
    _edit(client_for(admin), admin, [CSP_ADMIN, COORDINATOR, DPO])
    coordinator, dpo = sorted(_pending(), key=lambda r: r.detail["role"])
    assert (coordinator.detail, dpo.detail) == ({"role": COORDINATOR}, {"role": DPO})
    client = client_for(second_admin)
    client.post(reverse("accounts:grant_request_approve", args=[coordinator.pk]))
    client.post(reverse("accounts:grant_request_decline", args=[dpo.pk]))
    admin.refresh_from_db()
    assert role_keys_of(admin) == {CSP_ADMIN, COORDINATOR}


def test_the_database_refuses_a_request_decided_by_its_requester(admin):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from csphub.accounts.models import GrantRequest

    request = GrantRequest.objects.create(
        user=admin, requested_by=admin, kind="roles", detail={"role": COORDINATOR}
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantRequest.objects.filter(pk=request.pk).update(
            status="approved", decided_by=admin, decided_at=timezone.now()
        )


# Agency: a case worker's agency decides whose cases they see (those their agency owns or
# its colleagues are assigned), so moving oneself to another agency is a grant too.


def _move(client, subject, agency):
    subject.refresh_from_db()
    data = {
        "full_name": subject.full_name,
        "job_title": subject.job_title,
        "agency": agency.pk,
        "roles": sorted(role_keys_of(subject)),
        "is_active": "on",
        "version": subject.version,
    }
    return client.post(reverse("accounts:user_edit", args=[subject.pk]), data)


def test_admin_cannot_move_themselves_to_another_agency_and_see_its_cases(
    client_for, working_admin, second_admin, school
):
    from tests.factories import CaseFactory

    case = CaseFactory(owning_agency=school)
    case_url = reverse("panels:case_detail", args=[case.pk])
    client = client_for(working_admin)
    assert client.get(case_url).status_code == 404
    response = _move(client, working_admin, school)
    assert response.status_code == 302
    assert "another administrator" in client.get(response["Location"]).content.decode()
    working_admin.refresh_from_db()
    assert working_admin.agency.name == "Metropolitan Police"
    assert client.get(case_url).status_code == 404
    request = _pending().get()
    assert (request.user, request.requested_by, request.kind) == (
        working_admin,
        working_admin,
        "agency",
    )
    assert request.detail == {"agency": str(school.pk)}
    assert AuditEvent.objects.get(verb="grant.requested").payload == {
        "user": str(working_admin.pk),
        "kind": "agency",
        "agency": str(school.pk),
    }
    # They cannot approve it themselves; a second administrator can, and then it applies.
    approve = reverse("accounts:grant_request_approve", args=[request.pk])
    assert client.post(approve).status_code == 403
    listing = client_for(second_admin).get(reverse("accounts:grant_requests")).content.decode()
    assert "Bexley Academy" in listing
    client_for(second_admin).post(approve)
    working_admin.refresh_from_db()
    assert working_admin.agency == school
    assert client_for(working_admin).get(case_url).status_code == 200
    event = AuditEvent.objects.filter(verb="user.updated").order_by("-seq").first()
    assert event.actor == second_admin
    assert event.payload["agency_changed"] is True


def test_the_service_itself_keeps_a_self_move_waiting(working_admin, school):
    from csphub.accounts.services import do_update_user

    waiting = do_update_user(
        actor=working_admin,
        user=working_admin,
        expected_version=working_admin.version,
        full_name=working_admin.full_name,
        job_title="Renamed",
        agency=school,
        roles=[CSP_ADMIN, PRACTITIONER],
        is_active=True,
    )
    working_admin.refresh_from_db()
    assert [w.kind for w in waiting] == ["agency"]
    assert working_admin.agency.name == "Metropolitan Police"
    assert working_admin.job_title == "Renamed"


def test_moving_someone_else_to_another_agency_is_applied_at_once(
    client_for, admin, make_user, police, school
):
    officer = make_user(PRACTITIONER, agency=police)
    _move(client_for(admin), officer, school)
    officer.refresh_from_db()
    assert officer.agency == school
    assert not _pending().exists()


def test_admin_cannot_change_the_kind_of_their_own_agency(
    client_for, make_user, working_admin, second_admin, school, police
):
    """An agency's kind decides what its people see (the police see offences): an
    administrator does not change their own agency's; another administrator may."""
    from csphub.panels.selectors import may_see_offences
    from tests.factories import CaseFactory

    working_admin.agency = school
    working_admin.save()
    case = CaseFactory(owning_agency=school)
    url = reverse("accounts:agency_edit", args=[school.pk])
    data = {"name": school.name, "kind": "police", "is_active": "on", "version": school.version}
    response = client_for(working_admin).post(url, data)
    assert response.status_code == 200
    assert "Another administrator" in response.content.decode()
    school.refresh_from_db()
    assert school.kind == "education"
    working_admin.refresh_from_db()
    assert not may_see_offences(working_admin, case)
    assert not AuditEvent.objects.filter(verb="agency.updated").exists()
    # Renaming it is no grant: that is saved.
    renamed = {**data, "kind": "education", "name": "Bexley Academy Trust"}
    assert client_for(working_admin).post(url, renamed).status_code == 302
    school.refresh_from_db()
    assert school.name == "Bexley Academy Trust"
    # Another administrator (of another agency) changes its kind.
    second_admin.agency = police
    second_admin.save()
    data = {**renamed, "kind": "police", "version": school.version}
    assert client_for(second_admin).post(url, data).status_code == 302
    school.refresh_from_db()
    assert school.kind == "police"
