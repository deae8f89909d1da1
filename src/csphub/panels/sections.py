"""Sections other apps add to a case's page: the "case sections" hook.

An app that keeps records of its own about a case (ASB casework, say) registers a section from
its `AppConfig.ready()`; panels draws each one on the case page and imports nothing of the app.

    register_case_section("asb", order=100, template="asb/case_section.html", context=fn)

CONTEXT(user, case) gives what the template shows as `section`, read through the app's own
selectors (so through the one case-access rule), or None for a case the section is not about.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class CaseSection:
    app_label: str
    order: int
    template: str
    context: Callable[[Any, Any], Any]


@dataclass(frozen=True)
class ShownSection:
    """One section as a case page draws it: its template and what it shows."""

    template: str
    context: Any


_sections: dict[int, CaseSection] = {}


def register_case_section(
    app_label: str, *, order: int, template: str, context: Callable[[Any, Any], Any]
) -> None:
    """Add a section to every case page, drawn at ORDER after the case's own details."""
    taken = _sections.get(order)
    if taken is not None and taken.app_label != app_label:
        raise ImproperlyConfigured(
            f"Case section order {order} is {taken.app_label!r}'s; {app_label!r} asked for it too"
        )
    _sections[order] = CaseSection(app_label, order, template, context)


def case_sections_for(user: Any, case: Any) -> list[ShownSection]:
    """The sections USER sees on CASE's page, in order (a section whose context is None is
    not drawn)."""
    shown = []
    for order in sorted(_sections):
        section = _sections[order]
        context = section.context(user, case)
        if context is not None:
            shown.append(ShownSection(section.template, context))
    return shown
