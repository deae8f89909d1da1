"""Every write to users and agencies: keyword-only, atomic, audited."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from csphub.accounts import verbs
from csphub.accounts.choices import GrantRequestStatus
from csphub.accounts.grants import KINDS
from csphub.accounts.models import Agency, GrantRequest, Invitation, User, normalise_email
from csphub.accounts.roles import ROLES, opens_personal_data, role_keys_of
from csphub.accounts.selectors import (
    grant_needs_second_administrator,
    may_decide_grant_request,
    users_changeable_by,
)
from csphub.audit import record
from csphub.core.concurrency import EditConflict, save_if_unchanged
from csphub.core.errors import ServiceError

DUPLICATE_EMAIL = "A user with this email address already exists."
OWN_AGENCY_KIND = (
    "Another administrator changes the type of your own agency: the type decides what its "
    "people see (the police see offences)."
)


def _bootstrap_or(actor: User | None, permission: str) -> None:
    """Refuse ACTOR unless they hold PERMISSION. No actor is the operator's own command run
    before any user exists (the demo loader, as Django's createsuperuser), recorded as
    "system"; no page or API passes None."""
    if actor is not None and not (actor.is_authenticated and actor.has_perm(permission)):
        raise PermissionDenied


def do_create_agency(
    *, actor: User | None, name: str, kind: str, request: HttpRequest | None = None
) -> Agency:
    """A new partner agency: a CSP administrator's job (`accounts.manage_agencies`)."""
    _bootstrap_or(actor, "accounts.manage_agencies")
    with transaction.atomic():
        agency = Agency.objects.create(name=name, kind=kind)
        record(
            verb=verbs.AGENCY_CREATED,
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
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Agency:
    """Rename, retype or (de)activate an agency; refused (EditConflict) if it was saved since
    EXPECTED_VERSION (default: AGENCY's). An agency's kind decides what its people see (the
    police see offences), so another administrator changes the kind of the actor's own."""
    if not actor.has_perm("accounts.manage_agencies"):
        raise PermissionDenied
    if kind != agency.kind and actor.agency_id == agency.pk:
        raise ServiceError({"kind": OWN_AGENCY_KIND})
    with transaction.atomic():
        changed = [
            f
            for f, v in (("name", name), ("kind", kind), ("is_active", is_active))
            if getattr(agency, f) != v
        ]
        save_if_unchanged(
            agency,
            expected_version=expected_version,
            fields={"name": name, "kind": kind, "is_active": is_active},
        )
        record(
            verb=verbs.AGENCY_UPDATED,
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
    """Create a user. Without a password they cannot sign in until they set one by e-mail link.

    An address differing from an existing one only in case is the same address: refused.
    Adding users is a CSP administrator's job (`accounts.manage_users`).
    """
    _bootstrap_or(actor, "accounts.manage_users")
    roles = sorted(set(roles))
    if User.objects.filter(email__iexact=normalise_email(email)).exists():
        raise ServiceError({"email": DUPLICATE_EMAIL})
    with transaction.atomic():
        user = User.objects.create_user(
            email,
            password,
            full_name=full_name,
            agency=agency,
            job_title=job_title,
            created_by=actor if actor is not None and actor.pk else None,
        )
        _set_roles(user, roles)
        record(
            verb=verbs.USER_CREATED,
            actor=actor,
            target=user,
            request=request,
            payload={"roles": roles, "agency": str(agency.pk) if agency else None},
        )
    return user


def _agency_id(agency: Agency | None) -> Any:
    return agency.pk if agency is not None else None


def _change_check(actor: User, user: User) -> None:
    """Refuse a change to USER's account by anyone the user pages would not let make it."""
    if not users_changeable_by(actor).filter(pk=user.pk).exists():
        raise PermissionDenied("You cannot change that account")


def do_update_user(
    *,
    actor: User,
    user: User,
    expected_version: int,
    full_name: str,
    job_title: str,
    agency: Agency | None,
    roles: Iterable[str],
    is_active: bool,
    request: HttpRequest | None = None,
) -> list[GrantRequest]:
    """Change a user's details, agency and roles; a role change is its own audit event.

    Refused (EditConflict) if the user was saved since EXPECTED_VERSION was read, so a stale
    form cannot re-grant a revoked role or reactivate an account. Deactivating ends every
    session of the account for good. A role opening personal data that the actor would give
    themselves is not given, nor is a move to another agency while holding such a role (an
    agency's cases open to its people): each becomes a request for another administrator,
    and the requests made are returned (empty when everything was applied).
    """
    _change_check(actor, user)
    wanted = set(roles)
    old_roles = sorted(role_keys_of(user))
    waiting: list[str] = []
    agency_waits = False
    if grant_needs_second_administrator(actor, user):
        waiting = sorted(key for key in wanted - set(old_roles) if opens_personal_data(ROLES[key]))
        agency_waits = _agency_id(agency) != user.agency_id and any(
            opens_personal_data(ROLES[key]) for key in wanted
        )
    new_roles = sorted(wanted - set(waiting))
    fields: dict[str, Any] = {
        "full_name": full_name,
        "job_title": job_title,
        "agency": user.agency if agency_waits else agency,
        "is_active": is_active,
    }
    if user.is_active and not is_active:
        fields["session_epoch"] = F("session_epoch") + 1
    old_agency = user.agency_id
    with transaction.atomic():
        save_if_unchanged(user, expected_version=expected_version, fields=fields)
        if "session_epoch" in fields:
            user.refresh_from_db(fields=["session_epoch"])
        _set_roles(user, new_roles)
        record(
            verb=verbs.USER_UPDATED,
            actor=actor,
            target=user,
            request=request,
            payload={"agency_changed": old_agency != user.agency_id, "is_active": is_active},
        )
        if old_roles != new_roles:
            record(
                verb=verbs.ROLES_CHANGED,
                actor=actor,
                target=user,
                request=request,
                payload={"from": old_roles, "to": new_roles},
            )
        requests = [
            do_request_grant(
                actor=actor, user=user, kind="roles", detail={"role": key}, request=request
            )
            for key in waiting
        ]
        if agency_waits:
            detail = {"agency": str(_agency_id(agency) or "")}
            requests.append(
                do_request_grant(
                    actor=actor, user=user, kind="agency", detail=detail, request=request
                )
            )
        return requests


def do_request_grant(
    *,
    actor: User,
    user: User,
    kind: str,
    detail: dict[str, Any],
    request: HttpRequest | None = None,
) -> GrantRequest:
    """Ask a second administrator for a grant (audited); asking again for it adds nothing."""
    grant_kind = KINDS[kind]
    if not actor.has_perm(grant_kind.permission):
        raise PermissionDenied
    with transaction.atomic():
        for waiting in GrantRequest.objects.select_for_update().filter(
            user=user, kind=kind, status=GrantRequestStatus.PENDING
        ):
            if waiting.detail == detail:
                return waiting
        grant_request = GrantRequest.objects.create(
            user=user, requested_by=actor, kind=kind, detail=detail
        )
        record(
            verb=verbs.GRANT_REQUESTED,
            actor=actor,
            target=grant_request,
            request=request,
            payload={"user": str(user.pk), "kind": kind, **detail},
        )
    return grant_request


class GrantRequestDecided(EditConflict):
    """Someone else decided this request first."""

    def __init__(self) -> None:
        super().__init__(current_version=0)
        self.message = "Another administrator decided this request first. Nothing was changed."


def _decide(
    *,
    actor: User,
    grant_request: GrantRequest,
    status: str,
    verb: str,
    request: HttpRequest | None,
) -> None:
    if not may_decide_grant_request(actor, grant_request):
        raise PermissionDenied(
            "Another administrator must decide this request: not the one who asked for it, "
            "the person it is for, or an account either of them created."
        )
    with transaction.atomic():
        # One conditional update, so an approval and a decline at once cannot both succeed.
        claimed = GrantRequest.objects.filter(
            pk=grant_request.pk, status=GrantRequestStatus.PENDING
        ).update(status=status, decided_by=actor, decided_at=timezone.now())
        if claimed != 1:
            raise GrantRequestDecided
        grant_request.refresh_from_db()
        if status == GrantRequestStatus.APPROVED:
            KINDS[grant_request.kind].apply(
                actor=actor, user=grant_request.user, detail=grant_request.detail, request=request
            )
        record(
            verb=verb,
            actor=actor,
            target=grant_request,
            request=request,
            payload={
                "user": str(grant_request.user_id),
                "requested_by": str(grant_request.requested_by_id),
                "kind": grant_request.kind,
                **grant_request.detail,
            },
        )


def do_approve_grant_request(
    *, actor: User, grant_request: GrantRequest, request: HttpRequest | None = None
) -> None:
    """A second administrator approves a waiting grant: it is applied as if they made it."""
    _decide(
        actor=actor,
        grant_request=grant_request,
        status=GrantRequestStatus.APPROVED,
        verb=verbs.GRANT_APPROVED,
        request=request,
    )


def do_decline_grant_request(
    *, actor: User, grant_request: GrantRequest, request: HttpRequest | None = None
) -> None:
    """A second administrator declines a waiting grant: nothing is given."""
    _decide(
        actor=actor,
        grant_request=grant_request,
        status=GrantRequestStatus.DECLINED,
        verb=verbs.GRANT_DECLINED,
        request=request,
    )


def do_grant_role(
    *, actor: User, user: User, detail: dict[str, Any], request: HttpRequest | None = None
) -> None:
    """Add one role to those USER holds now (an approved request); audited as a role change."""
    if not actor.has_perm("accounts.manage_users"):
        raise PermissionDenied
    role = ROLES[detail["role"]]
    with transaction.atomic():
        old_roles = sorted(role_keys_of(user))
        if role.key in old_roles:
            return
        user.groups.add(Group.objects.get(name=role.label))
        # A user form opened before this cannot take the role away again unknowingly.
        User.objects.filter(pk=user.pk).update(version=F("version") + 1)
        record(
            verb=verbs.ROLES_CHANGED,
            actor=actor,
            target=user,
            request=request,
            payload={"from": old_roles, "to": sorted([*old_roles, role.key])},
        )


def do_move_to_agency(
    *, actor: User, user: User, detail: dict[str, Any], request: HttpRequest | None = None
) -> None:
    """Move USER to the agency DETAIL names (an approved request); audited as a user update."""
    _change_check(actor, user)
    agency = Agency.objects.filter(pk=detail["agency"]).first() if detail["agency"] else None
    with transaction.atomic():
        # A user form opened before this cannot move them back unknowingly.
        User.objects.filter(pk=user.pk).update(agency=agency, version=F("version") + 1)
        record(
            verb=verbs.USER_UPDATED,
            actor=actor,
            target=user,
            request=request,
            payload={
                "agency_changed": _agency_id(agency) != user.agency_id,
                "is_active": user.is_active,
            },
        )
    user.refresh_from_db(fields=["agency", "version"])


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
        record(verb=verbs.TWO_FACTOR_ENROLLED, actor=user, target=user, request=request)
    otp_login(request, device)


def do_verify_two_factor(*, user: User, token: str, request: HttpRequest) -> bool:
    """Check a code against the user's confirmed device; audit the outcome."""
    from django_otp import login as otp_login
    from django_otp import match_token

    device = match_token(user, token)
    if device is None:
        record(verb=verbs.TWO_FACTOR_FAILED, actor=user, target=user, request=request)
        return False
    otp_login(request, device)
    record(verb=verbs.TWO_FACTOR_VERIFIED, actor=user, target=user, request=request)
    return True


def do_reset_two_factor(*, actor: User, user: User, request: HttpRequest) -> None:
    """Remove a user's devices (lost phone); they enrol again at next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _change_check(actor, user)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        record(verb=verbs.TWO_FACTOR_RESET, actor=actor, target=user, request=request)


def do_unlock_sign_in(*, actor: User, user: User, request: HttpRequest) -> int:
    """Clear a lockout after failed sign-ins (the person has been verified another way)."""
    from axes.utils import reset

    _change_check(actor, user)
    with transaction.atomic():
        cleared = reset(username=user.email)
        record(verb=verbs.UNLOCKED, actor=actor, target=user, request=request)
    return cleared


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_invite_user(*, actor: User | None, user: User, request: HttpRequest | None = None) -> str:
    """E-mail USER a one-time link to set their password, valid for INVITATION_VALID_DAYS;
    any earlier unused invitation stops working. Returns the link. Sent once the transaction
    commits; the e-mail names the service and the link, nothing else about anyone."""
    _bootstrap_or(actor, "accounts.manage_users")
    changeable = actor is None or users_changeable_by(actor).filter(pk=user.pk).exists()
    if not changeable or not user.is_active:
        raise PermissionDenied("You may not invite this user.")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    expires = now + timedelta(days=settings.INVITATION_VALID_DAYS)
    with transaction.atomic():
        Invitation.objects.filter(user=user, used_at=None, withdrawn_at=None).update(
            withdrawn_at=now
        )
        invitation = Invitation.objects.create(
            user=user,
            token_hash=_token_hash(token),
            expires_at=expires,
            created_by=actor if actor is not None and actor.pk else None,
        )
        record(
            verb=verbs.USER_INVITED,
            actor=actor,
            target=user,
            request=request,
            payload={"invitation": str(invitation.pk), "expires": expires.date().isoformat()},
        )
    link = settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": token})
    body = render_to_string(
        "registration/invitation_email.txt",
        {"link": link, "expires": timezone.localtime(expires), "service": settings.SERVICE_NAME},
    )
    address = user.email
    transaction.on_commit(
        lambda: send_mail(f"Set up your {settings.SERVICE_NAME} account", body, None, [address])
    )
    return link


def invitation_for(token: str) -> Invitation | None:
    """The usable invitation TOKEN opens, or None (unknown, used, replaced or expired)."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    )
    return invitation if invitation is not None and invitation.usable else None


def do_accept_invitation(*, token: str, password: str, request: HttpRequest | None = None) -> User:
    """Set the invited user's password from their one-time link, and spend the link. The link
    is the authority: a second use, or one after it expired or was replaced, is refused."""
    with transaction.atomic():
        invitation = invitation_for(token)
        spent = (
            invitation is not None
            and Invitation.objects.filter(pk=invitation.pk, used_at=None, withdrawn_at=None).update(
                used_at=timezone.now()
            )
            == 1
        )
        if not spent or invitation is None or not invitation.user.is_active:
            raise PermissionDenied(INVITATION_UNUSABLE)
        user = invitation.user
        user.set_password(password)
        user.save(update_fields=["password"])
        record(
            verb=verbs.INVITATION_ACCEPTED,
            actor=user,
            target=user,
            request=request,
            payload={"invitation": str(invitation.pk)},
        )
    return user


INVITATION_UNUSABLE = (
    "This link has already been used, has expired or has been replaced by a newer one. "
    "Ask your administrator to send you a new invitation, or reset your password from the "
    "sign-in page if you have set one."
)
