"""A small partnership: a VIP panel with a case, its owner, a colleague, a member and outsiders."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from csphub.accounts.models import Agency, User
from csphub.accounts.roles import COORDINATOR, EXECUTIVE, PRACTITIONER
from csphub.panels.choices import MembershipRole, PanelKind
from csphub.panels.models import Case, Panel
from csphub.people.models import Person
from tests.factories import AgencyFactory
from tests.panels.factories import CaseFactory, MembershipFactory, PanelFactory, PersonFactory


@dataclass
class World:
    vip: Panel
    crest: Panel
    police: Agency
    childrens: Agency
    school: Agency
    owner: User  # practitioner in the agency that owns the case
    colleague: User  # same agency as the owner, not on the panel
    member: User  # police officer sitting on VIP
    coordinator: User  # co-ordinates VIP
    crest_coordinator: User  # co-ordinates CREST only
    outsider: User  # teacher: not on VIP, agency not involved
    executive: User
    person: Person
    case: Case


@pytest.fixture
def world(make_user) -> World:
    police = AgencyFactory(name="Met Police", kind="police")
    childrens = AgencyFactory(name="Children's Social Care", kind="childrens_social_care")
    school = AgencyFactory(name="Bexley Academy", kind="education")
    council = AgencyFactory(name="Community Safety", kind="community_safety")
    vip = PanelFactory(slug="vip", name="Violence Intervention Panel", kind=PanelKind.VIP)
    crest = PanelFactory(slug="crest", name="CREST", kind=PanelKind.CREST, uses_risk_screen=True)
    owner = make_user(PRACTITIONER, agency=childrens)
    colleague = make_user(PRACTITIONER, agency=childrens)
    member = make_user(PRACTITIONER, agency=police)
    coordinator = make_user(COORDINATOR, agency=council)
    crest_coordinator = make_user(COORDINATOR, agency=council)
    outsider = make_user(PRACTITIONER, agency=school)
    executive = make_user(EXECUTIVE, agency=council)
    MembershipFactory(panel=vip, user=member)
    MembershipFactory(panel=vip, user=coordinator, role=MembershipRole.COORDINATOR)
    MembershipFactory(panel=crest, user=crest_coordinator, role=MembershipRole.COORDINATOR)
    person = PersonFactory(given_name="Jayden", family_name="Okoro")
    case = CaseFactory(panel=vip, owning_agency=childrens, subject=person)
    return World(
        vip,
        crest,
        police,
        childrens,
        school,
        owner,
        colleague,
        member,
        coordinator,
        crest_coordinator,
        outsider,
        executive,
        person,
        case,
    )
