"""Funded items serve plan actions: the CSP manager links them on the action's edit form, the
action's page says what funds it, and the funded item's page lists the actions it serves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.funding import services as funding_services
from csphub.vvrap import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(vv):
    funder = funding_services.do_create_funder(
        actor=vv.manager, name="Home Office", kind="government"
    )
    grant = funding_services.do_create_grant(
        actor=vv.manager,
        funder=funder,
        title="Serious Violence Duty delivery",
        amount=Decimal("40000.00"),
        starts_on=date(2025, 4, 1),
        ends_on=date(2026, 3, 31),
    )
    workshops = funding_services.do_create_funded_item(
        actor=vv.manager,
        grant=grant,
        kind="project",
        name="School workshops",
        provider=vv.p.childrens,
        budget=Decimal("16250.50"),
    )
    bus = funding_services.do_create_funded_item(
        actor=vv.manager,
        grant=grant,
        kind="project",
        name="Outreach bus",
        provider=vv.p.police,
        budget=Decimal("23749.50"),
    )
    return workshops, bus


def _edit_form(vv, item, **extra):
    data = {
        "version": item.version,
        "theme": item.theme_id,
        "description": item.description,
        "outcome": item.outcome,
        "scope": item.scope,
        "stage": item.stage,
        "lead": item.lead_id,
        "lead_agencies": [a.pk for a in item.lead_agencies.all()],
        "priority": item.priority,
        "evidence": item.evidence,
        "sna_recommendation": item.sna_recommendation,
    }
    return data | extra


def test_the_manager_links_funded_items_on_the_edit_form_and_it_is_audited(vv, funded, client_for):
    workshops, bus = funded
    url = reverse("vvrap:item_edit", args=[vv.a41.pk])
    response = client_for(vv.manager).post(
        url, _edit_form(vv, vv.a41, funded_items=[workshops.pk, bus.pk])
    )
    assert response.status_code == 302
    assert set(vv.a41.funded_items.all()) == {workshops, bus}
    event = AuditEvent.objects.filter(verb="vvrap.item_edited", target_id=str(vv.a41.pk)).last()
    assert "funded_items" in event.payload["changed"]
    assert event.payload["funded_items"] == sorted([workshops.reference, bus.reference])
    # Unticking one takes it off, and leaves action 2.1 unlinked throughout.
    vv.a41.refresh_from_db()
    client_for(vv.manager).post(url, _edit_form(vv, vv.a41, funded_items=[bus.pk]))
    assert list(vv.a41.funded_items.all()) == [bus]
    assert not vv.a21.funded_items.exists()


def test_only_the_manager_links_funded_items(vv, funded, client_for):
    workshops, _ = funded
    for name in ("owner", "member", "executive", "outsider"):
        user = getattr(vv.p, name)
        with pytest.raises(PermissionDenied):
            services.do_edit_plan_item(actor=user, item=vv.a41, funded_items=[workshops])
        posted = client_for(user).post(
            reverse("vvrap:item_edit", args=[vv.a41.pk]),
            _edit_form(vv, vv.a41, funded_items=[workshops.pk]),
        )
        assert posted.status_code == 403
    assert not vv.a41.funded_items.exists()


@pytest.mark.parametrize("name", ("csp_admin", "owner", "member", "executive", "outsider"))
def test_the_action_says_what_funds_it_and_the_item_what_it_serves(vv, funded, client_for, name):
    workshops, bus = funded
    services.do_edit_plan_item(actor=vv.manager, item=vv.a41, funded_items=[workshops])
    client = client_for(getattr(vv.p, name))
    page = client.get(reverse("vvrap:item_detail", args=[vv.a41.pk])).content.decode()
    funded_by = page[page.index("Funded by") : page.index("Milestones")]
    assert "School workshops" in funded_by
    assert "Serious Violence Duty delivery" in funded_by
    assert "Home Office" in funded_by
    assert "£16,250.50" in funded_by  # the item's budget, written out by hand
    assert "Outreach bus" not in funded_by
    other = client.get(reverse("vvrap:item_detail", args=[vv.a21.pk])).content.decode()
    assert "No funded item serves this action." in other

    serves = client.get(reverse("funding:item_detail", args=[workshops.pk])).content.decode()
    assert "Action 4.1: Deliver knife crime awareness workshops" in serves
    assert reverse("vvrap:item_detail", args=[vv.a41.pk]) in serves
    assert "Action 2.1" not in serves
    unlinked = client.get(reverse("funding:item_detail", args=[bus.pk])).content.decode()
    assert "It serves no action of the action plan yet." in unlinked


def test_anonymous_visitors_see_neither_link(vv, funded, client):
    workshops, _ = funded
    services.do_edit_plan_item(actor=vv.manager, item=vv.a41, funded_items=[workshops])
    for url in (
        reverse("vvrap:item_detail", args=[vv.a41.pk]),
        reverse("funding:item_detail", args=[workshops.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_the_served_actions_hook_answers_nothing_to_anonymous(vv, funded):
    from django.contrib.auth.models import AnonymousUser

    from csphub.funding.selectors import served_actions

    workshops, _ = funded
    services.do_edit_plan_item(actor=vv.manager, item=vv.a41, funded_items=[workshops])
    assert served_actions(AnonymousUser(), workshops) == []
    rows = served_actions(vv.p.executive, workshops)
    assert [r[0][:10] for r in rows] == ["Action 4.1"]
