"""Every write of the reports app: build a report, write a section's narrative, sign off.

Each service checks its own rule for the actor (PermissionDenied), so the command line and the
web page cannot skip it, and records one audit event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.audit import record
from csphub.core.concurrency import save_if_unchanged
from csphub.core.errors import ServiceError
from csphub.reports import verbs
from csphub.reports.build import body_html, build, sha256
from csphub.reports.docx import docx_bytes
from csphub.reports.models import AnnualReport, Narrative
from csphub.reports.sections import TITLES

if TYPE_CHECKING:
    from csphub.accounts.models import User

#: Years a report can be built for: police data begins in 2010; none is built for the future.
FIRST_YEAR = 2010


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ServiceError({"year": f"Choose a year from {FIRST_YEAR} to this year"})


def do_build_annual_report(
    *, actor: User, year: int, request: HttpRequest | None = None
) -> AnnualReport:
    """Build YEAR's report from what ACTOR may see, and store it with its inputs' hashes."""
    if not actor.has_perm("reports.build_annual"):
        raise PermissionDenied("Only the CSP manager or an analyst builds the annual report")
    _check_year(year)
    report = build(actor, year)
    html = body_html(report)
    with transaction.atomic():
        stored = AnnualReport.objects.create(
            year=year,
            built_by=actor,
            html=html,
            html_sha256=sha256(html),
            docx=docx_bytes(report),
            inputs=report.inputs,
        )
        record(
            verb=verbs.ANNUAL_BUILT,
            actor=actor,
            target=stored,
            request=request,
            payload={"year": year, "html_sha256": stored.html_sha256},
        )
    return stored


def do_save_narrative(
    *,
    actor: User,
    year: int,
    section: str,
    text: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Narrative:
    """Write SECTION's narrative for YEAR. VERSION is the one the editor loaded (None for a
    section without narrative yet); a save over someone else's raises EditConflict."""
    if not actor.has_perm("reports.build_annual"):
        raise PermissionDenied("Only the CSP manager or an analyst writes the report")
    _check_year(year)
    if section not in TITLES:
        raise ServiceError({"section": "Choose a section of the report"})
    text = text.strip()
    with transaction.atomic():
        narrative, created = Narrative.objects.select_for_update().get_or_create(
            year=year, section=section, defaults={"text": text, "written_by": actor}
        )
        if not created:
            save_if_unchanged(
                narrative, expected_version=version, fields={"text": text, "written_by": actor}
            )
        record(
            verb=verbs.NARRATIVE_SAVED,
            actor=actor,
            target=narrative,
            request=request,
            payload={"year": year, "section": section, "version": narrative.version},
        )
    return narrative


def do_sign_off_annual_report(
    *, actor: User, report: AnnualReport, request: HttpRequest | None = None
) -> AnnualReport:
    """The CSP manager signs off one build (once; a later build needs its own sign-off)."""
    if not actor.has_perm("reports.sign_off_annual"):
        raise PermissionDenied("Only the CSP manager signs off the annual report")
    with transaction.atomic():
        updated = AnnualReport.objects.filter(pk=report.pk, signed_off_by__isnull=True).update(
            signed_off_by=actor, signed_off_at=timezone.now()
        )
        if not updated:
            raise ServiceError("This build has already been signed off")
        report.refresh_from_db()
        record(
            verb=verbs.ANNUAL_SIGNED_OFF,
            actor=actor,
            target=report,
            request=request,
            payload={"year": report.year, "html_sha256": report.html_sha256},
        )
    return report
