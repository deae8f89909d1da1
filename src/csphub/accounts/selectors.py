"""Reads of users and agencies that depend on who is asking."""

from __future__ import annotations

from django.db.models import QuerySet

from csphub.accounts.choices import GrantRequestStatus
from csphub.accounts.grants import KINDS
from csphub.accounts.models import Agency, GrantRequest, User


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


def may_be_the_same_person(account: User, other: User) -> bool:
    """Whether ACCOUNT may be OTHER under a second name: it is OTHER, or OTHER created it."""
    return account.pk == other.pk or account.created_by_id == other.pk


def grant_needs_second_administrator(actor: User, grantee: User) -> bool:
    """A grant opening personal data to oneself (or via a second account) waits for another."""
    return may_be_the_same_person(actor, grantee)


def pending_grant_requests_visible_to(user: User) -> QuerySet[GrantRequest]:
    """Administrators see every request still waiting; nobody else sees any."""
    if not user.has_perm("accounts.manage_users"):
        return GrantRequest.objects.none()
    return GrantRequest.objects.filter(status=GrantRequestStatus.PENDING).select_related(
        "user__agency", "requested_by"
    )


def may_decide_grant_request(user: User, grant_request: GrantRequest) -> bool:
    """A different administrator decides: not the requester, the grantee, or their accounts."""
    kind = KINDS.get(grant_request.kind)
    return (
        kind is not None
        and user.has_perms(["accounts.manage_users", kind.permission])
        and not may_be_the_same_person(user, grant_request.requested_by)
        and not may_be_the_same_person(user, grant_request.user)
    )


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
