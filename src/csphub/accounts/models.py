"""Users (sign in by e-mail) and the agencies they work for."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from csphub.accounts.choices import AgencyKind, GrantRequestStatus
from csphub.core.models import BaseModel, VersionedModel


def normalise_email(email: str) -> str:
    """One spelling per address: sign-in, lockouts and uniqueness all compare this form."""
    return (email or "").strip().lower()


class Agency(VersionedModel):
    """A partner organisation: police, children's social care, a school, a charity…"""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        permissions = [("manage_agencies", "Add and edit partner agencies")]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    """Users are identified by e-mail address, normalised to lower case."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users need an e-mail address.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Every sign-in path (the form, the password check, django-axes) finds the account
        # by its normalised address, so ADMIN@Example.test is admin@example.test.
        return self.get(email=normalise_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Belongs to one agency; roles are Django groups.

    `version` guards the user form against stale saves (csphub.core.concurrency).
    `session_epoch` is part of the session hash: deactivating an account raises it, so every
    session from before stays dead even after the account is reactivated.
    `created_by` is the administrator who added the account: an account may be a second
    account of the one who created it, which the self-granting rule takes into account.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        permissions = [("manage_users", "Add users, change their agency, roles and access")]
        constraints = [
            # With `unique` on the column, addresses differing only in case cannot coexist.
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="accounts_user_email_lower_case",
                violation_error_message="Enter the email address in lower case.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        # Turned off by this save (the Django admin, a shell): end its sessions for good.
        if (
            not self.is_active
            and not self._state.adding
            and type(self)._default_manager.filter(pk=self.pk, is_active=True).exists()
        ):
            self.session_epoch += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "session_epoch"}
        super().save(*args, **kwargs)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's hash of the password, and the epoch on top once there has been one (so
        # sessions of accounts never deactivated are not signed out by this change).
        base = super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        if not self.session_epoch:
            return base
        return salted_hmac(
            "csphub.accounts.User.session_epoch",
            f"{base}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name

    def role_labels(self) -> list[str]:
        """The names of the roles held, in the order of their keys (what the home page says)."""
        from csphub.accounts.roles import ROLES, role_keys_of

        return [ROLES[key].label for key in sorted(role_keys_of(self))]

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class GrantRequest(BaseModel):
    """A grant that would open personal data to the one who made it, waiting for approval.

    An administrator giving themselves (or the account that created theirs) a role or a panel
    seat that opens personal data makes one of these instead; a different administrator
    approves or declines it (csphub.accounts.grants, services.do_approve_grant_request).
    DETAIL holds ids and codes only, as the audit payload does.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grant_requests")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    detail = models.JSONField(default=dict)
    status = models.CharField(
        max_length=20, choices=GrantRequestStatus.choices, default=GrantRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decided_by=F("requested_by")) & ~Q(decided_by=F("user")),
                name="accounts_grantrequest_decided_by_someone_else",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=GrantRequestStatus.PENDING,
                    decided_by__isnull=True,
                    decided_at__isnull=True,
                )
                | (
                    ~Q(status=GrantRequestStatus.PENDING)
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="accounts_grantrequest_decided_when_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id} ({self.status})"


class Invitation(BaseModel):
    """A one-time link e-mailed to a new user to set their password (and, where their role
    needs it, enrol two-factor sign-in). Only the SHA-256 of its token is stored, so the
    database cannot be read for a working link; it works once, until `expires_at`, and a new
    invitation replaces any earlier one still unused."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.user_id}"

    @property
    def usable(self) -> bool:
        return (
            self.used_at is None and self.withdrawn_at is None and self.expires_at > timezone.now()
        )
