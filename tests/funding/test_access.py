"""Who reads and who records: everyone signed in reads; the manager and a provider's own staff
record that provider's figures; another provider sees them only once a return publishes them."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.funding import services
from csphub.funding.models import QuarterFigures
from csphub.funding.selectors import may_see_figures
from tests.funding.conftest import YEAR

SPEND = "5432.10"  # a figure no page shows unless the viewer may see the bus's figures
SHOWN = "£5,432.10"  # as pages show it


def _record_bus_q1(f):
    services.do_record_quarter(
        actor=f.provider_staff,
        item=f.bus,
        year=YEAR,
        quarter=1,
        spend=Decimal(SPEND),
        actuals={f.bus_sessions: 9},
    )


def _page(client, f):
    url = reverse("funding:item_detail", kwargs={"funded_item_id": f.bus.pk})
    return client.get(url, {"year": YEAR, "quarter": 1})


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("manager", True),
        ("provider_staff", True),
        ("other_staff", False),
        ("executive", False),
        ("outsider", False),
    ],
)
def test_unpublished_figures_are_the_manager_and_providers_own(client_for, funding, who, sees):
    _record_bus_q1(funding)
    response = _page(client_for(getattr(funding, who)), funding)
    assert response.status_code == 200
    assert (SHOWN in response.content.decode()) is sees
    assert "Outreach bus" in response.content.decode()  # the item itself: everyone signed in


@pytest.mark.parametrize("who", ["other_staff", "executive", "outsider"])
def test_published_figures_are_everyones(client_for, funding, who):
    _record_bus_q1(funding)
    services.do_publish_return(actor=funding.manager, grant=funding.grant, year=YEAR, quarter=1)
    assert SHOWN in _page(client_for(getattr(funding, who)), funding).content.decode()
    # Publishing Q1 does not open Q2.
    assert not may_see_figures(getattr(funding, who), funding.bus, YEAR, 2)


def test_anonymous_is_sent_to_sign_in(client, funding):
    response = _page(client, funding)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_only_the_provider_and_manager_record_and_each_change_is_audited(funding):
    before = AuditEvent.objects.filter(verb="funding.quarter_recorded").count()
    for who in ("other_staff", "executive", "outsider", "anonymous"):
        with pytest.raises(PermissionDenied):
            services.do_record_quarter(
                actor=getattr(funding, who),
                item=funding.bus,
                year=YEAR,
                quarter=1,
                spend=Decimal("1"),
            )
    assert not QuarterFigures.objects.filter(item=funding.bus, spend__isnull=False).exists()
    _record_bus_q1(funding)
    services.do_record_quarter(
        actor=funding.manager, item=funding.bus, year=YEAR, quarter=2, spend=Decimal("10")
    )
    assert AuditEvent.objects.filter(verb="funding.quarter_recorded").count() == before + 2


def test_a_published_quarter_is_closed_to_the_provider_not_the_manager(funding):
    _record_bus_q1(funding)
    services.do_publish_return(actor=funding.manager, grant=funding.grant, year=YEAR, quarter=1)
    with pytest.raises(PermissionDenied):
        services.do_record_quarter(
            actor=funding.provider_staff, item=funding.bus, year=YEAR, quarter=1, spend=Decimal("1")
        )
    services.do_record_quarter(
        actor=funding.manager, item=funding.bus, year=YEAR, quarter=1, spend=Decimal("1")
    )


def test_the_record_page_is_the_providers_own(client_for, funding):
    url = reverse(
        "funding:item_record", kwargs={"funded_item_id": funding.bus.pk, "year": YEAR, "quarter": 1}
    )
    assert client_for(funding.provider_staff).get(url).status_code == 200
    assert client_for(funding.manager).get(url).status_code == 200
    assert client_for(funding.other_staff).get(url).status_code == 404
    assert client_for(funding.outsider).get(url).status_code == 404
    assert client_for(funding.executive).get(url).status_code == 403


def test_the_provider_records_a_quarter_through_the_page(client_for, funding):
    url = reverse(
        "funding:item_record", kwargs={"funded_item_id": funding.bus.pk, "year": YEAR, "quarter": 3}
    )
    response = client_for(funding.provider_staff).post(
        url,
        {"spend": "6000.50", "forecast_4": "5000.00", f"actual_{funding.bus_sessions.pk}": "11"},
    )
    assert response.status_code == 302
    q3 = QuarterFigures.objects.get(item=funding.bus, year=YEAR, quarter=3)
    q4 = QuarterFigures.objects.get(item=funding.bus, year=YEAR, quarter=4)
    assert (q3.spend, q4.forecast) == (Decimal("6000.50"), Decimal("5000.00"))


@pytest.mark.parametrize("who", ["provider_staff", "other_staff", "executive", "outsider"])
def test_only_the_manager_publishes_and_downloads_before_publication(client_for, funding, who):
    with pytest.raises(PermissionDenied):
        services.do_publish_return(
            actor=getattr(funding, who), grant=funding.grant, year=YEAR, quarter=1
        )
    url = reverse(
        "funding:return_xlsx", kwargs={"grant_id": funding.grant.pk, "year": YEAR, "quarter": 1}
    )
    assert client_for(getattr(funding, who)).get(url).status_code == 403
    assert client_for(funding.manager).get(url).status_code == 200


def test_the_overview_and_grant_pages_are_for_everyone_signed_in(client, client_for, funding):
    for name, kwargs in [
        ("funding:overview", {}),
        ("funding:grant_detail", {"grant_id": funding.grant.pk}),
    ]:
        url = reverse(name, kwargs=kwargs)
        assert client_for(funding.outsider).get(url).status_code == 200
        assert client.get(url).status_code == 302
