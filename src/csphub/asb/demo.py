"""Demo ASB casework for Bexley: on the ASB panel's open cases, two risk assessments (the
second after things got worse), an incident log and tools and powers, dated relative to today.
Idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.conf import settings
from django.utils import timezone

from csphub.accounts.models import User
from csphub.asb import services
from csphub.asb.models import RiskAssessment
from csphub.asb.selectors import ASB_PANEL_KINDS
from csphub.panels.models import Case

# (days ago, type, what happened, reported by, police reference)
INCIDENTS = [
    (
        40,
        "noise",
        "Loud music from the flat until 2am; neighbours knocked, no answer.",
        "victim",
        "",
    ),
    (
        26,
        "verbal",
        "Neighbour shouted abuse on the stairwell and followed her to the door.",
        "victim",
        "CAD 4411/14",
    ),
    (
        9,
        "damage",
        "Front door kicked and the letterbox forced; witnessed by the neighbour opposite.",
        "witness",
        "01/123456/25",
    ),
]

# (kind, status, behaviour, requirements, issued days ago, served days ago, review days ahead)
TOOLS = [
    (
        "warning_letter",
        "served",
        "playing loud music late at night and shouting at neighbours",
        "Stop playing amplified music after 11pm\nDo not approach your neighbours",
        24,
        23,
        None,
    ),
    (
        "cpw",
        "issued",
        "damaging your neighbour's front door and shouting abuse on the stairwell",
        "Do not damage any property at Example Court\nDo not approach your neighbours",
        7,
        None,
        21,
    ),
]


def load(stdout: TextIO) -> None:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data cannot be loaded under production settings.")
    if RiskAssessment.objects.exists():
        stdout.write("  ASB casework already loaded\n")
        return
    coordinator = User.objects.get(email="vip@bexley.demo")  # co-ordinates the ASB panel
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(panel__kind__in=ASB_PANEL_KINDS, status="active").order_by(
            "created_at"
        )[:2]
    )
    for case in cases:
        services.do_record_risk_assessment(
            actor=coordinator,
            case=case,
            answers={"repeat": True, "routine": True, "children": True},
            assessed_on=today - timedelta(days=35),
            notes="First contact with the victim by phone.",
        )
        for days, kind, text, by, ref in INCIDENTS:
            services.do_log_incident(
                actor=coordinator,
                case=case,
                occurred_on=today - timedelta(days=days),
                kind=kind,
                description=text,
                reported_by=by,
                police_reference=ref,
            )
        services.do_record_risk_assessment(
            actor=coordinator,
            case=case,
            answers={
                "repeat": True,
                "routine": True,
                "children": True,
                "fear": True,
                "health": True,
                "property": True,
            },
            assessed_on=today - timedelta(days=8),
            notes="Home visit after the damage to the front door.",
        )
        for kind, status, behaviour, requirements, issued, served, review in TOOLS:
            services.do_record_tool(
                actor=coordinator,
                case=case,
                kind=kind,
                status=status,
                recipient_name="Gary Demo-Neighbour",
                recipient_address="Flat 4, 12 Example Court\nBelvedere\nDA17 5AA",
                behaviour=behaviour,
                requirements=requirements,
                issued_on=today - timedelta(days=issued),
                served_on=today - timedelta(days=served) if served is not None else None,
                review_on=today + timedelta(days=review) if review is not None else None,
            )
    stdout.write(f"  ASB casework on {len(cases)} cases ready\n")
