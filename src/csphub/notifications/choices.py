"""What a notification is about."""

from django.db import models


class NotificationKind(models.TextChoices):
    NEW_REFERRAL = "new_referral", "New referral to your panel"
    ESCALATION = "escalation", "Case escalated to your panel"
    TRANSFER = "transfer", "Transfer awaiting your decision"
    DECISION = "decision", "Decision on your referral"
    ACTION_ASSIGNED = "action_assigned", "Action assigned to you"
    ACTION_DUE = "action_due", "Action due tomorrow"
    AGENDA_CIRCULATED = "agenda_circulated", "Meeting agenda circulated"
    INFORMATION_REQUESTED = "information_requested", "Information requested before a meeting"
