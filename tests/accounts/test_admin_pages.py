"""User and agency administration: who may use it, and that changes are audited."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts.models import Agency, User
from csphub.accounts.roles import (
    ANALYST,
    COORDINATOR,
    CSP_ADMIN,
    DPO,
    EXECUTIVE,
    PRACTITIONER,
    ROLES,
)
from csphub.audit.models import AuditEvent

ADMIN_PAGES = [
    "accounts:user_list",
    "accounts:user_create",
    "accounts:agency_list",
    "accounts:agency_create",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_csp_administrator_can_open_admin_pages(client_for, make_user, page):
    assert client_for(make_user(CSP_ADMIN)).get(reverse(page)).status_code == 200


@pytest.mark.parametrize("role", [ANALYST, PRACTITIONER, EXECUTIVE, DPO])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_other_roles_are_refused_admin_pages(client_for, make_user, role, page):
    assert client_for(make_user(role)).get(reverse(page)).status_code == 403


def test_viewing_a_users_record_is_audited(client_for, make_user):
    admin, subject = make_user(CSP_ADMIN), make_user(PRACTITIONER)
    response = client_for(admin).get(reverse("accounts:user_detail", args=[subject.pk]))
    assert response.status_code == 200
    assert subject.email in response.content.decode()
    event = AuditEvent.objects.get(verb="user.viewed")
    assert (event.actor, event.target_type, event.target_id) == (
        admin,
        "accounts.user",
        str(subject.pk),
    )


def test_colleague_without_admin_role_cannot_open_a_users_record(client_for, make_user, police):
    colleague, subject = (
        make_user(PRACTITIONER, agency=police),
        make_user(PRACTITIONER, agency=police),
    )
    response = client_for(colleague).get(reverse("accounts:user_detail", args=[subject.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(verb="user.viewed").exists()


def test_unknown_or_malformed_user_id_is_not_found(client_for, make_user):
    client = client_for(make_user(CSP_ADMIN))
    assert client.get("/accounts/users/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/accounts/users/not-a-uuid/").status_code == 404


def test_administrator_cannot_edit_a_superuser(client_for, make_user):
    admin = make_user(CSP_ADMIN)
    root = make_user(is_superuser=True, is_staff=True)
    assert client_for(admin).get(reverse("accounts:user_edit", args=[root.pk])).status_code == 404


def test_admin_adds_a_user_with_roles_and_it_is_audited(client_for, make_user, police):
    admin = make_user(CSP_ADMIN)
    response = client_for(admin).post(
        reverse("accounts:user_create"),
        {
            "email": "New.Person@Example.test",
            "full_name": "New Person",
            "job_title": "",
            "agency": police.pk,
            "roles": [ANALYST],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.test")
    assert not user.has_usable_password()
    assert {g.name for g in user.groups.all()} == {"Analyst"}
    assert user.agency == police
    assert AuditEvent.objects.filter(verb="user.created", target_id=str(user.pk)).exists()


def test_duplicate_email_is_refused_with_a_clear_message(client_for, make_user, police):
    admin = make_user(CSP_ADMIN)
    existing = make_user(ANALYST)
    response = client_for(admin).post(
        reverse("accounts:user_create"),
        {
            "email": existing.email.upper(),
            "full_name": "Clash",
            "agency": police.pk,
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact=existing.email).count() == 1


def test_role_change_is_its_own_audit_event(client_for, make_user, police):
    admin, subject = make_user(CSP_ADMIN), make_user(ANALYST, agency=police)
    client_for(admin).post(
        reverse("accounts:user_edit", args=[subject.pk]),
        {
            "full_name": subject.full_name,
            "job_title": "",
            "agency": police.pk,
            "roles": [ANALYST, EXECUTIVE],
            "is_active": "on",
            "version": subject.version,
        },
    )
    event = AuditEvent.objects.get(verb="user.roles_changed")
    assert event.payload == {"from": [ANALYST], "to": [ANALYST, EXECUTIVE]}
    assert event.actor == admin


def test_admin_adds_and_renames_an_agency(client_for, make_user):
    admin = make_user(CSP_ADMIN)
    client = client_for(admin)
    client.post(
        reverse("accounts:agency_create"),
        {"name": "Bexley Youth Justice", "kind": "youth_justice", "is_active": "on"},
    )
    agency = Agency.objects.get(name="Bexley Youth Justice")
    client.post(
        reverse("accounts:agency_edit", args=[agency.pk]),
        {"name": "Bexley YJS", "kind": "youth_justice", "is_active": "on", "version": 1},
    )
    agency.refresh_from_db()
    assert agency.name == "Bexley YJS"
    assert AuditEvent.objects.filter(verb="agency.updated", payload__fields=["name"]).exists()


def test_django_admin_is_for_superusers_only(client_for, make_user):
    assert client_for(make_user(CSP_ADMIN)).get("/django-admin/").status_code == 302
    root = make_user(is_superuser=True, is_staff=True)
    assert client_for(root).get("/django-admin/").status_code == 200


def test_superuser_reads_but_cannot_edit_the_audit_trail_in_django_admin(client_for, make_user):
    from csphub.audit import record

    root = make_user(is_superuser=True, is_staff=True)
    event = record(verb="test.event")
    client = client_for(root)
    assert client.get("/django-admin/audit/auditevent/").status_code == 200
    response = client.post(f"/django-admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert client.get("/django-admin/accounts/user/").status_code == 200


# The Django admin cannot change roles or two-factor devices: those changes are audited only
# when made through the application's own pages (accounts services call audit.record).


def _group_names(user: User) -> set[str]:
    return {g.name for g in user.groups.all()}


def test_django_admin_shows_groups_read_only_and_ignores_posted_groups(
    client_for, make_user, police
):
    root = make_user(is_superuser=True, is_staff=True)
    subject = make_user(ANALYST, agency=police)
    client = client_for(root)
    url = f"/django-admin/accounts/user/{subject.pk}/change/"

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert ROLES[ANALYST].label in html  # still shown...
    for field in ("groups", "user_permissions", "is_superuser"):
        assert f'name="{field}"' not in html  # ...but not as an input

    admin_group = Group.objects.get(name=ROLES[CSP_ADMIN].label)
    response = client.post(
        url,
        {
            "email": subject.email,
            "full_name": "Renamed In Admin",
            "job_title": "",
            "agency": police.pk,
            "is_active": "on",
            "is_superuser": "on",
            "groups": [admin_group.pk],
        },
    )
    assert response.status_code == 302  # the form was accepted...
    subject.refresh_from_db()
    assert subject.full_name == "Renamed In Admin"
    assert _group_names(subject) == {ROLES[ANALYST].label}  # ...but the roles did not change
    assert not subject.is_superuser


def test_two_factor_device_and_group_admins_are_not_registered(client_for, make_user):
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(Group)
    client = client_for(make_user(is_superuser=True, is_staff=True))
    assert client.get("/django-admin/").status_code == 200  # the admin itself is reachable
    for url in (
        "/django-admin/otp_totp/totpdevice/",
        "/django-admin/otp_totp/totpdevice/add/",
        "/django-admin/auth/group/",
    ):
        assert client.get(url).status_code == 404, url


NON_ADMIN_ROLES = [ANALYST, COORDINATOR, PRACTITIONER, EXECUTIVE, DPO]


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_other_roles_cannot_change_users_or_agencies(client_for, make_user, police, role):
    subject = make_user(PRACTITIONER, agency=police)
    TOTPDevice.objects.create(user=subject, name="phone", confirmed=True)
    client = client_for(make_user(role, agency=police))
    edit_user = reverse("accounts:user_edit", args=[subject.pk])
    edit_agency = reverse("accounts:agency_edit", args=[police.pk])

    assert client.get(edit_user).status_code == 403
    assert client.get(edit_agency).status_code == 403
    assert (
        client.post(
            edit_user,
            {
                "full_name": "Changed",
                "agency": police.pk,
                "roles": [CSP_ADMIN],
                "is_active": "on",
            },
        ).status_code
        == 403
    )
    assert (
        client.post(edit_agency, {"name": "Changed", "kind": "police", "is_active": "on"})
    ).status_code == 403
    for name in ("accounts:user_reset_two_factor", "accounts:user_unlock"):
        assert client.post(reverse(name, args=[subject.pk])).status_code == 403, name

    subject.refresh_from_db()
    police.refresh_from_db()
    assert subject.full_name != "Changed"
    assert _group_names(subject) == {ROLES[PRACTITIONER].label}
    assert police.name == "Metropolitan Police"
    assert TOTPDevice.objects.filter(user=subject).exists()
    assert not AuditEvent.objects.filter(
        verb__in=["user.updated", "user.roles_changed", "auth.two_factor_reset", "auth.unlocked"]
    ).exists()


@pytest.mark.parametrize("has_device", [False, True])
def test_superuser_without_second_factor_is_refused_django_admin(make_user, has_device):
    root = make_user(is_superuser=True, is_staff=True)
    if has_device:
        TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    client = Client()
    client.force_login(root)  # password only: the second factor not passed

    for url in ("/django-admin/", f"/django-admin/accounts/user/{root.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302, url
        target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
        assert response["Location"].startswith(reverse(target)), url


def test_django_admin_site_itself_requires_a_verified_superuser(make_user, monkeypatch):
    # Independent of the two-factor middleware: the admin site's own permission check.
    root = make_user(is_superuser=True, is_staff=True)
    request = RequestFactory().get("/django-admin/")
    request.user = root
    monkeypatch.setattr(root, "is_verified", lambda: False, raising=False)
    assert not admin.site.has_permission(request)
    monkeypatch.setattr(root, "is_verified", lambda: True, raising=False)
    assert admin.site.has_permission(request)


def test_opening_a_users_edit_form_is_audited_and_a_refusal_is_not(client_for, make_user, police):
    admin = make_user(CSP_ADMIN)
    subject = make_user(PRACTITIONER, agency=police)
    url = reverse("accounts:user_edit", args=[subject.pk])
    response = client_for(admin).get(url)
    assert response.status_code == 200 and subject.email in response.content.decode()
    assert client_for(make_user(PRACTITIONER, agency=police)).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    event = AuditEvent.objects.get(verb="user.viewed")
    assert (event.actor, event.target_type, event.target_id, event.payload) == (
        admin,
        "accounts.user",
        str(subject.pk),
        {"page": "accounts:user_edit"},
    )
