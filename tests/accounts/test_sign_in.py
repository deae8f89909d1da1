import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.roles import ANALYST, PRACTITIONER
from csphub.audit.models import AuditEvent
from tests.factories import PASSWORD


def _sign_in(client, email, password, **headers):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **headers
    )


def test_user_signs_in_with_email_and_password_and_it_is_audited(client, make_user):
    user = make_user(ANALYST)
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    event = AuditEvent.objects.get(verb="auth.signed_in")
    assert event.actor == user
    assert event.target_id == str(user.pk)
    assert event.ip_address == "127.0.0.1"


def test_failed_sign_in_is_audited_without_the_typed_email(client, make_user):
    user = make_user(ANALYST)
    response = _sign_in(client, user.email, "wrong-password")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    event = AuditEvent.objects.get(verb="auth.sign_in_failed")
    assert event.actor is None
    assert event.target_id == str(user.pk)
    assert user.email not in str(event.payload)


def test_five_failures_lock_the_account_even_with_the_right_password(client, make_user):
    user = make_user(ANALYST)
    for _ in range(5):
        _sign_in(client, user.email, "wrong-password")
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "cannot sign in for 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb="auth.locked_out", target_id=str(user.pk)).exists()


def test_four_failures_then_success_does_not_lock(client, make_user):
    user = make_user(ANALYST)
    for _ in range(4):
        _sign_in(client, user.email, "wrong-password")
    assert _sign_in(client, user.email, PASSWORD).status_code == 302


def test_deactivated_user_cannot_sign_in(client, make_user):
    user = make_user(ANALYST, is_active=False)
    response = _sign_in(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_demo_password_is_refused_under_production_settings(client, make_user, settings):
    user = make_user(PRACTITIONER)
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    settings.PRODUCTION = True
    response = _sign_in(client, user.email, settings.DEMO_PASSWORD)
    assert response.status_code == 200
    assert "demo password cannot be used" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_expires_after_thirty_minutes_idle(client, make_user):
    user = make_user(ANALYST)
    _sign_in(client, user.email, PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200
    # Each request slides the expiry forward by the full 30 minutes…
    session = Session.objects.get()
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60
    # …so a session whose expiry has passed (30 minutes without a request) is gone.
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_reset_sends_a_link_that_sets_a_new_password(client, make_user, mailoutbox):
    user = make_user(ANALYST)
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {
            "new_password1": "a-brand-new-passphrase-42",
            "new_password2": "a-brand-new-passphrase-42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase-42")


def test_password_reset_for_unknown_address_sends_nothing_but_looks_the_same(
    client, db, mailoutbox
):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.parametrize("path", ["/", "/accounts/", "/accounts/users/", "/audit/"])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_administrator_sees_a_lockout_and_unlocks_it(client, client_for, make_user):
    from csphub.accounts.roles import CSP_ADMIN

    user = make_user(ANALYST)
    for _ in range(5):
        _sign_in(client, user.email, "wrong-password")
    admin_client = client_for(make_user(CSP_ADMIN))
    page = admin_client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()
    assert "Locked out" in page
    admin_client.post(reverse("accounts:user_unlock", args=[user.pk]))
    assert AuditEvent.objects.filter(verb="auth.unlocked", target_id=str(user.pk)).exists()
    assert _sign_in(client, user.email, PASSWORD).status_code == 302
