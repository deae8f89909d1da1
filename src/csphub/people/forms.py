"""Forms for the signpost search and merging records."""

from __future__ import annotations

from django import forms

from csphub.core.forms import GovUKDateField, GovUKForm
from csphub.lib.dates import PAST


class SignpostForm(GovUKForm):
    """Name and date of birth only: the answer is at most "known, contact this agency"."""

    given_name = forms.CharField(max_length=100)
    family_name = forms.CharField(max_length=100)
    date_of_birth = GovUKDateField(label="Date of birth", dates=PAST, example="27/03/2011")


class MergeForm(GovUKForm):
    """Fold another record of the same person into this one."""

    other_reference = forms.CharField(
        label="Reference of the duplicate record",
        help_text="For example, P-7K3Q9. That record is folded into this one.",
    )
    reason = forms.CharField(
        label="Why are these the same person?", widget=forms.Textarea(attrs={"rows": 3})
    )
