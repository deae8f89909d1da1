"""Reads of users and agencies that depend on who is asking."""

from __future__ import annotations

from django.db.models import QuerySet

from csphub.accounts.models import Agency, User


def users_visible_to(user: User) -> QuerySet[User]:
    """Administrators see every user; everyone else sees only themselves."""
    if user.has_perm("accounts.manage_users"):
        return User.objects.select_related("agency").prefetch_related("groups")
    return User.objects.filter(pk=user.pk)


def users_changeable_by(user: User) -> QuerySet[User]:
    """Only administrators change users; nobody but a superuser changes a superuser."""
    if not user.has_perm("accounts.manage_users"):
        return User.objects.none()
    users = User.objects.select_related("agency")
    return users if user.is_superuser else users.filter(is_superuser=False)


def agencies_visible_to(user: User) -> QuerySet[Agency]:
    """Agencies are not personal data: every signed-in user may list them."""
    return Agency.objects.all()


def agencies_changeable_by(user: User) -> QuerySet[Agency]:
    if not user.has_perm("accounts.manage_agencies"):
        return Agency.objects.none()
    return Agency.objects.all()


def is_locked_out(user: User) -> bool:
    """Whether failed sign-ins have locked this account (see AXES_FAILURE_LIMIT)."""
    from axes.models import AccessAttempt
    from django.conf import settings

    return AccessAttempt.objects.filter(
        username=user.email, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()
