"""The demo action plan and boards: the partnership's four boards and its tasking meeting (as
panels holding no case data), the plan with actions under all eight themes, three quarters of
signed-off updates with RAG movement and the current quarter's updates under way, a tasking
meeting a month with its events, board meetings carrying the standing items (the latest
Executive Group's agenda misses one), the VRU panel's feedback and the assessment's refresh.
Idempotent: nothing is added once the plan exists."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.conf import settings
from django.utils import timezone

from csphub.accounts.models import Agency, User
from csphub.lib.periods import add_months, month_of, quarter
from csphub.meetings import services as meeting_services
from csphub.panels.choices import MembershipRole, PanelKind
from csphub.panels.models import Panel
from csphub.panels.services import do_add_panel_member, do_create_panel
from csphub.people.models import Place
from csphub.people.services import do_create_place
from csphub.vvrap import services
from csphub.vvrap.choices import BoardKind
from csphub.vvrap.compliance import STANDING_ITEMS
from csphub.vvrap.models import Board, Plan, PlanTemplate, Theme
from csphub.vvrap.seed import seed
from csphub.vvrap.selectors import current_quarter, previous_quarter

BOARDS = [
    (BoardKind.EXECUTIVE, "Community Safety Partnership Executive Group", "Quarterly", True),
    (BoardKind.SV_WORKING_GROUP, "Serious Violence Working Group", "Every two months", True),
    (BoardKind.VAWG_WORKING_GROUP, "VAWG Working Group", "Every two months", True),
    (BoardKind.DELIVERY, "Community Safety Delivery Group", "Quarterly", True),
    (BoardKind.TASKING, "Violent Crime Tasking Meeting", "Monthly", False),
]

# theme key -> [(number, action, outcome, lead e-mail, stage, RAGs)]
# RAGs: the three returned quarters, oldest first, then the current quarter's proposal.
ACTIONS: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    "governance": [
        (
            "1.1",
            "Review the partnership's terms of reference and board membership against the Serious Violence Duty",
            "A board that meets the Duty's requirements",
            "vip@bexley.demo",
            "current",
            "ggg g",
        ),
        (
            "1.2",
            "Bring the four standing items to every board agenda",
            "Boards see violence performance every meeting",
            "vip@bexley.demo",
            "current",
            "agg g",
        ),
    ],
    "analysis-and-enforcement": [
        (
            "2.1",
            "Monthly violence problem profile for the tasking meeting",
            "Tasking driven by analysis of hot spots",
            "officer@met.demo",
            "current",
            "aag g",
        ),
        (
            "2.2",
            "Weapons sweeps and targeted patrols at the three hottest LSOAs",
            "Fewer knife offences in the hot spots",
            "officer@met.demo",
            "current",
            "rar a",
        ),
    ],
    "reducing-access-to-weapons": [
        (
            "3.1",
            "Knife bins at four sites, with test purchasing of retailers",
            "Fewer knives sold to under-18s",
            "officer@met.demo",
            "current",
            "rra a",
        ),
        (
            "3.2",
            "Weapons awareness for licensed premises and door staff",
            "Weapons found at the door",
            "officer@met.demo",
            "developing",
            "aaa g",
        ),
    ],
    "safeguarding-and-educating-young-people": [
        (
            "4.1",
            "Knife crime awareness workshops in every secondary school",
            "Pupils who know the risks of carrying",
            "teacher@school.demo",
            "current",
            "agg g",
        ),
        (
            "4.2",
            "Contextual safeguarding assessments of the town centre after school",
            "Safer routes home",
            "worker@childrens.demo",
            "current",
            "raa g",
        ),
    ],
    "communities-and-neighbourhoods": [
        (
            "5.1",
            "Community tension monitoring with faith and residents' groups",
            "Tensions spotted and calmed early",
            "vip@bexley.demo",
            "current",
            "gga a",
        ),
        (
            "5.2",
            "Parent and carer network on exploitation and knife crime",
            "Parents who spot the signs",
            "outreach@charity.demo",
            "developing",
            "aag g",
        ),
    ],
    "supporting-victims": [
        (
            "6.1",
            "Hospital-based youth workers at the emergency department",
            "Young victims offered support at the teachable moment",
            "outreach@charity.demo",
            "current",
            "ggr a",
        ),
        (
            "6.2",
            "A single referral route to victim support for young victims",
            "Every young victim offered support",
            "worker@childrens.demo",
            "current",
            "aaa a",
        ),
    ],
    "positive-diversion": [
        (
            "7.1",
            "Detached youth work in Bexleyheath and Erith town centres",
            "Young people engaged in positive activity",
            "outreach@charity.demo",
            "current",
            "ggg g",
        ),
        (
            "7.2",
            "Sports and arts programme in the school holidays",
            "Fewer incidents in the holidays",
            "outreach@charity.demo",
            "developing",
            "rag g",
        ),
    ],
    "violence-against-women-and-girls": [
        (
            "8.1",
            "Walk and talk safety audits with women and girls in the night-time economy",
            "Safer streets at night",
            "vip@bexley.demo",
            "developing",
            "rra a",
        ),
        (
            "8.2",
            "Healthy relationships education in schools",
            "Young people who recognise abuse",
            "teacher@school.demo",
            "current",
            "aag g",
        ),
    ],
}

EVENTS = [
    (
        "Bexleyheath Broadway",
        "street",
        "E01000353",
        "knife",
        "high",
        1,
        "Weapons sweep; extra patrols after school",
    ),
    (
        "Erith Riverside",
        "street",
        "E01000403",
        "group",
        "medium",
        1,
        "Outreach deployment; police engagement with the group",
    ),
    (
        "Belvedere station",
        "transport",
        "E01000332",
        "serious_violence",
        "high",
        1,
        "Transport police patrols; CCTV review",
    ),
    (
        "Danson Park",
        "park",
        "E01000359",
        "planned",
        "low",
        8,
        "Event safety plan with the organisers",
    ),
    (
        "Crayford Way parade",
        "premises",
        "E01000331",
        "community_tension",
        "medium",
        0,
        "Community reassurance walk",
    ),
]

RAG = {"r": "red", "a": "amber", "g": "green"}


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _second_tuesday(month: date) -> date:
    first = month_of(month)
    offset = (1 - first.weekday()) % 7
    return first + timedelta(days=offset + 7)


def _boards(admin: User, coordinator: User) -> dict[str, Panel]:
    panels: dict[str, Panel] = {}
    for kind, name, cadence, standing in BOARDS:
        panel = Panel.objects.filter(name=name).first() or do_create_panel(
            actor=admin,
            name=name,
            purpose="A board of the partnership: it holds no case data.",
            kind=PanelKind.OTHER,
            meeting_cadence=cadence,
            referral_criteria="Not a case panel: nothing is referred to it.",
            review_interval_days=90,
            consent_required=False,
            decisions=[],
        )
        do_add_panel_member(
            actor=admin, panel=panel, user=coordinator, role=MembershipRole.COORDINATOR
        )
        Board.objects.get_or_create(
            kind=kind, defaults={"panel": panel, "carries_standing_items": standing}
        )
        panels[kind] = panel
    return panels


def _plan(admin: User, board: Panel, today: date) -> Plan:
    year, number = current_quarter(today)
    quarters = [previous_quarter(year, number)]
    for _ in range(2):
        quarters.insert(0, previous_quarter(*quarters[0]))
    plan = services.do_create_plan(
        actor=admin,
        title="Bexley Violence and Vulnerability Reduction Action Plan",
        version_label=f"{quarters[0][0]}-{(quarters[0][0] + 1) % 100:02d} v1",
        template=PlanTemplate.objects.order_by("name").first(),  # type: ignore[arg-type]
        board=board,
        first_year=quarters[0][0],
    )
    for theme_key, actions in ACTIONS.items():
        theme = Theme.objects.get(key=theme_key)
        for n, (ref, text, outcome, lead_email, stage, rags) in enumerate(actions):
            lead = _user(lead_email)
            assert lead.agency is not None
            item = services.do_create_plan_item(
                actor=admin,
                plan=plan,
                theme=theme,
                number=ref,
                description=text,
                outcome=outcome,
                lead=lead,
                lead_agencies=[lead.agency],
                stage=stage,
                scope="generic" if n == 0 and theme_key == "governance" else "local",
                evidence="https://www.london.gov.uk/programmes-strategies/mayors-office-policing-and-crime-mopac/violence-reduction-unit",
            )
            services.do_add_milestone(
                actor=lead,
                item=item,
                description="Report progress to the Serious Violence Working Group",
                due_on=quarter(year, number).last_day,
            )
            for (y, q), code in zip(quarters, rags[:3], strict=True):
                update = services.do_save_update(
                    actor=lead,
                    item=item,
                    year=y,
                    quarter=q,
                    narrative=f"Progress on action {ref} in {quarter(y, q).label}: "
                    + {
                        "r": "delayed by staffing; a recovery plan is agreed.",
                        "a": "under way, some milestones slipped a month.",
                        "g": "on track; milestones met.",
                    }[code],
                    proposed_rag=RAG[code],
                    rag_reason={"r": "Milestones missed", "a": "Partly on track", "g": "On track"}[
                        code
                    ],
                    submit=True,
                )
                services.do_sign_off_update(actor=admin, update=update)
            # The current quarter: most sent for sign-off, a few still drafts.
            code = rags[-1]
            services.do_save_update(
                actor=lead,
                item=item,
                year=year,
                quarter=number,
                narrative=f"Progress on action {ref} so far this quarter.",
                proposed_rag=RAG[code],
                rag_reason="As the lead sees it",
                submit=ref.endswith("1"),
            )
    services.do_record_feedback(
        actor=admin,
        plan=plan,
        received_on=today - timedelta(days=60),
        feedback="A clear plan. Strengthen the VAWG theme's outcomes and tie the analysis "
        "actions to the strategic needs assessment's recommendations.",
    )
    return plan


def _tasking(coordinator: User, admin: User, tasking: Panel, police: Agency, today: date) -> int:
    places = []
    for name, kind, lsoa, *_ in EVENTS:
        place = Place.objects.filter(name=name, is_community_place=True).first() or (
            do_create_place(actor=coordinator, name=name, kind=kind, lsoa_code=lsoa, community=True)
        )
        places.append(place)
    events = 0
    for back in range(11, -1, -1):
        month = add_months(month_of(today), -back)
        day = _second_tuesday(month)
        meeting = meeting_services.do_schedule_meeting(
            actor=coordinator,
            panel=tasking,
            scheduled_for=_at(day, 14),
            location="Bexley Civic Offices",
        )
        for i, (_, _, _, kind, risk, _, actions) in enumerate(EVENTS):
            if (back + i) % 3:
                continue
            happened = max(month, day - timedelta(days=3 + i))
            event = services.do_record_event(
                actor=coordinator,
                happened_on=min(happened, today),
                place=places[i],
                kind=kind,
                risk_level=risk,
                owning_agency=police,
                actions=actions,
                meeting=meeting,
            )
            events += 1
            if back > 1:
                services.do_close_event(
                    actor=coordinator, event=event, closed_on=min(today, day + timedelta(days=21))
                )
    services.do_record_assessment(
        actor=admin, refreshed_on=today - timedelta(days=300), note="Annual refresh, 2025-26"
    )
    return events


def _board_meetings(coordinator: User, boards: dict[str, Panel], today: date) -> None:
    keys = [key for key, _ in STANDING_ITEMS]
    for kind in (BoardKind.SV_WORKING_GROUP, BoardKind.VAWG_WORKING_GROUP, BoardKind.DELIVERY):
        for back in (5, 3, 1):
            day = _second_tuesday(add_months(month_of(today), -back)) + timedelta(days=2)
            meeting = meeting_services.do_schedule_meeting(
                actor=coordinator,
                panel=boards[kind],
                scheduled_for=_at(day),
                location="Civic Offices",
            )
            for key in keys:
                meeting_services.do_add_topic(actor=coordinator, meeting=meeting, standing_item=key)
            meeting_services.do_add_topic(
                actor=coordinator, meeting=meeting, title="Action plan: quarterly RAG update"
            )
    executive = boards[BoardKind.EXECUTIVE]
    for back in (6, 3, 0):
        day = _second_tuesday(add_months(month_of(today), -back)) + timedelta(days=1)
        meeting = meeting_services.do_schedule_meeting(
            actor=coordinator, panel=executive, scheduled_for=_at(day), location="Civic Offices"
        )
        # The latest Executive Group agenda misses stop and search: the panel shows it.
        for key in keys if back else keys[:3]:
            meeting_services.do_add_topic(actor=coordinator, meeting=meeting, standing_item=key)
        meeting_services.do_add_topic(
            actor=coordinator, meeting=meeting, title="Action plan: quarterly return to the VRU"
        )


def load(stdout: TextIO) -> None:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data cannot be loaded under production settings.")
    if Plan.objects.exists():
        stdout.write("  Action plan: already loaded\n")
        return
    seed(Theme, PlanTemplate)  # the template and themes, should a database have lost them
    today = timezone.localdate()
    admin = _user("admin@bexley.demo")
    coordinator = _user("vip@bexley.demo")
    boards = _boards(admin, coordinator)
    plan = _plan(admin, boards[BoardKind.SV_WORKING_GROUP], today)
    police = _user("officer@met.demo").agency
    assert police is not None
    events = _tasking(coordinator, admin, boards[BoardKind.TASKING], police, today)
    _board_meetings(coordinator, boards, today)
    stdout.write(
        f"  Action plan: {plan.items.count()} actions under 8 themes, three quarters returned; "
        f"5 boards, 12 tasking meetings with {events} events\n"
    )


# Which of the plan's actions each of the report's four funded items serves.
SERVED_BY = {
    "Violence and Community Risk Co-ordinator": ["2.1", "5.1"],
    "Community Capacity Building": ["5.2", "7.1"],
    "Serious Violence Duty delivery: data analysis and school workshops": ["2.1", "4.1"],
    "NRM Panel Co-ordinator": ["4.2"],
}


def link_funding(stdout: TextIO) -> None:
    """Links the funded items to the actions they serve (after the funding demo has loaded)."""
    from csphub.funding.models import FundedItem

    if settings.PRODUCTION:
        raise RuntimeError("Demo data cannot be loaded under production settings.")
    plan = Plan.objects.filter(is_current=True).first()
    if plan is None or plan.items.filter(funded_items__isnull=False).exists():
        stdout.write("  Action plan funding: already linked\n")
        return
    admin = _user("admin@bexley.demo")
    serving: dict[str, list[FundedItem]] = {}
    for funded in FundedItem.objects.filter(name__in=SERVED_BY):
        for number in SERVED_BY[funded.name]:
            serving.setdefault(number, []).append(funded)
    for number, funded_items in sorted(serving.items()):
        item = plan.items.get(number=number)
        services.do_edit_plan_item(actor=admin, item=item, funded_items=funded_items)
    stdout.write(f"  Action plan funding: {len(serving)} actions linked to their funded items\n")
