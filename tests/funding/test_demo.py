"""The demo funding and activity: the report's four items with a year of figures, activity that
rolls up into them, the underspend flagged on the project running behind, and loading twice
changes nothing."""

import io
from decimal import Decimal

import pytest

from csphub.accounts import demo as accounts_demo
from csphub.accounts.models import User
from csphub.community import demo as community_demo
from csphub.community.models import Activity
from csphub.funding import demo
from csphub.funding.models import FundedItem, QuarterFigures
from csphub.funding.selectors import grant_at_quarter, item_at_quarter

pytestmark = pytest.mark.slow


def _load(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # no crime warehouse: activity spread evenly over the LSOAs
    out = io.StringIO()
    accounts_demo.load(out)
    demo.load(out)
    community_demo.load(out)
    return out.getvalue()


def test_the_demo_has_the_reports_four_items_and_a_year_of_figures(db, settings, tmp_path):
    _load(settings, tmp_path)
    budgets = {i.name: i.budget for i in FundedItem.objects.all()}
    assert sorted(budgets.values()) == [Decimal(n) for n in ("40000", "50000", "50000", "86000")]
    assert QuarterFigures.objects.filter(spend__isnull=False).count() == 16
    manager = User.objects.get(email="admin@bexley.demo")
    ccb = FundedItem.objects.get(name="Community Capacity Building")
    assert item_at_quarter(manager, ccb, 2023, 3).money.at_risk
    assert not item_at_quarter(manager, ccb, 2023, 2).money.at_risk  # not before Q3
    vcrc = FundedItem.objects.get(name="Violence and Community Risk Co-ordinator")
    assert not item_at_quarter(manager, vcrc, 2023, 3).money.at_risk
    assert grant_at_quarter(manager, ccb.grant, 2023, 3).money.at_risk
    # Bus deployments counted from the activity linked to the project, not typed.
    bus = Activity.objects.filter(
        funded_item=ccb, kind="outreach_bus", held_on__month__in=[4, 5, 6]
    )
    perf = {m.name: p for m, p in item_at_quarter(manager, ccb, 2023, 1).measures}
    assert perf["Outreach bus deployments"].actual == bus.count() > 0
    assert Activity.objects.filter(kind="training").count() == 12


def test_loading_twice_changes_nothing(db, settings, tmp_path):
    _load(settings, tmp_path)
    counts = (FundedItem.objects.count(), Activity.objects.count())
    assert "already loaded" in _load(settings, tmp_path)
    assert (FundedItem.objects.count(), Activity.objects.count()) == counts
