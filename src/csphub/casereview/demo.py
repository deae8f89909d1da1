"""Demo ASB case reviews for Bexley: one at each stage, dated relative to today. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TextIO

from django.conf import settings
from django.utils import timezone

from csphub.accounts.models import Agency, User
from csphub.casereview import services
from csphub.casereview.models import CaseReview
from csphub.lib.workingdays import add_working_days

# Fictional applicants; the problems are typical of published Community Trigger cases.
APPLICATIONS: list[tuple[str, str, str, int, int]] = [
    # applicant, problem label, summary, days ago received, complaints
    (
        "Margaret Doyle",
        "Noise from flat above",
        "Loud music and shouting most nights from the flat above, Belvedere.",
        3,
        3,
    ),
    (
        "Tunde Bakare",
        "Youths gathering by the shops",
        "Groups gathering outside the parade of "
        "shops on Welling High Street, intimidating customers.",
        12,
        2,
    ),
    (
        "Sandra Leigh",
        "Off-road bikes on the Green",
        "Off-road motorbikes ridden across the green near Erith, most weekends.",
        40,
        4,
    ),
    (
        "Imran Qureshi",
        "Drug dealing in the stairwell",
        "Suspected drug dealing in the stairwell of a Thamesmead block.",
        70,
        3,
    ),
]


def load(stdout: TextIO) -> None:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data cannot be loaded under production settings.")
    names = [a[0] for a in APPLICATIONS]
    if CaseReview.objects.filter(applicant_name__in=names).exists():
        stdout.write("  ASB case reviews already loaded\n")
        return
    coordinator = User.objects.get(email="vip@bexley.demo")  # loaded with the accounts
    police = Agency.objects.filter(name="Metropolitan Police South East BCU").first()
    housing = Agency.objects.filter(name="Bexley Housing Services").first()
    today = timezone.localdate()
    for index, (name, problem, summary, days_ago, complaints) in enumerate(APPLICATIONS):
        received = today - timedelta(days=days_ago)
        review = services.do_create_case_review(
            actor=coordinator,
            received_on=received,
            applicant_name=name,
            problem_summary=summary,
            applicant_address="Address held on file (demo)",
        )
        for i in range(complaints):
            incident = received - timedelta(days=20 + 30 * i)
            services.do_add_complaint(
                actor=coordinator,
                review=review,
                problem=problem,
                incident_on=incident,
                reported_on=incident + timedelta(days=2),
                reported_to=police,
            )
        _progress(review, index, coordinator, police, housing, today)
    stdout.write(f"  {len(APPLICATIONS)} ASB case reviews ready\n")


def _progress(
    review: CaseReview,
    stage: int,
    actor: User,
    police: Agency | None,
    housing: Agency | None,
    today: date,
) -> None:
    """Stage 0 is left new; 1 is decided not met; 2 is awaiting its review; 3 is reviewed."""
    if stage == 0:
        return
    decided = min(add_working_days(review.received_on, 8), today)
    services.do_acknowledge_case_review(
        actor=actor, review=review, acknowledged_on=add_working_days(review.received_on, 3)
    )
    met = services.threshold_for(review).met
    services.do_decide_threshold(actor=actor, review=review, decided_on=decided, met=met)
    if stage == 3 and met:
        services.do_record_review_meeting(
            actor=actor,
            review=review,
            held_on=add_working_days(review.received_on, 18),
            outcome="Partners agreed a joint plan: targeted patrols, a closure notice to be "
            "considered, and support for residents.",
        )
        for agency, text in (
            (police, "Targeted patrols of the block for eight weeks."),
            (housing, "Consider a closure notice and review door security."),
        ):
            if agency is not None:
                services.do_add_recommendation(actor=actor, review=review, agency=agency, text=text)
