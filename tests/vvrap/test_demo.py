"""The demo action plan: every theme, three quarters with RAG movement, monthly tasking
meetings with events, and an Executive Group agenda missing a standing item."""

from io import StringIO

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from csphub.funding.models import FundedItem
from csphub.meetings.models import Meeting
from csphub.vvrap.choices import BoardKind
from csphub.vvrap.compliance import NOT_MET, compliance, missing_standing_items
from csphub.vvrap.models import Board, Plan, PlanItem, ReturnedUpdate, TaskingEvent, Theme

pytestmark = pytest.mark.slow  # loads the whole demo partnership, twice


def _load_demo() -> None:
    for dotted in settings.DEMO_LOADERS:
        if not dotted.startswith("csphub.crime."):
            import_string(dotted)(StringIO())


def test_the_demo_plan_shows_a_year_of_the_partnership_and_loads_once(db):
    _load_demo()
    plan = Plan.objects.get()
    assert set(plan.items.values_list("theme", flat=True)) == set(
        Theme.objects.values_list("pk", flat=True)
    )
    quarters = set(ReturnedUpdate.objects.values_list("year", "quarter"))
    assert len(quarters) == 3
    moved = [
        item
        for item in plan.items.all()
        if len(set(item.returned.values_list("rag", flat=True))) > 1
    ]
    assert len(moved) >= 8
    tasking = Board.objects.get(kind=BoardKind.TASKING).panel
    months = {m.meeting_date.replace(day=1) for m in Meeting.objects.filter(panel=tasking)}
    assert len(months) == 12
    assert TaskingEvent.objects.count() >= 12
    executive = Board.objects.get(kind=BoardKind.EXECUTIVE).panel
    latest = Meeting.objects.filter(panel=executive).order_by("-scheduled_for").first()
    assert missing_standing_items(latest) == ["Stop and search"]
    standing = next(s for s in compliance(timezone.localdate()) if s.key == "standing_items")
    assert standing.months[-1].state == NOT_MET
    # The report's four funded items each serve fitting actions.
    served = {
        f.name: sorted(f.vvrap_actions.values_list("number", flat=True))
        for f in FundedItem.objects.all()
    }
    assert served == {
        "Violence and Community Risk Co-ordinator": ["2.1", "5.1"],
        "Community Capacity Building": ["5.2", "7.1"],
        "Serious Violence Duty delivery: data analysis and school workshops": ["2.1", "4.1"],
        "NRM Panel Co-ordinator": ["4.2"],
    }
    counts = (plan.items.count(), ReturnedUpdate.objects.count(), Meeting.objects.count())
    links = PlanItem.funded_items.through.objects.count()
    _load_demo()
    assert Plan.objects.count() == 1
    assert (plan.items.count(), ReturnedUpdate.objects.count(), Meeting.objects.count()) == counts
    assert PlanItem.funded_items.through.objects.count() == links == 7
