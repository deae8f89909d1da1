"""One small partnership every app's tests can share (the ``partnership`` fixture in conftest.py).

As healthchecks' tests have alice, bob and charlie, these have people with a part to play:

- ``owner``: practitioner in the agency that owns ``case`` (Children's Social Care);
- ``colleague``: same agency as the owner, not on the case's panel;
- ``member``: police officer sitting on the VIP panel, where ``case`` is heard;
- ``coordinator``: co-ordinates VIP; ``crest_coordinator`` co-ordinates CREST only;
- ``outsider``: a teacher, on no panel, whose agency has nothing to do with ``case``;
- one user in each remaining role: ``executive``, ``csp_admin``, ``analyst``, ``dpo``;
- ``anonymous``: a visitor who has not signed in.

``person`` is the case's subject. Build what a test needs on top with tests/factories.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from csphub.accounts.models import Agency, User
from csphub.accounts.roles import ANALYST, COORDINATOR, CSP_ADMIN, DPO, EXECUTIVE, PRACTITIONER
from csphub.panels.choices import MembershipRole, PanelKind
from csphub.panels.models import Case, Panel
from csphub.people.models import Person
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    MembershipFactory,
    PanelFactory,
    PersonFactory,
)


@dataclass
class Partnership:
    vip: Panel
    crest: Panel
    police: Agency
    childrens: Agency
    school: Agency
    council: Agency
    owner: User
    colleague: User
    member: User
    coordinator: User
    crest_coordinator: User
    outsider: User
    executive: User
    csp_admin: User
    analyst: User
    dpo: User
    anonymous: AnonymousUser
    person: Person
    case: Case


def build(make_user: Callable[..., User]) -> Partnership:
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
    csp_admin = make_user(CSP_ADMIN, agency=council)
    analyst = make_user(ANALYST, agency=council)
    dpo = make_user(DPO, agency=council)
    MembershipFactory(panel=vip, user=member)
    MembershipFactory(panel=vip, user=coordinator, role=MembershipRole.COORDINATOR)
    MembershipFactory(panel=crest, user=crest_coordinator, role=MembershipRole.COORDINATOR)
    person = PersonFactory(given_name="Jayden", family_name="Okoro")
    case = CaseFactory(panel=vip, owning_agency=childrens, subject=person)
    return Partnership(
        vip=vip,
        crest=crest,
        police=police,
        childrens=childrens,
        school=school,
        council=council,
        owner=owner,
        colleague=colleague,
        member=member,
        coordinator=coordinator,
        crest_coordinator=crest_coordinator,
        outsider=outsider,
        executive=executive,
        csp_admin=csp_admin,
        analyst=analyst,
        dpo=dpo,
        anonymous=AnonymousUser(),
        person=person,
        case=case,
    )
