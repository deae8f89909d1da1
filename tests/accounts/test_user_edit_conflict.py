"""A stale user form is a conflict (409), never a silent re-grant or reactivation."""

import re

from django.urls import reverse

from csphub.accounts.roles import COORDINATOR, CSP_ADMIN, PRACTITIONER, role_keys_of
from csphub.audit.models import AuditEvent


def _form_data(page: str, subject, roles, is_active: bool) -> dict:
    """What a browser would post from PAGE (a loaded edit form), with ROLES and IS_ACTIVE."""
    data = {
        "full_name": subject.full_name,
        "job_title": subject.job_title,
        "agency": subject.agency_id,
        "roles": roles,
    }
    match = re.search(r'name="version" value="(\d+)"', page)
    if match:
        data["version"] = match.group(1)
    if is_active:
        data["is_active"] = "on"
    return data


def test_stale_user_form_is_a_conflict(client_for, make_user, police, school):
    subject = make_user(PRACTITIONER, COORDINATOR, agency=police)
    url = reverse("accounts:user_edit", args=[subject.pk])
    first = client_for(make_user(CSP_ADMIN, agency=police))
    second = client_for(make_user(CSP_ADMIN, agency=school))
    page_one = first.get(url).content.decode()
    page_two = second.get(url).content.decode()

    # The first administrator revokes the co-ordinator role and deactivates the account…
    saved = first.post(url, _form_data(page_one, subject, [PRACTITIONER], is_active=False))
    assert saved.status_code == 302
    # …the second, from a form loaded before, changes only the job title.
    stale = _form_data(page_two, subject, [PRACTITIONER, COORDINATOR], is_active=True)
    stale["job_title"] = "Team leader"
    response = second.post(url, stale)

    assert response.status_code == 409
    assert "Someone else saved this user after you opened it" in response.content.decode()
    subject.refresh_from_db()
    assert role_keys_of(subject) == {PRACTITIONER}
    assert subject.is_active is False
    assert subject.job_title == ""
    assert AuditEvent.objects.filter(verb="user.updated").count() == 1
    # The conflict page shows the user as they are now beside the refused changes, and carries
    # the new version so that saving again is a deliberate choice.
    html = response.content.decode()
    assert f'name="version" value="{subject.version}"' in html
    saved_now = html[html.index("What is saved now") :]
    assert re.search(r"Can sign in\s*</dt>\s*<dd[^>]*>\s*No", saved_now)


def test_a_form_without_a_version_is_refused_not_saved(client_for, make_user, police):
    subject = make_user(PRACTITIONER, agency=police)
    data = {"full_name": "Changed", "agency": police.pk, "roles": [COORDINATOR], "is_active": "on"}
    response = client_for(make_user(CSP_ADMIN)).post(
        reverse("accounts:user_edit", args=[subject.pk]), data
    )
    assert response.status_code == 200
    subject.refresh_from_db()
    assert subject.full_name != "Changed"
    assert role_keys_of(subject) == {PRACTITIONER}


def test_the_account_services_refuse_anyone_who_may_not_change_the_user(make_user, police):
    """Each account service checks who may change the account (users_changeable_by), not
    only the page: a practitioner changes nobody, an administrator no superuser."""
    import pytest
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from csphub.accounts import services
    from csphub.accounts.models import User

    practitioner = make_user(PRACTITIONER, agency=police)
    subject = make_user(PRACTITIONER, agency=police, job_title="Officer")
    superuser = User.objects.create_superuser("root@example.test", "x", full_name="Root")
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    admin = make_user(CSP_ADMIN, agency=police)
    request = RequestFactory().post("/")
    request.user = practitioner
    for actor, user in ((practitioner, subject), (admin, superuser)):
        with pytest.raises(PermissionDenied):
            services.do_update_user(
                actor=actor,
                user=user,
                expected_version=user.version,
                full_name=user.full_name,
                job_title="Changed",
                agency=police,
                roles=sorted(role_keys_of(user)),
                is_active=False,
            )
        with pytest.raises(PermissionDenied):
            services.do_reset_two_factor(actor=actor, user=user, request=request)
        with pytest.raises(PermissionDenied):
            services.do_unlock_sign_in(actor=actor, user=user, request=request)
        user.refresh_from_db()
        assert user.is_active and user.job_title != "Changed"
    assert TOTPDevice.objects.filter(user=superuser).exists()
    assert not AuditEvent.objects.filter(
        verb__in=["user.updated", "auth.two_factor_reset", "auth.unlocked"]
    ).exists()
