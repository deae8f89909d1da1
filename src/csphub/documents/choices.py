"""What a document is, as the person attaching it says."""

from django.db import models


class DocumentKind(models.TextChoices):
    REFERRAL_FORM = "referral_form", "Referral form"
    CHRONOLOGY = "chronology", "Chronology"
    MEETING_NOTES = "meeting_notes", "Strategy meeting notes"
    ASSESSMENT = "assessment", "Assessment or report"
    CORRESPONDENCE = "correspondence", "Letter or e-mail"
    OTHER = "other", "Other"
