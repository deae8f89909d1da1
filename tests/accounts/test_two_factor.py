import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts.roles import ANALYST, COORDINATOR, CSP_ADMIN, DPO, EXECUTIVE, PRACTITIONER
from csphub.audit.models import AuditEvent
from tests.factories import PASSWORD


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})


def test_privileged_roles_must_enrol_before_reaching_any_page(client, make_user):
    for role in (CSP_ADMIN, COORDINATOR, DPO):
        client.logout()
        user = make_user(role)
        _sign_in(client, user)
        response = client.get(reverse("core:home"))
        assert response.status_code == 302, role
        assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_enrolment_confirms_the_device_and_opens_the_service(client, make_user):
    user = make_user(CSP_ADMIN)
    _sign_in(client, user)
    page = client.get(reverse("accounts:two_factor_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        reverse("accounts:two_factor_setup"), {"token": _code(device), "next": "/"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(verb="auth.two_factor_enrolled", actor=user).exists()


def test_enrolled_user_must_enter_a_code_at_each_sign_in(client, make_user):
    user = make_user(DPO)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(client, user)
    response = client.get(reverse("audit:event_list"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    right = client.post(
        reverse("accounts:two_factor_verify"), {"token": _code(device), "next": "/audit/"}
    )
    assert right["Location"] == "/audit/"
    assert client.get(reverse("audit:event_list")).status_code == 200


def test_wrong_code_is_refused_and_audited(client, make_user):
    user = make_user(COORDINATOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    wrong_code = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    _sign_in(client, user)
    wrong = client.post(reverse("accounts:two_factor_verify"), {"token": wrong_code})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert AuditEvent.objects.filter(verb="auth.two_factor_failed", actor=user).exists()
    assert client.get(reverse("core:home")).status_code == 302


def test_verify_refuses_to_redirect_off_site(client, make_user):
    user = make_user(DPO)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(client, user)
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"token": _code(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_practitioners_and_analysts_are_not_forced_to_use_two_factor(client, make_user):
    for role in (PRACTITIONER, ANALYST):
        client.logout()
        _sign_in(client, make_user(role))
        assert client.get(reverse("core:home")).status_code == 200, role


def test_admin_can_reset_a_users_two_factor_and_it_is_audited(client_for, make_user):
    admin = make_user(CSP_ADMIN)
    coordinator = make_user(COORDINATOR)
    TOTPDevice.objects.create(user=coordinator, name="phone", confirmed=True)
    response = client_for(admin).post(
        reverse("accounts:user_reset_two_factor", args=[coordinator.pk])
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    event = AuditEvent.objects.get(verb="auth.two_factor_reset")
    assert (event.actor, event.target_id) == (admin, str(coordinator.pk))


def test_navigation_is_hidden_until_the_second_factor_is_passed(client, make_user):
    user = make_user(CSP_ADMIN)
    _sign_in(client, user)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert 'href="/accounts/users/"' not in page
    assert "Sign out" in page


def test_a_password_alone_cannot_swap_in_a_new_authenticator(client, make_user):
    user = make_user(DPO)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(client, user)
    # The enrolment page sends someone who already has a device to enter its code first.
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    # Posting a code for a device of the attacker's own making is refused too.
    rogue = TOTPDevice.objects.create(user=user, name="rogue", confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"token": _code(rogue)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert set(TOTPDevice.objects.filter(user=user, confirmed=True)) == {device}
    assert client.get(reverse("audit:event_list")).status_code == 302
    assert not AuditEvent.objects.filter(verb="auth.two_factor_enrolled", actor=user).exists()


def test_the_service_refuses_replacing_a_device_from_an_unverified_session(make_user, rf):
    import pytest
    from django.core.exceptions import PermissionDenied

    from csphub.accounts.services import do_confirm_two_factor

    user = make_user(COORDINATOR)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    rogue = TOTPDevice.objects.create(user=user, name="rogue", confirmed=False)
    request = rf.post("/")
    request.user = user
    user.is_verified = lambda: False
    with pytest.raises(PermissionDenied):
        do_confirm_two_factor(user=user, device=rogue, request=request)
    rogue.refresh_from_db()
    assert not rogue.confirmed and TOTPDevice.objects.filter(user=user, name="phone").exists()


def test_a_verified_user_may_move_to_a_new_phone(client, make_user):
    user = make_user(CSP_ADMIN)
    old = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(client, user)
    client.post(reverse("accounts:two_factor_verify"), {"token": _code(old), "next": "/"})
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"token": _code(new), "next": "/"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [new]


# Two-factor for everyone who has enrolled a device.


@pytest.mark.parametrize("role", [PRACTITIONER, ANALYST, EXECUTIVE])
def test_enrolled_practitioner_is_challenged_for_two_factor(client, make_user, role):
    user = make_user(role)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(client, user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    # Nothing to navigate to, and no other page either, until the code is given.
    assert client.get(reverse("accounts:profile")).status_code == 302
    page = client.get(reverse("accounts:two_factor_verify"))
    assert page.context["navigation"] == []
    right = client.post(
        reverse("accounts:two_factor_verify"), {"token": _code(device), "next": "/"}
    )
    assert right["Location"] == "/"
    assert client.get(reverse("core:home")).status_code == 200


def test_an_unconfirmed_device_does_not_challenge(client, make_user):
    user = make_user(PRACTITIONER)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=False)
    _sign_in(client, user)
    assert client.get(reverse("core:home")).status_code == 200


def test_every_sign_in_is_challenged_again(client, make_user):
    user = make_user(PRACTITIONER)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    _sign_in(client, user)
    client.post(reverse("accounts:two_factor_verify"), {"token": _code(device)})
    assert client.get(reverse("core:home")).status_code == 200
    client.post(reverse("accounts:logout"))
    _sign_in(client, user)
    assert client.get(reverse("core:home")).status_code == 302
