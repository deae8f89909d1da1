"""Writing notifications and sending their e-mails after the change they tell of is saved.

`notify` is called by another app's service, inside its transaction, once that service has
checked its own rule: it adds a notification for each recipient and asks for the e-mails to go
only when the transaction commits (`transaction.on_commit`), so a change that is rolled back
tells nobody, and a failed e-mail never undoes the change. A failure is logged (the
notification's id and the error's kind, never an address or the message) and left for
`retry_unsent` (`csphub send_notifications`) to try again, up to
`NOTIFICATION_EMAIL_ATTEMPTS` times.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from csphub.notifications.models import Notification
from csphub.notifications.senders import Attachment, sender

if TYPE_CHECKING:
    from csphub.accounts.models import User

logger = logging.getLogger(__name__)


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    message: str,
    path: str,
    key: str = "",
    exclude: Any = None,
    attachment: Attachment | None = None,
) -> list[Notification]:
    """Tell each active RECIPIENT (but EXCLUDE, who made the change) of MESSAGE, linking to
    PATH. MESSAGE names records by reference only. With KEY, a recipient already told under
    that key is not told again. ATTACHMENT (name, text, MIME type) goes with the e-mail: a
    meeting's calendar invitation, say, which names no one."""
    name, content, mimetype = attachment or ("", "", "")
    created = []
    seen: set[Any] = set()
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        if exclude is not None and user.pk == exclude.pk:
            continue
        seen.add(user.pk)
        if key and Notification.objects.filter(recipient=user, kind=kind, key=key).exists():
            continue
        created.append(
            Notification.objects.create(
                recipient=user,
                kind=kind,
                message=message[:300],
                path=path,
                key=key,
                attachment_name=name,
                attachment=content,
                attachment_type=mimetype,
            )
        )
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: deliver(ids))
    return created


def email_body(notification: Notification) -> str:
    """The e-mail: the message, a link that asks the reader to sign in, and nothing personal."""
    return "\n".join(
        [
            notification.message + ".",
            "",
            "Sign in to see it:",
            f"{settings.SITE_URL}{notification.path}",
            "",
            f"{settings.SERVICE_NAME}, {settings.PARTNERSHIP_NAME}.",
            "This e-mail holds no personal details. Do not reply to it.",
        ]
    )


def attachments_of(notification: Notification) -> list[Attachment]:
    """The file the notification's e-mail carries, if any."""
    if not notification.attachment_name:
        return []
    return [(notification.attachment_name, notification.attachment, notification.attachment_type)]


def deliver(ids: Iterable[Any]) -> int:
    """E-mail the notifications IDS not yet e-mailed; return how many went. Never raises."""
    chosen = sender()
    if chosen is None:
        return 0
    sent = 0
    pending = Notification.objects.filter(
        pk__in=list(ids), email_sent_at__isnull=True
    ).select_related("recipient")
    for notification in pending:
        address = notification.recipient.email
        if not address or not notification.recipient.is_active:
            continue
        try:
            chosen.send(
                to=address,
                subject=notification.message,
                body=email_body(notification),
                reference=str(notification.pk),
                attachments=attachments_of(notification),
            )
        except Exception as error:  # any failure of the mail system: keep it for a retry
            Notification.objects.filter(pk=notification.pk).update(
                email_attempts=F("email_attempts") + 1, email_error=type(error).__name__[:100]
            )
            logger.warning(
                "notification %s: e-mail not sent (%s); it will be retried",
                notification.pk,
                type(error).__name__,
            )
            continue
        Notification.objects.filter(pk=notification.pk).update(
            email_sent_at=timezone.now(),
            email_attempts=F("email_attempts") + 1,
            email_error="",
        )
        sent += 1
    return sent


def retry_unsent() -> int:
    """Try again every e-mail not yet sent that has attempts left; return how many went."""
    ids = Notification.objects.filter(
        email_sent_at__isnull=True,
        email_attempts__gt=0,
        email_attempts__lt=settings.NOTIFICATION_EMAIL_ATTEMPTS,
    ).values_list("pk", flat=True)
    return deliver(list(ids))


def do_mark_notifications_read(*, actor: User) -> int:
    """Mark ACTOR's own unread notifications read; return how many."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
