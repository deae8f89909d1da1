"""Forms for the crime pages: choosing figures and hot spots (GET), and uploading a file."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from csphub.core.forms import GovUKForm
from csphub.crime.choices import HotspotLevel, MapColour, PeriodKind
from csphub.crime.selectors import area_choices, mappable_measures, measures, resolve_area

YEAR_HINT = (
    "For a financial year, the year it starts (2023 means April 2023 to March 2024); for a "
    "Serious Violence Duty year, the year it ends (2023 means October 2022 to September 2023)."
)
HARM_HINT = (
    "Each crime weighted by an approximate Crime Severity Score: a rounded average, per crime "
    "category, of the ONS weights for the offences in it. Indicative only."
)
UPLOAD_TYPES = (".csv", ".zip", ".parquet", ".geojson", ".json")
MAX_UPLOAD_BYTES = 500 * 1024 * 1024


class PeriodForm(GovUKForm):
    """Which kind of year, and which year: shared by the figures and hot spot pages."""

    kind = forms.ChoiceField(
        label="Period",
        choices=PeriodKind.choices,
        initial=PeriodKind.CALENDAR,
        widget=forms.RadioSelect,
    )
    year = forms.TypedChoiceField(label="Year", coerce=int, help_text=YEAR_HINT)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in sorted(years, reverse=True)]  # type: ignore[attr-defined]


class AreaField(forms.ChoiceField):
    """A London borough, chosen by name; a GSS code (``?area=E09000004``) is taken as its name."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if text:
            try:
                return resolve_area(text).name
            except LookupError:
                return str(text)  # left for validate() to refuse with the usual message
        return str(text)


class FiguresForm(PeriodForm):
    """Area, period and the measure drawn on the trend chart."""

    area = AreaField(label="Area", help_text="Its BCU and London are shown alongside.")
    chart = forms.ChoiceField(label="Measure on the monthly chart")
    harm = forms.BooleanField(
        label="Show harm-weighted totals alongside the counts",
        required=False,
        help_text=HARM_HINT,
    )
    field_order = ["area", "kind", "year", "chart", "harm"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()  # type: ignore[attr-defined]
        self.fields["chart"].choices = [(m.id, m.label) for m in measures()]  # type: ignore[attr-defined]


class HotspotForm(PeriodForm):
    """Area, measure, period, which areas to rank and what the map's colours show."""

    area = AreaField(label="Borough", help_text="A London borough, by name or GSS code.")
    level = forms.ChoiceField(
        label="Rank and map",
        choices=HotspotLevel.choices,
        initial=HotspotLevel.AUTO,
        widget=forms.RadioSelect,
    )
    measure = forms.ChoiceField(label="Measure")
    colour = forms.ChoiceField(
        label="Colour the map by",
        choices=MapColour.choices,
        initial=MapColour.GISTAR,
        widget=forms.RadioSelect,
    )
    field_order = ["area", "measure", "kind", "year", "level", "colour"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()  # type: ignore[attr-defined]
        self.fields["measure"].choices = [(m.id, m.label) for m in mappable_measures()]  # type: ignore[attr-defined]


class ImportForm(GovUKForm):
    """One police data file (or a zip of them) to import."""

    data_file = forms.FileField(
        label="Upload a file",
        help_text=(
            "An MPS borough, ward or LSOA file (CSV), a data.police.uk street, outcomes or "
            "stop-and-search file (CSV, or the monthly zip), an MPS crime dashboard extract "
            "(Parquet) or LSOA/ward boundaries (GeoJSON)."
        ),
        error_messages={"required": "Select a file to import"},
    )

    def clean_data_file(self) -> Any:
        upload = self.cleaned_data["data_file"]
        name = PurePath(upload.name).name
        if not name.lower().endswith(UPLOAD_TYPES):
            raise ValidationError(
                "The selected file must be a CSV, zip, Parquet or GeoJSON file",
                code="file_type",
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The selected file must be smaller than 500 MB", code="size")
        return upload
