"""E-mail addresses are one account whatever their case."""

import pytest
from django.core.exceptions import ValidationError
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
