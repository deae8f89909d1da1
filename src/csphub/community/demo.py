"""A year (2023-24) of the demo partnership's community activity across Bexley's wards, more of
it in the LSOAs with the most serious violence (the latest year the crime warehouse holds), as
the delivery report describes: the outreach
bus twice a week, school workshops on exploitation and peer pressure, monthly Parent/Carer
Network sessions, community engagement events and the monthly child exploitation training
workshop with its attendees by agency. Each is counted towards its funded item. Seeded, so
every run is the same; idempotent."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.conf import settings

from csphub.accounts.models import Agency, User
from csphub.community import services
from csphub.community.models import Activity
from csphub.funding.models import FundedItem
from csphub.lib.periods import financial_year, rolling_months
from csphub.people.geography import lsoa_codes, ward_for_lsoa
from csphub.people.models import Place
from csphub.people.services import do_create_place

YEAR = financial_year("2023-24")
MANAGER = "admin@bexley.demo"
OUTREACH_WORKER = "outreach@charity.demo"  # records the places, as someone who may refer
TOPICS = {
    "outreach_bus": ("knife_crime", ["Detached youth work", "Incident response", "Summer nights"]),
    "school_workshop": ("exploitation", ["Exploitation and county lines", "Peer pressure"]),
    "parent_carer": ("exploitation", ["Contextual harm", "Spotting exploitation early"]),
    "engagement": ("community_safety", ["Ward panel", "Walk and talk", "Residents' meeting"]),
}


def violence_weights() -> dict[str, float]:
    """Serious violence by LSOA in the latest twelve months the crime warehouse (which the crime
    demo loads) holds LSOA counts for; every LSOA alike when none is held. One is added, so a
    quiet LSOA still has a chance."""
    weights = dict.fromkeys(lsoa_codes(), 1.0)
    try:
        from csphub.crime import selectors as crime
        from csphub.crime.warehouse import open_warehouse
        from csphub.lib.disclosure import Output

        with open_warehouse() as wh:
            latest = crime.latest_month(wh, "lsoa") if wh is not None else None
            if wh is not None and latest is not None:
                # The twelve months to the latest the LSOA counts hold: where violence is now.
                result = crime.hotspot_result(
                    wh,
                    crime.resolve_area(settings.CRIME_AREA).name,
                    "serious_violence",
                    rolling_months(latest, 12),
                    level="lsoa",
                    threshold=crime.small_area_threshold(Output.INTERNAL),
                )
                for unit in result.units:
                    if unit.code in weights:
                        weights[unit.code] += unit.count
    except (LookupError, OSError):
        pass
    return weights


class Places:
    """Community places made on first use: a bus stop per LSOA, two schools and a community
    centre per ward, and the civic offices where training is held."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.made: dict[tuple[str, str], Place] = {}

    def get(self, name: str, kind: str, lsoa: str) -> Place:
        key = (name, kind)
        if key not in self.made:
            found = Place.objects.filter(name=name, is_community_place=True).first()
            self.made[key] = found or do_create_place(
                actor=self.actor, name=name, kind=kind, lsoa_code=lsoa, community=True
            )
        return self.made[key]

    def at(self, kind: str, lsoa: str, rng: random.Random) -> Place:
        ward = ward_for_lsoa(lsoa)
        ward_name = ward.name if ward else lsoa
        if kind == "outreach_bus":
            return self.get(f"Outreach bus stop {lsoa} ({ward_name})", "outreach", lsoa)
        if kind == "school_workshop":
            phase = rng.choice(["Primary", "Secondary"])
            return self.get(f"{ward_name} {phase} School (demo)", "school", lsoa)
        return self.get(f"{ward_name} Community Centre (demo)", "outreach", lsoa)


def _dates(every_days: int, rng: random.Random) -> list[date]:
    day, days = YEAR.first_day + timedelta(days=rng.randrange(every_days)), []
    while day <= YEAR.last_day:
        days.append(day)
        day += timedelta(days=every_days + rng.randrange(-1, 2))
    return days


def load(stdout: TextIO) -> None:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data cannot be loaded under production settings.")
    if Activity.objects.exists():
        stdout.write("  community activity already loaded\n")
        return
    items = {i.name: i for i in FundedItem.objects.select_related("provider")}
    if not items:
        stdout.write("  community activity skipped: no funded items (load funding first)\n")
        return
    rng = random.Random(2324)
    manager = User.objects.get(email=MANAGER)
    places = Places(User.objects.get(email=OUTREACH_WORKER))
    weights = violence_weights()
    codes, chances = list(weights), list(weights.values())
    plan: list[tuple[str, str, int, Callable[[], int]]] = [
        ("outreach_bus", "Community Capacity Building", 3, lambda: rng.randint(6, 22)),
        ("parent_carer", "Community Capacity Building", 30, lambda: rng.randint(6, 15)),
        (
            "school_workshop",
            "Serious Violence Duty delivery: data analysis and school workshops",
            6,
            lambda: rng.randint(20, 32),
        ),
        ("engagement", "Violence and Community Risk Co-ordinator", 12, lambda: rng.randint(15, 45)),
    ]
    made = 0
    for kind, item_name, every, reached in plan:
        item = items.get(item_name)
        theme, topics = TOPICS[kind]
        for day in _dates(every, rng):
            lsoa = rng.choices(codes, chances)[0]
            services.do_record_activity(
                actor=manager,
                kind=kind,
                theme=theme
                if kind != "school_workshop"
                else rng.choice(["exploitation", "peer_pressure"]),
                topic=rng.choice(topics),
                held_on=day,
                place=places.at(kind, lsoa, rng),
                delivered_by=item.provider if item else manager.agency,  # type: ignore[arg-type]
                people_reached=reached(),
                funded_item=item,
                hours=Decimal(rng.choice(["2.00", "3.00", "4.50"]))
                if kind == "outreach_bus"
                else None,
                referrals_made=rng.randint(0, 3) if kind == "outreach_bus" else None,
                year_group=rng.choice(["Year 6", "Year 8", "Year 9", "Year 10"])
                if kind == "school_workshop"
                else "",
            )
            made += 1
    made += _training(manager, places, items.get("NRM Panel Co-ordinator"), rng)
    stdout.write(f"  community activity: {made} sessions in 2023-24\n")


def _training(manager: User, places: Places, item: Any, rng: random.Random) -> int:
    """The monthly child exploitation training workshop, with attendees by agency."""
    venue = places.get("Bexley Civic Offices (training room)", "premises", "E01000376")
    agencies = list(Agency.objects.exclude(kind="voluntary_sector").order_by("name")[:6])
    for month in YEAR.month_list():
        attendance = {a: rng.randint(0, 5) for a in agencies}
        session = services.do_record_activity(
            actor=manager,
            kind="training",
            theme="exploitation",
            topic="Monthly child exploitation training workshop",
            held_on=month.replace(day=rng.randint(8, 20)),
            place=venue,
            delivered_by=manager.agency,  # type: ignore[arg-type]
            people_reached=sum(attendance.values()),
            funded_item=item,
        )
        for agency, n in attendance.items():
            if n:
                services.do_record_attendance(
                    actor=manager, activity=session, agency=agency, attendees=n
                )
    return len(YEAR.month_list())
