"""The DPO's anomaly reports: patterns in the audit trail worth a second look.

Each report is one grouped query over the trail (by user, or by user and day), so it costs the
same however many events match; the thresholds are settings (docs/governance.md). A finding is
not a finding of wrongdoing: it says where to look, and links to the events behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.urls import reverse
from django.utils import timezone

from csphub.audit import verbs as audit_verbs
from csphub.audit.models import AuditEvent
from csphub.audit.verbs import REGISTRY
from csphub.casereview.verbs import APPLICANT_REVEALED
from csphub.people.verbs import PERSON_REVEALED

# Showing a person's name and details in full, behind the audited reveal.
REVEAL_VERBS = (PERSON_REVEALED, APPLICANT_REVEALED)


def export_verbs() -> list[str]:
    """Every registered verb of a download (its code ends in "exported")."""
    return sorted(code for code in REGISTRY if code.endswith("exported"))


def access_verbs() -> list[str]:
    """Every registered verb of reading records: pages shown, reveals and downloads."""
    return sorted(code for code in REGISTRY if code.endswith(("viewed", "revealed", "exported")))


@dataclass(frozen=True)
class Finding:
    """One user (on one day, where the report is by day) over a report's threshold."""

    actor_id: str
    actor_label: str
    day: date | None
    count: int
    detail: str
    events_url: str  # the audit trail filtered to this user (and day)


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    explains: str
    findings: list[Finding]


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _between(date_from: date, date_to: date) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        occurred_at__gte=_start(date_from),
        occurred_at__lt=_start(date_to + timedelta(days=1)),
        actor__isnull=False,
    )


def _events_url(actor_id: Any, day: date | None, verb: str = "") -> str:
    query: dict[str, str] = {"actor": str(actor_id)}
    if day is not None:
        query["date_from"] = query["date_to"] = day.isoformat()
    if verb:
        query["verb"] = verb
    return f"{reverse('audit:event_list')}?{urlencode(query)}"


def _by_user_and_day(
    events: QuerySet[AuditEvent], over: int, detail: str, verb: str = ""
) -> list[Finding]:
    rows = (
        events.annotate(day=TruncDate("occurred_at"))
        .values("actor_id", "actor_label", "day")
        .annotate(n=Count("pk"))
        .filter(n__gt=over)
        .order_by("-n", "day", "actor_label")
    )
    return [
        Finding(
            str(r["actor_id"]),
            r["actor_label"],
            r["day"],
            r["n"],
            detail.format(n=r["n"]),
            _events_url(r["actor_id"], r["day"], verb),
        )
        for r in rows
    ]


def _many_in_a_day(
    events: QuerySet[AuditEvent], *, key: str, title: str, what: str, setting: str, over: int
) -> Report:
    """The users with more than OVER of EVENTS in one day, as report KEY."""
    explains = f"More than {over} {what} by one user in a day ({setting})."
    return Report(key, title, explains, _by_user_and_day(events, over, "{n} " + what))


def many_reveals(date_from: date, date_to: date) -> Report:
    return _many_in_a_day(
        _between(date_from, date_to).filter(verb__in=REVEAL_VERBS),
        key="reveals",
        title="Many reveals by one user",
        what="reveals of a person's name and details",
        setting="CSPHUB_ANOMALY_REVEALS_PER_DAY",
        over=settings.ANOMALY_REVEALS_PER_DAY,
    )


def bulk_exports(date_from: date, date_to: date) -> Report:
    return _many_in_a_day(
        _between(date_from, date_to).filter(verb__in=export_verbs()),
        key="exports",
        title="Bulk exports",
        what="downloads of records",
        setting="CSPHUB_ANOMALY_EXPORTS_PER_DAY",
        over=settings.ANOMALY_EXPORTS_PER_DAY,
    )


def outside_working_hours(date_from: date, date_to: date) -> Report:
    start, end = settings.ANOMALY_WORKING_HOURS
    # Hours and days in the service's time zone (TIME_ZONE), where the working day is.
    events = (
        _between(date_from, date_to)
        .filter(verb__in=access_verbs())
        .annotate(hour=ExtractHour("occurred_at"), weekday=ExtractIsoWeekDay("occurred_at"))
        .filter(Q(hour__lt=start) | Q(hour__gte=end) | Q(weekday__gte=6))
    )
    return Report(
        "hours",
        "Access outside working hours",
        f"Records viewed, revealed or downloaded before {start:02d}:00, from {end:02d}:00, "
        "or at a weekend (CSPHUB_WORKING_HOURS_START and _END).",
        _by_user_and_day(events, 0, "{n} records read"),
    )


def cases_opened_without_a_panel(date_from: date, date_to: date) -> Report:
    """Users on no panel who opened cases: their access comes from their agency or an
    assignment, which may be right, but is worth knowing."""
    rows = (
        _between(date_from, date_to)
        .filter(verb=audit_verbs.CASE_VIEWED, actor__panel_memberships__isnull=True)
        .values("actor_id", "actor_label")
        .annotate(n=Count("pk"), cases=Count("target_id", distinct=True))
        .order_by("-cases", "actor_label")
    )
    findings = [
        Finding(
            str(r["actor_id"]),
            r["actor_label"],
            None,
            r["cases"],
            f"{r['cases']} case{'s' if r['cases'] != 1 else ''} opened ({r['n']} views)",
            _events_url(r["actor_id"], None, audit_verbs.CASE_VIEWED),
        )
        for r in rows
    ]
    return Report(
        "no_panel",
        "Cases opened by a user on no panel",
        "Users who sit on no panel and opened cases in the period.",
        findings,
    )


def anomaly_reports(date_from: date, date_to: date) -> list[Report]:
    """Every anomaly report over the days DATE_FROM to DATE_TO, inclusive."""
    return [
        many_reveals(date_from, date_to),
        outside_working_hours(date_from, date_to),
        cases_opened_without_a_panel(date_from, date_to),
        bulk_exports(date_from, date_to),
    ]
