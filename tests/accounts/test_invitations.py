"""A new user's invitation: e-mailed on creation, a one-time expiring link (nothing but the
token in it) to set a password, then two-factor enrolment where the role needs it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csphub.accounts import services
from csphub.accounts.models import Invitation, User
from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.audit.models import AuditEvent

PASSWORD = "a-long-new-password-4-tests"
LINK = re.compile(r"https?://\S+/accounts/welcome/(?P<token>[A-Za-z0-9_-]+)/")


def _create(client_for, partnership, django_capture_on_commit_callbacks, role=PRACTITIONER):
    admin = client_for(partnership.csp_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("accounts:user_create"),
            {
                "email": "new.starter@childrens.example",
                "full_name": "Nia Starter",
                "job_title": "Social worker",
                "agency": str(partnership.childrens.pk),
                "roles": [role],
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(email="new.starter@childrens.example")


def _link(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0)


def test_a_new_user_is_emailed_a_link_holding_nothing_but_a_token(
    partnership, client_for, django_capture_on_commit_callbacks
):
    user = _create(client_for, partnership, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.starter@childrens.example"]
    link = _link(message)
    path = link.split("://", 1)[1].split("/", 1)[1]
    token = LINK.search(link).group("token")
    assert path == f"accounts/welcome/{token}/"
    for personal in ("Nia", "Starter", "new.starter", str(user.pk), "childrens"):
        assert personal not in link
    assert len(token) >= 40  # 32 random bytes, base64
    stored = Invitation.objects.get(user=user)
    assert token not in stored.token_hash  # only its hash is kept
    assert AuditEvent.objects.filter(verb="user.invited", target_id=str(user.pk)).count() == 1


SET_PASSWORD = "/accounts/welcome/set-password/"


def test_the_link_sets_the_password_once_and_signs_the_user_in(
    partnership, client_for, django_capture_on_commit_callbacks
):
    user = _create(client_for, partnership, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    visitor = Client()

    opened = visitor.get(link)
    assert opened.status_code == 302
    assert opened["Location"] == SET_PASSWORD  # the token leaves the address bar at once
    page = visitor.get(SET_PASSWORD)
    assert page.status_code == 200
    assert "Set your password" in page.content.decode()
    done = visitor.post(SET_PASSWORD, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("core:home")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert visitor.get(reverse("accounts:profile")).status_code == 200  # signed in
    assert AuditEvent.objects.filter(verb="user.invitation_accepted").count() == 1

    again = Client().get(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    reused = visitor.post(
        SET_PASSWORD, {"new_password1": "x" + PASSWORD, "new_password2": "x" + PASSWORD}
    )
    assert reused.status_code == 410
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # the second use changed nothing


def test_a_link_opened_twice_before_use_still_sets_the_password_once(
    partnership, client_for, django_capture_on_commit_callbacks
):
    user = _create(client_for, partnership, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    first, second = Client(), Client()
    first.get(link)
    second.get(link)  # e.g. the same e-mail opened on a phone and a laptop
    assert first.post(SET_PASSWORD, {"new_password1": PASSWORD, "new_password2": PASSWORD})[
        "Location"
    ] == reverse("core:home")
    other = "y" + PASSWORD
    assert (
        second.post(SET_PASSWORD, {"new_password1": other, "new_password2": other}).status_code
        == 410
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_expired_link_is_refused(partnership, client_for, django_capture_on_commit_callbacks):
    user = _create(client_for, partnership, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    opened_in_time = Client()
    opened_in_time.get(link)
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))

    late = Client().get(link)
    assert late.status_code == 410
    assert "has expired" in late.content.decode()
    posted = opened_in_time.post(
        SET_PASSWORD, {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert posted.status_code == 410
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_the_set_password_page_without_an_invitation_is_refused(db):
    assert Client().get(SET_PASSWORD).status_code == 410


def test_the_link_expires_after_the_configured_days(partnership, settings):
    settings.INVITATION_VALID_DAYS = 3
    before = timezone.now()
    services.do_invite_user(actor=partnership.csp_admin, user=partnership.colleague)
    invitation = Invitation.objects.get(user=partnership.colleague)
    assert before + timedelta(days=3) <= invitation.expires_at <= timezone.now() + timedelta(days=3)


def test_a_new_invitation_replaces_the_old_link(
    partnership, client_for, django_capture_on_commit_callbacks
):
    user = _create(client_for, partnership, django_capture_on_commit_callbacks)
    first = _link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        resent = client_for(partnership.csp_admin).post(
            reverse("accounts:user_invite", kwargs={"user_id": user.pk})
        )
    assert resent.status_code == 302
    second = _link(mail.outbox[1])
    assert first != second
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 302  # on to the set-password page


def test_a_role_that_needs_two_factor_is_sent_to_enrol_next(
    partnership, client_for, django_capture_on_commit_callbacks
):
    _create(client_for, partnership, django_capture_on_commit_callbacks, role=COORDINATOR)
    link = _link(mail.outbox[0])
    visitor = Client()
    page = visitor.get(link, follow=True)
    assert "needs two-factor sign-in" in page.content.decode()

    done = visitor.post(SET_PASSWORD, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert done["Location"].startswith(reverse("accounts:two_factor_setup"))
    # Until they enrol, every other page sends them back to enrol.
    home = visitor.get(reverse("core:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert visitor.get(done["Location"]).status_code == 200


def test_an_unknown_token_is_refused(db):
    response = Client().get(reverse("accounts:invitation", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 410


def test_only_an_administrator_sends_an_invitation(partnership, client_for):
    url = reverse("accounts:user_invite", kwargs={"user_id": partnership.colleague.pk})
    assert client_for(partnership.outsider).post(url).status_code == 403
    assert client_for(partnership.coordinator).post(url).status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_user_page_shows_the_last_sign_in(partnership, client_for, signed_in):
    subject = partnership.colleague
    if signed_in:
        subject.last_login = timezone.make_aware(datetime(2026, 2, 3, 9, 15))
        subject.save(update_fields=["last_login"])
    page = client_for(partnership.csp_admin).get(
        reverse("accounts:user_detail", kwargs={"user_id": subject.pk})
    )
    text = page.content.decode()
    assert "Last signed in" in text
    if signed_in:
        assert "3 February 2026, 09:15" in text
    else:
        assert "Never" in text


def test_signing_in_records_the_last_sign_in(partnership, client):
    user = partnership.colleague
    user.set_password(PASSWORD)
    user.save()
    assert user.last_login is None
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
