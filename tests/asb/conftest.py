"""An ASB Case Management Panel with one case, on top of the shared partnership.

- ``partnership.coordinator`` also co-ordinates the ASB panel; ``partnership.member`` sits on it;
- the case is owned by Children's Social Care, so ``partnership.owner`` and ``colleague`` work it;
- ``assignee``: a housing officer assigned to the case; ``reader``: their colleague, who may
  open the case (a colleague is assigned) but works nothing on it;
- ``partnership.outsider`` (a teacher) may not open it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from csphub.accounts.models import User
from csphub.accounts.roles import PRACTITIONER
from csphub.panels.choices import MembershipRole, PanelKind
from csphub.panels.models import Case, Panel
from tests.factories import (
    AgencyFactory,
    CaseFactory,
    MembershipFactory,
    PanelFactory,
    PersonFactory,
)


@dataclass
class Asb:
    panel: Panel
    case: Case
    assignee: User
    reader: User


@pytest.fixture
def asb(partnership, make_user) -> Asb:
    panel = PanelFactory(slug="asb-cmp", name="ASB Case Management Panel", kind=PanelKind.ASB_CMP)
    MembershipFactory(panel=panel, user=partnership.coordinator, role=MembershipRole.COORDINATOR)
    MembershipFactory(panel=panel, user=partnership.member)
    victim = PersonFactory(given_name="Maureen", family_name="Hollis")
    case = CaseFactory(panel=panel, owning_agency=partnership.childrens, subject=victim)
    housing = AgencyFactory(name="Orbit Housing", kind="housing")
    assignee = make_user(PRACTITIONER, agency=housing)
    reader = make_user(PRACTITIONER, agency=housing)
    case.assigned_practitioners.add(assignee)
    return Asb(panel=panel, case=case, assignee=assignee, reader=reader)


ALL_NO = {
    "repeat": False,
    "hate": False,
    "vulnerable": False,
    "health": False,
    "fear": False,
    "routine": False,
    "children": False,
    "isolated": False,
    "property": False,
    "violence": False,
    "moving": False,
    "self_harm": False,
}


def answers(*yes: str) -> dict[str, bool]:
    return {**ALL_NO, **dict.fromkeys(yes, True)}


def form_answers(*yes: str) -> dict[str, str]:
    return {f"q_{code}": "yes" if code in yes else "no" for code in ALL_NO}


TODAY_ISH = date(2026, 1, 12)
