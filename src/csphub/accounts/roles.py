"""Roles: named sets of permissions, stored as Django groups.

This table is the single source of truth for who may do what; docs/permissions.md
documents it and tests/accounts/test_permissions_doc.py fails when the two disagree.
Apps declare their business actions as model permissions (`Meta.permissions`) and
grant them here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    description: str
    requires_two_factor: bool
    permissions: frozenset[str]


def _role(key: str, label: str, description: str, tfa: bool, *perms: str) -> Role:
    return Role(key, label, description, tfa, frozenset(perms))


CSP_ADMIN = "csp_admin"
ANALYST = "analyst"
COORDINATOR = "coordinator"
PRACTITIONER = "practitioner"
EXECUTIVE = "executive"
DPO = "dpo"

ROLES: dict[str, Role] = {
    r.key: r
    for r in [
        _role(
            CSP_ADMIN,
            "CSP administrator",
            "Manages users, agencies and panels for the partnership.",
            True,
            "accounts.manage_users",
            "accounts.manage_agencies",
            "casereview.manage_reviews",
            "casereview.view_review_counts",
            "casereview.configure_threshold",
            "panels.view_panels",
            "panels.manage_panels",
            "panels.view_panel_dashboard",
            "crime.view_figures",
            "crime.view_hotspots",
        ),
        _role(
            ANALYST,
            "Analyst",
            "Imports police data and produces the partnership's figures and hot spots.",
            False,
            "panels.view_panels",
            "panels.view_panel_dashboard",
            "crime.view_figures",
            "crime.view_hotspots",
            "crime.download_figures",
            "crime.import_data",
        ),
        _role(
            COORDINATOR,
            "Panel co-ordinator",
            "Runs referrals, meetings, actions and escalations for the panels they co-ordinate.",
            True,
            "panels.view_panels",
            "panels.view_cases",
            "panels.refer",
            "panels.coordinate",
            "panels.export_cases",
            "panels.view_panel_dashboard",
            "people.reveal_identity",
            "people.merge",
            "meetings.view_meetings",
            "meetings.run_meetings",
            "meetings.view_actions",
            "casereview.manage_reviews",
            "casereview.reveal_applicant",
            "casereview.view_review_counts",
            "people.search_signpost",
            "crime.view_figures",
            "crime.view_hotspots",
        ),
        _role(
            PRACTITIONER,
            "Practitioner",
            "Refers people and works cases for their agency and the panels they sit on.",
            False,
            "panels.view_panels",
            "panels.view_cases",
            "panels.refer",
            "panels.record_offending",
            "meetings.view_meetings",
            "meetings.view_actions",
            "people.reveal_identity",
            "people.search_signpost",
        ),
        _role(
            EXECUTIVE,
            "Executive",
            "Reads dashboards and reports: aggregate figures only, never individuals.",
            False,
            "casereview.view_review_counts",
            "panels.view_panels",
            "panels.view_panel_dashboard",
            "crime.view_figures",
            "crime.view_hotspots",
            "crime.download_figures",
        ),
        _role(
            DPO,
            "Data protection officer",
            "Reviews and exports the audit trail.",
            True,
            "audit.view_audit",
            "audit.export_audit",
        ),
    ]
}


# Permissions that open nobody's personal data: aggregate figures (small numbers suppressed),
# configuration and reference lists. Every other permission is taken to open personal data
# (case records, identities, applicants, minutes, the audit trail, user records), so one added
# later is guarded by the self-granting rule until it is deliberately listed here.
OPENS_NO_PERSONAL_DATA: frozenset[str] = frozenset(
    {
        "accounts.manage_agencies",
        "casereview.view_review_counts",
        "casereview.configure_threshold",
        "panels.view_panels",
        "panels.manage_panels",
        "panels.view_panel_dashboard",
        "crime.view_figures",
        "crime.view_hotspots",
        "crime.download_figures",
        "crime.import_data",
    }
)


def opens_personal_data(role: Role) -> bool:
    """Whether holding ROLE opens personal data: any permission not known to open none."""
    return bool(role.permissions - OPENS_NO_PERSONAL_DATA)


def grant(role_key: str, *perms: str) -> None:
    """Add permissions to a role (used by apps that arrive later, at import time)."""
    role = ROLES[role_key]
    ROLES[role_key] = Role(
        role.key,
        role.label,
        role.description,
        role.requires_two_factor,
        role.permissions | frozenset(perms),
    )


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
    return {key for key, role in ROLES.items() if role.label in labels}


def requires_two_factor(user: object) -> bool:
    """Administrators, co-ordinators, the DPO and superusers must sign in with a second factor."""
    if getattr(user, "is_superuser", False):
        return True
    return any(ROLES[key].requires_two_factor for key in role_keys_of(user))
