"""The upload form for a partner extract."""

from __future__ import annotations

from django import forms

from csphub.core.forms import GovUKForm
from csphub.partnerdata.choices import Layout


class ExtractForm(GovUKForm):
    data_file = forms.FileField(
        label="Upload a file",
        help_text="CSV or xlsx, with a header row in the layout chosen below.",
        error_messages={
            "required": "Select a file to import",
            "empty": "The selected file is empty",
        },
    )
    layout = forms.ChoiceField(choices=Layout.choices)
    supplier = forms.CharField(
        max_length=200, help_text="Who supplied it, like “Queen Elizabeth Hospital A&E”."
    )
    agreement_reference = forms.CharField(
        max_length=100, label="Sharing agreement reference", help_text="Like ISA-2023-04."
    )
    area_code = forms.CharField(
        max_length=9,
        required=False,
        label="Area the records are for (ISTV files)",
        help_text="The borough's GSS code, like E09000004. Counts files name their areas.",
    )
