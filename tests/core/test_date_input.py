"""The one date field: typed as day, month and year (the GOV.UK date input), every message
naming the field, only the boxes an error is about marked, one typed value still read."""

from datetime import date

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

from csphub.core.forms import GovUKDateField, GovUKDateInput, GovUKForm
from csphub.lib.dates import PAST, PLANNING


class BirthForm(GovUKForm):
    date_of_birth = GovUKDateField(label="Child's date of birth", dates=PAST)
    meeting = GovUKDateField(
        label="Date", dates=PLANNING, error_name="The meeting date", required=False
    )


def _form(**parts: str) -> BirthForm:
    return BirthForm({f"date_of_birth_{k}": v for k, v in parts.items()})


def test_three_boxes_make_a_date():
    form = _form(day="3", month="9", year="2011")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2011, 9, 3)


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        ({}, "Enter child's date of birth", ("day", "month", "year")),
        ({"day": "3", "year": "2011"}, "Child's date of birth must include a month", ("month",)),
        (
            {"year": "2011"},
            "Child's date of birth must include a day and month",
            ("day", "month"),
        ),
        (
            {"day": "31", "month": "2", "year": "2011"},
            "Child's date of birth must be a real date",
            ("day", "month", "year"),
        ),
        (
            {"day": "x", "month": "2", "year": "2011"},
            "Child's date of birth must be a real date",
            ("day",),
        ),
        ({"day": "3", "month": "9", "year": "11"}, "Year must include 4 numbers", ("year",)),
    ],
)
def test_each_problem_names_the_field_and_marks_its_boxes(parts, message, marked):
    form = _form(**parts)
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]
    widget = form.fields["date_of_birth"].widget
    assert isinstance(widget, GovUKDateInput)
    assert widget.error_parts == marked


def test_the_range_is_still_checked_and_named():
    next_year = timezone.localdate().year + 1
    form = _form(day="1", month="1", year=str(next_year))
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == ["Child's date of birth must be today or in the past"]


def test_an_error_name_gives_the_required_message():
    class Meeting(GovUKForm):
        on = GovUKDateField(label="Date", dates=PLANNING, error_name="The meeting date")

    assert Meeting({}).errors["on"] == ["Enter the meeting date"]


def test_one_typed_value_is_still_read():
    form = BirthForm({"date_of_birth": "03/09/2011"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2011, 9, 3)
    assert BirthForm({"date_of_birth": "3rd Sept"}).errors["date_of_birth"] == [
        "Enter a real date, for example 27/03/2026"
    ]


def test_the_page_shows_a_fieldset_of_three_boxes_and_the_summary_links_to_the_box():
    form = _form(day="3", year="2011")
    form.is_valid()
    html = render_to_string("core/forms/govuk.html", {"form": form})
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in html
    assert 'name="date_of_birth_day"' in html and 'value="3"' in html
    assert 'id="id_date_of_birth_month"' in html
    # Only the month box is marked; the hint is GOV.UK's "27 3 2026".
    assert html.count("govuk-input--error") == 1
    assert "For example, 27 3 2026" in html
    summary = render_to_string("core/includes/error_summary.html", {"form": form})
    assert 'href="#id_date_of_birth_month"' in summary


def test_a_form_passing_its_own_widget_keeps_it():
    class Filter(GovUKForm):
        since = GovUKDateField(
            label="From",
            dates=PAST,
            required=False,
            widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        )

    form = Filter({"since": "2026-01-02"})
    assert form.is_valid()
    assert form.cleaned_data["since"] == date(2026, 1, 2)
    assert 'type="date"' in str(form["since"])
