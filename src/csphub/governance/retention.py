"""Which records the retention schedule says should go, and why (the dry run's answer).

Read-only: `csphub.governance.services.do_apply_retention` deletes or anonymises what this
finds. A record whose deletion the IICSA moratorium holds is found all the same, marked held,
so the dry run says what is being kept and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from csphub.audit.models import AuditEvent
from csphub.casereview.models import CaseReview
from csphub.governance.schedules import Schedule, moratorium_on, schedule
from csphub.lib.dates import age_on, shift_years
from csphub.nrm.models import Referral
from csphub.panels.choices import CaseStatus, PanelKind
from csphub.panels.models import Case
from csphub.people.models import Person

MORATORIUM_REASON = (
    "held: the IICSA moratorium on destroying child-abuse-related records is on "
    "(CSPHUB_IICSA_MORATORIUM)"
)


@dataclass(frozen=True)
class Due:
    """One record past its retention period: what it is, why it is due, whether it is held."""

    schedule: Schedule
    record: Model
    reference: str
    reason: str
    held: bool

    def line(self, *, applied: bool) -> str:
        """The dry run's (or the run's) line about this record."""
        done = "kept" if self.held else f"{self.schedule.action}d"
        what = done if applied else f"would be {done}"
        why = f"; {MORATORIUM_REASON}" if self.held else ""
        return f"{self.schedule.key} {self.reference}: {self.reason}, {what}{why}"


def _cutoff(key: str, today: date) -> date:
    years = schedule(key).years
    assert years is not None  # only schedules with a period of their own are asked
    return shift_years(today, -years)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def is_child_case(case: Case) -> bool:
    """A case about a child (under 18 when referred) or heard by a child exploitation panel:
    child-abuse-related for the moratorium, and kept for the child case period."""
    if case.panel.kind == PanelKind.CREST:
        return True
    referred = timezone.localdate(case.referred_at)
    return any(
        s.person is not None
        and s.person.date_of_birth is not None
        and age_on(s.person.date_of_birth, referred) < 18
        for s in case.subjects.select_related("person")
    )


def _closed_cases() -> QuerySet[Case]:
    # A case with an NRM referral goes by the NRM schedule, with its referral.
    return (
        Case.objects.filter(status=CaseStatus.CLOSED, closed_at__isnull=False)
        .exclude(Exists(Referral.objects.filter(case=OuterRef("pk"))))
        .select_related("panel")
        .order_by("closed_at")
    )


def due_cases(today: date) -> list[Due]:
    adult_cutoff = _end_of(_cutoff("case", today))
    child_cutoff = _end_of(_cutoff("child_case", today))
    found = []
    for case in _closed_cases().filter(closed_at__lte=max(adult_cutoff, child_cutoff)):
        child = is_child_case(case)
        key = "child_case" if child else "case"
        if case.closed_at is None or case.closed_at > (child_cutoff if child else adult_cutoff):
            continue
        s = schedule(key)
        closed = timezone.localdate(case.closed_at).isoformat()
        reason = f"closed on {closed}, more than {s.years} years ago"
        found.append(Due(s, case, case.reference, reason, held=child and moratorium_on()))
    return found


def _received(key: str, records: QuerySet[Any], today: date, *, held: bool) -> list[Due]:
    """RECORDS (each with a `received_on` day and a reference) received on or before the
    schedule KEY's cutoff."""
    s = schedule(key)
    return [
        Due(
            s,
            r,
            r.reference,
            f"received on {r.received_on.isoformat()}, more than {s.years} years ago",
            held=held,
        )
        for r in records.filter(received_on__lte=_cutoff(key, today)).order_by("received_on")
    ]


def due_nrm_referrals(today: date) -> list[Due]:
    # Every children's NRM referral is about the exploitation of a child.
    return _received("nrm_referral", Referral.objects.all(), today, held=moratorium_on())


def due_case_reviews(today: date) -> list[Due]:
    return _received("case_review", CaseReview.objects.all(), today, held=False)


def people_left_by(due: list[Due]) -> list[Person]:
    """The people on the records DUE deletes (those not held) that no other case or referral
    is about: anonymised once those records have gone."""
    cases = {d.record.pk for d in due if not d.held and isinstance(d.record, Case)}
    referrals = {d.record.pk for d in due if not d.held and isinstance(d.record, Referral)}
    cases |= set(Referral.objects.filter(pk__in=referrals).values_list("case_id", flat=True))
    candidates = Person.objects.filter(
        Q(case_links__case__in=cases) | Q(nrm_referrals__in=referrals)
    ).distinct()
    left = []
    for person in candidates.order_by("reference"):
        other_cases = person.case_links.exclude(case__in=cases).exists()
        other_referrals = person.nrm_referrals.exclude(pk__in=referrals).exists()
        if not other_cases and not other_referrals:
            left.append(person)
    return left


def audit_events_past_period(today: date) -> int:
    """How many audit events are older than the audit trail's period (kept, reported)."""
    cutoff = _end_of(_cutoff("audit_event", today))
    return AuditEvent.objects.filter(occurred_at__lte=cutoff).count()


def due_records(today: date) -> list[Due]:
    """Every record past its period on TODAY, held or not, by schedule."""
    return due_cases(today) + due_nrm_referrals(today) + due_case_reviews(today)
