"""How a notification's e-mail leaves: SMTP (Django's e-mail backend) or GOV.UK Notify,
chosen by `CSPHUB_NOTIFICATIONS_EMAIL` (`smtp`, `govuk_notify` or `off`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage

#: A file an e-mail carries: (file name, text, MIME type), e.g. a calendar invitation.
Attachment = tuple[str, str, str]


class Sender(Protocol):
    def send(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        reference: str,
        attachments: Sequence[Attachment] = (),
    ) -> None:
        """Send one e-mail, raising on failure."""
        ...


class SmtpSender:
    """Django's configured e-mail backend (SMTP in production, the console in development)."""

    def send(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        reference: str,
        attachments: Sequence[Attachment] = (),
    ) -> None:
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
        for name, content, mimetype in attachments:
            message.attach(name, content, mimetype)
        message.send(fail_silently=False)


class GovukNotifySender:
    """GOV.UK Notify's API: one e-mail template whose subject and body are `((subject))` and
    `((body))`; REFERENCE (the notification's id) lets Notify's delivery reports be matched.

    Notify sends files only as links to a fixed list of document types, which a calendar
    invitation is not among: the e-mail goes without it, and its link leads to the meeting
    page, which offers the same invitation to download."""

    def __init__(self, *, api_key: str, template_id: str, base_url: str) -> None:
        if not api_key or not template_id:
            raise ImproperlyConfigured(
                "GOV.UK Notify needs GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_TEMPLATE_ID"
            )
        from notifications_python_client.notifications import NotificationsAPIClient

        self.template_id = template_id
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=10)

    def send(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        reference: str,
        attachments: Sequence[Attachment] = (),
    ) -> None:
        self.client.send_email_notification(
            email_address=to,
            template_id=self.template_id,
            personalisation={"subject": subject, "body": body},
            reference=reference,
        )


def sender() -> Sender | None:
    """The sender the settings choose; None when e-mail notifications are off."""
    choice = settings.NOTIFICATIONS_EMAIL
    if choice == "off":
        return None
    if choice == "smtp":
        return SmtpSender()
    if choice == "govuk_notify":
        return GovukNotifySender(
            api_key=settings.GOVUK_NOTIFY_API_KEY,
            template_id=settings.GOVUK_NOTIFY_TEMPLATE_ID,
            base_url=settings.GOVUK_NOTIFY_BASE_URL,
        )
    raise ImproperlyConfigured(
        f"CSPHUB_NOTIFICATIONS_EMAIL is {choice!r}: use smtp, govuk_notify or off"
    )
