"""The CSP manager sets a grant up through the pages; nobody else may."""

from decimal import Decimal

import pytest
from django.urls import reverse

from csphub.funding.models import FundedItem, Grant, Measure, MeasureQuarter, QuarterFigures
from tests.funding.conftest import YEAR


def test_the_manager_sets_up_a_grant_item_measure_and_profile(client_for, funding):
    c = client_for(funding.manager)
    r = c.post(
        reverse("funding:grant_create"),
        {
            "funder": str(funding.home_office.pk),
            "title": "NRM pilot",
            "amount": "50000.00",
            "starts_on": "01/04/2023",
            "ends_on": "31/03/2024",
        },
    )
    assert r.status_code == 302
    grant = Grant.objects.get(title="NRM pilot")
    assert grant.amount == Decimal("50000.00")
    r = c.post(
        reverse("funding:allocation_set", kwargs={"grant_id": grant.pk}),
        {"first_year": "2023", "years": "1", "amount": "50000.00"},
    )
    assert r.status_code == 302 and grant.allocations.get().amount == Decimal("50000.00")
    r = c.post(
        reverse("funding:item_create", kwargs={"grant_id": grant.pk}),
        {
            "kind": "post",
            "name": "NRM Panel Co-ordinator",
            "provider": str(funding.provider.pk),
            "budget": "50000.00",
        },
    )
    item = FundedItem.objects.get(name="NRM Panel Co-ordinator")
    r = c.post(
        reverse("funding:measure_add", kwargs={"funded_item_id": item.pk}),
        {
            "name": "Training workshops",
            "kind": "output",
            "counts_activity": "training",
            "counts": "sessions",
        },
    )
    measure = Measure.objects.get(item=item)
    assert (measure.counts_activity, measure.counts) == ("training", "sessions")
    url = reverse(
        "funding:profile_set", kwargs={"funded_item_id": item.pk, "year": YEAR, "quarter": 2}
    )
    r = c.post(url, {"budget": "12500.00", f"profile_{measure.pk}": "3"})
    assert r.status_code == 302
    assert QuarterFigures.objects.get(item=item, quarter=2).budget == Decimal("12500.00")
    assert MeasureQuarter.objects.get(measure=measure, quarter=2).profile == 3


def test_an_over_budget_item_is_refused_on_the_form(client_for, funding):
    r = client_for(funding.manager).post(
        reverse("funding:item_create", kwargs={"grant_id": funding.grant.pk}),
        {"kind": "post", "name": "Extra", "provider": str(funding.provider.pk), "budget": "0.01"},
    )
    assert r.status_code == 200 and "would exceed the grant" in r.content.decode()


@pytest.mark.parametrize("who", ["provider_staff", "other_staff", "executive", "outsider"])
def test_only_the_manager_opens_the_set_up_pages(client_for, funding, who):
    c = client_for(getattr(funding, who))
    for name, kwargs in [
        ("funding:grant_create", {}),
        ("funding:allocation_set", {"grant_id": funding.grant.pk}),
        ("funding:condition_add", {"grant_id": funding.grant.pk}),
        ("funding:reporting_date_set", {"grant_id": funding.grant.pk}),
        ("funding:item_create", {"grant_id": funding.grant.pk}),
        ("funding:measure_add", {"funded_item_id": funding.bus.pk}),
        ("funding:profile_set", {"funded_item_id": funding.bus.pk, "year": YEAR, "quarter": 1}),
    ]:
        assert c.get(reverse(name, kwargs=kwargs)).status_code == 403, name


def test_each_set_up_page_opens_for_the_manager(client_for, funding):
    c = client_for(funding.manager)
    for name, kwargs in [
        ("funding:grant_create", {}),
        ("funding:allocation_set", {"grant_id": funding.grant.pk}),
        ("funding:condition_add", {"grant_id": funding.grant.pk}),
        ("funding:reporting_date_set", {"grant_id": funding.grant.pk}),
        ("funding:item_create", {"grant_id": funding.grant.pk}),
        ("funding:measure_add", {"funded_item_id": funding.bus.pk}),
        ("funding:profile_set", {"funded_item_id": funding.bus.pk, "year": YEAR, "quarter": 1}),
    ]:
        assert c.get(reverse(name, kwargs=kwargs)).status_code == 200, name


def test_the_manager_sets_a_reporting_date(client_for, funding):
    r = client_for(funding.manager).post(
        reverse("funding:reporting_date_set", kwargs={"grant_id": funding.grant.pk}),
        {"year": str(YEAR), "quarter": "3", "due_on": "31/01/2024"},
    )
    assert r.status_code == 302
    row = funding.grant.reporting_dates.get()
    assert (row.quarter_label, row.due_on.isoformat()) == ("2023-24 Q3", "2024-01-31")
