"""The decision-time dashboard and the quarterly return, built from the referrals a user may
see in aggregate: figures only, small counts suppressed in the return."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from csphub.lib.periods import Period
from csphub.nrm import figures
from csphub.nrm.choices import (
    DecisionKind,
    ExploitationType,
    ExploitedWhere,
    FirstResponderType,
    Gender,
    Outcome,
    Routing,
)
from csphub.nrm.models import Comparator, Decision, Referral, final_decision_on
from csphub.nrm.selectors import _signed_in


def referrals_for_figures(user: Any) -> QuerySet[Referral]:
    """Every referral decided locally, for those who may see the figures (no names leave)."""
    if not _signed_in(user) or not user.has_perm("nrm.view_nrm_figures"):
        return Referral.objects.none()
    return Referral.objects.prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_on"))
    )


def case_times(referrals: Iterable[Referral]) -> list[figures.CaseTimes]:
    out = []
    for r in referrals:
        if r.routing != Routing.PANEL:
            continue
        rg, cg = r.decision(DecisionKind.RG), r.decision(DecisionKind.CG)
        out.append(
            figures.CaseTimes(
                received_on=r.received_on,
                rg_on=rg.decided_on if rg else None,
                cg_on=cg.decided_on if cg else None,
                final_on=final_decision_on(r),
            )
        )
    return out


@dataclass
class Dashboard:
    measures: list[dict[str, Any]] = field(default_factory=list)
    quarters: list[tuple[str, figures.Summary]] = field(default_factory=list)
    distribution: list[tuple[str, int]] = field(default_factory=list)
    comparators: list[Comparator] = field(default_factory=list)
    awaiting: int = 0


def dashboard(user: Any) -> Dashboard:
    times = case_times(referrals_for_figures(user))
    board = Dashboard(comparators=list(Comparator.objects.all()))
    for measure in ("rg", "cg", "final"):
        board.measures.append(
            {
                "key": measure,
                "label": figures.LABELS[measure],
                "definition": figures.DEFINITIONS[measure],
                "summary": figures.measure_summary(times, measure),
            }
        )
    board.quarters = figures.by_quarter(times, "final")
    board.distribution = figures.distribution(
        d for t in times if (d := t.days("final")) is not None
    )
    board.awaiting = sum(1 for t in times if t.final_on is None)
    return board


UK_NATIONALITIES = {"british", "uk", "united kingdom", "english", "welsh", "scottish"}


def nationality_group(nationality: str) -> str:
    """The return's nationality groups: UK national, other nationality, not known."""
    text = nationality.strip().lower()
    if not text or text in {"not known", "unknown"}:
        return "Not known"
    return "UK national" if text in UK_NATIONALITIES else "Other nationality"


def age_band(referral: Referral) -> str:
    """The Home Office statistics' child age bands, at exploitation (else at referral)."""
    age = referral.age_at_exploitation
    if age is None:
        age = referral.child.age_on(referral.received_on)
    if age is None:
        return "Age not known"
    return "0 to 15" if age <= 15 else "16 to 17"


@dataclass(frozen=True)
class ReturnRow:
    table: str
    category: str
    count: int


def return_rows(referrals: Iterable[Referral], quarter: Period) -> list[ReturnRow]:
    """The quarter's return, in the Home Office NRM statistics' categories: referrals received
    in the quarter by age band and where exploited, by first responder type, exploitation
    type, gender and nationality group; RG and CG decisions made in it by outcome. Counts are
    as counted; suppression is applied by the export."""
    start, end = quarter.first_day, quarter.last_day
    all_referrals = list(referrals)
    received = [r for r in all_referrals if start <= r.received_on <= end]
    rows: list[ReturnRow] = []

    def table(name: str, categories: list[tuple[str, int]]) -> None:
        rows.extend(ReturnRow(name, c, n) for c, n in categories)

    where = dict(ExploitedWhere.choices)
    table(
        "Referrals by age band and where exploited",
        [
            (
                f"{band}, {where[w]}",
                sum(1 for r in received if age_band(r) == band and r.exploited_where == w),
            )
            for band in ("0 to 15", "16 to 17", "Age not known")
            for w in ExploitedWhere.values
        ],
    )
    table(
        "Referrals by first responder type",
        [
            (label, sum(1 for r in received if r.first_responder_type == v))
            for v, label in FirstResponderType.choices
        ],
    )
    table(
        "Referrals by exploitation type",
        [
            (label, sum(1 for r in received if v in r.exploitation_types))
            for v, label in ExploitationType.choices
        ]
        + [("Of which county lines", sum(1 for r in received if r.county_lines))],
    )
    table(
        "Referrals by gender",
        [(label, sum(1 for r in received if r.gender == v)) for v, label in Gender.choices],
    )
    table(
        "Referrals by nationality group",
        [
            (g, sum(1 for r in received if nationality_group(r.nationality) == g))
            for g in ("UK national", "Other nationality", "Not known")
        ],
    )
    decisions = [
        d for r in all_referrals for d in r.decisions.all() if start <= d.decided_on <= end
    ]
    for kind, label in DecisionKind.choices:
        table(
            f"{label} decisions by outcome",
            [
                (o_label, sum(1 for d in decisions if d.kind == kind and d.outcome == o))
                for o, o_label in Outcome.choices
            ],
        )
    return rows
