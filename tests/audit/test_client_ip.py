"""Behind the TLS proxy, lockouts and the audit trail use the client's address, not the proxy's."""

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from csphub.accounts.roles import ANALYST
from csphub.audit.models import AuditEvent

PROXY = "10.0.0.1"
CLIENT = "203.0.113.9"
CALLABLE = "csphub.audit.services.client_ip_behind_proxy"


@pytest.fixture
def behind_proxy(settings):
    settings.AXES_CLIENT_IP_CALLABLE = CALLABLE


def _fail_sign_in(client, email, forwarded_for=CLIENT):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": "wrong-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_proxy_the_forwarded_client_address_is_audited_and_locked_out(
    behind_proxy, client, make_user
):
    user = make_user(ANALYST)
    _fail_sign_in(client, user.email)
    assert AuditEvent.objects.get(verb="auth.sign_in_failed").ip_address == CLIENT
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}


def test_behind_the_proxy_only_the_entry_the_proxy_added_is_trusted(
    behind_proxy, client, make_user
):
    user = make_user(ANALYST)
    _fail_sign_in(client, user.email, forwarded_for=f"198.51.100.7, {CLIENT}")
    assert AuditEvent.objects.get(verb="auth.sign_in_failed").ip_address == CLIENT
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}


def test_five_failures_from_one_client_behind_the_proxy_do_not_lock_out_another(
    behind_proxy, client, make_user
):
    for _ in range(5):
        _fail_sign_in(client, make_user(ANALYST).email)
    other = make_user(ANALYST)
    response = _fail_sign_in(client, other.email, forwarded_for="198.51.100.7")
    assert response.status_code == 200
    response = _fail_sign_in(client, other.email)
    assert response.status_code == 429


def test_a_malformed_forwarded_header_falls_back_to_the_peer_address(
    behind_proxy, client, make_user
):
    user = make_user(ANALYST)
    _fail_sign_in(client, user.email, forwarded_for="not-an-address")
    assert AuditEvent.objects.get(verb="auth.sign_in_failed").ip_address == PROXY


def test_without_the_proxy_a_forged_forwarded_header_is_ignored(client, make_user):
    user = make_user(ANALYST)
    _fail_sign_in(client, user.email)
    assert AuditEvent.objects.get(verb="auth.sign_in_failed").ip_address == PROXY
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def _axes_callable_under(**env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "BEHIND_TLS_PROXY"}
    environ.update(env)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import csphub.settings as s; print(getattr(s, 'AXES_CLIENT_IP_CALLABLE', None))",
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_environment_variable_turns_the_forwarded_address_on():
    assert _axes_callable_under(BEHIND_TLS_PROXY="true") == CALLABLE
    assert _axes_callable_under() == "None"
