"""Forms for the crime pages: choosing figures and hot spots (GET), and uploading a file."""

from __future__ import annotations

import zipfile
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
UPLOAD_TYPES = (".csv", ".zip", ".parquet", ".geojson", ".json", ".xlsx")
MAX_UPLOAD_BYTES = 500 * 1024 * 1024
#: What an uploaded zip may unpack to, in all, and how many files it may hold (from its central
#: directory, before anything is extracted; zipfile never writes more than a member declares).
#: Larger archives are imported from the command line.
MAX_UNZIPPED_BYTES = 2 * 1024**3
MAX_ZIP_MEMBERS = 2000


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
        error_messages={
            "required": "Select a file to import",
            "empty": "The selected file is empty",
        },
    )

    def clean_data_file(self) -> Any:
        upload = self.cleaned_data["data_file"]
        name = PurePath(upload.name).name
        if not name.lower().endswith(UPLOAD_TYPES):
            raise ValidationError(
                "The selected file must be a CSV, zip, Parquet, GeoJSON or Excel (xlsx) file",
                code="file_type",
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The selected file must be smaller than 500 MB", code="size")
        if not upload.size:
            raise ValidationError("The selected file is empty", code="empty")
        try:
            _check_content(upload, name)
        finally:
            upload.seek(0)
        return upload


def _size(n: int) -> str:
    """A size as people say it: "2 GB", "3.4 MB"."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n:,} bytes"


def _check_content(upload: Any, name: str) -> None:
    """Refuse a file whose content is not what its name says, and a zip too big to unpack.

    Only the markers are looked at (what each format starts with); the importer checks the
    rest, row by row.
    """
    suffix = PurePath(name).suffix.lower()
    upload.seek(0)
    head = upload.read(64 * 1024)
    if suffix == ".zip":
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as zf:
                members = [i for i in zf.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise ValidationError(
                f"The selected file must be a zip file: {name} cannot be opened as one",
                code="not_zip",
            ) from None
        if len(members) > MAX_ZIP_MEMBERS:
            raise ValidationError(
                f"The selected zip file must hold {MAX_ZIP_MEMBERS:,} files or fewer: {name} "
                f"holds {len(members):,}",
                code="zip_members",
            )
        unpacked = sum(i.file_size for i in members)
        if unpacked > MAX_UNZIPPED_BYTES:
            raise ValidationError(
                f"The selected zip file must unpack to {_size(MAX_UNZIPPED_BYTES)} or less: "
                f"{name} unpacks to {_size(unpacked)}. Import it with csphub crime import",
                code="zip_size",
            )
    elif suffix == ".parquet":
        upload.seek(max(0, upload.size - 4))
        if not (head.startswith(b"PAR1") and upload.read(4) == b"PAR1" and upload.size >= 12):
            raise ValidationError(
                f"The selected file must be a Parquet file: {name} is not in Parquet format",
                code="not_parquet",
            )
    elif suffix == ".xlsx" and not head.startswith(b"PK"):
        raise ValidationError(
            f"The selected file must be an Excel workbook (xlsx): {name} is not one",
            code="not_xlsx",
        )
    elif suffix == ".csv" and b"\x00" in head:
        raise ValidationError(
            f"The selected file must be a CSV file: {name} holds binary data, not text",
            code="not_csv",
        )
    elif suffix in (".geojson", ".json") and not _starts_json_object(head):
        raise ValidationError(
            f"The selected file must be a GeoJSON file: {name} does not start with a JSON object",
            code="not_geojson",
        )


def _starts_json_object(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
