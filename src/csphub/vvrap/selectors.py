"""Reads of the VVRAP that depend on who asks, and the plan's rules.

Everyone signed in reads the plan, its actions and the returned snapshots; an action's lead
writes its quarterly updates and moves its milestones on; the CSP manager (a holder of
`vvrap.manage_plan`, the CSP administrator) edits the plan, signs updates off or returns them,
and exports the return. The plan holds no case data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.audit.verbs import label_of
from csphub.funding.selectors import items_visible_to as funded_items_visible_to
from csphub.lib.periods import Period, quarter, quarter_of
from csphub.meetings.models import Action
from csphub.meetings.selectors import actions_visible_to
from csphub.vvrap.choices import RAG_ORDER, UpdateStatus
from csphub.vvrap.models import Plan, PlanItem, QuarterlyUpdate, ReturnedUpdate, Theme

MANAGE = "vvrap.manage_plan"
BOARD_MINUTES = "vvrap.read_board_minutes"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def may_manage(user: Any) -> bool:
    """The CSP manager: edits the plan, signs off or returns updates, exports the return."""
    return _signed_in(user) and bool(user.has_perm(MANAGE))


def is_lead(user: Any, item: PlanItem) -> bool:
    """USER is the action's named CSP lead, who writes its quarterly updates."""
    return _signed_in(user) and item.lead_id == user.pk


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    """Every plan, to everyone signed in; none to anyone else."""
    if not _signed_in(user):
        return Plan.objects.none()
    return Plan.objects.select_related("template", "board")


def items_visible_to(user: Any) -> QuerySet[PlanItem]:
    if not _signed_in(user):
        return PlanItem.objects.none()
    return PlanItem.objects.select_related("plan", "theme", "lead").prefetch_related(
        "lead_agencies"
    )


def updates_visible_to(user: Any) -> QuerySet[QuarterlyUpdate]:
    """Signed-off updates to everyone signed in; one still in the works to its action's lead and
    the CSP manager only."""
    if not _signed_in(user):
        return QuarterlyUpdate.objects.none()
    updates = QuarterlyUpdate.objects.select_related("item__plan", "item__theme", "item__lead")
    if may_manage(user):
        return updates
    return updates.filter(Q(status=UpdateStatus.SIGNED_OFF) | Q(item__lead_id=user.pk))


def returned_visible_to(user: Any) -> QuerySet[ReturnedUpdate]:
    if not _signed_in(user):
        return ReturnedUpdate.objects.none()
    return ReturnedUpdate.objects.select_related("theme", "plan", "item")


def milestone_rule(user: Any, reading: bool) -> Q:
    """The plan's branch of meetings' one rule for actions (`register_action_rule`): a plan
    item's milestones are read by everyone signed in, and moved on by the action's lead and
    the CSP manager (their owner already may, by the rule's first branch)."""
    if reading:
        return Q(plan_item__isnull=False)
    if user.has_perm(MANAGE):
        return Q(plan_item__isnull=False)
    return Q(plan_item__lead_id=user.pk)


def milestones_of(user: Any, item: PlanItem) -> QuerySet[Action]:
    return actions_visible_to(user).filter(plan_item=item).order_by("due_on")


def current_quarter(today: Any) -> tuple[int, int]:
    """(financial year, quarter) of TODAY."""
    start = quarter_of(today).start
    return (start.year if start.month >= 4 else start.year - 1), (start.month - 4) % 12 // 3 + 1


def previous_quarter(year: int, number: int) -> tuple[int, int]:
    return (year, number - 1) if number > 1 else (year - 1, 4)


def quarter_label(year: int, number: int) -> str:
    return quarter(year, number).label


def quarter_period(year: int, number: int) -> Period:
    return quarter(year, number)


def returned_for(plan: Plan, year: int, number: int) -> list[ReturnedUpdate]:
    """The quarter's return as signed off: one snapshot per action, by theme then number."""
    rows = list(
        ReturnedUpdate.objects.filter(plan=plan, year=year, quarter=number).select_related("theme")
    )
    return sorted(rows, key=lambda r: (r.theme.position, _number_key(r.value("number"))))


def _number_key(number: str) -> tuple[Any, ...]:
    """'3.10' after '3.9': numbers compared as numbers, part by part."""
    return tuple(int(p) if p.isdigit() else p for p in str(number).split("."))


@dataclass(frozen=True)
class ThemeCounts:
    theme: Theme
    counts: dict[str, int]  # rag -> actions returned with it
    previous: dict[str, int]
    changed: int  # actions whose RAG differs from last quarter's return
    improved: int
    worsened: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def summary_of(plan: Plan, year: int, number: int) -> list[ThemeCounts]:
    """RAG counts by theme for the quarter's return, with last quarter's and the changes
    (an action counts as changed when both quarters returned it with different RAGs)."""
    now = returned_for(plan, year, number)
    before = {r.item_id: r.rag for r in returned_for(plan, *previous_quarter(year, number))}
    rank = {rag: i for i, rag in enumerate(RAG_ORDER)}
    out = []
    for theme in Theme.objects.all():
        mine = [r for r in now if r.theme_id == theme.pk]
        counts = {rag: sum(1 for r in mine if r.rag == rag) for rag in RAG_ORDER}
        prev_rows = [
            r for r in returned_for(plan, *previous_quarter(year, number)) if r.theme_id == theme.pk
        ]
        previous = {rag: sum(1 for r in prev_rows if r.rag == rag) for rag in RAG_ORDER}
        moved = [(before[r.item_id], r.rag) for r in mine if before.get(r.item_id, r.rag) != r.rag]
        out.append(
            ThemeCounts(
                theme=theme,
                counts=counts,
                previous=previous,
                changed=len(moved),
                improved=sum(1 for a, b in moved if rank[b] > rank[a]),
                worsened=sum(1 for a, b in moved if rank[b] < rank[a]),
            )
        )
    return out


def rag_history(item: PlanItem) -> list[ReturnedUpdate]:
    """The action's returned RAG, quarter by quarter."""
    return list(item.returned.order_by("year", "quarter"))


def theme_history(plan: Plan) -> dict[str, Any]:
    """Per theme, the RAG counts of each quarter returned: {"quarters": [(y, q, label)],
    "rows": [(theme, [counts per quarter])]}."""
    rows = ReturnedUpdate.objects.filter(plan=plan).values_list(
        "theme_id", "year", "quarter", "rag"
    )
    quarters = sorted({(y, q) for _, y, q, _ in rows})
    tally: dict[tuple[Any, int, int], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(RAG_ORDER, 0)
    )
    for theme_id, y, q, rag in rows:
        tally[(theme_id, y, q)][rag] += 1
    return {
        "quarters": [(y, q, quarter_label(y, q)) for y, q in quarters],
        "rows": [
            (theme, [tally[(theme.pk, y, q)] for y, q in quarters]) for theme in Theme.objects.all()
        ],
    }


def updates_waiting(user: Any) -> QuerySet[QuarterlyUpdate]:
    """Updates waiting for the CSP manager's sign-off (none for anyone else)."""
    if not may_manage(user):
        return QuarterlyUpdate.objects.none()
    return updates_visible_to(user).filter(status=UpdateStatus.SUBMITTED)


def dashboard_summary(user: Any) -> list[tuple[str, str]]:
    """The home card: the user's own actions and, for the manager, updates waiting."""
    if not _signed_in(user):
        return []
    plan = Plan.objects.filter(is_current=True).first()
    if plan is None:
        return []
    summary = [("Actions in the plan", str(plan.items.count()))]
    mine = plan.items.filter(lead_id=user.pk).count()
    if mine:
        summary.append(("Actions you lead", str(mine)))
    if may_manage(user):
        summary.append(("Updates waiting for sign-off", str(updates_waiting(user).count())))
    return summary


def item_history(item: PlanItem) -> list[dict[str, Any]]:
    """Every change to the action and its milestones, from the audit trail, newest first: when,
    who (by name) and what. Views of pages are not changes and are not listed."""
    milestone_ids = [str(pk) for pk in item.milestones.values_list("pk", flat=True)]
    events = (
        AuditEvent.objects.filter(
            Q(target_type="vvrap.planitem", target_id=str(item.pk))
            | Q(target_type="meetings.action", target_id__in=milestone_ids)
        )
        .exclude(verb__endswith=".viewed")
        .select_related("actor")
        .order_by("-seq")[:100]
    )
    return [
        {
            "when": e.occurred_at,
            "who": e.actor.full_name if e.actor else "The service",
            "what": label_of(e.verb, e.payload),
        }
        for e in events
    ]


def may_keep_tracker(user: Any) -> bool:
    """The CSP manager and the tasking meeting's co-ordinators keep its events tracker and the
    assessment's status."""
    from csphub.panels.selectors import panels_coordinated_by
    from csphub.vvrap.choices import BoardKind

    if not _signed_in(user):
        return False
    if may_manage(user):
        return True
    return panels_coordinated_by(user).filter(vvrap_board__kind=BoardKind.TASKING).exists()


def event_places_for(user: Any) -> QuerySet[Any]:
    """The places an event may be at: community places (schools, wards, outreach sites), which
    every signed-in partnership user sees; never a case's place."""
    from csphub.people.selectors import places_visible_to

    return places_visible_to(user).filter(is_community_place=True).order_by("name")


def events_visible_to(user: Any) -> QuerySet[Any]:
    """The tasking tracker's events, to everyone signed in (they name community places only)."""
    from csphub.vvrap.models import TaskingEvent

    if not _signed_in(user):
        return TaskingEvent.objects.none()
    return TaskingEvent.objects.select_related("place", "owning_agency", "meeting")


def board_meetings_visible_to(user: Any) -> QuerySet[Any]:
    """Meetings of the partnership's boards, to everyone signed in: a board is a panel that
    holds no case data (it makes no decisions, so nothing is referred to it), and its pack
    shows only its agenda's topics, the plan and aggregate figures."""
    from csphub.meetings.models import Meeting

    if not _signed_in(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(panel__vvrap_board__isnull=False).select_related(
        "panel__vvrap_board", "chair"
    )


def may_read_board_minutes(user: Any) -> bool:
    """The Executive and the CSP manager read the boards' minutes here, without the meetings
    app's `meetings.view_meetings` (which would open case-bearing panels' meetings too)."""
    return _signed_in(user) and bool(user.has_perm(BOARD_MINUTES))


def board_minutes_visible_to(user: Any) -> QuerySet[Any]:
    """The past meetings of the boards whose minutes USER may read: only a board that holds no
    case data — its panel has no case and the meeting no case on its agenda — so these
    minutes never carry a case, whatever a panel is later configured to do."""
    from django.utils import timezone

    from csphub.meetings.models import AgendaItem, Meeting
    from csphub.panels.models import Case

    if not may_read_board_minutes(user):
        return Meeting.objects.none()
    return (
        board_meetings_visible_to(user)
        .filter(scheduled_for__lte=timezone.now())
        .exclude(Exists(Case.objects.filter(panel=OuterRef("panel"))))
        .exclude(Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"))))
    )


def latest_returned_quarter(plan: Plan) -> tuple[int, int] | None:
    last = plan.returned.order_by("-year", "-quarter").values_list("year", "quarter").first()
    return (last[0], last[1]) if last else None


def funded_by(user: Any, item: PlanItem) -> QuerySet[Any]:
    """The funded items serving ITEM that USER may read, with their grant and funder."""
    return (
        funded_items_visible_to(user)
        .filter(vvrap_actions=item)
        .select_related("grant__funder", "provider")
        .order_by("name")
    )


def actions_served(user: Any, funded_item: Any) -> list[tuple[str, str, str]]:
    """The plan actions FUNDED_ITEM serves that USER may read, as (action, plan, address) rows
    for the funded item's page (registered with funding from this app's ready())."""
    items = items_visible_to(user).filter(funded_items=funded_item)
    return [
        (
            f"Action {i.number}: {i.description}",
            str(i.plan),
            reverse("vvrap:item_detail", kwargs={"entry_id": i.pk}),
        )
        for i in items.select_related("plan", "theme")
    ]


def assessment_refreshed_by(day: Any) -> Any:
    """The latest record of the joint strategic assessment being refreshed on or before DAY
    (None when none is): a status, read by every signed-in page and the annual report."""
    from csphub.vvrap.models import AssessmentStatus

    return AssessmentStatus.objects.filter(refreshed_on__lte=day).first()
