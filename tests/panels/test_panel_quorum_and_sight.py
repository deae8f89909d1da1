"""The quorum and who-sees-the-cases panel rules on the panel configuration form."""

import re

import pytest
from django.urls import reverse

from csphub.accounts.roles import CSP_ADMIN
from csphub.audit.models import AuditEvent
from csphub.core.errors import ServiceError
from csphub.panels import services
from csphub.panels.forms import PanelForm
from csphub.panels.models import Panel
from csphub.panels.selectors import cases_visible_to
from tests.panels.test_panel_config import _create, _panel_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user, world):
    return make_user(CSP_ADMIN, agency=world.childrens)


def _edit(world, **overrides):
    return _panel_post(
        world,
        name="Violence Intervention Panel",
        kind="vip",
        is_active="on",
        version=world.vip.version,
        **overrides,
    )


def test_the_administrator_sets_a_quorum_and_members_only_sight(client_for, admin, world):
    url = reverse("panels:panel_edit", args=["vip"])
    # Before: the usual rule, so the owner's colleague in the owning agency sees the case.
    assert world.case in cases_visible_to(world.colleague)
    response = client_for(admin).post(
        url,
        _edit(world, quorum="Police: 2\n\nhealth: 1", members_only_see_cases="on"),
    )
    assert response.status_code == 302
    world.vip.refresh_from_db()
    assert world.vip.quorum == {"police": 2, "health": 1}
    assert world.vip.owning_agency_sees_cases is False
    assert world.vip.rules.quorum == (("health", 1), ("police", 2))
    event = AuditEvent.objects.get(verb="panel.updated")
    assert {"quorum", "owning_agency_sees_cases"} <= set(event.payload["fields"])
    # The rule holds: the colleague no longer sees it, the panel's member still does.
    assert world.case not in cases_visible_to(world.colleague)
    assert world.case in cases_visible_to(world.member)
    # The form shows the rules as saved.
    form = client_for(admin).get(url).content.decode()
    assert "health: 1\npolice: 2</textarea>" in form
    detail = client_for(admin).get(reverse("panels:panel_detail", args=["vip"])).content.decode()
    assert "health: 1<br>police: 2" in detail and "Only its co-ordinators and members" in detail
    box = re.search(r'<input[^>]*name="members_only_see_cases"[^>]*>', form)
    assert box is not None and "checked" in box.group(0)


def test_leaving_them_blank_keeps_the_usual_rules(client_for, admin, world):
    client_for(admin).post(reverse("panels:panel_edit", args=["vip"]), _edit(world))
    world.vip.refresh_from_db()
    assert world.vip.quorum == {} and world.vip.owning_agency_sees_cases is True
    event = AuditEvent.objects.get(verb="panel.updated")
    assert "quorum" not in event.payload["fields"]
    assert "owning_agency_sees_cases" not in event.payload["fields"]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("police 1", "a colon and a number"),
        ("police: one", "a colon and a number"),
        ("police: 1\npolice: 2", "named twice"),
        ("police: 0", "1 to 20 members"),
        ("police: 21", "1 to 20 members"),
        ("pol-ice: 1", "not a seat name"),
    ],
)
def test_a_quorum_that_cannot_be_read_is_refused_on_the_page(
    client_for, admin, world, typed, message
):
    response = client_for(admin).post(
        reverse("panels:panel_edit", args=["vip"]), _edit(world, quorum=typed)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    world.vip.refresh_from_db()
    assert world.vip.quorum == {}


def test_a_new_panel_is_set_up_with_both_rules(client_for, admin, world):
    client_for(admin).post(
        reverse("panels:panel_create"),
        _panel_post(world, quorum="social_care: 1", members_only_see_cases="on"),
    )
    panel = Panel.objects.get(name="Missing Children Panel")
    assert panel.quorum == {"social_care": 1} and panel.owning_agency_sees_cases is False
    payload = AuditEvent.objects.get(verb="panel.created").payload
    assert payload["quorum"] == {"social_care": 1}
    assert payload["owning_agency_sees_cases"] is False


def test_the_services_keep_the_rules_when_not_given_and_check_them(world, admin):
    panel = _create(world, admin, quorum={"police": 1}, owning_agency_sees_cases=False)
    services.do_update_panel(
        actor=admin,
        panel=panel,
        name=panel.name,
        purpose="Changed purpose only.",
        kind=panel.kind,
        chair=panel.chair,
        member_agencies=[world.police],
        meeting_cadence=panel.meeting_cadence,
        referral_criteria=panel.referral_criteria,
        review_interval_days=28,
        uses_risk_screen=False,
    )
    panel.refresh_from_db()
    assert panel.quorum == {"police": 1} and panel.owning_agency_sees_cases is False
    with pytest.raises(ServiceError):
        _create(world, admin, name="Another Panel", quorum={"police": True})
    assert not Panel.objects.filter(name="Another Panel").exists()


def test_nobody_but_an_administrator_edits_the_rules(client_for, client, world):
    url = reverse("panels:panel_edit", args=["vip"])
    for who in (world.coordinator, world.member, world.owner, world.outsider):
        assert client_for(who).post(url, _edit(world, quorum="police: 3")).status_code == 403
    world.vip.refresh_from_db()
    assert world.vip.quorum == {}
    assert client.post(url, _edit(world, quorum="police: 3")).status_code == 302  # to sign in
    world.vip.refresh_from_db()
    assert world.vip.quorum == {}


def test_the_form_cleans_a_quorum_to_seats_and_numbers():
    form = PanelForm(data={"quorum": "Social care: 1\n health : 2 "}, creating=True)
    form.is_valid()
    assert form.cleaned_data["quorum"] == {"social_care": 1, "health": 2}
