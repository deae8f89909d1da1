"""The upload form of a police extract of offences."""

from __future__ import annotations

from django import forms

from csphub.core.forms import GovUKForm


class OffenceImportForm(GovUKForm):
    """One CSV or xlsx extract of offences (docs/casework.md, "Importing offences")."""

    extract = forms.FileField(
        label="Upload the police extract",
        help_text="A CSV or xlsx file, at most 5 MB, with the columns described above.",
        error_messages={
            "required": "Select the police extract to import",
            "empty": "The selected file is empty",
        },
    )
