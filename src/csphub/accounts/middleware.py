"""Second-factor enforcement for privileged roles."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from csphub.accounts.roles import requires_two_factor

_ALWAYS_ALLOWED = ("/static/", "/accounts/two-factor/", "/accounts/sign-out/")


class RequireTwoFactorMiddleware:
    """Administrators, co-ordinators and the DPO reach no page until they pass a TOTP check.

    Those without a device are sent to enrol one; those with one, to enter a code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(_ALWAYS_ALLOWED)
            and requires_two_factor(user)
        ):
            from django_otp import user_has_device

            target = (
                "accounts:two_factor_verify"
                if user_has_device(user)
                else "accounts:two_factor_setup"
            )
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
