"""The demo's children's NRM panel: its co-ordinator (`nrm@bexley.demo`, two-factor), seats,
fortnightly meetings and a year of synthetic referrals, mostly criminal exploitation and county
lines, decided through the services so every decision time comes from the dates. Seeded, so
every load makes the same year (relative to today). Idempotent: a panel with referrals is left
alone."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts import services as account_services
from csphub.accounts.choices import AgencyKind
from csphub.accounts.demo import DEMO_TOTP_HEX
from csphub.accounts.models import Agency, User
from csphub.accounts.roles import COORDINATOR, PRACTITIONER
from csphub.meetings import services as meeting_services
from csphub.meetings.models import Meeting
from csphub.nrm import services
from csphub.nrm.choices import DEFAULT_QUORUM, AuditState, DecisionKind, Outcome, Seat, Vote
from csphub.nrm.models import NrmSettings, Referral
from csphub.panels.choices import MembershipRole, PanelDecision, PanelKind
from csphub.panels.models import Panel, PanelMembership

SEED = 20231201
HOLDING = "London Borough of Bexley Community Safety"
GUARDIANS = ("Independent Child Trafficking Guardianship Service", AgencyKind.VOLUNTARY_SECTOR)
# email, name, job title, agency name, role, seat (None: not on the panel)
PEOPLE = [
    ("nrm@bexley.demo", "Taylor Brooks", "NRM Panel Co-ordinator", HOLDING, COORDINATOR, "co"),
    ("worker@childrens.demo", "", "", "", "", Seat.SOCIAL_CARE),
    ("officer@met.demo", "", "", "", "", Seat.POLICE),
    (
        "nurse@health.demo",
        "Amaka Eze",
        "Named Nurse, Safeguarding Children",
        "South East London Integrated Care Board",
        PRACTITIONER,
        Seat.HEALTH,
    ),
    (
        "ictg@guardians.demo",
        "Jamie Rowe",
        "Independent Child Trafficking Guardian",
        GUARDIANS[0],
        PRACTITIONER,
        Seat.ICTG,
    ),
    (
        "yjs@bexley.demo",
        "Lee Harper",
        "Youth Justice Case Manager (first responder)",
        "Bexley Youth Justice Service",
        PRACTITIONER,
        None,
    ),
]
GIVEN = ["Tyler", "Jayden", "Kai", "Leon", "Marcus", "Ellis", "Reece", "Amir", "Dylan", "Ola"]
GIVEN_F = ["Chloe", "Amelia", "Zara", "Leah", "Mia"]
FAMILY = ["Harris", "Adebayo", "Clarke", "Nowak", "Hughes", "Mensah", "Price", "Begum", "Shaw"]
NATIONALITIES = ["British"] * 8 + ["Albanian", "Vietnamese", "Eritrean", ""]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _panel(holding: Agency, coordinator: User) -> Panel:
    panel, _ = Panel.objects.get_or_create(
        slug="nrm",
        defaults={
            "name": "Children's NRM Panel",
            "kind": PanelKind.OTHER,
            "purpose": "Decides National Referral Mechanism cases for children locally "
            "(the Home Office's devolved decision-making pilot).",
            "meeting_cadence": "Fortnightly on Tuesdays",
            "referral_criteria": "A child (17 or under, more than 100 days from their 18th "
            "birthday) referred by a first responder as a potential victim of modern slavery.",
            "consent_required": False,
            "decisions": [PanelDecision.ACCEPT, PanelDecision.REJECT, PanelDecision.CLOSE],
            "quorum": DEFAULT_QUORUM,
            "owning_agency_sees_cases": False,
            "chair": User.objects.filter(email="officer@met.demo").first(),
        },
    )
    NrmSettings.objects.get_or_create(panel=panel, defaults={"holding_agency": holding})
    return panel


def _people() -> dict[str, User]:
    users = {}
    for email, name, title, agency_name, role, _ in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            agency = Agency.objects.filter(name=agency_name).first()
            if agency is None:
                agency = account_services.do_create_agency(
                    actor=None, name=agency_name, kind=GUARDIANS[1]
                )
            user = account_services.do_create_user(
                actor=None,
                email=email,
                full_name=name,
                job_title=title,
                agency=agency,
                roles=[role],
                password=settings.DEMO_PASSWORD,
            )
        if role == COORDINATOR and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(
                user=user, name="Demo authenticator", key=DEMO_TOTP_HEX, confirmed=True
            )
        users[email] = user
    return users


def _seat_everyone(panel: Panel, users: dict[str, User], coordinator: User) -> None:
    for email, *_, seat in PEOPLE:
        if seat is None:
            continue
        role = MembershipRole.COORDINATOR if seat == "co" else MembershipRole.MEMBER
        membership, _ = PanelMembership.objects.get_or_create(
            panel=panel, user=users[email], defaults={"role": role}
        )
        services.do_set_seat(
            actor=coordinator,
            membership=membership,
            seat=Seat.ADVISORY if seat == "co" else seat,
        )


def _meetings(panel: Panel, coordinator: User, today: date) -> list[Meeting]:
    first = today - timedelta(days=371)
    first += timedelta(days=(1 - first.weekday()) % 7)  # a Tuesday
    days = [first + timedelta(days=14 * i) for i in range(28)]
    return [
        meeting_services.do_schedule_meeting(
            actor=coordinator,
            panel=panel,
            scheduled_for=_at(day),
            location="Civic Offices, Bexleyheath",
            chair=User.objects.get(email="officer@met.demo"),
        )
        for day in days
    ]


def _next_meeting(meetings: list[Meeting], after: date, skip: int = 0) -> Meeting | None:
    later = [m for m in meetings if m.meeting_date >= after]
    return later[skip] if len(later) > skip else None


def load(stdout: TextIO) -> None:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data cannot be loaded under production settings.")
    users = _people()
    coordinator = users["nrm@bexley.demo"]
    panel = _panel(Agency.objects.get(name=HOLDING), coordinator)
    if Referral.objects.filter(case__panel=panel).exists():
        stdout.write("  NRM panel already has referrals: left as it is\n")
        return
    _seat_everyone(panel, users, coordinator)
    today = timezone.localdate()
    meetings = _meetings(panel, coordinator, today)
    rng = random.Random(SEED)
    responders = [users["yjs@bexley.demo"], users["officer@met.demo"]]
    members = {
        users["worker@childrens.demo"]: Seat.SOCIAL_CARE,
        users["officer@met.demo"]: Seat.POLICE,
        users["nurse@health.demo"]: Seat.HEALTH,
        users["ictg@guardians.demo"]: Seat.ICTG,
    }
    chair = users["officer@met.demo"]
    made = decided = 0
    for i in range(38):
        received = today - timedelta(days=360 - i * 9 - rng.randint(0, 6))
        responder = responders[i % 2]
        roll = rng.random()
        types = (
            ["criminal"]
            if roll < 0.78
            else ["criminal", "sexual"]
            if roll < 0.84
            else ["sexual"]
            if roll < 0.93
            else ["labour"]
            if roll < 0.97
            else ["domestic_servitude"]
        )
        female = "sexual" in types and rng.random() < 0.7
        age = rng.choice([13, 14, 15, 15, 16, 16, 16, 17])
        born = received - timedelta(days=365 * age + rng.randint(20, 200))
        referral = services.do_refer_child(
            actor=responder,
            panel=panel,
            given_name=rng.choice(GIVEN_F if female else GIVEN),
            family_name=rng.choice(FAMILY),
            date_of_birth=born,
            gender="female" if female else "male",
            nationality=rng.choice(NATIONALITIES),
            first_responder_type="police" if i % 2 else "local_authority",
            first_responder_officer=responder.full_name,
            received_on=received,
            exploitation_types=types,
            county_lines="criminal" in types and rng.random() < 0.7,
            exploited_where="uk" if rng.random() < 0.9 else "both",
            age_at_exploitation=age,
            age_disputed=i in (11, 29),
            summary="Synthetic demo referral.",
        )
        made += 1
        services.do_take_on(actor=coordinator, referral=referral)
        referral.refresh_from_db()
        if referral.routing != "panel":
            continue
        decided += _decide(
            referral, meetings, members, chair, coordinator, today, rng, awaiting_qa=i >= 35
        )
    stdout.write(f"  NRM panel: {made} referrals over a year, {decided} decisions\n")
    stdout.write(
        "  NRM sign-ins: nrm@bexley.demo (NRM co-ordinator, two-factor), nurse@health.demo "
        "(health seat), ictg@guardians.demo (guardian), yjs@bexley.demo (first responder)\n"
    )


def _decide(  # type: ignore[no-untyped-def]
    referral, meetings, members, chair, coordinator, today, rng, *, awaiting_qa: bool
) -> int:
    """Decide REFERRAL at the meetings after it; the newest ones' minutes await QA sign-off."""
    rg_meeting = _next_meeting(
        meetings, referral.received_on + timedelta(days=7), rng.randint(0, 1)
    )
    if rg_meeting is None or rg_meeting.meeting_date > today:
        return 0
    negative = rng.random() < 0.1
    vote = Vote.NEGATIVE if negative else Vote.POSITIVE
    present = {u: ("" if s == Seat.ICTG else vote) for u, s in members.items()}
    common = {"actor": coordinator, "referral": referral, "chair": chair}
    if not negative and rng.random() < 0.15:
        decisions = list(
            services.do_record_rg_and_cg(
                **common,
                meeting=rg_meeting,
                decided_on=rg_meeting.meeting_date,
                cg_outcome=Outcome.POSITIVE,
                rg_votes=present,
                cg_votes=present,
            )
        )
    else:
        decisions = [
            services.do_record_decision(
                **common,
                kind=DecisionKind.RG,
                meeting=rg_meeting,
                decided_on=rg_meeting.meeting_date,
                outcome=Outcome.NEGATIVE if negative else Outcome.POSITIVE,
                votes=present,
            )
        ]
        cg_meeting = _next_meeting(
            meetings, rg_meeting.meeting_date + timedelta(days=30), rng.choice([0, 0, 1])
        )
        if not negative and cg_meeting is not None and cg_meeting.meeting_date <= today:
            cg_vote = Vote.POSITIVE if rng.random() < 0.9 else Vote.NEGATIVE
            cg_present = {u: ("" if s == Seat.ICTG else cg_vote) for u, s in members.items()}
            decisions.append(
                services.do_record_decision(
                    **common,
                    kind=DecisionKind.CG,
                    meeting=cg_meeting,
                    decided_on=cg_meeting.meeting_date,
                    outcome=Outcome(cg_vote.value),
                    votes=cg_present,
                )
            )
    signer = next(u for u, s in members.items() if s == Seat.SOCIAL_CARE)
    for decision in decisions:
        minute = services.do_write_minute(
            actor=coordinator,
            decision=decision,
            evidence=[
                {
                    "item": "First responder's referral form",
                    "source": referral.first_responder_agency.name,
                },
                {"item": "Police intelligence summary", "source": "Metropolitan Police"},
                {"item": "Social care chronology", "source": "Bexley Children's Social Care"},
            ],
            credibility="The child's account is consistent across agencies.",
            trauma_informed="Delayed and partial disclosure is expected; the guardian was consulted.",
            reasons="The indicators of exploitation were not established."
            if decision.outcome == Outcome.NEGATIVE
            else "",
        )
        if not awaiting_qa:
            services.do_sign_off_minute(actor=signer, minute=minute)
            services.do_issue_minute(actor=coordinator, minute=minute)
        if (today - decision.decided_on).days > 60:
            services.do_update_audit(
                actor=coordinator,
                decision=decision,
                state=AuditState.UPHELD if rng.random() < 0.9 else AuditState.SENT,
                comments="",
                on=decision.decided_on + timedelta(days=21),
            )
    final = decisions[-1]
    if (final.kind == DecisionKind.CG or negative) and (today - final.decided_on).days > 91:
        services.do_record_follow_up(
            actor=coordinator,
            referral=referral,
            months=3,
            support_offered="Key worker and mentoring through the outreach service.",
            missing_episodes=rng.choice([0, 0, 0, 1, 2]),
            re_referred=rng.random() < 0.05,
            crest_status=rng.choice(["open", "closed", "none"]),
            vip_status=rng.choice(["none", "none", "open"]),
        )
    return len(decisions)
