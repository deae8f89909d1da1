import pytest
from django.urls import reverse


def test_pages_carry_security_headers(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'nonce-" in csp  # the one inline script (GOV.UK's js-enabled switch) runs by nonce
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_inline_script_nonce_matches_header(client, db):
    response = client.get(reverse("accounts:login"))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_every_form_page_has_a_csrf_token(client, db):
    response = client.get(reverse("accounts:login"))
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_post_without_csrf_token_is_refused(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "a@b.c", "password": "x"})
    assert response.status_code == 403


def test_not_found_page_is_styled_and_generic(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_refused_page_is_styled_and_says_what_to_do(client_for, make_user):
    from csphub.accounts.roles import PRACTITIONER

    response = client_for(make_user(PRACTITIONER)).get(reverse("audit:event_list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You do not have access to this page" in page and "CSP administrator" in page
    assert "govuk-generic-header" in page  # the service's own header, not a bare error


def test_server_error_page_is_generic_and_leaks_nothing(rf):
    from csphub.core.views import error_500

    response = error_500(rf.get("/cases/C-ABCDE/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "C-ABCDE" not in page and "Traceback" not in page


def test_the_demo_cannot_be_loaded_under_production_settings(db, settings):
    from django.core.management import CommandError, call_command

    from csphub.accounts.models import User

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo")
    assert not User.objects.filter(email__endswith=".demo").exists()
