"""The Django admin has no sign-in of its own: it sends people to the service's sign-in."""

from django.urls import reverse

from csphub.accounts.roles import CSP_ADMIN


def test_the_admin_login_page_is_the_service_sign_in(client):
    response = client.get("/django-admin/login/?next=/django-admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("accounts:login") + "?next=/django-admin/accounts/user/"
    )


def test_the_demo_password_cannot_be_used_through_the_admin(client, make_user, settings):
    user = make_user(CSP_ADMIN)
    user.is_staff = user.is_superuser = True
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    settings.PRODUCTION = True
    response = client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": user.email, "password": settings.DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_lockouts_are_not_cleared_in_the_django_admin(client_for, make_user):
    # Clearing one there would unlock an account with no audit event.
    client = client_for(make_user(is_superuser=True, is_staff=True))
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/axes/accessattempt/").status_code == 404
