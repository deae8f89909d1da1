"""The form that attaches a document."""

from __future__ import annotations

from django import forms

from csphub.core.forms import GovUKForm
from csphub.documents.choices import DocumentKind


class AttachForm(GovUKForm):
    kind = forms.ChoiceField(
        label="What is the document?",
        choices=[("", "Select what it is"), *DocumentKind.choices],
        error_messages={"required": "Select what the document is"},
    )
    file = forms.FileField(
        label="Upload a file",
        max_length=200,
        help_text="",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "max_length": "The selected file's name must be 200 characters or fewer",
        },
    )

    def __init__(self, *args: object, hint: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text = hint
