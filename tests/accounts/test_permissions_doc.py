"""docs/permissions.md must say exactly what accounts/roles.py grants."""

import re
from pathlib import Path

from django.contrib.auth.models import Permission

from csphub.accounts.roles import ROLES, all_role_permissions

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def _documented_matrix() -> dict[str, set[str]]:
    lines = [ln for ln in DOC.read_text().splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    by_label = {role.label: key for key, role in ROLES.items()}
    columns = {i: by_label[name] for i, name in enumerate(header) if name in by_label}
    assert len(columns) == len(ROLES), f"every role needs a column; header is {header}"
    granted: dict[str, set[str]] = {key: set() for key in ROLES}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        match = re.fullmatch(r"`([\w.]+)`", cells[0])
        if not match:
            continue
        for i, key in columns.items():
            if cells[i] == "✓":
                granted[key].add(match.group(1))
    return granted


def test_permissions_document_matches_the_roles_in_code():
    documented = _documented_matrix()
    for key, role in ROLES.items():
        assert documented[key] == set(role.permissions), f"{role.label}: doc and code disagree"


def test_every_granted_permission_exists(db):
    existing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    assert all_role_permissions() - existing == set()


def test_role_groups_hold_exactly_the_roles_permissions(db):
    from django.contrib.auth.models import Group

    for role in ROLES.values():
        group = Group.objects.get(name=role.label)
        perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert perms == set(role.permissions), role.label


def test_the_two_factor_section_names_exactly_the_roles_that_need_it():
    text = DOC.read_text()
    section = text.split("## Two-factor sign-in", 1)[1].split("##", 1)[0]
    required = " ".join(section.split("for:", 1)[1].split(".", 1)[0].split())
    named = {key for key, role in ROLES.items() if role.label.lower() in required.lower()}
    assert named == {key for key, role in ROLES.items() if role.requires_two_factor}
    assert "superuser" in required
