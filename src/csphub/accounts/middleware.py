"""Second-factor enforcement: privileged roles, and everyone who has enrolled a device."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from csphub.accounts.two_factor import second_factor_due

_ALWAYS_ALLOWED = ("/static/", "/accounts/two-factor/", "/accounts/sign-out/")


class RequireTwoFactorMiddleware:
    """Nobody who owes a second factor reaches a page until they pass a TOTP check.

    Administrators, co-ordinators and the DPO owe one always; anyone else once they have
    enrolled a device. Those without a device are sent to enrol one; those with one, to
    enter a code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not request.path.startswith(_ALWAYS_ALLOWED) and second_factor_due(user):
            from django_otp import user_has_device

            target = (
                "accounts:two_factor_verify"
                if user_has_device(user)
                else "accounts:two_factor_setup"
            )
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
