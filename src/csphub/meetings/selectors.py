"""Reads of meetings and actions that depend on who is asking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from csphub.accounts.models import Agency, User
from csphub.meetings.choices import OPEN_ACTION_STATUSES
from csphub.meetings.models import Action, AgendaItem, InformationRequest, Meeting
from csphub.panels.choices import OPEN_STATUSES
from csphub.panels.models import Case, CaseSubject, Panel, PanelMembership
from csphub.panels.selectors import (
    cases_visible_to,
    panels_coordinated_by,
    seen_by_panel_members,
    users_who_may_open,
)
from csphub.people.models import Place
from csphub.people.names import shown_name


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    """Meetings of the panels USER sits on (as member or co-ordinator); none for anyone else."""
    if not _signed_in(user) or not user.has_perm("meetings.view_meetings"):
        return Meeting.objects.none()
    my_panels = PanelMembership.objects.filter(user_id=user.pk).values("panel_id")
    return Meeting.objects.filter(panel_id__in=my_panels).select_related("panel", "chair")


def meetings_run_by(user: Any) -> QuerySet[Meeting]:
    """Meetings USER may schedule, minute and add actions to: those of panels they co-ordinate."""
    if not _signed_in(user) or not user.has_perm("meetings.run_meetings"):
        return Meeting.objects.none()
    return Meeting.objects.filter(panel__in=panels_coordinated_by(user)).select_related(
        "panel", "chair"
    )


def panels_run_by(user: Any) -> QuerySet[Panel]:
    if not _signed_in(user) or not user.has_perm("meetings.run_meetings"):
        return Panel.objects.none()
    return panels_coordinated_by(user)


def place_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases about places (contextual safeguarding): a place among the subjects, no person."""
    subjects = CaseSubject.objects.filter(case_id=OuterRef("pk"))
    return cases.filter(
        Exists(subjects.filter(place__isnull=False)), ~Exists(subjects.filter(person__isnull=False))
    )


def agenda_visible_to(user: Any, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The meeting's items about cases USER may see: a case escalated to another panel since
    drops out of the old panel's members' view, in pages and in exported minutes alike.

    Each item carries `is_place`: its case is about a place, so it belongs under
    "Locations and themes" rather than with the individuals.
    """
    subjects = CaseSubject.objects.filter(case_id=OuterRef("case_id"))
    return (
        meeting.items.filter(case__in=cases_visible_to(user))
        .annotate(
            is_place=ExpressionWrapper(
                Exists(subjects.filter(place__isnull=False))
                & ~Exists(subjects.filter(person__isnull=False)),
                output_field=BooleanField(),
            )
        )
        .select_related("case", "decided_by")
        .prefetch_related(
            "actions__owner",
            "actions__owning_agency",
            "information_requests__agency",
            Prefetch(
                "case__subjects",
                queryset=CaseSubject.objects.filter(place__isnull=False).select_related("place"),
                to_attr="place_subjects",
            ),
        )
    )


def name_agenda_people(items: list[AgendaItem]) -> list[AgendaItem]:
    """Give each item `person_names`: the names of its case's people, for the meeting page of
    someone who may open those cases (the agenda holds only those, `agenda_visible_to`).
    Exported and circulated minutes never call this, so they keep references (ADR 0015)."""
    by_case: dict[Any, list[str]] = {}
    subjects = CaseSubject.objects.filter(
        case_id__in=[i.case_id for i in items], person__isnull=False
    ).select_related("person")
    for subject in subjects.order_by("person__reference"):
        name = shown_name(subject.person)
        if name:
            by_case.setdefault(subject.case_id, []).append(name)
    for item in items:
        item.person_names = ", ".join(by_case.get(item.case_id, []))  # type: ignore[attr-defined]
    return items


def split_agenda(items: list[AgendaItem]) -> tuple[list[AgendaItem], list[AgendaItem]]:
    """The agenda as shown and minuted: cases about people first, then locations and themes."""
    people = [i for i in items if not getattr(i, "is_place", False)]
    places = [i for i in items if getattr(i, "is_place", False)]
    return people, places


def meeting_actions_of(meeting: Meeting) -> QuerySet[Action]:
    """Actions on the meeting itself (themes, locations, cohorts), for whoever sees the meeting.

    They name no case, and a place only by its label, so every member of the panel may see them.
    """
    return meeting.actions.filter(item__isnull=True, case__isnull=True).select_related(
        "owner", "owning_agency", "place"
    )


def places_for_meeting_actions(meeting: Meeting) -> QuerySet[Place]:
    """Places a meeting action may be about: those of the panel's open cases, which its members
    can already see (a home address is shown only as its area, by `Place.label`); a referral
    not yet accepted is not among them."""
    cases = seen_by_panel_members(
        Case.objects.filter(panel_id=meeting.panel_id, status__in=OPEN_STATUSES)
    )
    return Place.objects.filter(
        Exists(CaseSubject.objects.filter(place_id=OuterRef("pk"), case__in=cases))
    ).order_by("name")


def may_open_case(user: Any, case: Case) -> bool:
    """Whether USER may open CASE, by the panels app's one rule (`cases_visible_to`)."""
    return cases_visible_to(user).filter(pk=case.pk).exists()


def action_owners_for(meeting: Meeting, case: Case | None = None) -> QuerySet[User]:
    """Who may own an action of MEETING: people of the panel's agencies and its own members.

    An action on CASE names the case and says what is to be done about it, so its owner must
    also be someone who may open the case: a colleague of a member agency who does not sit on
    the panel, work the case or belong to its agency is not offered.
    """
    owners = (
        User.objects.filter(is_active=True, agency__isnull=False)
        .filter(Q(agency__in=meeting.panel.member_agencies.all()) | Q(panels=meeting.panel))
        .distinct()
    )
    if case is not None:
        owners = owners.filter(pk__in=users_who_may_open(case).values("pk"))
    return owners.select_related("agency").order_by("agency__name", "full_name")


def actions_of_panels(panels: Any) -> Q:
    """Actions for PANELS (a queryset or a list of panels): those of their meetings, those of
    their cases that no meeting agreed (a case's current panel), and the milestones of the
    plans they deliver (`Action.panel`)."""
    return (
        Q(meeting__panel__in=panels)
        | Q(meeting__isnull=True, case__panel__in=panels)
        | Q(plan_item__plan__board__in=panels)
    )


def case_action_owners(case: Case) -> QuerySet[User]:
    """Who may own an action on CASE set outside a meeting: active users with an agency who
    may open the case (the action names it and says what is to be done)."""
    return (
        users_who_may_open(case)
        .filter(is_active=True, agency__isnull=False)
        .select_related("agency")
        .order_by("agency__name", "full_name")
    )


def may_set_case_action(user: Any, case: Case) -> bool:
    """The co-ordinator of CASE's panel who may open it sets an action on it outside a meeting."""
    return (
        case.is_open
        and panels_run_by(user).filter(pk=case.panel_id).exists()
        and may_open_case(user, case)
    )


#: Branches of the rule for actions owned by records of apps above meetings (a plan item, a
#: grant's condition): RULE(user, reading) -> Q, registered from that app's ready()
#: (`register_action_rule`), so meetings names none of them. READING is True for who sees,
#: False for who moves it on.
ActionRule = Callable[[Any, bool], Q]
_action_rules: list[ActionRule] = []


def register_action_rule(rule: ActionRule) -> None:
    """Add RULE as one more branch of `_action_access` (once, however often it is called)."""
    if rule not in _action_rules:
        _action_rules.append(rule)


def _action_access(user: Any, *, members_see_meeting_actions: bool) -> Q:
    """Owners and the panel's co-ordinators; with MEMBERS_SEE_MEETING_ACTIONS, the panel's
    members for meeting-level actions. An action on a case needs the case to be visible too:
    its owner or co-ordinator who loses sight of the case (moved to another panel, say) no
    longer reads what the panel asked to be done about it.

    The one access rule for actions, whatever they belong to (a meeting or a case; a plan
    item's or a grant's app adds its own branch through `register_action_rule`)."""
    rule = Q(owner_id=user.pk)
    for extra in _action_rules:
        rule |= extra(user, members_see_meeting_actions)
    if user.has_perm("meetings.run_meetings"):
        rule |= actions_of_panels(panels_coordinated_by(user))
    if members_see_meeting_actions and user.has_perm("meetings.view_meetings"):
        my_panels = PanelMembership.objects.filter(user_id=user.pk).values("panel_id")
        rule |= Q(meeting__panel_id__in=my_panels, item__isnull=True, case__isnull=True)
    # EXISTS over the one rule, correlated on the action's case, not `case IN (rule)`: the
    # planner then checks only the cases of the actions the other branches pick (a user's
    # own, a panel's) instead of computing every case the user may open (ADR 0511).
    case_seen = Q(case__isnull=True) | Q(
        Exists(cases_visible_to(user).filter(pk=OuterRef("case_id")))
    )
    return rule & case_seen


def actions_visible_to(user: Any) -> QuerySet[Action]:
    """Actions USER owns, every action of the panels they co-ordinate, and the meeting-level
    actions (no case) of the panels they sit on; an action on a case only while USER may
    open the case."""
    if not _signed_in(user):
        return Action.objects.none()
    return Action.objects.filter(
        _action_access(user, members_see_meeting_actions=True)
    ).select_related(
        "meeting__panel", "case__panel", "plan_item__plan__board", "owner", "owning_agency", "place"
    )


def actions_updatable_by(user: Any) -> QuerySet[Action]:
    """Actions USER may move on: those they own and those of the panels they co-ordinate (an
    action on a case only while USER may open the case)."""
    if not _signed_in(user):
        return Action.objects.none()
    return Action.objects.filter(_action_access(user, members_see_meeting_actions=False))


def actions_owned_by(user: Any) -> QuerySet[Action]:
    if not _signed_in(user):
        return Action.objects.none()
    return actions_visible_to(user).filter(owner_id=user.pk)


def overdue(actions: QuerySet[Action], today: date | None = None) -> QuerySet[Action]:
    return actions.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today or timezone.localdate())


def may_update_action(user: Any, action: Action) -> bool:
    """The owner and the panel's co-ordinators may change an action's status."""
    return actions_updatable_by(user).filter(pk=action.pk).exists()


def meeting_lists_for(user: Any, *, panel_slug: str = "") -> dict[str, Any]:
    """The meetings page: USER's panels' upcoming meetings, and the 20 most recent past ones, of
    the panel PANEL_SLUG names when given (`panel_filter`: None when USER sees none of it)."""
    meetings = meetings_visible_to(user).order_by("scheduled_for")
    panel_filter = None
    if panel_slug:
        # A filter within what the user may already see: an unknown slug simply lists nothing.
        meetings = meetings.filter(panel__slug=panel_slug)
        first = meetings.select_related("panel").first()
        panel_filter = first.panel if first else None
    now = timezone.now()
    return {
        "upcoming": meetings.filter(scheduled_for__gte=now),
        "past": meetings.filter(scheduled_for__lt=now).order_by("-scheduled_for")[:20],
        "panel_filter": panel_filter,
    }


def action_lists_for(user: Any, today: date) -> dict[str, list[Action]]:
    """USER's own actions as "Your actions" lists them: overdue, open, and the 20 latest done."""
    mine = actions_owned_by(user)
    open_statuses = list(OPEN_ACTION_STATUSES)
    return {
        "overdue": list(overdue(mine, today)),
        "open": list(mine.filter(status__in=open_statuses, due_on__gte=today)),
        "done": list(mine.exclude(status__in=open_statuses).order_by("-updated_at")[:20]),
    }


def dashboard_summary(user: Any) -> list[tuple[str, str]]:
    """The home page card: the user's own actions and their next meeting."""
    today = timezone.localdate()
    # Both figures in one query: each count re-evaluates the access rule.
    figures = actions_owned_by(user).aggregate(
        overdue=Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES, due_on__lt=today)),
        open=Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES)),
    )
    summary = [
        ("Your overdue actions", str(figures["overdue"])),
        ("Your open actions", str(figures["open"])),
    ]
    upcoming = (
        meetings_visible_to(user)
        .filter(scheduled_for__gte=timezone.now())
        .order_by("scheduled_for")
    ).first()
    if upcoming is not None:
        summary.append(("Next meeting", f"{upcoming.panel.name}, {upcoming.meeting_date:%d %B %Y}"))
    return summary


def information_requests_answerable_by(user: Any) -> QuerySet[InformationRequest]:
    """Requests USER may answer: those to their agency, for meetings of a panel they sit on,
    about cases they may open (the question names the case)."""
    if not _signed_in(user) or user.agency_id is None:
        return InformationRequest.objects.none()
    if not user.has_perm("meetings.view_meetings"):
        return InformationRequest.objects.none()
    my_panels = PanelMembership.objects.filter(user_id=user.pk).values("panel_id")
    return InformationRequest.objects.filter(
        agency_id=user.agency_id,
        item__meeting__panel_id__in=my_panels,
        item__case__in=cases_visible_to(user).values("pk"),
    ).select_related("item__meeting__panel", "item__case", "agency", "answered_by")


def information_requests_visible_to(user: Any) -> QuerySet[InformationRequest]:
    """Requests, and their answers, USER may read: of meetings they see, about cases they may
    open. Someone who may not open the case reads neither the question nor the answer."""
    return InformationRequest.objects.filter(
        item__meeting__in=meetings_visible_to(user).values("pk"),
        item__case__in=cases_visible_to(user).values("pk"),
    ).select_related("item__meeting__panel", "item__case", "agency", "answered_by")


def may_answer(user: Any, information_request: InformationRequest) -> bool:
    return information_requests_answerable_by(user).filter(pk=information_request.pk).exists()


def agencies_to_ask(meeting: Meeting) -> QuerySet[Agency]:
    """Agencies asked for research before MEETING: those with someone on its panel to answer."""
    members = PanelMembership.objects.filter(panel_id=meeting.panel_id, user__is_active=True)
    return Agency.objects.filter(is_active=True, pk__in=members.values("user__agency_id")).order_by(
        "name"
    )
