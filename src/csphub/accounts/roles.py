"""Roles: named sets of permissions, stored as Django groups.

accounts keeps the roles themselves (key, label, description, whether two-factor sign-in is
required); each app grants its own permissions to them from its AppConfig.ready()
(`csphub.core.registry.register_role_grants`), and ROLES assembles the two. docs/permissions.md
documents the result and tests/accounts/test_permissions_doc.py fails when they disagree.
Apps declare their business actions as model permissions (`Meta.permissions`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured

from csphub.core import registry


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    description: str
    requires_two_factor: bool
    permissions: frozenset[str]


CSP_ADMIN = "csp_admin"
ANALYST = "analyst"
COORDINATOR = "coordinator"
PRACTITIONER = "practitioner"
EXECUTIVE = "executive"
DPO = "dpo"

# In this order wherever roles are listed. Permissions come from the apps' grants.
_DEFINED: tuple[Role, ...] = tuple(
    Role(key, label, description, tfa, frozenset())
    for key, label, description, tfa in [
        (
            CSP_ADMIN,
            "CSP administrator",
            "Manages users, agencies and panels for the partnership.",
            True,
        ),
        (
            ANALYST,
            "Analyst",
            "Imports police data and produces the partnership's figures and hot spots.",
            False,
        ),
        (
            COORDINATOR,
            "Panel co-ordinator",
            "Runs referrals, meetings, actions and escalations for the panels they co-ordinate.",
            True,
        ),
        (
            PRACTITIONER,
            "Practitioner",
            "Refers people and works cases for their agency and the panels they sit on.",
            False,
        ),
        (
            EXECUTIVE,
            "Executive",
            "Reads dashboards and reports: aggregate figures only, never individuals.",
            False,
        ),
        (DPO, "Data protection officer", "Reviews and exports the audit trail.", True),
    ]
)


class _Roles(Mapping[str, Role]):
    """Each role with the permissions the apps grant it, assembled once every app is ready."""

    def __init__(self) -> None:
        self._built: dict[str, Role] = {}
        self._generation = -1

    def _roles(self) -> dict[str, Role]:
        if self._generation != registry.generation():
            grants = registry.role_grants()
            unknown = sorted(set(grants) - {role.key for role in _DEFINED})
            if unknown:
                raise ImproperlyConfigured(f"Permissions granted to no such role: {unknown}")
            self._built = {
                role.key: replace(role, permissions=grants.get(role.key, frozenset()))
                for role in _DEFINED
            }
            self._generation = registry.generation()
        return self._built

    def __getitem__(self, key: str) -> Role:
        return self._roles()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._roles())

    def __len__(self) -> int:
        return len(_DEFINED)


ROLES: Mapping[str, Role] = _Roles()


def opens_personal_data(role: Role) -> bool:
    """Whether holding ROLE opens personal data: any permission not known to open none.

    Apps declare the permissions of theirs that open nobody's personal data (aggregate
    figures, configuration, reference lists: `registry.register_no_personal_data`); every
    other permission is taken to open some (case records, identities, applicants, minutes, the
    audit trail, user records), so one added later is guarded by the self-granting rule until
    it is deliberately declared.
    """
    return bool(role.permissions - registry.no_personal_data())


def all_role_permissions() -> set[str]:
    return {perm for role in ROLES.values() for perm in role.permissions}


def sync_role_groups() -> list[str]:
    """Create one group per role with exactly the role's permissions; return missing perms.

    Called after every migrate; permissions of apps not yet migrated are reported, not fatal.
    """
    missing: list[str] = []
    for role in ROLES.values():
        group, _ = Group.objects.get_or_create(name=role.label)
        wanted = []
        for perm in sorted(role.permissions):
            app_label, codename = perm.split(".", 1)
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None:
                missing.append(perm)
            else:
                wanted.append(found)
        group.permissions.set(wanted)
    return missing


def role_keys_of(user: object) -> set[str]:
    """The role keys a user holds (through group membership)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    labels = {g.name for g in user.groups.all()}  # type: ignore[attr-defined]
    return {role.key for role in _DEFINED if role.label in labels}


def requires_two_factor(user: object) -> bool:
    """Administrators, co-ordinators, the DPO and superusers must sign in with a second factor."""
    if getattr(user, "is_superuser", False):
        return True
    held = role_keys_of(user)
    return any(role.requires_two_factor for role in _DEFINED if role.key in held)
