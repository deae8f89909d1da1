"""The audit verbs of accounts, agencies, role grants and signing in (see csphub.audit.verbs)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

AGENCY_CREATED = Verb("agency.created", "Partner agency added")
AGENCY_UPDATED = Verb("agency.updated", "Partner agency's details changed")
USER_CREATED = Verb("user.created", "User account created")
USER_UPDATED = Verb("user.updated", "User account changed")
ROLES_CHANGED = Verb("user.roles_changed", "User's roles changed")
GRANT_REQUESTED = Verb("grant.requested", "Asked a second administrator to approve a grant")
GRANT_APPROVED = Verb("grant.approved", "Grant approved by a second administrator")
GRANT_DECLINED = Verb("grant.declined", "Grant declined by a second administrator")

SIGNED_IN = Verb("auth.signed_in", "Signed in")
SIGNED_OUT = Verb("auth.signed_out", "Signed out")
SIGN_IN_FAILED = Verb("auth.sign_in_failed", "Sign-in failed")
LOCKED_OUT = Verb("auth.locked_out", "Locked out after too many failed sign-ins")
UNLOCKED = Verb("auth.unlocked", "Sign-in lockout cleared by an administrator")
TWO_FACTOR_ENROLLED = Verb("auth.two_factor_enrolled", "Two-factor authentication set up")
TWO_FACTOR_VERIFIED = Verb("auth.two_factor_verified", "Two-factor code accepted")
TWO_FACTOR_FAILED = Verb("auth.two_factor_failed", "Two-factor code refused")
TWO_FACTOR_RESET = Verb(
    "auth.two_factor_reset", "Two-factor authentication reset by an administrator"
)
USER_INVITED = Verb("user.invited", "Invitation to set a password e-mailed to a new user")
INVITATION_ACCEPTED = Verb(
    "user.invitation_accepted", "Invitation used: the new user set their password"
)
