"""Victims, offenders and partnership activity from the partnership's own records, counted for
the window and suppressed as casework always is (both outputs: the figures leave the service).

Counts are of people, not of records: a person on two cases in the window counts once in each
row that describes them; one recorded as victim and perpetrator counts in both columns.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from csphub.community.models import Activity
from csphub.lib.dates import age_on
from csphub.lib.disclosure import Output, Source, threshold_for
from csphub.lib.periods import Period
from csphub.nrm.models import Referral
from csphub.panels.choices import SubjectRole
from csphub.panels.models import Case, CaseSubject
from csphub.people.choices import Ethnicity, Gender
from csphub.sna.tables import CountTable, suppressed_table

VICTIM = {SubjectRole.VICTIM, SubjectRole.VICTIM_AND_PERPETRATOR, SubjectRole.AT_RISK}
OFFENDER = {SubjectRole.PERPETRATOR, SubjectRole.VICTIM_AND_PERPETRATOR}
COLUMNS = ["Victims or at risk", "Offenders"]
AGE_BANDS = ["Under 18", "18 to 24", "25 and over", "Age not known"]


def threshold(output: Output) -> int:
    return threshold_for(Source.CASEWORK, output)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.first_day, time.min, tzinfo=tz)
    end = datetime.combine(period.last_day, time.max, tzinfo=tz)
    return start, end


def _age_band(dob: date | None, on: date) -> str:
    if dob is None:
        return AGE_BANDS[3]
    age = age_on(dob, on)
    return AGE_BANDS[0] if age < 18 else AGE_BANDS[1] if age < 25 else AGE_BANDS[2]


def people_tables(period: Period, output: Output) -> list[CountTable]:
    """Victims and offenders on cases referred in PERIOD, by age at referral, sex and ethnicity."""
    start, end = _bounds(period)
    links = CaseSubject.objects.filter(
        person__isnull=False, case__referred_at__gte=start, case__referred_at__lte=end
    ).values_list(
        "person_id",
        "role",
        "person__date_of_birth",
        "person__gender",
        "person__ethnicity",
        "case__referred_at",
    )
    seen: dict[str, set[tuple[Any, str]]] = {"age": set(), "sex": set(), "ethnicity": set()}
    tallies: dict[str, Counter[tuple[str, int]]] = {k: Counter() for k in seen}
    for person, role, dob, gender, ethnicity, referred in links:
        cols = [i for i, roles in enumerate((VICTIM, OFFENDER)) if role in roles]
        keys = {
            "age": _age_band(dob, timezone.localtime(referred).date()),
            "sex": str(Gender(gender).label),
            "ethnicity": str(Ethnicity(ethnicity).label),
        }
        for kind, key in keys.items():
            for col in cols:
                if (person, f"{key}|{col}") not in seen[kind]:
                    seen[kind].add((person, f"{key}|{col}"))
                    tallies[kind][(key, col)] += 1
    limit = threshold(output)
    orders = {
        "age": AGE_BANDS,
        "sex": [str(label) for _, label in Gender.choices],
        "ethnicity": [str(label) for _, label in Ethnicity.choices],
    }
    titles = {"age": "By age at referral", "sex": "By sex", "ethnicity": "By ethnicity"}
    return [
        suppressed_table(
            titles[kind],
            COLUMNS,
            [(row, [tallies[kind][(row, c)] for c in range(2)]) for row in orders[kind]],
            limit,
        )
        for kind in ("age", "sex", "ethnicity")
    ]


def activity_tables(period: Period, output: Output) -> list[CountTable]:
    """Referrals to each panel and to the NRM panel in PERIOD (casework, suppressed), and
    community activity (sessions and people reached at community places: no one's record,
    but through the same function so a table is never half-suppressed)."""
    start, end = _bounds(period)
    by_panel = (
        Case.objects.filter(referred_at__gte=start, referred_at__lte=end)
        .values("panel__name")
        .annotate(n=Count("pk"))
        .order_by("panel__name")
    )
    nrm = Referral.objects.filter(
        received_on__gte=period.first_day, received_on__lte=period.last_day
    ).count()
    limit = threshold(output)
    referrals = suppressed_table(
        "Referrals received",
        ["Referrals"],
        [(row["panel__name"], [row["n"]]) for row in by_panel]
        + [("National Referral Mechanism (children)", [nrm])],
        limit,
    )
    community = (
        Activity.objects.filter(held_on__gte=period.first_day, held_on__lte=period.last_day)
        .values("kind")
        .annotate(sessions=Count("pk"), people=Sum("people_reached"))
        .order_by("kind")
    )
    labels = dict(Activity._meta.get_field("kind").choices or [])
    activity = suppressed_table(
        "Community and prevention activity",
        ["Sessions", "People reached"],
        [
            (str(labels.get(row["kind"], row["kind"])), [row["sessions"], row["people"] or 0])
            for row in community
        ],
        0,
    )
    return [referrals, activity]
