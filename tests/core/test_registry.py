"""The app registry: explicit order, each app its own permissions, and core/accounts name no app."""

import ast
import copy
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.urls import reverse

from csphub.accounts.roles import ROLES
from csphub.core import registry

SRC = Path(registry.__file__).resolve().parents[1]  # src/csphub
# The platform every app builds on; anything else installed from csphub is a feature app.
PLATFORM = {"core", "accounts", "audit"}


def _feature_apps() -> set[str]:
    return {
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("csphub.") and config.label not in PLATFORM
    }


@pytest.fixture
def fresh():
    """The registry as it stands, put back after the test (and what was built from it rebuilt)."""
    tables = ("_nav", "_cards", "_grants", "_no_personal_data", "_navigation_withheld")
    saved = {name: copy.deepcopy(getattr(registry, name)) for name in tables}
    yield registry
    for name, table in saved.items():
        setattr(registry, name, table)
    registry._generation += 1


def test_two_entries_cannot_share_an_order_number(fresh):
    with pytest.raises(ImproperlyConfigured, match="order 200 is taken by 'panels'"):
        fresh.register_nav_entry(
            "meetings", order=200, label="Minutes", url_name="meetings:meeting_list",
            permission="meetings.view_meetings",
        )  # fmt: skip
    with pytest.raises(ImproperlyConfigured, match="order 950 is taken by 'audit'"):
        fresh.register_dashboard_card(
            "crime", order=950, title="Figures", url_name="crime:figures",
            permission="crime.view_figures", empty_text="",
        )  # fmt: skip


def test_registering_the_same_entry_again_changes_nothing(fresh):
    before = fresh.nav_entries()
    home = before[0]
    fresh.register_nav_entry(
        home.app_label, order=home.order, label=home.label, url_name=home.url_name,
        permission=home.permission,
    )  # fmt: skip
    assert fresh.nav_entries() == before


def test_an_app_registers_only_its_own_permissions(fresh):
    with pytest.raises(ImproperlyConfigured, match=r"another app: panels\.view_cases"):
        fresh.register_role_grants("meetings", "practitioner", "panels.view_cases")
    with pytest.raises(ImproperlyConfigured, match=r"another app: crime\.view_figures"):
        fresh.register_no_personal_data("panels", "crime.view_figures")
    with pytest.raises(ImproperlyConfigured, match=r"another app: audit\.view_audit"):
        fresh.register_nav_entry(
            "accounts", order=5, label="Audit", url_name="audit:event_list",
            permission="audit.view_audit",
        )  # fmt: skip


def test_a_grant_takes_effect_in_the_roles_and_an_unknown_role_is_refused(fresh):
    fresh.register_role_grants("crime", "practitioner", "crime.view_figures")
    assert "crime.view_figures" in ROLES["practitioner"].permissions
    fresh.register_role_grants("crime", "inspector", "crime.view_figures")
    with pytest.raises(ImproperlyConfigured, match="no such role: \\['inspector'\\]"):
        ROLES["analyst"]


def test_registrations_are_not_read_before_every_app_is_ready(monkeypatch):
    monkeypatch.setattr(apps, "ready", False)
    for read in (registry.nav_entries, registry.dashboard_cards, registry.role_grants):
        with pytest.raises(AppRegistryNotReady):
            read()


def test_every_registered_entry_and_card_opens_a_page():
    for item in [*registry.nav_entries(), *registry.dashboard_cards()]:
        assert reverse(item.url_name).startswith("/"), item


# What adding an app must not need: core/ or accounts/ naming it.

FEATURE_NAME = r"\b(?:csphub\.)?({})[.:][a-z_]"


def _named_apps(text: str, features: set[str]) -> set[str]:
    return set(re.findall(FEATURE_NAME.format("|".join(sorted(features))), text))


def _python_mentions(source: str, features: set[str]) -> set[str]:
    """Apps a module imports or names in a string (a permission, a URL name, a dotted path)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # `from csphub import panels` imports the app as much as `import csphub.panels`.
            modules = [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found |= _named_apps(node.value, features)
            continue
        else:
            continue
        found |= {m.split(".")[1] for m in modules if m.startswith("csphub.")}
    return found & features


def _mentions(package: str) -> dict[str, set[str]]:
    features = _feature_apps()
    out = {}
    for path in sorted((SRC / package).rglob("*")):
        if "migrations" in path.parts or not path.is_file():
            continue
        if path.suffix == ".py":
            named = _python_mentions(path.read_text(), features)
        elif path.suffix in {".html", ".txt"}:
            named = _named_apps(path.read_text(), features)
        else:
            continue
        if named:
            out[str(path.relative_to(SRC))] = named
    return out


def test_the_guard_sees_a_feature_app_named_in_code():
    features = {"panels", "crime"}
    assert _named_apps('{% url "panels:case_list" %}', features) == {"panels"}
    assert _named_apps("{% if perms.crime.view_figures %}", features) == {"crime"}
    assert _named_apps("the panels they sit on: crime. Panels:", features) == set()
    for source in [
        "from csphub.panels.selectors import dashboard_summary",
        "import csphub.panels.selectors",
        "from csphub import panels",
        "summary = import_string('csphub.panels.selectors.dashboard_summary')",
        "NavItem('Cases', 'panels:case_list', 'panels.view_cases')",
    ]:
        assert _python_mentions(source, features) == {"panels"}, source
    assert _python_mentions("'''The panels: see crime figures.'''", features) == set()


@pytest.mark.parametrize("package", ["core", "accounts"])
def test_core_and_accounts_name_no_feature_app(package):
    assert _feature_apps() >= {"panels", "people", "meetings", "casereview", "crime"}
    assert _mentions(package) == {}


def test_the_adding_an_app_checklist_names_what_the_registry_has():
    doc = (SRC.parents[1] / "docs" / "adding-an-app.md").read_text()
    named = set(re.findall(r"registry\.(\w+)\(", doc)) | set(re.findall(r"`(register_\w+)`", doc))
    assert named >= {"register_nav_entry", "register_dashboard_card", "register_role_grants"}
    assert {n for n in named if not callable(getattr(registry, n, None))} == set()
