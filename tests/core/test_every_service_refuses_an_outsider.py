"""Every `do_*` service enforces its own rule, whoever calls it (docs/adr/0008).

The services are found by importing each app's `services` (a module, or a package and its
modules) and taking every function named `do_*`, so a new service is in this test the moment
it exists: it must have a call below, or a reasoned place in NOT_ACCESS_CONTROLLED. Each is
called directly, with real records, as someone its rule does not let act — by default a
signed-in practitioner of an unrelated agency, and an anonymous visitor — and must refuse
(PermissionDenied) having written nothing. The same call made by someone the rule does let
act then succeeds and writes, so each refusal is about who asked, not about the arguments.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from csphub.accounts.models import GrantRequest
from csphub.accounts.roles import ANALYST, COORDINATOR, CSP_ADMIN, DPO, EXECUTIVE, PRACTITIONER
from csphub.casereview import services as casereview_services
from csphub.community import services as community_services
from csphub.documents.models import Document
from csphub.funding import services as funding_services
from csphub.meetings import services as meeting_services
from csphub.meetings.models import AgendaItem, InformationRequest
from csphub.panels import services as panel_services
from csphub.panels.choices import CaseFlagKind, MembershipRole, SubjectRole
from csphub.panels.models import CaseFlag, CaseSubject
from csphub.reports import services as reports_services
from csphub.vvrap import services as vvrap_services
from csphub.vvrap.models import PlanTemplate, Theme
from csphub.vvrap.seed import seed
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    MembershipFactory,
    PanelFactory,
    PersonFactory,
    PlaceFactory,
)
from tests.nrm import sweep as nrm_sweep
from tests.sna import sweep as sna_sweep

# Services no rule of access governs, and why. Everything else is called below.
NOT_ACCESS_CONTROLLED = {
    "accounts.do_confirm_two_factor": "a user's own sign-in step, on their own account and "
    "session: the user is the one signing in (replacing a device needs the old one's code)",
    "accounts.do_verify_two_factor": "a user's own sign-in step: checking the code they typed "
    "against their own device, and recording the outcome, is what signing in is",
    "accounts.do_accept_invitation": "a new user's own first step, on their own account: the "
    "one-time token e-mailed to them is the authority (spent once, expiring; see "
    "tests/accounts/test_invitations.py)",
    "notifications.do_mark_notifications_read": "marks the actor's own notifications read, "
    "and nobody else's: there is no one else's record it could reach",
    "governance.do_apply_retention": "the operator's daily job (`csphub retention`), run on "
    "the server as the system: no page, form or API calls it, so no user ever acts through it",
    "people.do_record_duplicates_offered": "records what a page has just shown the person "
    "asking (references of possible matches): an audit of their own reading, changing no one's "
    "record",
}


def _information_request(p: SimpleNamespace) -> InformationRequest:
    """The police asked for their research on the meeting's case."""
    asked, _ = InformationRequest.objects.get_or_create(
        item=p.item,
        agency=p.police,
        defaults={
            "due_on": timezone.localdate() + timedelta(days=7),
            "requested_by": p.coordinator,
        },
    )
    return asked


def _seeded_template() -> PlanTemplate:
    """The seeded VRU template (put back if a transactional test emptied the tables)."""
    seed(Theme, PlanTemplate)
    return PlanTemplate.objects.get()


@dataclass(frozen=True)
class Call:
    """How to call one service: its arguments from the partnership, who its rule lets make the
    call (ALLOWED), and whom it refuses (REFUSED; by default an unrelated practitioner and an
    anonymous visitor), with WHY when the default is not who the rule refuses."""

    kwargs: Callable[[SimpleNamespace], dict[str, Any]]
    allowed: str
    refused: tuple[str, ...] = ("outsider", "anonymous")
    why: str = ""
    request: bool = False  # the service needs the request it answers


def _services() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every `do_*` function defined in an app's services module or package."""
    for config in apps.get_app_configs():
        if not config.name.startswith("csphub."):
            continue
        try:
            root = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        modules: list[ModuleType] = [root]
        if hasattr(root, "__path__"):
            modules += [
                importlib.import_module(f"{root.__name__}.{info.name}")
                for info in pkgutil.iter_modules(root.__path__)
            ]
        for module in modules:
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if name.startswith("do_") and function.__module__ == module.__name__:
                    yield f"{config.label}.{name}", function


SERVICES = dict(_services())


@pytest.fixture
def partnership(make_user, settings, tmp_path) -> SimpleNamespace:
    """A VIP panel with an open case (a person and a place on it), a flag, a referral waiting
    for its decision, a meeting with an agenda item and an action, an ASB case review, and
    people in each role; the outsider is a practitioner of a school on no panel."""
    settings.DATA_DIR = tmp_path  # the crime warehouse an import would write to
    council = AgencyFactory(name="Community Safety", kind="community_safety")
    childrens = AgencyFactory(name="Children's Social Care", kind="childrens_social_care")
    police = AgencyFactory(name="Met Police", kind="police")
    school = AgencyFactory(name="Bexley Academy", kind="education")
    housing = AgencyFactory(name="Bexley Housing", kind="housing")
    vip = PanelFactory(slug="vip", name="Violence Intervention Panel")
    vip.member_agencies.add(police, childrens)
    asb = PanelFactory(slug="asb-cmp", name="ASB Case Management Panel")
    p = SimpleNamespace(council=council, childrens=childrens, police=police, school=school)
    p.housing, p.vip, p.asb = housing, vip, asb
    p.admin = make_user(CSP_ADMIN, agency=council)
    p.second_admin = make_user(CSP_ADMIN, agency=council)
    p.coordinator = make_user(COORDINATOR, agency=council)
    p.owner = make_user(PRACTITIONER, agency=childrens)
    p.officer = make_user(PRACTITIONER, agency=police)
    p.member = make_user(PRACTITIONER, agency=police)
    p.colleague = make_user(PRACTITIONER, agency=childrens)
    p.outsider = make_user(PRACTITIONER, agency=school)
    p.analyst = make_user(ANALYST, agency=council)
    p.executive = make_user(EXECUTIVE, agency=council)
    p.unattached = make_user(PRACTITIONER)  # a practitioner with no agency refers nothing
    p.unattached.agency = None
    p.unattached.save()
    p.anonymous = AnonymousUser()
    MembershipFactory(panel=vip, user=p.coordinator, role=MembershipRole.COORDINATOR)
    MembershipFactory(panel=vip, user=p.officer)
    p.membership = MembershipFactory(panel=vip, user=p.member)
    p.person = PersonFactory(given_name="Jayden", family_name="Okoro")
    p.case = CaseFactory(panel=vip, owning_agency=childrens, subject=p.person)
    p.place = PlaceFactory(name="Broadway car park")
    p.place_link = CaseSubject.objects.create(case=p.case, place=p.place, role=SubjectRole.LOCATION)
    p.flag = CaseFlag.objects.create(
        case=p.case, kind=CaseFlagKind.WEAPONS, reason="Seen with a knife", raised_by=p.owner
    )
    p.duplicate = PersonFactory(given_name="Jaden", family_name="Okoro")
    CaseFactory(panel=vip, owning_agency=childrens, subject=p.duplicate)
    referral = panel_services.do_refer(
        actor=p.owner,
        panel=vip,
        owning_agency=childrens,
        person=PersonFactory(given_name="Amara", family_name="Osei"),
        role=SubjectRole.VICTIM,
        reason_category="serious_violence",
        reason="Assaulted on the way home",
        consent_given=True,
        risk_level="medium",
    )
    p.transition = referral.transitions.get()
    # Still to come: a meeting whose day is over takes no new agenda and is not circulated.
    when = timezone.now() + timedelta(days=14)
    p.meeting = meeting_services.do_schedule_meeting(
        actor=p.coordinator, panel=vip, scheduled_for=when
    )
    p.item = AgendaItem.objects.create(meeting=p.meeting, case=p.case, position=1)
    p.action = meeting_services.do_create_action(
        actor=p.coordinator,
        meeting=p.meeting,
        item=None,
        description="Walk the estate with the youth team",
        owning_agency=police,
        owner=p.officer,
        due_on=date(2026, 3, 24),
    )
    p.review = casereview_services.do_create_case_review(
        actor=p.coordinator,
        received_on=date(2025, 3, 3),
        applicant_name="Jean Applicant",
        problem_summary="Loud music every night",
    )
    # An administrator's request to give themselves a role, for another one to decide.
    p.grant_request = GrantRequest.objects.create(
        user=p.admin, requested_by=p.admin, kind="roles", detail={"role": DPO}
    )
    p.document = Document.objects.create(
        case=p.case,
        kind="chronology",
        original_name="Jayden Okoro chronology.txt",
        extension="txt",
        content_type="text/plain; charset=utf-8",
        size=5,
        sha256="0" * 64,
        storage_name="0" * 32,
        scanned_with="ClamAV (a row made by the test: no file)",
        uploaded_by=p.owner,
    )
    p.target = make_user(PRACTITIONER, agency=childrens)
    p.other_police = make_user(PRACTITIONER, agency=police)  # on no panel
    nrm_sweep.add_nrm(p, make_user)
    _asb_casework(p)
    sna_sweep.add_sna(p)
    # A grant whose one funded item the police provide, with an unpublished quarter's spend,
    # and outreach at a community place counted towards it.
    funder = funding_services.do_create_funder(actor=p.admin, name="MOPAC", kind="mayoral")
    p.grant = funding_services.do_create_grant(
        actor=p.admin,
        funder=funder,
        title="LCPF",
        amount=Decimal("60000.00"),
        starts_on=date(2025, 4, 1),
        ends_on=date(2026, 3, 31),
    )
    p.funded_item = funding_services.do_create_funded_item(
        actor=p.admin,
        grant=p.grant,
        kind="post",
        name="Violence co-ordinator",
        provider=police,
        budget=Decimal("50000.00"),
    )
    funding_services.do_record_quarter(
        actor=p.admin, item=p.funded_item, year=2025, quarter=1, spend=Decimal("7654.32")
    )
    p.community_place = PlaceFactory(
        name="Thamesmead youth hub", kind="outreach", is_community_place=True
    )
    p.activity = community_services.do_record_activity(
        actor=p.officer,
        kind="outreach_bus",
        theme="knife_crime",
        topic="Bus at the hub",
        held_on=date(2025, 6, 1),
        place=p.community_place,
        delivered_by=police,
        people_reached=12,
        funded_item=p.funded_item,
    )
    _action_plan(p)
    p.annual_report = reports_services.do_build_annual_report(actor=p.analyst, year=2024)
    return p


def _asb_casework(p: SimpleNamespace) -> None:
    """A case of an ASB Case Management Panel owned by the owner's agency, with a risk
    assessment, an incident and a tool or power recorded on it."""
    from csphub.asb import services as asb_services
    from csphub.panels.choices import PanelKind

    panel = PanelFactory(slug="asb-casework", name="ASB casework panel", kind=PanelKind.ASB_CMP)
    p.asb_case = CaseFactory(panel=panel, owning_agency=p.childrens, subject=PersonFactory())
    p.asb_assessment = asb_services.do_record_risk_assessment(
        actor=p.owner, case=p.asb_case, answers={"repeat": True}, assessed_on=date(2025, 5, 1)
    )
    p.asb_incident = asb_services.do_log_incident(
        actor=p.owner,
        case=p.asb_case,
        occurred_on=date(2025, 5, 2),
        kind="noise",
        description="Drum practice through the party wall",
        reported_by="victim",
    )
    p.asb_tool = asb_services.do_record_tool(
        actor=p.owner,
        case=p.asb_case,
        kind="cpw",
        recipient_name="Rowan Pettigrew",
        behaviour="playing drums late at night",
    )


def _action_plan(p: SimpleNamespace) -> None:
    """The VVRAP: a plan delivered by a board, an action led by the owner, and its update for
    2025-26 Q1 waiting for the CSP manager's sign-off."""
    p.board = PanelFactory(slug="sv-wg", name="SV Working Group", decisions=[])
    p.plan = vvrap_services.do_create_plan(
        actor=p.admin,
        title="Bexley VVRAP",
        version_label="v1",
        template=_seeded_template(),
        board=p.board,
        first_year=2025,
    )
    p.plan_item = vvrap_services.do_create_plan_item(
        actor=p.admin,
        plan=p.plan,
        theme=Theme.objects.get(key="positive-diversion"),
        number="7.1",
        description="Detached youth work in the town centre",
        outcome="Fewer young people drawn into violence",
        lead=p.owner,
        lead_agencies=[p.childrens],
    )
    p.tasking_place = PlaceFactory(name="Danson Park", is_community_place=True)
    p.tasking_event = vvrap_services.do_record_event(
        actor=p.admin,
        happened_on=date(2025, 7, 1),
        place=p.tasking_place,
        kind="group",
        risk_level="medium",
        owning_agency=p.police,
    )
    p.plan_update = vvrap_services.do_save_update(
        actor=p.owner,
        item=p.plan_item,
        year=2025,
        quarter=1,
        narrative="Lead's unreturned words on the youth work",
        proposed_rag="amber",
        rag_reason="Late start",
        submit=True,
    )


def _training(p: SimpleNamespace) -> Any:
    """A professional training session the police delivered."""
    return community_services.do_record_activity(
        actor=p.officer,
        kind="training",
        theme="exploitation",
        topic="Child exploitation workshop",
        held_on=date(2025, 6, 12),
        place=p.community_place,
        delivered_by=p.police,
        people_reached=20,
    )


def _held_review(p: SimpleNamespace) -> Any:
    """P's application with its threshold met: its review meeting is next."""
    review = p.review
    casereview_services.do_decide_threshold(
        actor=p.coordinator, review=review, decided_on=date(2025, 3, 10), met=True, reason="x"
    )
    return review


def _review_held(p: SimpleNamespace) -> Any:
    """P's application with its review meeting held: recommendations are next."""
    review = _held_review(p)
    casereview_services.do_record_review_meeting(
        actor=p.coordinator, review=review, held_on=date(2025, 3, 20), outcome="A joint plan"
    )
    return review


_REFERRAL = {
    "reason_category": "serious_violence",
    "reason": "Threatened with a knife",
    "consent_given": True,
    "risk_level": "medium",
}
_PANEL = {
    "name": "Community Trigger Panel",
    "purpose": "Reviews of persistent anti-social behaviour.",
    "kind": "other",
    "meeting_cadence": "Monthly",
    "referral_criteria": "Three complaints in six months.",
    "review_interval_days": 42,
}
_EVERY_PRACTITIONER = (
    "every practitioner may make it (a referral is owned by their own agency, and brings its "
    "own new record), so the one refused is a signed-in user whose role does not refer"
)
CALLS: dict[str, Call] = {
    # panels: referrals and transitions
    "panels.do_refer": Call(
        lambda p: {
            "panel": p.vip,
            "owning_agency": p.school,
            "person": PersonFactory(),
            "role": SubjectRole.AT_RISK,
            **_REFERRAL,
        },
        allowed="outsider",
        refused=("executive", "unattached", "anonymous"),
        why=_EVERY_PRACTITIONER,
    ),
    "panels.do_refer_person": Call(
        lambda p: {
            "panel": p.vip,
            "given_name": "Ngozi",
            "family_name": "Adeyemi",
            "date_of_birth": date(2010, 4, 1),
            "role": SubjectRole.AT_RISK,
            **_REFERRAL,
        },
        allowed="outsider",
        refused=("executive", "unattached", "anonymous"),
        why=_EVERY_PRACTITIONER,
    ),
    "panels.do_refer_place": Call(
        lambda p: (
            {"panel": p.vip, "place_name": "Station underpass", "place_kind": "street"} | _REFERRAL
        ),
        allowed="outsider",
        refused=("executive", "unattached", "anonymous"),
        why=_EVERY_PRACTITIONER,
    ),
    "panels.do_escalate_case": Call(
        lambda p: {"case": p.case, "to_panel": p.asb} | _REFERRAL, allowed="coordinator"
    ),
    "panels.do_transfer_case": Call(
        lambda p: {
            "case": p.case,
            "to_agency": p.police,
            "reason": "Enforcement lead",
            "consent_given": True,
        },
        allowed="coordinator",
    ),
    "panels.do_decide_transition": Call(
        lambda p: {"transition": p.transition, "decision": "accepted"}, allowed="coordinator"
    ),
    # panels: casework, assignments, people and places on a case, offences
    "panels.do_update_case": Call(
        lambda p: {"case": p.case, "expected_version": p.case.version, "plan": "Mentoring"},
        allowed="owner",
    ),
    "panels.do_add_note": Call(
        lambda p: {"case": p.case, "text": "Seen at the youth club"}, allowed="officer"
    ),
    "panels.do_raise_flag": Call(
        lambda p: {"case": p.case, "kind": CaseFlagKind.MISSING, "reason": "Not home"},
        allowed="officer",
    ),
    "panels.do_clear_flag": Call(
        lambda p: {"flag": p.flag, "reason": "No longer carries one"}, allowed="coordinator"
    ),
    "panels.do_change_status": Call(
        lambda p: {"case": p.case, "status": "review"}, allowed="coordinator"
    ),
    "panels.do_assign_practitioner": Call(
        lambda p: {"case": p.case, "practitioner": p.colleague}, allowed="owner"
    ),
    "panels.do_unassign_practitioner": Call(
        lambda p: (
            p.case.assigned_practitioners.add(p.colleague),
            {"case": p.case, "practitioner": p.colleague},
        )[1],
        allowed="owner",
    ),
    "panels.do_add_subject": Call(
        lambda p: {"case": p.case, "role": SubjectRole.LOCATION, "place": PlaceFactory()},
        allowed="coordinator",
    ),
    "panels.do_add_person_or_place": Call(
        lambda p: {"case": p.case, "role": SubjectRole.LOCATION, "place_name": "Bus stop"},
        allowed="coordinator",
    ),
    "panels.do_remove_subject": Call(
        lambda p: {"subject": p.place_link, "reason": "Linked in error"}, allowed="coordinator"
    ),
    "panels.do_record_offence": Call(
        lambda p: {
            "person": p.person,
            "offence_date": date(2024, 1, 10),
            "category": "VIOLENCE AGAINST THE PERSON/VIOLENCE WITH INJURY",
        },
        allowed="officer",
        # A police officer on another panel is refused too: they may not see the person.
        refused=("outsider", "anonymous", "other_police"),
    ),
    "panels.do_import_offences": Call(
        lambda p: {
            "name": "extract.csv",
            "content": (
                "reference,offence_date,category\r\n"
                f"{p.person.reference},10/01/2024,THEFT/SHOPLIFTING\r\n"
            ).encode(),
        },
        allowed="officer",
    ),
    "panels.do_signpost_search": Call(
        lambda p: {
            "given_name": "Jayden",
            "family_name": "Okoro",
            "date_of_birth": date(2009, 5, 17),
        },
        allowed="outsider",
        refused=("executive", "anonymous"),
        why="every practitioner may ask whether someone is known (the answer names only whom "
        "to contact), so the one refused is a signed-in user whose role does not search",
    ),
    # panels: configuration
    "panels.do_create_panel": Call(lambda p: dict(_PANEL), allowed="admin"),
    "panels.do_update_panel": Call(
        lambda p: (
            _PANEL
            | {
                "panel": p.asb,
                "chair": None,
                "member_agencies": [p.police],
                "uses_risk_screen": False,
            }
        ),
        allowed="admin",
        refused=("outsider", "anonymous", "coordinator"),
    ),
    "panels.do_add_panel_member": Call(
        lambda p: {"panel": p.asb, "user": p.owner}, allowed="admin"
    ),
    "panels.do_remove_panel_member": Call(
        lambda p: {"membership": p.membership},
        allowed="admin",
        refused=("outsider", "anonymous", "coordinator"),
    ),
    # people
    "people.do_create_person": Call(
        lambda p: {"given_name": "Ngozi", "family_name": "Adeyemi", "date_of_birth": None},
        allowed="outsider",
        refused=("executive", "anonymous"),
        why="a new record opens nothing to anyone: whoever may refer records one, so the one "
        "refused is a signed-in user whose role does not refer",
    ),
    "people.do_create_place": Call(
        lambda p: {"name": "Station underpass", "kind": "street"},
        allowed="outsider",
        refused=("executive", "anonymous"),
        why="a new place opens nothing to anyone: whoever may refer records one, so the one "
        "refused is a signed-in user whose role does not refer",
    ),
    "people.do_reveal_person": Call(
        lambda p: {"person": p.person, "reason": "Home visit"}, allowed="owner"
    ),
    "people.do_merge_people": Call(
        lambda p: {"surviving": p.person, "merged": p.duplicate, "reason": "Same birthday"},
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer"),
    ),
    # meetings
    "meetings.do_schedule_meeting": Call(
        lambda p: {"panel": p.vip, "scheduled_for": timezone.now() + timedelta(days=7)},
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer"),
    ),
    "meetings.do_generate_agenda": Call(
        lambda p: {"meeting": p.meeting},
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer"),
    ),
    "meetings.do_circulate_agenda": Call(
        lambda p: {"meeting": p.meeting},
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer"),
    ),
    "meetings.do_request_information": Call(
        lambda p: {
            "meeting": p.meeting,
            "agencies": [p.police],
            "due_on": timezone.localdate() + timedelta(days=7),
        },
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer"),
    ),
    "meetings.do_answer_information_request": Call(
        lambda p: {"information_request": _information_request(p), "answer": "Two call-outs."},
        allowed="officer",
        refused=("outsider", "anonymous", "coordinator"),
        why="only the asked agency's members on the panel answer; the co-ordinator who asked "
        "does not answer for the agency",
    ),
    "meetings.do_record_attendance": Call(
        lambda p: {"meeting": p.meeting, "entries": [(p.police, "present", "Dana Reid")]},
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer"),
    ),
    "meetings.do_record_minutes": Call(
        lambda p: {"meeting": p.meeting, "minutes": "Apologies from housing."},
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer"),
    ),
    "meetings.do_add_topic": Call(
        lambda p: {"meeting": p.meeting, "standing_item": "vvrap.stop_and_search"},
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer", "admin"),
    ),
    "meetings.do_record_decision": Call(
        lambda p: {"item": p.item, "discussion": "Discussed", "decision": "Keep open"},
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer"),
    ),
    "meetings.do_create_action": Call(
        lambda p: {
            "meeting": p.meeting,
            "item": None,
            "description": "Check the CCTV",
            "owning_agency": p.police,
            "owner": p.officer,
            "due_on": date(2026, 3, 31),
        },
        allowed="coordinator",
        refused=("outsider", "anonymous", "officer"),
    ),
    "meetings.do_create_case_action": Call(
        lambda p: {
            "case": p.case,
            "description": "Home visit before the next panel",
            "owning_agency": p.police,
            "owner": p.member,
            "due_on": date(2026, 3, 31),
        },
        allowed="coordinator",
        refused=("outsider", "anonymous", "member"),
        why="an action on a case is set by the co-ordinator of its panel; a member who may "
        "open the case, and would own the action, may not set it",
    ),
    "meetings.do_update_action": Call(
        lambda p: {"action": p.action, "status": "done"},
        allowed="officer",
        refused=("outsider", "anonymous", "member"),
    ),
    # Funding: the CSP manager sets it up; the provider's own staff record their figures
    "funding.do_create_funder": Call(
        lambda p: {"name": "VRU", "kind": "mayoral"},
        allowed="admin",
        refused=("outsider", "anonymous", "coordinator"),
    ),
    "funding.do_create_round": Call(
        lambda p: {"funder": p.grant.funder, "name": "LCPF", "first_year": 2022, "last_year": 2024},
        allowed="admin",
        refused=("outsider", "anonymous", "coordinator"),
    ),
    "funding.do_create_grant": Call(
        lambda p: {
            "funder": p.grant.funder,
            "title": "SVD",
            "amount": Decimal("1.00"),
            "starts_on": date(2025, 4, 1),
            "ends_on": date(2026, 3, 31),
        },
        allowed="admin",
        refused=("outsider", "anonymous", "officer"),
    ),
    "funding.do_set_allocation": Call(
        lambda p: {"grant": p.grant, "first_year": 2025, "amount": Decimal("50000.00")},
        allowed="admin",
        refused=("outsider", "anonymous", "officer"),
    ),
    "funding.do_set_reporting_date": Call(
        lambda p: {"grant": p.grant, "year": 2025, "quarter": 1, "due_on": date(2025, 7, 31)},
        allowed="admin",
        refused=("outsider", "anonymous", "officer"),
    ),
    "funding.do_create_funded_item": Call(
        lambda p: {
            "grant": p.grant,
            "kind": "project",
            "name": "Bus",
            "provider": p.police,
            "budget": Decimal("100.00"),
        },
        allowed="admin",
        refused=("outsider", "anonymous", "officer"),
    ),
    "funding.do_add_measure": Call(
        lambda p: {"item": p.funded_item, "name": "Sessions"},
        allowed="admin",
        refused=("outsider", "anonymous", "officer"),
    ),
    "funding.do_set_profile": Call(
        lambda p: {"item": p.funded_item, "year": 2025, "quarter": 2, "budget": Decimal("10")},
        allowed="admin",
        refused=("outsider", "anonymous", "officer"),
    ),
    "funding.do_record_quarter": Call(
        lambda p: {"item": p.funded_item, "year": 2025, "quarter": 2, "spend": Decimal("1.00")},
        allowed="officer",
        refused=("outsider", "anonymous", "coordinator"),
    ),
    "funding.do_add_condition": Call(
        lambda p: {
            "grant": p.grant,
            "description": "Quarterly return to MOPAC",
            "owning_agency": p.police,
            "owner": p.officer,
            "due_on": date(2025, 7, 31),
        },
        allowed="admin",
        refused=("outsider", "anonymous", "officer"),
    ),
    "funding.do_publish_return": Call(
        lambda p: {"grant": p.grant, "year": 2025, "quarter": 1},
        allowed="admin",
        refused=("outsider", "anonymous", "officer"),
    ),
    "funding.do_record_return_download": Call(
        lambda p: {"grant": p.grant, "year": 2025, "quarter": 1, "file_format": "xlsx"},
        allowed="admin",
        refused=("outsider", "anonymous", "officer"),
    ),
    # Community activity: the delivering agency's staff and the CSP manager
    "community.do_record_activity": Call(
        lambda p: {
            "kind": "school_workshop",
            "theme": "peer_pressure",
            "topic": "Peer pressure",
            "held_on": date(2025, 6, 3),
            "place": p.tasking_place,
            "delivered_by": p.police,
            "people_reached": 30,
        },
        allowed="officer",
        refused=("outsider", "anonymous", "coordinator"),
    ),
    "community.do_link_activity": Call(
        lambda p: {"activity": p.activity, "funded_item": None},
        allowed="officer",
        refused=("outsider", "anonymous", "coordinator"),
    ),
    "community.do_record_attendance": Call(
        lambda p: {"activity": _training(p), "agency": p.school, "attendees": 4},
        allowed="officer",
        refused=("outsider", "anonymous", "coordinator"),
    ),
    # ASB case reviews
    "casereview.do_set_policy": Call(
        lambda p: {
            "complaints_required": 3,
            "window_months": 6,
            "report_within_months": 1,
            "acknowledge_working_days": 5,
            "decision_working_days": 10,
            "meeting_working_days": 15,
            "region": "ENG",
        },
        allowed="admin",
        refused=("outsider", "anonymous", "coordinator"),
    ),
    "casereview.do_create_case_review": Call(
        lambda p: {
            "received_on": date(2025, 4, 1),
            "applicant_name": "Sam Applicant",
            "problem_summary": "Bikes on the green",
        },
        allowed="coordinator",
    ),
    "casereview.do_add_complaint": Call(
        lambda p: {
            "review": p.review,
            "problem": "Noise",
            "incident_on": date(2025, 2, 1),
            "reported_on": date(2025, 2, 2),
        },
        allowed="coordinator",
    ),
    "casereview.do_acknowledge_case_review": Call(
        lambda p: {"review": p.review, "acknowledged_on": date(2025, 3, 4)}, allowed="coordinator"
    ),
    "casereview.do_decide_threshold": Call(
        lambda p: {"review": p.review, "decided_on": date(2025, 3, 10), "met": False},
        allowed="coordinator",
    ),
    "casereview.do_record_review_meeting": Call(
        lambda p: {"review": _held_review(p), "held_on": date(2025, 3, 20), "outcome": "A plan"},
        allowed="coordinator",
    ),
    "casereview.do_add_recommendation": Call(
        lambda p: {"review": _review_held(p), "agency": p.housing, "text": "Review the tenancy"},
        allowed="coordinator",
    ),
    "casereview.do_record_applicant_reveal": Call(
        lambda p: {"review": p.review},
        allowed="coordinator",
        refused=("outsider", "anonymous", "admin"),
        request=True,
    ),
    # accounts
    "accounts.do_create_agency": Call(
        lambda p: {"name": "Bexley Probation", "kind": "probation"}, allowed="admin"
    ),
    "accounts.do_update_agency": Call(
        lambda p: {
            "agency": p.housing,
            "name": "Bexley Housing Services",
            "kind": "housing",
            "is_active": True,
        },
        allowed="admin",
    ),
    "accounts.do_create_user": Call(
        lambda p: {
            "email": "new.worker@example.test",
            "full_name": "New Worker",
            "agency": p.childrens,
            "roles": [PRACTITIONER],
        },
        allowed="admin",
    ),
    "accounts.do_update_user": Call(
        lambda p: {
            "user": p.target,
            "expected_version": p.target.version,
            "full_name": "Renamed Worker",
            "job_title": "",
            "agency": p.childrens,
            "roles": [PRACTITIONER],
            "is_active": True,
        },
        allowed="admin",
    ),
    "accounts.do_request_grant": Call(
        lambda p: {"user": p.target, "kind": "roles", "detail": {"role": COORDINATOR}},
        allowed="admin",
    ),
    "accounts.do_approve_grant_request": Call(
        lambda p: {"grant_request": p.grant_request},
        allowed="second_admin",
        # The administrator who asked for it is refused too: another one decides.
        refused=("outsider", "anonymous", "admin"),
    ),
    "accounts.do_decline_grant_request": Call(
        lambda p: {"grant_request": p.grant_request},
        allowed="second_admin",
        refused=("outsider", "anonymous", "admin"),
    ),
    "accounts.do_grant_role": Call(
        lambda p: {"user": p.target, "detail": {"role": COORDINATOR}}, allowed="admin"
    ),
    "accounts.do_move_to_agency": Call(
        lambda p: {"user": p.target, "detail": {"agency": str(p.police.pk)}}, allowed="admin"
    ),
    "accounts.do_invite_user": Call(lambda p: {"user": p.target}, allowed="admin"),
    "accounts.do_reset_two_factor": Call(
        lambda p: {"user": p.target}, allowed="admin", request=True
    ),
    "accounts.do_unlock_sign_in": Call(lambda p: {"user": p.target}, allowed="admin", request=True),
    # ASB casework on an ASB panel's case
    "asb.do_record_risk_assessment": Call(
        lambda p: {"case": p.asb_case, "answers": {"fear": True}, "assessed_on": date(2025, 6, 1)},
        allowed="owner",
    ),
    "asb.do_log_incident": Call(
        lambda p: {
            "case": p.asb_case,
            "occurred_on": date(2025, 6, 1),
            "kind": "verbal",
            "description": "Shouted at on the stairs",
            "reported_by": "victim",
        },
        allowed="owner",
    ),
    "asb.do_update_incident": Call(
        lambda p: {"incident": p.asb_incident, "expected_version": 1, "description": "Changed"},
        allowed="owner",
    ),
    "asb.do_record_tool": Call(
        lambda p: {
            "case": p.asb_case,
            "kind": "warning_letter",
            "recipient_name": "Rowan Pettigrew",
            "behaviour": "shouting on the stairs",
        },
        allowed="owner",
    ),
    "asb.do_update_tool": Call(
        lambda p: {"tool": p.asb_tool, "expected_version": 1, "status": "withdrawn"},
        allowed="owner",
    ),
    # documents (an upload is scanned by the real clamd: the `scanner` fixture)
    "documents.do_attach_document": Call(
        lambda p: {
            "owner": p.case,
            "upload": SimpleUploadedFile("chronology.txt", b"A chronology\n"),
            "kind": "chronology",
        },
        allowed="owner",
    ),
    "documents.do_remove_document": Call(lambda p: {"document": p.document}, allowed="owner"),
    # the action plan (VVRAP)
    "vvrap.do_create_plan": Call(
        lambda p: {
            "title": "Bexley VVRAP",
            "version_label": "v2",
            "template": _seeded_template(),
            "board": p.board,
            "first_year": 2026,
        },
        allowed="admin",
        refused=("outsider", "anonymous", "owner"),
    ),
    "vvrap.do_create_plan_item": Call(
        lambda p: {
            "plan": p.plan,
            "theme": Theme.objects.get(key="governance"),
            "number": "1.1",
            "description": "Review the partnership's terms of reference",
            "outcome": "Clear governance",
            "lead": p.owner,
            "lead_agencies": [p.childrens],
        },
        allowed="admin",
        refused=("outsider", "anonymous", "owner"),
    ),
    "vvrap.do_edit_plan_item": Call(
        lambda p: {"item": p.plan_item, "outcome": "Changed"},
        allowed="admin",
        refused=("outsider", "anonymous", "owner"),
        why="its lead writes the action's updates; the CSP manager edits the action",
    ),
    "vvrap.do_add_milestone": Call(
        lambda p: {"item": p.plan_item, "description": "Recruit", "due_on": date(2025, 6, 1)},
        allowed="owner",
        refused=("outsider", "anonymous", "colleague"),
    ),
    "vvrap.do_save_update": Call(
        lambda p: {
            "item": p.plan_item,
            "year": 2025,
            "quarter": 2,
            "narrative": "Going well",
            "proposed_rag": "green",
            "rag_reason": "On track",
            "submit": True,
        },
        allowed="owner",
        refused=("outsider", "anonymous", "admin", "colleague"),
    ),
    "vvrap.do_return_update": Call(
        lambda p: {"update": p.plan_update, "comment": "Say more"},
        allowed="admin",
        refused=("outsider", "anonymous", "owner"),
    ),
    "vvrap.do_sign_off_update": Call(
        lambda p: {"update": p.plan_update},
        allowed="admin",
        refused=("outsider", "anonymous", "owner"),
    ),
    "vvrap.do_record_feedback": Call(
        lambda p: {"plan": p.plan, "received_on": date(2025, 10, 1), "feedback": "Good"},
        allowed="admin",
        refused=("outsider", "anonymous", "owner", "executive"),
    ),
    "vvrap.do_export_return": Call(
        lambda p: {"plan": p.plan, "year": 2025, "quarter": 1, "fmt": "xlsx"},
        allowed="admin",
        refused=("outsider", "anonymous", "owner", "executive"),
    ),
    "vvrap.do_set_template_columns": Call(
        lambda p: {"template": p.plan.template, "columns": [("Ref", "number"), ("RAG", "rag")]},
        allowed="admin",
        refused=("outsider", "anonymous", "owner", "executive"),
    ),
    "vvrap.do_record_event": Call(
        lambda p: {
            "happened_on": date(2025, 7, 1),
            "place": p.community_place,
            "kind": "knife",
            "risk_level": "high",
            "owning_agency": p.police,
        },
        allowed="admin",
        refused=("outsider", "anonymous", "owner", "executive"),
    ),
    "vvrap.do_close_event": Call(
        lambda p: {"event": p.tasking_event, "closed_on": date(2025, 7, 20)},
        allowed="admin",
        refused=("outsider", "anonymous", "owner", "executive"),
    ),
    "vvrap.do_record_assessment": Call(
        lambda p: {"refreshed_on": date(2025, 3, 1)},
        allowed="admin",
        refused=("outsider", "anonymous", "owner", "executive"),
    ),
    # reports
    "reports.do_build_annual_report": Call(
        lambda p: {"year": 2023},
        allowed="analyst",
        refused=("outsider", "anonymous", "owner"),
    ),
    "reports.do_save_narrative": Call(
        lambda p: {"year": 2023, "section": "crime", "text": "Crime rose slightly."},
        allowed="analyst",
        refused=("outsider", "anonymous", "owner", "executive"),
    ),
    "reports.do_sign_off_annual_report": Call(
        lambda p: {"report": p.annual_report},
        allowed="admin",
        refused=("outsider", "anonymous", "owner", "analyst", "executive"),
    ),
    # crime
    "crime.do_import_crime_data": Call(
        lambda p: {"upload": SimpleUploadedFile("street.csv", b"not,a,crime,file\n")},
        allowed="analyst",
    ),
}

CALLS.update(nrm_sweep.calls(Call))
CALLS.update(sna_sweep.calls(Call))


def test_every_service_is_called_here_or_exempt_with_a_reason():
    found = set(SERVICES)
    assert found, "no services found: the discovery is broken"
    missing = sorted(found - set(CALLS) - set(NOT_ACCESS_CONTROLLED))
    assert not missing, f"call these services as an outsider below (or exempt them): {missing}"
    gone = sorted((set(CALLS) | set(NOT_ACCESS_CONTROLLED)) - found)
    assert not gone, f"these services no longer exist: {gone}"
    assert not set(CALLS) & set(NOT_ACCESS_CONTROLLED)
    assert all(reason.strip() for reason in NOT_ACCESS_CONTROLLED.values())
    for name, call in CALLS.items():
        default = {"outsider", "anonymous"}
        assert set(call.refused) >= default or call.why.strip(), (
            f"{name}: say why an unrelated practitioner or a visitor is not refused"
        )


def _state() -> dict[str, list[str]]:
    """Every row of every table, so any write at all shows."""
    return {
        model._meta.label: sorted(map(repr, model._default_manager.values_list()))
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_service_refuses_whom_its_rule_does_not_let_act_and_writes_nothing(
    name, partnership, request
):
    call = CALLS[name]
    if name == "documents.do_attach_document":
        request.getfixturevalue("scanner")  # a real clamd scans what the allowed call attaches
    kwargs = call.kwargs(partnership)  # may write (a review taken to the stage the step needs)

    def as_(who: str) -> Any:
        actor = getattr(partnership, who)
        given = dict(kwargs)
        if call.request:
            given["request"] = RequestFactory().post("/")
            given["request"].user = actor
        return SERVICES[name](actor=actor, **given)

    before = _state()
    for who in call.refused:
        with pytest.raises(PermissionDenied):
            as_(who)
        assert _state() == before, f"{name} wrote something for {who} before refusing"
    as_(call.allowed)
    assert _state() != before, f"{name} wrote nothing for {call.allowed}: not a real call"
