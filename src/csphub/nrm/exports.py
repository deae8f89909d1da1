"""A decision's minute, and its SCA audit pack, as PDF (WeasyPrint), marked on every page.

The audit pack is one file per decision: the referral (references and categories, no more of
the child than the decision needs), the evidence list, the minute, attendance and votes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from csphub.nrm.models import Decision, Minute

MARKING = "OFFICIAL-SENSITIVE"


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        template,
        {
            **context,
            "marking": MARKING,
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def minute_pdf(minute: Minute) -> bytes:
    decision = minute.decision
    return _pdf(
        "nrm/minute_pdf.html",
        {
            "minute": minute,
            "decision": decision,
            "referral": decision.referral,
            "attendance": list(decision.attendance.select_related("member__agency")),
        },
    )


def audit_pack_pdf(decision: Decision) -> bytes:
    minute = decision.minutes.order_by("-version").first()
    return _pdf(
        "nrm/minute_pdf.html",
        {
            "minute": minute,
            "decision": decision,
            "referral": decision.referral,
            "attendance": list(decision.attendance.select_related("member__agency")),
            "pack": True,
            "types": decision.referral.exploitation_labels,
        },
    )
