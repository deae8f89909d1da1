"""A demo chronology on the demo's first flagged case, attached by a practitioner of its owning
agency through the same service (and virus scan) as any upload. Idempotent: a case that already
has documents is left alone. Without a reachable clamd it says so and attaches nothing."""

from __future__ import annotations

from typing import TextIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from csphub.accounts.models import User
from csphub.core.errors import ServiceError
from csphub.documents import scanning, services
from csphub.documents.choices import DocumentKind
from csphub.panels.models import Case

CHRONOLOGY = """Chronology (demo)

Date        Agency                    Event
----------  ------------------------  ---------------------------------------------
03/02/2026  Children's social care    Referral received from school: missing overnight.
05/02/2026  Police                    Return home interview completed.
12/02/2026  Education                 Attendance below 80% for the half term.
19/02/2026  Youth outreach            First session with the detached youth team.
"""


def load(stdout: TextIO) -> None:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data cannot be loaded under production settings.")
    case = (
        Case.objects.filter(flags__isnull=False, status__in=["active", "review"])
        .order_by("created_at")
        .distinct()
        .first()
    )
    if case is None or case.documents.exists():
        return
    author = (
        User.objects.filter(agency=case.owning_agency, is_active=True, email__endswith=".demo")
        .order_by("email")
        .first()
    )
    if author is None:
        return
    try:
        scanning.ping()
    except scanning.ScannerUnavailable:
        stdout.write(
            f"No demo documents: no virus scanner answers at {settings.DOCUMENTS_CLAMD} "
            "(docs/documents.md)\n"
        )
        return
    try:
        services.do_attach_document(
            actor=author,
            owner=case,
            upload=SimpleUploadedFile("chronology.txt", CHRONOLOGY.encode()),
            kind=DocumentKind.CHRONOLOGY,
        )
    except (ServiceError, PermissionDenied) as error:
        stdout.write(f"No demo documents: {error}\n")
        return
    stdout.write(f"Demo documents: a chronology on case {case.reference}\n")
