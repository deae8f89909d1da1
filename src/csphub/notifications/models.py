"""Notifications in the service, each also sent by e-mail once the change it tells of is saved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from csphub.core.models import BaseModel
from csphub.notifications.choices import NotificationKind


class Notification(BaseModel):
    """Something for RECIPIENT to look at: MESSAGE names records by reference only (never a
    person's name: it is e-mailed too), PATH is the page within the service it links to.

    The e-mail is a delivery of the notification, tracked on it: `email_sent_at` once it went,
    `email_attempts` and the last failure's kind (never its text, which may quote an address)
    until then, so a failed send is retried (`csphub send_notifications`) and never loses the
    change, which was saved before the e-mail was tried.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    message = models.CharField(max_length=300)
    path = models.CharField(max_length=300)
    # Set for notifications sent by a scheduled job, so a second run sends nothing twice.
    key = models.CharField(max_length=100, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=100, blank=True)
    # A file the e-mail carries (a meeting's calendar invitation): its name, type and text.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"],
                condition=~Q(key=""),
                name="notification_sent_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for user {self.recipient_id}"
