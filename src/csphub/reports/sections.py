"""The report's sections other than the crime figures, each from its own app's figures and
selectors (never recomputed here), and the sections that are the partnership's words alone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from csphub.community.selectors import counts as community_counts
from csphub.funding.selectors import items_visible_to, quarter_money
from csphub.lib.disclosure import Output, Source, describe, threshold_for
from csphub.lib.periods import FINANCIAL
from csphub.lib.suppression import suppress
from csphub.nrm import figures as nrm_figures
from csphub.nrm.models import Comparator
from csphub.nrm.reports import case_times, referrals_for_figures
from csphub.panels.reports import panel_dashboard
from csphub.panels.selectors import panels_visible_to
from csphub.reports.trace import Appendix, Sentence, records_source
from csphub.vvrap.choices import RAG_ORDER
from csphub.vvrap.selectors import (
    assessment_refreshed_by,
    latest_returned_quarter,
    plans_visible_to,
    quarter_label,
)
from csphub.vvrap.selectors import summary_of as vvrap_summary

#: Casework figures are always suppressed as for publication.
CASEWORK = threshold_for(Source.CASEWORK, Output.PUBLICATION)


#: Every section of the report, in the reference report's order, with its title.
TITLES = {
    "crime": "Crime figures",
    "sv_duty": "Serious Violence Duty",
    "victims": "Victims and violence against women and girls (VAWG)",
    "community": "Community",
    "nrm": "National Referral Mechanism (NRM) devolved decision pilot",
    "panels": "Case management panels",
    "vvrap": "Violence and Vulnerability Reduction Action Plan (VVRAP)",
    "funding": "Funding",
    "drugs": "Drug strategy",
    "further": "Further implementation",
}


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[list[str]]
    entry: str = ""


@dataclass
class Section:
    key: str
    title: str
    absent: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    narrative: Any = None  # the year's Narrative for this section, if one is written


def _suppressed(pairs: list[tuple[str, int]]) -> list[list[str]]:
    if not pairs:
        return []
    table = suppress([[n] for _, n in pairs], CASEWORK, row_totals=False)
    return [[label, table.display(i, 0)] for i, (label, _) in enumerate(pairs)]


def nrm(user: Any, year: int, appendix: Appendix) -> Section:
    section = Section("nrm", TITLES["nrm"])
    if not user.has_perm("nrm.view_nrm_figures"):
        # Said rather than left out, so a report built without them does not read as "none".
        section.absent = (
            "The NRM decision-time figures are not open to the role of the person who built "
            "this report, so they are not shown."
        )
        return section
    referrals = list(referrals_for_figures(user).filter(received_on__year=year))
    if not referrals:
        section.absent = f"No NRM referrals received in {year} are recorded."
        return section
    times = case_times(referrals)
    summary = nrm_figures.measure_summary(times, "final")
    reasons = Counter(label for r in referrals for label in r.exploitation_labels)
    data = {"summary": summary.__dict__, "reasons": sorted(reasons.items())}
    entry = appendix.add(
        f"NRM referrals received in {year}",
        sources=[records_source("NRM referrals and decisions (csphub)", data)],
        period=f"Referrals received 1 January to 31 December {year}",
        definition=nrm_figures.DEFINITIONS["final"],
        computation="Referrals decided by the local panel; mean and median of the days to "
        "the final decision (csphub.nrm.figures).",
        suppression=f"Casework figures: {describe(CASEWORK)}",
    )
    rows = _suppressed(sorted(reasons.items()))
    section.tables.append(Table("Reasons for referral", ["Reason", "Referrals"], rows, entry.key))
    if summary.count >= CASEWORK and summary.mean is not None:
        s = Sentence().say("Of the referrals decided locally, the average time to a final ")
        s.say("decision was ").figure(f"{summary.mean:.0f} days", entry)
        s.say(" (median ").figure(f"{summary.median:.0f} days", entry).say(")")
        national = [c for c in Comparator.objects.all() if c.measure == "final"]
        if national:
            s.say(f", against {national[0].days:.0f} days for {national[0].label}")
        section.sentences.append(s.say("."))
    else:
        section.sentences.append(
            Sentence().say("Too few referrals have a final decision to give decision times.")
        )
    return section


def panels(user: Any, year: int, appendix: Appendix) -> Section:
    section = Section("panels", TITLES["panels"])
    boards = list(panels_visible_to(user).order_by("name"))
    if not user.has_perm("panels.view_panel_dashboard"):
        section.absent = (
            "The panels' figures are not open to the role of the person who built this report, "
            "so they are not shown."
        )
        return section
    if not boards:
        section.absent = "No case management panels are recorded."
        return section
    for panel in boards:
        board = panel_dashboard(panel)
        # A board (the executive group, a working group) takes no referrals: nothing to show.
        figures = [f for f in board["figures"] if f.title == "Referrals by reason" and f.rows]
        if not figures:
            continue
        data = {f.title: f.rows for f in board["figures"]}
        entry = appendix.add(
            f"{panel.name}: referrals",
            sources=[records_source(f"{panel.name} referrals (csphub)", data)],
            period="Every referral since the panel began",
            definition="Referrals into the panel (escalations and new referrals; transfers "
            "between panels are not counted).",
            computation="Counted by reason (csphub.panels.reports.panel_dashboard).",
            suppression=f"Casework figures: {describe(CASEWORK)}",
        )
        for f in figures:
            section.tables.append(
                Table(
                    f"{panel.name}: {f.title.lower()}",
                    ["Reason", "Referrals"],
                    [list(r) for r in f.rows] + [["Total", f.total]],
                    entry.key,
                )
            )
    if not section.tables:
        section.absent = "No referrals to the case management panels are recorded."
    return section


def vvrap(user: Any, year: int, appendix: Appendix) -> Section:
    section = Section("vvrap", TITLES["vvrap"])
    plan = plans_visible_to(user).filter(is_current=True).order_by("-first_year").first()
    quarter = latest_returned_quarter(plan) if plan is not None else None
    if plan is None or quarter is None:
        section.absent = "No VVRAP quarterly return is recorded."
        return section
    themes = vvrap_summary(plan, *quarter)
    rows = [[t.theme.name, *(str(t.counts[r]) for r in RAG_ORDER), str(t.total)] for t in themes]
    entry = appendix.add(
        f"VVRAP progress, {quarter_label(*quarter)}",
        sources=[records_source(f"{plan.title} returns (csphub)", rows)],
        period=quarter_label(*quarter),
        definition="Actions returned in the quarter's return, by theme and RAG status.",
        computation="Counted from the returned updates (csphub.vvrap.selectors.summary_of).",
        suppression="Actions of the plan, not people: no suppression.",
    )
    section.tables.append(
        Table(
            f"{plan.title}: progress by theme, {quarter_label(*quarter)}",
            ["Theme", *(r.capitalize() for r in RAG_ORDER), "Actions"],
            rows,
            entry.key,
        )
    )
    return section


def funding(user: Any, year: int, appendix: Appendix) -> Section:
    section = Section("funding", TITLES["funding"])
    fy = FINANCIAL.named(year)
    items = list(items_visible_to(user).select_related("grant__funder").order_by("name"))
    rows = []
    for item in items:
        budget = sum((q.budget for q in quarter_money(item, [year])), Decimal(0))
        if budget:
            rows.append([item.name, item.grant.funder.name, f"£{budget:,.0f}"])
    if not rows:
        section.absent = f"No funded items with a budget in {fy.label} are recorded."
        return section
    entry = appendix.add(
        f"Funded items, {fy.label}",
        sources=[records_source("Funded items and quarterly figures (csphub)", rows)],
        period=fy.label,
        definition="Each funded item's budget for the financial year: the sum of its quarters.",
        computation="Summed from the quarterly figures (csphub.funding.selectors.quarter_money).",
        suppression="Money, not people: no suppression.",
    )
    section.tables.append(
        Table(f"Funded items, {fy.label}", ["Item", "Funder", "Budget"], rows, entry.key)
    )
    return section


def community(user: Any, year: int, appendix: Appendix) -> Section:
    section = Section("community", TITLES["community"])
    fy = FINANCIAL.named(year)
    found = community_counts(user, year, "kind")
    if not found:
        section.absent = f"No community activity in {fy.label} is recorded."
        return section
    rows = [[r["key"], f"{r['sessions']:,}", f"{r['people']:,}"] for r in found]
    entry = appendix.add(
        f"Community activity, {fy.label}",
        sources=[records_source("Community activity (csphub)", rows)],
        period=fy.label,
        definition="Sessions held at community places and the people they reached.",
        computation="Counted by kind of activity (csphub.community.selectors.counts).",
        suppression="Sessions and attendance at community places, not people: no suppression.",
    )
    section.tables.append(
        Table(
            f"Community activity by kind, {fy.label}",
            ["Kind of activity", "Sessions", "People reached"],
            rows,
            entry.key,
        )
    )
    return section


def sv_duty(user: Any, year: int, appendix: Appendix) -> Section:
    section = Section("sv_duty", TITLES["sv_duty"])
    status = assessment_refreshed_by(date(year, 12, 31))
    if status is None:
        section.absent = (
            f"No refresh of the joint strategic assessment by the end of {year} is recorded."
        )
        return section
    entry = appendix.add(
        "The joint strategic assessment's status",
        sources=[records_source("Assessment status (csphub)", [str(status.refreshed_on)])],
        period=f"Up to 31 December {year}",
        definition="The latest date the Serious Violence Duty's joint strategic assessment was "
        "recorded as refreshed.",
        computation="The latest record on or before the year's end "
        "(csphub.vvrap.selectors.assessment_refreshed_by).",
        suppression="A date, not people: no suppression.",
    )
    s = Sentence().say("The joint strategic assessment was last refreshed on ")
    section.sentences.append(s.figure(f"{status.refreshed_on:%-d %B %Y}", entry).say("."))
    return section


#: Sections whose content is the partnership's own words alone.
WORDS_ONLY = ("victims", "drugs", "further")
#: Sections built from an app's figures.
BUILT = (sv_duty, nrm, panels, vvrap, funding, community)
