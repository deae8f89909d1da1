"""Sign-in events to the audit trail, and role groups kept in step after every migrate."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from csphub.accounts import verbs
from csphub.accounts.models import normalise_email
from csphub.accounts.roles import sync_role_groups
from csphub.audit import record


def sign_in_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """The address django-axes counts failures for: normalised, as sign-in compares it."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    return normalise_email(typed) if typed else typed


def _user_by_email(email: str | None) -> Any:
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).first()


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(verb=verbs.SIGNED_IN, actor=user, target=user, request=request)


@receiver(user_logged_out)
def audit_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(verb=verbs.SIGNED_OUT, actor=user, target=user, request=request)


@receiver(user_login_failed)
def audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The typed e-mail is not stored: the target names the account when one exists.
    user = _user_by_email(credentials.get("username"))
    record(
        verb=verbs.SIGN_IN_FAILED,
        actor=None,
        target=user,
        request=request,
        payload={"known_account": user is not None},
    )


@receiver(user_locked_out)
def audit_lockout(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    user = _user_by_email(username)
    record(
        verb=verbs.LOCKED_OUT,
        actor=None,
        target=user,
        request=request,
        payload={"known_account": user is not None},
    )


@receiver(post_migrate)
def keep_role_groups_in_step(sender: Any, **kwargs: Any) -> None:
    sync_role_groups()
