"""The VVRAP's fixtures: the shared partnership with the SV Working Group as a board, a plan
in the VRU template, and two actions led by different people.

Who is who: the CSP manager is the partnership's CSP administrator; `owner` (children's social
care) leads action 4.1 and `member` (police) leads action 2.1 — each the other's "another
lead"; the executive reads; `outsider` is a school's practitioner with no part in the plan.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from csphub.vvrap import services
from csphub.vvrap.choices import BoardKind
from csphub.vvrap.models import Board, PlanTemplate, Theme
from csphub.vvrap.seed import seed
from tests.factories import PanelFactory


def _seeded_template() -> PlanTemplate:
    """The seeded VRU template (put back if a transactional test emptied the tables)."""
    seed(Theme, PlanTemplate)
    return PlanTemplate.objects.get()


def theme(key: str) -> Theme:
    return Theme.objects.get(key=key)


@pytest.fixture
def vv(partnership) -> SimpleNamespace:
    p = partnership
    board = PanelFactory(
        slug="sv-working-group",
        name="Serious Violence Working Group",
        decisions=[],
        consent_required=False,
    )
    Board.objects.create(panel=board, kind=BoardKind.SV_WORKING_GROUP)
    manager = p.csp_admin
    plan = services.do_create_plan(
        actor=manager,
        title="Bexley VVRAP",
        version_label="2025-26 v1",
        template=_seeded_template(),
        board=board,
        first_year=2025,
    )
    safeguarding = services.do_create_plan_item(
        actor=manager,
        plan=plan,
        theme=theme("safeguarding-and-educating-young-people"),
        number="4.1",
        description="Deliver knife crime awareness workshops in every secondary school",
        outcome="Fewer pupils carrying knives",
        lead=p.owner,
        lead_agencies=[p.childrens],
    )
    enforcement = services.do_create_plan_item(
        actor=manager,
        plan=plan,
        theme=theme("analysis-and-enforcement"),
        number="2.1",
        description="Weapons sweeps at the hot spots the analyst names each month",
        outcome="Weapons taken off the street",
        lead=p.member,
        lead_agencies=[p.police],
    )
    return SimpleNamespace(
        p=p, board=board, plan=plan, manager=manager, a41=safeguarding, a21=enforcement
    )


def submit(item, lead, year, quarter, rag, text="Progress as planned"):
    return services.do_save_update(
        actor=lead,
        item=item,
        year=year,
        quarter=quarter,
        narrative=text,
        proposed_rag=rag,
        rag_reason=f"Because {rag}",
        submit=True,
    )
