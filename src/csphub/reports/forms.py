"""The reports app's forms: the year to show, and a section's narrative."""

from __future__ import annotations

from typing import Any

from django import forms

from csphub.core.forms import GovUKForm, VersionedForm


class YearForm(GovUKForm):
    year = forms.IntegerField(label="Year", min_value=2010, max_value=2100)


class NarrativeForm(VersionedForm):
    """A section's narrative; the first one written has no version yet."""

    text = forms.CharField(
        label="Narrative",
        help_text="What the partnership did and why. Leave a blank line between paragraphs.",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        required=False,
    )

    def __init__(self, *args: Any, new: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if new:
            del self.fields["version"]
