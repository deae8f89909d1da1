"""Demo casework for Bexley: three panels, fictional people, real LSOAs and wards. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from csphub.accounts.models import Agency, User
from csphub.panels import services
from csphub.panels.choices import RISK_INDICATORS, MembershipRole, PanelKind
from csphub.panels.models import Case, Panel, PanelMembership
from csphub.people import services as people_services

ALL = "__all__"

# slug, name, kind, purpose, cadence, criteria, review days, risk screen, member agency names
PANELS: list[tuple[str, str, str, str, str, str, int, bool, Any]] = [
    (
        "crest",
        "CREST (Child Exploitation and Risk Evaluation)",
        PanelKind.CREST,
        "Under the MACE protocol, plans for children at risk of criminal or sexual exploitation, "
        "and for the places and peer groups where that risk arises (contextual safeguarding).",
        "Fortnightly, Tuesday mornings",
        "Children aged 10 to 17 (up to 25 with SEND or care leavers) with indicators of "
        "exploitation, county lines or serious youth violence.",
        42,
        True,
        ALL,
    ),
    (
        "vip",
        "Violence Intervention Panel",
        PanelKind.VIP,
        "Victims and perpetrators of violence of any age: interventions, enforcement and joint "
        "home visits; also themes, locations and cohorts.",
        "Monthly, first Thursday",
        "A victim or perpetrator of serious violence, or a location with repeat violence.",
        28,
        False,
        [
            "Metropolitan Police South East BCU",
            "London Borough of Bexley Community Safety",
            "Bexley Children's Social Care",
            "Probation Service Bexley",
            "Safer Streets Youth Outreach (commissioned)",
            "Bexley Housing Services",
        ],
    ),
    (
        "asb-cmp",
        "ASB Case Management Panel",
        PanelKind.ASB_CMP,
        "Persistent anti-social behaviour by individuals and at places; tracks the referred "
        "people's offending and escalates to CREST or VIP.",
        "Monthly, third Wednesday",
        "Three or more ASB reports in six months, or ASB causing serious harm.",
        56,
        False,
        [
            "Metropolitan Police South East BCU",
            "London Borough of Bexley Community Safety",
            "Bexley Housing Services",
            "London Fire Brigade Bexley",
        ],
    ),
]

MEMBERS = [
    ("crest@bexley.demo", "crest", MembershipRole.COORDINATOR),
    ("vip@bexley.demo", "vip", MembershipRole.COORDINATOR),
    ("vip@bexley.demo", "asb-cmp", MembershipRole.COORDINATOR),
    ("officer@met.demo", "vip", MembershipRole.MEMBER),
    ("officer@met.demo", "asb-cmp", MembershipRole.MEMBER),
    ("worker@childrens.demo", "crest", MembershipRole.MEMBER),
    ("teacher@school.demo", "crest", MembershipRole.MEMBER),
]

# Real Bexley LSOAs (2021); each place's ward comes from the best-fit lookup.
PLACES = [
    ("Bexleyheath Broadway shopping centre", "street", "E01000353"),
    ("Erith riverside and Pier Square", "street", "E01000403"),
    ("Belvedere station", "transport", "E01000332"),
    ("Danson Park", "park", "E01000359"),
    ("Crayford Way parade", "premises", "E01000331"),
    ("A flat used for drug supply", "address", "E01000336"),
]

Y = timezone.localdate().year
# given, family, dob, panel, referrer, owner agency, role, reason, risk, days ago, places, extra
PEOPLE: list[tuple[Any, ...]] = [
    (
        "Tyler",
        "Ashdown",
        date(Y - 15, 3, 14),
        "crest",
        "worker@childrens.demo",
        2,
        "at_risk",
        "county_lines",
        "high",
        120,
        [2, 5],
        {"assign": ["outreach@charity.demo"], "flag": "missing"},
    ),
    (
        "Amara",
        "Kovac",
        date(Y - 14, 7, 2),
        "crest",
        "worker@childrens.demo",
        2,
        "at_risk",
        "sexual_exploitation",
        "high",
        90,
        [1],
        {},
    ),
    (
        "Reece",
        "Malone",
        date(Y - 12, 11, 20),
        "crest",
        "worker@childrens.demo",
        2,
        "at_risk",
        "criminal_exploitation",
        "medium",
        60,
        [4],
        {"assign": ["outreach@charity.demo"]},
    ),
    (
        "Jordan",
        "Feltham",
        date(Y - 16, 1, 9),
        "crest",
        "teacher@school.demo",
        4,
        "at_risk",
        "missing",
        "medium",
        30,
        [],
        {},
    ),
    (
        "Kai",
        "Oyelaran",
        date(Y - 17, 5, 30),
        "crest",
        "worker@childrens.demo",
        2,
        "both",
        "weapons",
        "high",
        200,
        [0],
        {"close": "stepped_down"},
    ),
    (
        "Darnell",
        "Whitcombe",
        date(Y - 19, 8, 4),
        "vip",
        "officer@met.demo",
        1,
        "perpetrator",
        "serious_violence",
        "high",
        150,
        [0],
        {"assign": ["outreach@charity.demo"], "flag": "weapons"},
    ),
    (
        "Sophie",
        "Brannigan",
        date(Y - 24, 2, 18),
        "vip",
        "officer@met.demo",
        1,
        "victim",
        "domestic",
        "high",
        75,
        [],
        {},
    ),
    (
        "Liam",
        "Haverford",
        date(Y - 21, 9, 12),
        "vip",
        "officer@met.demo",
        1,
        "both",
        "serious_violence",
        "medium",
        45,
        [3],
        {},
    ),
    (
        "Marcus",
        "Delaney",
        date(Y - 33, 4, 1),
        "vip",
        "officer@met.demo",
        1,
        "perpetrator",
        "weapons",
        "medium",
        20,
        [4],
        {"flag": "staff_safety"},
    ),
    (
        "Callum",
        "Rudd",
        date(Y - 16, 6, 6),
        "asb-cmp",
        "officer@met.demo",
        1,
        "perpetrator",
        "asb",
        "medium",
        240,
        [1],
        {"escalate_to": "crest"},
    ),
    (
        "Ellie",
        "Marchetti",
        date(Y - 29, 12, 12),
        "asb-cmp",
        "officer@met.demo",
        1,
        "perpetrator",
        "asb",
        "low",
        180,
        [4],
        {},
    ),
    (
        "Nathan",
        "Price",
        date(Y - 18, 10, 22),
        "asb-cmp",
        "officer@met.demo",
        1,
        "perpetrator",
        "asb",
        "medium",
        100,
        [2],
        {"escalate_to": "vip"},
    ),
    (
        "Frank",
        "Olusegun",
        date(Y - 45, 3, 3),
        "asb-cmp",
        "officer@met.demo",
        1,
        "perpetrator",
        "asb",
        "low",
        300,
        [],
        {"close": "enforcement"},
    ),
]

# Offences (days relative to referral, MPS category) for the ASB cohort and some VIP subjects.
OFFENCES = {
    "Callum": [
        (-200, "ARSON AND CRIMINAL DAMAGE/CRIMINAL DAMAGE"),
        (-90, "THEFT/SHOPLIFTING"),
        (-20, "VIOLENCE AGAINST THE PERSON/VIOLENCE WITHOUT INJURY"),
        (60, "THEFT/SHOPLIFTING"),
    ],
    "Ellie": [(-150, "PUBLIC ORDER OFFENCES/*"), (-40, "THEFT/SHOPLIFTING")],
    "Nathan": [
        (-300, "DRUG OFFENCES/POSSESSION OF DRUGS"),
        (-120, "ROBBERY/ROBBERY OF PERSONAL PROPERTY"),
        (-10, "POSSESSION OF WEAPONS/*"),
    ],
    "Frank": [
        (-250, "ARSON AND CRIMINAL DAMAGE/CRIMINAL DAMAGE"),
        (-100, "THEFT/SHOPLIFTING"),
        (30, "THEFT/SHOPLIFTING"),
    ],
    "Darnell": [
        (-180, "VIOLENCE AGAINST THE PERSON/VIOLENCE WITH INJURY"),
        (-30, "POSSESSION OF WEAPONS/*"),
    ],
}

NOTES = {
    "crest": "Strategy discussion held; disruption plan agreed with police and outreach.",
    "vip": "Joint home visit by police and outreach worker; engagement offered.",
    "asb-cmp": "Acceptable behaviour contract discussed with housing officer.",
}


def _agencies() -> list[Agency]:
    from csphub.accounts.demo import AGENCIES

    return [Agency.objects.get(name=name) for name, _ in AGENCIES]


def _panels(agencies: list[Agency]) -> dict[str, Panel]:
    panels = {}
    for slug, name, kind, purpose, cadence, criteria, days, screen, members in PANELS:
        panel, _ = Panel.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "purpose": purpose,
                "meeting_cadence": cadence,
                "referral_criteria": criteria,
                "review_interval_days": days,
                "uses_risk_screen": screen,
            },
        )
        wanted = agencies if members == ALL else [a for a in agencies if a.name in members]
        panel.member_agencies.add(*wanted)
        panels[slug] = panel
    panels["crest"].chair = User.objects.filter(email="crest@bexley.demo").first()
    panels["crest"].save()
    return panels


def _backdate(case: Case, days: int) -> None:
    """Demo cases start in the past so reviews, offending and dashboards have history."""
    when = timezone.now() - timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(
        referred_at=when,
        accepted_at=when + timedelta(days=7),
        review_due=timezone.localdate(when) + timedelta(days=7 + case.panel.review_interval_days),
    )
    case.transitions.update(made_at=when, decided_at=when + timedelta(days=7))
    case.timeline.update(occurred_at=when)
    case.refresh_from_db()


def _casework(panels: dict[str, Panel], agencies: list[Agency]) -> int:
    users = {u.email: u for u in User.objects.all()}
    coordinator = {
        "crest": users["crest@bexley.demo"],
        "vip": users["vip@bexley.demo"],
        "asb-cmp": users["vip@bexley.demo"],
    }
    officer = users["officer@met.demo"]
    places = [
        people_services.do_create_place(actor=coordinator["vip"], name=n, kind=k, lsoa_code=c)
        for n, k, c in PLACES
    ]
    for (
        given,
        family,
        dob,
        slug,
        referrer,
        agency_i,
        role,
        reason,
        risk,
        days,
        place_is,
        extra,
    ) in PEOPLE:
        panel = panels[slug]
        person = people_services.do_create_person(
            actor=users[referrer],
            given_name=given,
            family_name=family,
            date_of_birth=dob,
            address=f"{10 + len(family)} {family} Close, Bexley",
            gender="not_known",
        )
        screen = {
            code: (2 if risk == "high" and i < 3 else 1)
            for i, (code, _) in enumerate(RISK_INDICATORS)
        }
        case = services.do_refer(
            actor=users[referrer],
            panel=panel,
            owning_agency=agencies[agency_i],
            person=person,
            role=role,
            reason_category=reason,
            risk_level=risk,
            reason="Referred after repeated concerns shared at the partnership's daily briefing.",
            consent_given=slug != "vip" or role != "perpetrator",
            lawful_basis="" if slug != "vip" or role != "perpetrator" else "prevention_of_crime",
            override_reason=""
            if slug != "vip" or role != "perpetrator"
            else "Seeking consent would alert the person to enforcement activity.",
            indicators=screen,  # recorded only where the panel uses the screen
        )
        services.do_decide_transition(
            actor=coordinator[slug], transition=case.transitions.get(), decision="accepted"
        )
        case.refresh_from_db()
        services.do_change_status(actor=coordinator[slug], case=case, status="active")
        for i in place_is:
            services.do_add_subject(
                actor=coordinator[slug], case=case, place=places[i], role="location"
            )
        services.do_add_note(actor=coordinator[slug], case=case, text=NOTES[slug])
        for email in extra.get("assign", []):
            services.do_assign_practitioner(
                actor=coordinator[slug], case=case, practitioner=users[email]
            )
        if "flag" in extra:
            services.do_raise_flag(
                actor=coordinator[slug],
                case=case,
                kind=extra["flag"],
                reason="Shared by police intelligence at the last panel.",
            )
        _backdate(case, days)
        for delta, category in OFFENCES.get(given, []):
            services.do_record_offence(
                actor=officer,
                person=person,
                category=category,
                offence_date=timezone.localdate(case.referred_at) + timedelta(days=delta),
            )
        if "escalate_to" in extra:
            to = panels[extra["escalate_to"]]
            escalation = services.do_escalate_case(
                actor=coordinator[slug],
                case=case,
                to_panel=to,
                reason_category="criminal_exploitation",
                reason="ASB linked to older associates and drug supply.",
                consent_given=True,
                risk_level="high",
                indicators=screen,
            )
            services.do_decide_transition(
                actor=coordinator[to.slug], transition=escalation, decision="accepted"
            )
        if "close" in extra:
            case.refresh_from_db()
            services.do_change_status(
                actor=coordinator[slug], case=case, status="closed", closure_outcome=extra["close"]
            )
    return len(PEOPLE)


def load(stdout: TextIO) -> None:
    """Create the three panels, their members and, once, the demo casework."""
    if settings.PRODUCTION:
        raise RuntimeError("Demo casework cannot be loaded under production settings.")
    with transaction.atomic():
        agencies = _agencies()
        panels = _panels(agencies)
        for email, slug, role in MEMBERS:
            user = User.objects.get(email=email)
            PanelMembership.objects.update_or_create(
                panel=panels[slug], user=user, defaults={"role": role}
            )
        if Case.objects.filter(panel__in=panels.values()).exists():
            stdout.write("  panels ready; demo casework already loaded\n")
            return
        count = _casework(panels, agencies)
    stdout.write(f"  {len(panels)} panels and {count} demo cases ready\n")
