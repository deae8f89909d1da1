"""Typing helpers for views: the request of a signed-in user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from csphub.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind @login_required: `user` is a signed-in User, never AnonymousUser."""

    user: User
