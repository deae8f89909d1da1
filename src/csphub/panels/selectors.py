"""Reads that depend on who is asking. Every page, download, search and export uses these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from csphub.accounts.choices import AgencyKind
from csphub.panels.choices import (
    OPEN_STATUSES,
    STATUS_FLOW,
    CaseStatus,
    ClosureOutcome,
    MembershipRole,
    PanelDecision,
    TransitionKind,
    TransitionStatus,
)
from csphub.panels.models import (
    Case,
    CaseSubject,
    Offence,
    Panel,
    PanelMembership,
    TimelineEntry,
    Transition,
)
from csphub.panels.reports import before_after
from csphub.panels.sections import case_sections_for
from csphub.people.models import Person, Place
from csphub.people.selectors import may_reveal, people_visible_to


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """The cases USER may open: their panels', their agency's, and those they are assigned.

    A practitioner or co-ordinator sees a case when they sit on its panel, when their agency
    owns it, or when they or a colleague in their agency are assigned to it. A case changing
    hands is seen on the receiving side by the receiving panel's co-ordinator alone until it
    is accepted: a new referral by the co-ordinator of the panel it was made to (its members
    see it once it is accepted, never if it is not), an escalation or transfer by the
    co-ordinator of the panel it is going to (not its members, nor the agency it is being
    handed to). Everyone else, executives included, sees none: they read aggregates only.
    """
    if not _signed_in(user) or not user.has_perm("panels.view_cases"):
        return Case.objects.none()
    my_panels = PanelMembership.objects.filter(user_id=user.pk).values("panel_id")
    i_coordinate = panels_coordinated_by(user).values("pk")
    assigned = Case.assigned_practitioners.through.objects.filter(case_id=OuterRef("pk"))
    pending = Transition.objects.filter(case_id=OuterRef("pk"), status=TransitionStatus.PENDING)
    rule = (
        (Q(panel_id__in=my_panels) & ~Q(Exists(_referral_not_accepted(OuterRef("pk")))))
        | Q(panel_id__in=i_coordinate)
        | Q(Exists(pending.filter(to_panel_id__in=i_coordinate)))
        | Q(Exists(assigned.filter(user_id=user.pk)))
    )
    if user.agency_id:
        # The owning agency sees its cases, except on a panel whose rules keep them to its
        # members (`Panel.owning_agency_sees_cases`, read as `rules.owning_agency_sees`).
        rule |= (Q(owning_agency_id=user.agency_id) & Q(panel__owning_agency_sees_cases=True)) | Q(
            Exists(assigned.filter(user__agency_id=user.agency_id))
        )
    return Case.objects.filter(rule)


def _referral_not_accepted(case_id: Any) -> QuerySet[Transition]:
    """The referral that opened a case, while it is pending, or if it was rejected or withdrawn:
    until a referral is accepted, the panel's members have not taken the case on."""
    return Transition.objects.filter(case_id=case_id, kind=TransitionKind.REFERRAL).exclude(
        status=TransitionStatus.ACCEPTED
    )


def seen_by_panel_members(cases: QuerySet[Case]) -> QuerySet[Case]:
    """CASES less those whose referral is pending, rejected or withdrawn: those a panel's
    members see by their seat (for what is shown to every member, a meeting's actions say)."""
    return cases.filter(~Exists(_referral_not_accepted(OuterRef("pk"))))


def users_who_may_open(case: Case) -> QuerySet[Any]:
    """Everyone for whom CASE is in `cases_visible_to`: the same rule read the other way, in
    one query, for lists of people (action owners, say). A test holds the two to each other."""
    pending = Transition.objects.filter(case_id=case.pk, status=TransitionStatus.PENDING)
    assigned = Case.assigned_practitioners.through.objects.filter(case_id=case.pk)
    coordinated = [
        case.panel_id,
        *pending.exclude(to_panel=None).values_list("to_panel_id", flat=True),
    ]
    agencies = [
        *([case.owning_agency_id] if case.panel.rules.owning_agency_sees else []),
        *assigned.exclude(user__agency=None).values_list("user__agency_id", flat=True),
    ]
    coordinators = PanelMembership.objects.filter(
        panel_id__in=coordinated, role=MembershipRole.COORDINATOR
    ).values("user_id")
    rule = (
        (Q(pk__in=coordinators) & Q(pk__in=_holders("coordinate")))
        | Q(pk__in=assigned.values("user_id"))
        | Q(agency_id__in=agencies)
    )
    if not _referral_not_accepted(case.pk).exists():
        rule |= Q(panel_memberships__panel_id=case.panel_id)
    return case_workers().filter(rule).distinct()


def case_list_for(user: Any) -> QuerySet[Case]:
    """Visible cases with everything the list shows, in a fixed number of queries."""
    return (
        cases_visible_to(user)
        .select_related("panel", "owning_agency")
        .prefetch_related(
            Prefetch("subjects", queryset=CaseSubject.objects.select_related("person", "place"))
        )
    )


def cases_listed_for(
    user: Any, *, panel_slug: str = "", show_closed: bool = False
) -> QuerySet[Case]:
    """The case list's cases: visible to USER, of the panel PANEL_SLUG names (any when empty),
    closed ones only with SHOW_CLOSED."""
    cases = case_list_for(user)
    if panel_slug:
        cases = cases.filter(panel__slug=panel_slug)
    if not show_closed:
        cases = cases.exclude(status=CaseStatus.CLOSED)
    return cases


def panels_visible_to(user: Any) -> QuerySet[Panel]:
    """Panels are not personal data: anyone whose role opens the panels page sees them all."""
    if not _signed_in(user) or not user.has_perm("panels.view_panels"):
        return Panel.objects.none()
    return Panel.objects.all()


def case_links_visible_to(
    user: Any, *, person: Person | None = None, place: Place | None = None
) -> QuerySet[CaseSubject]:
    """The links of PERSON (or PLACE) to the cases USER may open, with their panels and owning
    agencies, oldest case first: what a person's or a place's page lists."""
    about: dict[str, Any] = {"person": person} if person is not None else {"place": place}
    return (
        CaseSubject.objects.filter(case__in=cases_visible_to(user), **about)
        .select_related("case__panel", "case__owning_agency")
        .order_by("case__referred_at")
    )


def panels_coordinated_by(user: Any) -> QuerySet[Panel]:
    """Panels on which USER is a co-ordinator (and holds the co-ordinator permission)."""
    if not _signed_in(user) or not user.has_perm("panels.coordinate"):
        return Panel.objects.none()
    return Panel.objects.filter(
        memberships__user_id=user.pk, memberships__role=MembershipRole.COORDINATOR
    )


def coordinates(user: Any, panel: Panel | None) -> bool:
    """True when USER co-ordinates PANEL."""
    return panel is not None and panels_coordinated_by(user).filter(pk=panel.pk).exists()


def dashboard_panels_for(user: Any) -> QuerySet[Panel]:
    """Panels whose aggregate dashboard USER may read."""
    if not _signed_in(user) or not user.has_perm("panels.view_panel_dashboard"):
        return Panel.objects.none()
    return Panel.objects.all()


def panels_managed_by(user: Any) -> QuerySet[Panel]:
    """Panels USER may configure: all of them for a CSP administrator, none otherwise."""
    if not _signed_in(user) or not user.has_perm("panels.manage_panels"):
        return Panel.objects.none()
    return Panel.objects.all()


def _holders(codename: str) -> QuerySet[Any]:
    """Ids of the users who hold panels.CODENAME, through a role or directly, or are superusers."""
    from csphub.accounts.models import User

    perm = Permission.objects.filter(content_type__app_label="panels", codename=codename)
    holds = Q(groups__permissions__in=perm) | Q(user_permissions__in=perm) | Q(is_superuser=True)
    return User.objects.filter(holds).values("pk")


def case_workers() -> QuerySet[Any]:
    """Active users whose role lets them work cases (holders of `panels.view_cases`)."""
    from csphub.accounts.models import User

    return (
        User.objects.filter(is_active=True, pk__in=_holders("view_cases"))
        .select_related("agency")
        .order_by("full_name")
    )


def may_decide(actor: Any, transition: Transition) -> bool:
    """Every pending transition is decided by the co-ordinator of the panel receiving it: for
    a referral or escalation the panel it was made to, for a transfer between agencies the
    case's own panel (not the agency it is handed to)."""
    return transition.status == TransitionStatus.PENDING and coordinates(actor, transition.to_panel)


def may_withdraw(actor: Any, transition: Transition) -> bool:
    """The person who made it, or the co-ordinator of the panel it came from."""
    return transition.status == TransitionStatus.PENDING and (
        transition.made_by_id == actor.pk or coordinates(actor, transition.from_panel)
    )


def may_refer(user: Any) -> bool:
    """Whether USER may refer a person or place: a referral is owned by the referrer's agency,
    so someone with no agency refers nothing."""
    return bool(
        _signed_in(user) and user.has_perm("panels.refer") and getattr(user, "agency", None)
    )


def may_record_offending(user: Any) -> bool:
    """Offences are recorded by the police partner's users who hold the permission."""
    agency = getattr(user, "agency", None)
    return bool(
        _signed_in(user)
        and user.has_perm("panels.record_offending")
        and agency is not None
        and agency.kind == AgencyKind.POLICE
    )


def may_import_offences(user: Any) -> bool:
    """A police extract of offences is imported by the police partner or a co-ordinator."""
    return may_record_offending(user) or panels_coordinated_by(user).exists()


def people_offences_importable_by(user: Any) -> QuerySet[Person]:
    """Whom USER may import offences against: for the police partner, anyone they may see;
    for a co-ordinator, the people on their panels' cases."""
    may = Q(pk__in=[])
    if may_record_offending(user):
        may |= Q(pk__in=people_visible_to(user).values("pk"))
    if panels_coordinated_by(user).exists():
        may |= Q(people_on_panels_coordinated_by(user))
    return Person.objects.filter(may, merged_into__isnull=True)


# Who may change what on a case (docs/permissions.md, "What each person may change on a
# case", is checked against this table). Reading a case is cases_visible_to's decision; these
# are the ways someone who reads it stands towards it, and each change names who may make it.
COORDINATOR = "coordinator"
OWNING_AGENCY = "owning_agency"
ASSIGNED = "assigned"
PANEL_MEMBER = "panel_member"
RELATION_LABELS = {
    COORDINATOR: "Co-ordinator of the case's panel",
    OWNING_AGENCY: "Practitioners of the owning agency",
    ASSIGNED: "Assigned practitioners",
    PANEL_MEMBER: "Members of the case's panel",
}
OPEN, ALWAYS, CLOSED, TAKEN_UP = "open", "always", "closed", "taken_up"
WHEN_LABELS = {
    OPEN: "Open",
    ALWAYS: "Open or closed",
    CLOSED: "Closed",
    TAKEN_UP: "Open, once the referral is accepted",
}


@dataclass(frozen=True)
class CaseEdit:
    """One kind of change to a case: who may make it, and whether the case must be open."""

    action: str  # completes "Only … can …"
    who: frozenset[str]
    when: str = OPEN
    hint: str = ""


_WORKING = frozenset({COORDINATOR, OWNING_AGENCY, ASSIGNED})
CASE_EDITS: dict[str, CaseEdit] = {
    "summary": CaseEdit("change a case's summary", frozenset({COORDINATOR})),
    "risk_level": CaseEdit("change a case's risk level", frozenset({COORDINATOR})),
    "plan": CaseEdit("change a case's plan", _WORKING),
    "note": CaseEdit("add notes to a case", _WORKING | {PANEL_MEMBER}),
    "flag": CaseEdit("raise flags on a case", _WORKING | {PANEL_MEMBER}),
    "document": CaseEdit("attach documents to a case", _WORKING | {PANEL_MEMBER}),
    "asb_casework": CaseEdit(
        "record an ASB case's risk assessments, incidents, tools and powers",
        _WORKING | {PANEL_MEMBER},
        when=TAKEN_UP,
    ),
    "clear_flag": CaseEdit("clear a case's flags", frozenset({COORDINATOR})),
    # Not on a referral awaiting its decision: what they give (access for the assignee, a known
    # record shown to the referrer's agency) would outlive a rejection.
    "assign": CaseEdit(
        "assign practitioners to a case",
        frozenset({COORDINATOR, OWNING_AGENCY}),
        when=TAKEN_UP,
    ),
    "add_subject": CaseEdit(
        "add people and places to a case",
        frozenset({COORDINATOR}),
        when=TAKEN_UP,
        hint="To ask for someone to be added, add a note to the case saying who and why.",
    ),
    "remove_subject": CaseEdit(
        "remove people and places from a case", frozenset({COORDINATOR}), when=ALWAYS
    ),
    "status": CaseEdit(
        "change a case's status, close, escalate or transfer it", frozenset({COORDINATOR})
    ),
    "reopen": CaseEdit("reopen a closed case", frozenset({COORDINATOR}), when=CLOSED),
}
# The case edit form's fields, each a change of its own.
CASE_DETAILS = ("summary", "plan", "risk_level")
_RELATION_PHRASES = {
    COORDINATOR: "the co-ordinator of {panel}",
    OWNING_AGENCY: "practitioners of the agency that owns the case",
    ASSIGNED: "practitioners assigned to it",
    PANEL_MEMBER: "members of {panel}",
}


def case_relations(user: Any, case: Case) -> frozenset[str]:
    """How USER stands towards CASE (empty for anyone who only reads it, or cannot): a seat on
    the panel of a referral not yet accepted, say, is no way of standing towards that case."""
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        return frozenset()
    relations = set()
    if coordinates(user, case.panel):
        relations.add(COORDINATOR)
    if user.agency_id is not None and user.agency_id == case.owning_agency_id:
        relations.add(OWNING_AGENCY)
    if case.assigned_practitioners.filter(pk=user.pk).exists():
        relations.add(ASSIGNED)
    if PanelMembership.objects.filter(panel_id=case.panel_id, user_id=user.pk).exists():
        relations.add(PANEL_MEMBER)
    return frozenset(relations)


def case_edits_for(user: Any, case: Case) -> frozenset[str]:
    """Every change in CASE_EDITS that USER may make to CASE as it is now: a closed case takes
    only what CASE_EDITS allows on a closed case (reopening, removing a link made in error)."""
    relations = case_relations(user, case)
    states = {OPEN, ALWAYS} if case.is_open else {CLOSED, ALWAYS}
    if case.is_open and case.status != CaseStatus.REFERRED:
        states.add(TAKEN_UP)
    return frozenset(
        what for what, rule in CASE_EDITS.items() if rule.who & relations and rule.when in states
    )


def may_edit_case(user: Any, case: Case, what: str) -> bool:
    """Whether USER may make the change WHAT (a key of CASE_EDITS) to CASE. Every case service
    asks this before it writes, and every case page before it offers the change."""
    if what not in CASE_EDITS:
        raise ValueError(f"No such change to a case: {what!r}")
    return what in case_edits_for(user, case)


def case_edit_refusal(user: Any, case: Case, what: str) -> str:
    """What to tell USER when may_edit_case refuses them WHAT on CASE."""
    rule = CASE_EDITS[what]
    panel = case.panel.name
    if rule.when == OPEN and not case.is_open:
        return (
            f"Case {case.reference} is closed, so it cannot be changed. "
            f"Only the co-ordinator of {panel} can reopen it."
        )
    if rule.when == CLOSED and case.is_open:
        return f"Case {case.reference} is open."
    if rule.when == TAKEN_UP and case.status == CaseStatus.REFERRED:
        return (
            f"Case {case.reference} is a referral awaiting its decision: "
            f"only once it is accepted can anyone {rule.action}."
        )
    who = [_RELATION_PHRASES[r].format(panel=panel) for r in RELATION_LABELS if r in rule.who]
    named = who[0] if len(who) == 1 else ", ".join(who[:-1]) + " and " + who[-1]
    return " ".join(filter(None, [f"Only {named} can {rule.action}.", rule.hint]))


# A referral that was never taken up is not reopened: the referrer refers again.
NOT_REOPENED = {ClosureOutcome.NOT_ACCEPTED, ClosureOutcome.WITHDRAWN}


def next_statuses(case: Case) -> list[str]:
    """The statuses a co-ordinator may move CASE to: forward along STATUS_FLOW, and a closed
    case the panel had worked back to active (reopening)."""
    if case.status == CaseStatus.CLOSED:
        return [] if case.closure_outcome in NOT_REOPENED else [CaseStatus.ACTIVE]
    closes = case.panel.rules.makes(PanelDecision.CLOSE)
    return [s for s in STATUS_FLOW[case.status] if closes or s != CaseStatus.CLOSED]


def referral_rules_note() -> dict[str, list[str]]:
    """The active panels whose rules a referral page explains, by name: those that use the risk
    screen and those whose referrals need no consent."""
    panels = list(Panel.objects.filter(is_active=True))
    return {
        "screen_panels": [p.name for p in panels if p.rules.risk_screen],
        "no_consent_panels": [p.name for p in panels if not p.rules.consent_required],
    }


def may_escalate(case: Case) -> bool:
    """Whether CASE's panel sends cases on to another panel (its rules say)."""
    return case.panel.rules.makes(PanelDecision.ESCALATE)


def may_transfer(case: Case) -> bool:
    """Whether CASE's panel hands cases from one agency to another (its rules say)."""
    return case.panel.rules.makes(PanelDecision.TRANSFER)


def _is_police(user: Any) -> bool:
    agency = getattr(user, "agency", None)
    return agency is not None and agency.kind == AgencyKind.POLICE


def may_see_offences(user: Any, about: Case | Person, *, revealed: bool = False) -> bool:
    """Offences are shown to police partners who may see the case (or the person), and to the
    co-ordinator of the case's panel (of a panel holding one of the person's cases). Anyone
    else sees a person's offences only with their identity, after the audited reveal: pass
    REVEALED when that reveal has just been made."""
    if not _signed_in(user) or not user.has_perm("panels.view_cases"):
        return False
    if isinstance(about, Case):
        if not cases_visible_to(user).filter(pk=about.pk).exists():
            return False
        return _is_police(user) or coordinates(user, about.panel)
    cases = cases_visible_to(user).filter(subjects__person_id=about.pk)
    if not cases.exists():
        return False
    if _is_police(user) or cases.filter(panel__in=panels_coordinated_by(user)).exists():
        return True
    if revealed:
        return may_reveal(user, about)
    return False


def may_manage_assignments(user: Any, case: Case) -> bool:
    """The case panel's co-ordinator, or a practitioner of the agency that owns the case, while
    the case is open."""
    return may_edit_case(user, case, "assign")


def assignable_practitioners(user: Any, case: Case) -> QuerySet[Any]:
    """Who USER may assign to CASE: the co-ordinator anyone who works cases; the owning
    agency's practitioners their own colleagues."""
    if not may_manage_assignments(user, case):
        return case_workers().none()
    if coordinates(user, case.panel):
        return case_workers()
    return case_workers().filter(agency_id=case.owning_agency_id)


def unassignable(user: Any, case: Case, practitioners: Iterable[Any]) -> set[Any]:
    """Which of PRACTITIONERS USER may take off CASE: the co-ordinator anyone, the owning
    agency only its own practitioners (decided once for the whole list)."""
    if not may_manage_assignments(user, case):
        return set()
    if coordinates(user, case.panel):
        return {p.pk for p in practitioners}
    return {p.pk for p in practitioners if p.agency_id == case.owning_agency_id}


def may_unassign(user: Any, case: Case, practitioner: Any) -> bool:
    """Whether USER may take PRACTITIONER off CASE."""
    return practitioner.pk in unassignable(user, case, [practitioner])


def dashboard_summary(user: Any) -> list[tuple[str, str]]:
    """The home page card: open cases USER can see and those due for review (one query)."""
    today = timezone.localdate()
    # Open cases only, before the rule: the status index leaves a few thousand rows to check.
    figures = (
        cases_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(open=Count("pk"), due=Count("pk", filter=Q(review_due__lte=today)))
    )
    return [
        ("Open cases you can see", str(figures["open"])),
        ("Cases due for review", str(figures["due"])),
    ]


def panel_members_of(panel: Panel) -> QuerySet[PanelMembership]:
    """Who sits on PANEL, with their agencies (a panel's members are no secret)."""
    return PanelMembership.objects.filter(panel=panel).select_related("user__agency")


def pending_decisions_for(user: Any, panel: Panel) -> list[Transition]:
    """The referrals, escalations and transfers waiting for PANEL's decision, for its
    co-ordinator (nobody else is shown them on the panel's page)."""
    if not coordinates(user, panel):
        return []
    return list(
        Transition.objects.filter(to_panel=panel, status=TransitionStatus.PENDING).select_related(
            "case", "from_panel", "from_agency"
        )
    )


def case_page_for(user: Any, case: Case) -> dict[str, Any]:
    """What the case page shows USER about CASE, and which of its changes it offers them."""
    subjects = list(CaseSubject.objects.filter(case=case).select_related("person", "place"))
    transitions = list(
        case.transitions.select_related(
            "from_panel",
            "to_panel",
            "from_agency",
            "to_agency",
            "made_by",
            "decided_by",
            "case__panel",
        )
    )
    pivot = timezone.localdate(case.referred_at)
    show_offences = may_see_offences(user, case)
    # One query for every subject's offences, however many people the case is about.
    offences: dict[Any, list[Offence]] = {}
    for offence in Offence.objects.filter(
        person_id__in=[s.person_id for s in subjects if s.person_id and show_offences]
    ):
        offences.setdefault(offence.person_id, []).append(offence)
    subject_rows = [
        (
            s,
            before_after(offences.get(s.person_id, []), pivot)
            if s.person_id and show_offences
            else None,
        )
        for s in subjects
    ]
    can = case_edits_for(user, case)
    can_assign = may_manage_assignments(user, case)
    assigned = list(case.assigned_practitioners.select_related("agency"))
    removable = unassignable(user, case, assigned)
    return {
        "case": case,
        "subjects": subjects,
        "transitions": transitions,
        "decidable": [
            t
            for t in transitions
            if t.status == TransitionStatus.PENDING
            and (may_decide(user, t) or may_withdraw(user, t))
        ],
        # Entries of the same moment in the order they were written (newest first), then by
        # id: without it PostgreSQL returns ties in storage order, which a restore changes.
        "timeline": TimelineEntry.objects.filter(case=case)
        .select_related("actor")
        .order_by("-occurred_at", "-created_at", "id")[:100],
        "flags": case.flags.filter(cleared_at__isnull=True),
        "assigned": [(u, u.pk in removable) for u in assigned],
        "can_assign": can_assign,
        "subject_rows": subject_rows,
        "show_offences": show_offences,
        "can": can,
        "can_edit": bool(can.intersection(CASE_DETAILS)),
        "can_remove_subjects": "remove_subject" in can and len(subjects) > 1,
        "next_statuses": next_statuses(case) if can & {"status", "reopen"} else [],
        "can_escalate": "status" in can and may_escalate(case),
        "can_transfer": "status" in can and may_transfer(case),
        "sections": case_sections_for(user, case),
    }


def people_linked_to_cases_seen_by(user: Any) -> Exists:
    """Person rows that are a subject of a case USER may open (`csphub.people.access`)."""
    return Exists(
        CaseSubject.objects.filter(person_id=OuterRef("pk"), case__in=cases_visible_to(user))
    )


def places_linked_to_cases_seen_by(user: Any) -> Exists:
    """Place rows that a case USER may open is about."""
    return Exists(
        CaseSubject.objects.filter(place_id=OuterRef("pk"), case__in=cases_visible_to(user))
    )


def people_on_panels_coordinated_by(user: Any) -> Exists:
    """Person rows that are a subject of a case on a panel USER co-ordinates."""
    return Exists(
        CaseSubject.objects.filter(
            person_id=OuterRef("pk"), case__panel__in=panels_coordinated_by(user)
        )
    )
