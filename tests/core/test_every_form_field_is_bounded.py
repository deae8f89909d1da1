"""A walk over every form in the project: dates use the one bounded date field, numbers have
bounds, so a form added later cannot forget."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

import csphub
from csphub.core.forms import GovUKDateField

SKIPPED = (".migrations", "csphub.wsgi", "csphub.asgi", "csphub.__main__")


def form_classes() -> Iterator[type[forms.BaseForm]]:
    """Every form class defined in csphub, wherever it lives."""
    for module in pkgutil.walk_packages(csphub.__path__, "csphub."):
        if not any(part in module.name for part in SKIPPED):
            importlib.import_module(module.name)
    seen: set[type] = set()
    stack: list[type] = [forms.BaseForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                if sub.__module__.startswith("csphub."):
                    yield sub


def _fields() -> Iterator[tuple[str, forms.Field]]:
    for form in form_classes():
        for name, field in form.base_fields.items():
            yield f"{form.__module__}.{form.__qualname__}.{name}", field


def test_the_walk_finds_the_forms_it_should():
    found = {f"{c.__module__}.{c.__qualname__}" for c in form_classes()}
    assert {
        "csphub.casereview.forms.CaseReviewForm",
        "csphub.panels.forms.cases.OffenceForm",  # csphub.panels.forms is a package
        "csphub.audit.forms.EventFilterForm",
        "csphub.meetings.forms.MeetingForm",
        "csphub.people.forms.SignpostForm",
    } <= found


def test_every_date_field_is_the_bounded_date_field():
    dates = {name: field for name, field in _fields() if isinstance(field, forms.DateField)}
    assert len(dates) >= 12
    unbounded = sorted(
        name for name, field in dates.items() if not isinstance(field, GovUKDateField)
    )
    assert unbounded == []


def test_no_form_takes_a_date_and_time_in_one_unbounded_field():
    assert [n for n, f in _fields() if isinstance(f, forms.DateTimeField)] == []


def test_every_number_field_has_a_lower_and_an_upper_bound():
    numbers = {
        name: field
        for name, field in _fields()
        if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField)
    }
    assert len(numbers) >= 5
    unbounded = sorted(
        name
        for name, field in numbers.items()
        if not (
            any(isinstance(v, MinValueValidator) for v in field.validators)
            and any(isinstance(v, MaxValueValidator) for v in field.validators)
        )
    )
    assert unbounded == []
