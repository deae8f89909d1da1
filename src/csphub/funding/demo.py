"""The demo partnership's funding (Bexley, 2023-24): the four funded items the delivery report
lists — £50,000 for the Violence and Community Risk Co-ordinator, £86,000 for Community
Capacity Building, £40,000 for Serious Violence Duty delivery, £50,000 for the NRM Panel
Co-ordinator — from MOPAC's London Crime Prevention Fund 2022-25, the VRU and the Home Office,
with a year of quarterly spend (seeded, so every run is the same), forecasts, output profiles
and typed-in outputs; the returns for quarters 1 to 3 published. Community Capacity Building
runs behind, so its underspend is flagged from quarter 3. Idempotent."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_UP, Decimal
from typing import TextIO

from django.conf import settings

from csphub.accounts.models import Agency, User
from csphub.funding import services
from csphub.funding.models import FundedItem, Funder, Grant

YEAR = 2023  # 2023-24
MANAGER = "admin@bexley.demo"
COMMUNITY_SAFETY = "London Borough of Bexley Community Safety"
OUTREACH = "Safer Streets Youth Outreach (commissioned)"
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class DemoItem:
    grant: str
    name: str
    kind: str
    provider: str
    budget: Decimal
    # (name, kind, counts activity, counts, profile a quarter)
    measures: list[tuple[str, str, str, str, int]]
    pace: float  # spend as a share of budget in quarters 1-3


ITEMS = [
    DemoItem(
        "lcpf",
        "Violence and Community Risk Co-ordinator",
        "post",
        COMMUNITY_SAFETY,
        Decimal("50000.00"),
        [
            ("Community engagement events", "output", "engagement", "sessions", 8),
            ("Residents engaged at events", "output", "engagement", "people", 240),
            ("Cases brought to the Violence Intervention Panel", "output", "", "", 12),
        ],
        1.0,
    ),
    DemoItem(
        "lcpf",
        "Community Capacity Building",
        "project",
        OUTREACH,
        Decimal("86000.00"),
        [
            ("Outreach bus deployments", "output", "outreach_bus", "sessions", 25),
            ("Young people engaged by the bus", "output", "outreach_bus", "people", 300),
            ("Parent/Carer Network sessions", "output", "parent_carer", "sessions", 3),
            ("Young people referred to support", "outcome", "", "", 15),
        ],
        0.82,
    ),
    DemoItem(
        "svd",
        "Serious Violence Duty delivery: data analysis and school workshops",
        "project",
        OUTREACH,
        Decimal("40000.00"),
        [
            ("School workshops delivered", "output", "school_workshop", "sessions", 15),
            ("Pupils reached", "output", "school_workshop", "people", 400),
            ("Strategic needs assessment products", "output", "", "", 1),
        ],
        1.0,
    ),
    DemoItem(
        "nrm",
        "NRM Panel Co-ordinator",
        "post",
        COMMUNITY_SAFETY,
        Decimal("50000.00"),
        [
            ("Child exploitation training workshops", "output", "training", "sessions", 3),
            ("Professionals trained", "output", "training", "people", 45),
            ("NRM decisions made", "outcome", "", "", 10),
        ],
        1.0,
    ),
]


def _funders(manager: User) -> dict[str, Funder]:
    home_office = services.do_create_funder(actor=manager, name="Home Office", kind="government")
    mopac = services.do_create_funder(
        actor=manager,
        name="Mayor's Office for Policing and Crime (MOPAC)",
        kind="mayoral",
        passes_on_from=home_office,
    )
    vru = services.do_create_funder(
        actor=manager,
        name="London Violence Reduction Unit",
        kind="mayoral",
        passes_on_from=home_office,
    )
    services.do_create_funder(actor=manager, name="London Borough of Bexley", kind="council")
    return {"home_office": home_office, "mopac": mopac, "vru": vru}


def _grants(manager: User, funders: dict[str, Funder]) -> dict[str, Grant]:
    lcpf = services.do_create_round(
        actor=manager,
        funder=funders["mopac"],
        name="London Crime Prevention Fund 2022-25",
        first_year=2022,
        last_year=2024,
    )
    spec = {
        "lcpf": (
            funders["mopac"],
            "LCPF 2022-25: Bexley projects 2023-24",
            "136000.00",
            lcpf,
            False,
        ),
        "svd": (funders["vru"], "Serious Violence Duty delivery 2023-24", "40000.00", None, True),
        "nrm": (
            funders["home_office"],
            "Children's NRM devolved decision-making pilot 2023-24",
            "50000.00",
            None,
            False,
        ),
    }
    grants = {}
    for key, (funder, title, amount, funding_round, split) in spec.items():
        grant = services.do_create_grant(
            actor=manager,
            funder=funder,
            funding_round=funding_round,
            title=title,
            amount=Decimal(amount),
            starts_on=date(YEAR, 4, 1),
            ends_on=date(YEAR + 1, 3, 31),
            awarded_on=date(YEAR, 3, 15),
            splits_labour=split,
        )
        labour = Decimal("25000.00") if split else None
        services.do_set_allocation(
            actor=manager,
            grant=grant,
            first_year=YEAR,
            amount=Decimal(amount),
            labour=labour,
            non_labour=Decimal(amount) - labour if labour is not None else None,
        )
        for q, due in enumerate(
            [date(2023, 7, 31), date(2023, 10, 31), date(2024, 1, 31), date(2024, 4, 30)], start=1
        ):
            services.do_set_reporting_date(
                actor=manager, grant=grant, year=YEAR, quarter=q, due_on=due
            )
        grants[key] = grant
    return grants


def _item(
    manager: User, grants: dict[str, Grant], spec: DemoItem, rng: random.Random
) -> FundedItem:
    provider = Agency.objects.get(name=spec.provider)
    item = services.do_create_funded_item(
        actor=manager,
        grant=grants[spec.grant],
        kind=spec.kind,
        name=spec.name,
        provider=provider,
        budget=spec.budget,
    )
    measures = [
        services.do_add_measure(
            actor=manager, item=item, name=name, kind=kind, counts_activity=activity, counts=counts
        )
        for name, kind, activity, counts, _ in spec.measures
    ]
    quarter_budget = (spec.budget / 4).quantize(PENNY)
    for q in (1, 2, 3, 4):
        services.do_set_profile(
            actor=manager,
            item=item,
            year=YEAR,
            quarter=q,
            budget=quarter_budget,
            outputs={m: s[4] for m, s in zip(measures, spec.measures, strict=True)},
        )
    splits = grants[spec.grant].splits_labour
    spent = Decimal("0.00")
    for q in (1, 2, 3, 4):
        share = spec.pace if q < 4 else 1.0
        spend = (quarter_budget * Decimal(str(share + rng.uniform(-0.03, 0.02)))).quantize(PENNY)
        spent += spend
        # An item on track forecasts the rest of its budget; one behind forecasts only its profile.
        ahead = 4 - q
        catch_up = ((spec.budget - spent) / ahead).quantize(PENNY, ROUND_UP) if ahead else None
        forecast = catch_up if spec.pace >= 1 and catch_up is not None else quarter_budget
        typed = {
            m: max(0, round(s[4] * (share + rng.uniform(-0.2, 0.1))))
            for m, s in zip(measures, spec.measures, strict=True)
            if not s[2]
        }
        services.do_record_quarter(
            actor=manager,
            item=item,
            year=YEAR,
            quarter=q,
            spend=spend,
            spend_labour=(spend * Decimal("0.625")).quantize(PENNY) if splits else None,
            forecasts=dict.fromkeys(range(q + 1, 5), forecast),
            actuals=typed,
        )
    return item


def load(stdout: TextIO) -> None:
    if settings.PRODUCTION:
        raise RuntimeError("Demo data cannot be loaded under production settings.")
    if Grant.objects.filter(title__startswith="LCPF 2022-25: Bexley").exists():
        stdout.write("  funding already loaded\n")
        return
    manager = User.objects.get(email=MANAGER)  # loaded with the accounts
    rng = random.Random(2023)
    grants = _grants(manager, _funders(manager))
    for spec in ITEMS:
        _item(manager, grants, spec, rng)
    for grant in grants.values():
        for q in (1, 2, 3):
            services.do_publish_return(actor=manager, grant=grant, year=YEAR, quarter=q)
    stdout.write(f"  funding: {len(grants)} grants, {len(ITEMS)} funded items, 2023-24\n")
