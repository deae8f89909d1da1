"""Sessions that die with deactivation, and e-mail addresses that are one account whatever
their case."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from csphub.accounts import services
from csphub.accounts.models import User
from csphub.accounts.roles import ANALYST, CSP_ADMIN, PRACTITIONER
from csphub.audit.models import AuditEvent
from tests.factories import PASSWORD


def _sign_in(client, email, password=PASSWORD, **headers):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **headers
    )


# Deactivation ends sessions for good.


def _edit_active(admin_client, subject, is_active):
    subject.refresh_from_db()
    data = {
        "full_name": subject.full_name,
        "job_title": subject.job_title,
        "agency": subject.agency_id,
        "roles": [PRACTITIONER],
        "version": getattr(subject, "version", ""),
    }
    if is_active:
        data["is_active"] = "on"
    response = admin_client.post(reverse("accounts:user_edit", args=[subject.pk]), data)
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.is_active is is_active


def test_session_from_before_deactivation_is_dead_after_reactivation(client_for, make_user, police):
    admin = make_user(CSP_ADMIN, agency=police)
    subject = make_user(PRACTITIONER, agency=police)
    victim = Client()
    assert _sign_in(victim, subject.email).status_code == 302
    assert victim.get(reverse("core:home")).status_code == 200
    captured = victim.cookies[settings.SESSION_COOKIE_NAME].value

    admin_client = client_for(admin)
    _edit_active(admin_client, subject, False)
    _edit_active(admin_client, subject, True)

    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = captured
    response = thief.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    # A fresh sign-in works: the account itself is back.
    assert _sign_in(Client(), subject.email).status_code == 302


def test_deactivating_through_the_model_ends_sessions_too(client, make_user):
    # The Django admin and any other save path turn an account off through User.save().
    subject = make_user(PRACTITIONER)
    _sign_in(client, subject.email)
    assert client.get(reverse("core:home")).status_code == 200
    subject.is_active = False
    subject.save()
    subject.is_active = True
    subject.save()
    assert client.get(reverse("core:home")).status_code == 302


def test_an_edit_that_keeps_the_account_active_keeps_its_sessions(client, client_for, make_user):
    admin, subject = make_user(CSP_ADMIN), make_user(PRACTITIONER)
    _sign_in(client, subject.email)
    _edit_active(client_for(admin), subject, True)
    assert client.get(reverse("core:home")).status_code == 200


# E-mail addresses are case-insensitive.


def test_sign_in_email_is_case_insensitive(client, make_user):
    user = make_user(ANALYST, email="admin@bexley.demo")
    response = _sign_in(client, "  ADMIN@Bexley.Demo ")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.get(verb="auth.signed_in").actor == user


def test_lockout_counts_failures_per_normalised_email(client, make_user):
    user = make_user(ANALYST, email="admin@bexley.demo")
    variants = ["ADMIN@bexley.demo", "Admin@Bexley.Demo", "admin@BEXLEY.DEMO", "aDmIn@bexley.demo"]
    variants.append("admin@bexley.demo")
    for n, email in enumerate(variants, start=1):
        # From a different address each time, so only the per-account count can lock.
        _sign_in(client, email, "wrong-password", REMOTE_ADDR=f"192.0.2.{n}")
    response = _sign_in(client, user.email, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_creating_a_user_whose_email_differs_only_in_case_is_refused(make_user, police):
    existing = make_user(ANALYST, email="dana.reid@met.example")
    with pytest.raises(ValidationError) as error:
        services.do_create_user(
            actor=None,
            email="Dana.Reid@MET.example",
            full_name="Another Dana",
            agency=police,
            roles=[PRACTITIONER],
        )
    assert error.value.message_dict == {"email": ["A user with this email address already exists."]}
    assert list(User.objects.filter(email__iexact=existing.email)) == [existing]


def test_the_add_user_form_refuses_a_case_variant_with_a_clear_message(
    client_for, make_user, police
):
    make_user(ANALYST, email="dana.reid@met.example")
    response = client_for(make_user(CSP_ADMIN)).post(
        reverse("accounts:user_create"),
        {"email": "DANA.Reid@met.example", "full_name": "Clash", "agency": police.pk},
    )
    assert response.status_code == 200
    assert "A user with this email address already exists." in response.content.decode()
    assert User.objects.filter(email__iexact="dana.reid@met.example").count() == 1


def test_an_email_saved_in_mixed_case_is_stored_lower_case(make_user):
    # Any save path (the Django admin's change form among them) stores one spelling.
    user = make_user(ANALYST)
    user.email = "Mixed.Case@Example.test"
    user.save()
    user.refresh_from_db()
    assert user.email == "mixed.case@example.test"
