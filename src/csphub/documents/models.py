"""Documents attached to a case, a person or a meeting's agenda item."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from csphub.core.models import BaseModel
from csphub.documents.choices import DocumentKind
from csphub.meetings.models import AgendaItem
from csphub.panels.models import Case
from csphub.people.models import Person

OWNERS = ("case", "person", "agenda_item")


class Document(BaseModel):
    """A file attached to exactly one record (a case, a person or an agenda item), scanned
    for viruses before it was stored, and seen by whoever may open that record.

    The file itself is under settings.DOCUMENTS_DIR by a random `storage_name`, so nothing
    about the person is in its path; `original_name` is shown only on the record's pages and
    in the download. Deleting the record deletes its documents (rows by the foreign key, files
    by `csphub.documents.storage`'s post_delete handler).
    """

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    original_name = models.CharField(max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    scanned_with = models.CharField(max_length=200, help_text="clamd's version line at the scan.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            (
                "attach_documents",
                "Attach documents to the cases, people and agenda items you may open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="document_belongs_to_one_record",
                condition=(
                    Q(case__isnull=False, person__isnull=True, agenda_item__isnull=True)
                    | Q(case__isnull=True, person__isnull=False, agenda_item__isnull=True)
                    | Q(case__isnull=True, person__isnull=True, agenda_item__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.extension})"

    @property
    def owner(self) -> models.Model:
        return self.case or self.person or self.agenda_item  # type: ignore[return-value]
