"""A grant with two funded items, each delivered by a different provider, and the people who
read and record them: the CSP manager, each provider's staff, an executive, an outsider (a
teacher) and an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from csphub.accounts.models import Agency, User
from csphub.accounts.roles import CSP_ADMIN, EXECUTIVE, PRACTITIONER
from csphub.funding import services
from csphub.funding.models import FundedItem, Funder, Grant, Measure
from tests.factories import AgencyFactory

YEAR = 2023  # 2023-24


@dataclass
class Funding:
    home_office: Funder
    mopac: Funder
    grant: Grant
    bus: FundedItem  # delivered by provider
    workshops: FundedItem  # delivered by other_provider
    bus_sessions: Measure
    workshop_count: Measure
    provider: Agency
    other_provider: Agency
    manager: User
    provider_staff: User
    other_staff: User
    executive: User
    outsider: User
    anonymous: AnonymousUser


def build(make_user) -> Funding:
    council = AgencyFactory(name="Community Safety", kind="community_safety")
    provider = AgencyFactory(name="Safer Streets CIC", kind="voluntary_sector")
    other = AgencyFactory(name="Young Voices Trust", kind="voluntary_sector")
    school = AgencyFactory(name="Bexley Academy", kind="education")
    manager = make_user(CSP_ADMIN, agency=council)
    home_office = services.do_create_funder(
        actor=manager, name="Home Office", kind="government", org_identifier="GB-GOR-PR7"
    )
    mopac = services.do_create_funder(
        actor=manager, name="MOPAC", kind="mayoral", passes_on_from=home_office
    )
    grant = services.do_create_grant(
        actor=manager,
        funder=mopac,
        title="Serious Violence Duty delivery",
        amount=Decimal("40000.00"),
        starts_on=date(2023, 4, 1),
        ends_on=date(2024, 3, 31),
    )
    services.do_set_allocation(
        actor=manager, grant=grant, first_year=YEAR, amount=Decimal("40000.00")
    )
    bus = services.do_create_funded_item(
        actor=manager,
        grant=grant,
        kind="project",
        name="Outreach bus",
        provider=provider,
        budget=Decimal("24000.00"),
    )
    workshops = services.do_create_funded_item(
        actor=manager,
        grant=grant,
        kind="project",
        name="School workshops",
        provider=other,
        budget=Decimal("16000.00"),
    )
    bus_sessions = services.do_add_measure(actor=manager, item=bus, name="Bus deployments")
    workshop_count = services.do_add_measure(actor=manager, item=workshops, name="Workshops")
    for q in (1, 2, 3, 4):
        services.do_set_profile(
            actor=manager,
            item=bus,
            year=YEAR,
            quarter=q,
            budget=Decimal("6000.00"),
            outputs={bus_sessions: 10},
        )
        services.do_set_profile(
            actor=manager,
            item=workshops,
            year=YEAR,
            quarter=q,
            budget=Decimal("4000.00"),
            outputs={workshop_count: 5},
        )
    return Funding(
        home_office=home_office,
        mopac=mopac,
        grant=grant,
        bus=bus,
        workshops=workshops,
        bus_sessions=bus_sessions,
        workshop_count=workshop_count,
        provider=provider,
        other_provider=other,
        manager=manager,
        provider_staff=make_user(PRACTITIONER, agency=provider),
        other_staff=make_user(PRACTITIONER, agency=other),
        executive=make_user(EXECUTIVE, agency=council),
        outsider=make_user(PRACTITIONER, agency=school),
        anonymous=AnonymousUser(),
    )


@pytest.fixture
def funding(make_user) -> Funding:
    return build(make_user)
