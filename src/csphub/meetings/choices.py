from django.db import models


class AgendaReason(models.TextChoices):
    NEW_REFERRAL = "new_referral", "New referral"
    REVIEW_DUE = "review_due", "Review due"
    ADDED = "added", "Added by the co-ordinator"
    LOCATION = "location", "Open location"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


OPEN_ACTION_STATUSES = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
