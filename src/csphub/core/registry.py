"""What each app adds to the shared pages and roles, registered from its own AppConfig.ready().

An app registers its navigation entries, its home dashboard cards, which roles get which of
its permissions, and which of its permissions open nobody's personal data. core draws the
navigation and the home page from what is registered, and accounts builds each role from the
grants, so neither names an app and adding an app touches only that app.

Order is an explicit number, never the order apps happen to load in: two entries with the
same number are refused. By convention core's Home is 0, each area of work takes a hundred
(crime 100, panels 200, meetings 300, case reviews 400, ...) and administration comes last
(accounts 900, audit 950). An app names only its own permissions (`<app_label>.<codename>`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

# A card's figures for a user, e.g. [("Open cases", "12")]; [] shows the card's empty text.
Summary = Callable[[Any], list[tuple[str, str]]]
# Something true or false of the user a request is from.
UserTest = Callable[[Any], bool]


@dataclass(frozen=True)
class NavEntry:
    app_label: str
    order: int
    label: str
    url_name: str
    permission: str | None  # None: every signed-in user


@dataclass(frozen=True)
class DashboardCard:
    app_label: str
    order: int
    title: str
    url_name: str
    permission: str | None
    empty_text: str
    summary: Summary | None = None


@dataclass(frozen=True)
class HomeSection:
    """A block of the home page above the cards: TEMPLATE rendered with `section` set to
    CONTEXT(user); a user without PERMISSION, or for whom CONTEXT gives None, sees nothing."""

    app_label: str
    order: int
    template: str
    permission: str | None
    context: Callable[[Any], Any]


@dataclass(frozen=True)
class InformationSection:
    """A block of one of core's information pages ("privacy", "accessibility"): TEMPLATE
    rendered with `section` set to CONTEXT(), what an app knows that the page must say."""

    app_label: str
    page: str
    order: int
    template: str
    context: Callable[[], Any]


INFORMATION_PAGES = ("privacy", "accessibility")
_information: dict[tuple[str, int], InformationSection] = {}
_search_page: dict[str, tuple[str, UserTest]] = {}  # app label -> the one search page
_nav: dict[int, NavEntry] = {}
_sections: dict[int, HomeSection] = {}
_cards: dict[int, DashboardCard] = {}
_grants: dict[str, dict[str, frozenset[str]]] = {}  # role key -> app label -> permissions
_no_personal_data: dict[str, frozenset[str]] = {}  # app label -> permissions
_navigation_withheld: dict[str, UserTest] = {}  # app label -> while it holds, no navigation
_generation = 0  # changes with every registration, so what is built from them can be cached


def register_nav_entry(
    app_label: str, *, order: int, label: str, url_name: str, permission: str | None
) -> None:
    """Add an entry to the service navigation, shown to those holding PERMISSION."""
    _own(app_label, [permission] if permission else [])
    _put(_nav, NavEntry(app_label, order, label, url_name, permission), "navigation entry")


def register_dashboard_card(
    app_label: str,
    *,
    order: int,
    title: str,
    url_name: str,
    permission: str | None,
    empty_text: str,
    summary: Summary | None = None,
) -> None:
    """Add a card to the home page for those holding PERMISSION; SUMMARY gives its figures."""
    _own(app_label, [permission] if permission else [])
    card = DashboardCard(app_label, order, title, url_name, permission, empty_text, summary)
    _put(_cards, card, "dashboard card")


def register_home_section(
    app_label: str,
    *,
    order: int,
    template: str,
    permission: str | None,
    context: Callable[[Any], Any],
) -> None:
    """Add a block to the home page above the cards (a queue of work waiting for the user)."""
    if permission:
        _own(app_label, [permission])
    _put(_sections, HomeSection(app_label, order, template, permission, context), "Home section")


def register_information_section(
    app_label: str, *, page: str, order: int, template: str, context: Callable[[], Any]
) -> None:
    """Add a block to the information page PAGE (the privacy notice's retention periods)."""
    global _generation
    if page not in INFORMATION_PAGES:
        raise ImproperlyConfigured(f"No information page {page!r}: one of {INFORMATION_PAGES}")
    entry = InformationSection(app_label, page, order, template, context)
    taken = _information.get((page, order))
    if taken is not None and taken != entry:
        raise ImproperlyConfigured(
            f"{page} section order {order} is taken by {taken.app_label!r} "
            f"and asked for again by {app_label!r}"
        )
    _information[(page, order)] = entry
    _generation += 1


def information_sections(page: str) -> list[InformationSection]:
    _require_ready()
    return [_information[key] for key in sorted(_information) if key[0] == page]


def register_search_page(app_label: str, *, url_name: str, offered_to: UserTest) -> None:
    """The page the search box on every signed-in page submits to (`q`, by GET), offered to
    the users OFFERED_TO holds for."""
    global _generation
    taken = next((label for label in _search_page if label != app_label), None)
    if taken is not None:
        raise ImproperlyConfigured(f"The search page is {taken!r}'s; {app_label!r} asked too")
    _search_page[app_label] = (url_name, offered_to)
    _generation += 1


def search_page() -> tuple[str, UserTest] | None:
    """The search page's URL name and whom it is offered to, if an app registered one."""
    _require_ready()
    return next(iter(_search_page.values()), None)


def register_role_grants(app_label: str, role: str, *permissions: str) -> None:
    """Give the role keyed ROLE (see accounts.roles) these permissions of the app's own."""
    global _generation
    _own(app_label, permissions)
    by_app = _grants.get(role, {})
    _grants[role] = {
        **by_app,
        app_label: by_app.get(app_label, frozenset()) | frozenset(permissions),
    }
    _generation += 1


def register_no_personal_data(app_label: str, *permissions: str) -> None:
    """Declare permissions of the app's own that open nobody's personal data (aggregates,
    configuration, reference lists). Any permission not declared is taken to open some."""
    global _generation
    _own(app_label, permissions)
    _no_personal_data[app_label] = _no_personal_data.get(app_label, frozenset()) | frozenset(
        permissions
    )
    _generation += 1


def withhold_navigation_while(app_label: str, test: UserTest) -> None:
    """Show a user no navigation while TEST(user) holds: a step of signing in that the app
    owns is not finished (accounts: the second factor is still due)."""
    global _generation
    _navigation_withheld[app_label] = test
    _generation += 1


def navigation_withheld(user: Any) -> bool:
    _require_ready()
    return any(test(user) for test in _navigation_withheld.values())


def nav_entries() -> list[NavEntry]:
    _require_ready()
    return [_nav[order] for order in sorted(_nav)]


def dashboard_cards() -> list[DashboardCard]:
    _require_ready()
    return [_cards[order] for order in sorted(_cards)]


def home_sections() -> list[HomeSection]:
    _require_ready()
    return [_sections[order] for order in sorted(_sections)]


def role_grants() -> dict[str, frozenset[str]]:
    """Every role key any app grants to, with the permissions all apps grant it."""
    _require_ready()
    return {role: frozenset().union(*by_app.values()) for role, by_app in _grants.items()}


def no_personal_data() -> frozenset[str]:
    _require_ready()
    return frozenset().union(*_no_personal_data.values())


def generation() -> int:
    return _generation


def _own(app_label: str, permissions: Iterable[str]) -> None:
    foreign = sorted(p for p in permissions if p.split(".", 1)[0] != app_label)
    if foreign:
        raise ImproperlyConfigured(
            f"App {app_label!r} registers permissions of another app: {', '.join(foreign)}"
        )


def _put(table: dict[int, Any], entry: NavEntry | DashboardCard | HomeSection, what: str) -> None:
    """Add ENTRY at its order; the same entry again (apps made ready twice) changes nothing."""
    global _generation
    taken = table.get(entry.order)
    if taken is not None and taken != entry:
        raise ImproperlyConfigured(
            f"{what} order {entry.order} is taken by {taken.app_label!r} "
            f"and asked for again by {entry.app_label!r}"
        )
    table[entry.order] = entry
    _generation += 1


def _require_ready() -> None:
    # Read before every app has registered, the answer would be silently short.
    if not apps.ready:
        raise AppRegistryNotReady("registrations are read once every app's ready() has run")
