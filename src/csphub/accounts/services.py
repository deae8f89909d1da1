"""Every write to users and agencies: keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from csphub.accounts.models import Agency, User
from csphub.accounts.roles import ROLES, role_keys_of
from csphub.audit import record


def do_create_agency(
    *, actor: User | None, name: str, kind: str, request: HttpRequest | None = None
) -> Agency:
    with transaction.atomic():
        agency = Agency.objects.create(name=name, kind=kind)
        record(
            verb="agency.created",
            actor=actor,
            target=agency,
            request=request,
            payload={"kind": kind},
        )
    return agency


def do_update_agency(
    *,
    actor: User,
    agency: Agency,
    name: str,
    kind: str,
    is_active: bool,
    request: HttpRequest | None = None,
) -> Agency:
    with transaction.atomic():
        changed = [
            f
            for f, v in (("name", name), ("kind", kind), ("is_active", is_active))
            if getattr(agency, f) != v
        ]
        agency.name, agency.kind, agency.is_active = name, kind, is_active
        agency.save()
        record(
            verb="agency.updated",
            actor=actor,
            target=agency,
            request=request,
            payload={"fields": changed},
        )
    return agency


def _set_roles(user: User, role_keys: Iterable[str]) -> None:
    labels = [ROLES[key].label for key in role_keys]
    user.groups.set(Group.objects.filter(name__in=labels))


def do_create_user(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    agency: Agency | None,
    roles: Iterable[str],
    job_title: str = "",
    password: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Create a user. Without a password they cannot sign in until they set one by e-mail link."""
    roles = sorted(set(roles))
    with transaction.atomic():
        user = User.objects.create_user(
            email, password, full_name=full_name, agency=agency, job_title=job_title
        )
        _set_roles(user, roles)
        record(
            verb="user.created",
            actor=actor,
            target=user,
            request=request,
            payload={"roles": roles, "agency": str(agency.pk) if agency else None},
        )
    return user


def do_update_user(
    *,
    actor: User,
    user: User,
    full_name: str,
    job_title: str,
    agency: Agency | None,
    roles: Iterable[str],
    is_active: bool,
    request: HttpRequest | None = None,
) -> User:
    """Change a user's details, agency and roles; a role change is its own audit event."""
    new_roles = sorted(set(roles))
    with transaction.atomic():
        old_roles = sorted(role_keys_of(user))
        old_agency = user.agency_id
        user.full_name, user.job_title, user.agency, user.is_active = (
            full_name,
            job_title,
            agency,
            is_active,
        )
        user.save()
        _set_roles(user, new_roles)
        record(
            verb="user.updated",
            actor=actor,
            target=user,
            request=request,
            payload={"agency_changed": old_agency != user.agency_id, "is_active": is_active},
        )
        if old_roles != new_roles:
            record(
                verb="user.roles_changed",
                actor=actor,
                target=user,
                request=request,
                payload={"from": old_roles, "to": new_roles},
            )
    return user


def do_confirm_two_factor(*, user: User, device: object, request: HttpRequest) -> None:
    """Confirm a newly enrolled TOTP device and mark this session as verified."""
    from django_otp import login as otp_login

    replacing = type(device).objects.filter(user=user, confirmed=True).exclude(pk=device.pk)  # type: ignore[attr-defined]
    if replacing.exists() and not getattr(request.user, "is_verified", lambda: False)():
        # Someone holding only the password could otherwise swap in their own authenticator.
        raise PermissionDenied("Enter a code from your current device before enrolling a new one.")
    with transaction.atomic():
        device.confirmed = True  # type: ignore[attr-defined]
        device.save()  # type: ignore[attr-defined]
        # One device per user: enrolling again replaces the old one.
        type(device).objects.filter(user=user).exclude(pk=device.pk).delete()  # type: ignore[attr-defined]
        record(verb="auth.two_factor_enrolled", actor=user, target=user, request=request)
    otp_login(request, device)


def do_verify_two_factor(*, user: User, token: str, request: HttpRequest) -> bool:
    """Check a code against the user's confirmed device; audit the outcome."""
    from django_otp import login as otp_login
    from django_otp import match_token

    device = match_token(user, token)
    if device is None:
        record(verb="auth.two_factor_failed", actor=user, target=user, request=request)
        return False
    otp_login(request, device)
    record(verb="auth.two_factor_verified", actor=user, target=user, request=request)
    return True


def do_reset_two_factor(*, actor: User, user: User, request: HttpRequest) -> None:
    """Remove a user's devices (lost phone); they enrol again at next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        record(verb="auth.two_factor_reset", actor=actor, target=user, request=request)


def do_unlock_sign_in(*, actor: User, user: User, request: HttpRequest) -> int:
    """Clear a lockout after failed sign-ins (the person has been verified another way)."""
    from axes.utils import reset

    with transaction.atomic():
        cleared = reset(username=user.email)
        record(verb="auth.unlocked", actor=actor, target=user, request=request)
    return cleared
