"""Panels are configured, not coded: setting up, editing and staffing a panel."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from csphub.accounts.roles import CSP_ADMIN, EXECUTIVE
from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.models import Panel, PanelMembership
from csphub.panels.selectors import cases_visible_to
from tests.factories import CaseFactory, MembershipFactory, PersonFactory


@pytest.fixture
def admin(make_user, world):
    return make_user(CSP_ADMIN, agency=world.childrens)


@pytest.fixture
def other_admin(make_user, world):
    return make_user(CSP_ADMIN, agency=world.police)


def _panel_post(world, **overrides):
    data = {
        "name": "Missing Children Panel",
        "purpose": "Children who go missing from home or care, and return interviews.",
        "kind": "other",
        "chair": world.coordinator.pk,
        "member_agencies": [world.police.pk, world.childrens.pk],
        "meeting_cadence": "Monthly, first Thursday",
        "referral_criteria": "Three or more missing episodes in 90 days.",
        "review_interval_days": "28",
        "uses_risk_screen": "on",
    }
    data.update(overrides)
    return data


def _create(world, actor, **overrides):
    fields = {
        "name": "Missing Children Panel",
        "purpose": "Children who go missing.",
        "kind": "other",
        "chair": world.coordinator,
        "member_agencies": [world.police],
        "meeting_cadence": "Monthly",
        "referral_criteria": "Missing three times in 90 days.",
        "review_interval_days": 28,
    }
    fields.update(overrides)
    return services.do_create_panel(actor=actor, **fields)


# Who opens the configuration pages.

CONFIG_PAGES = ["panel_create", "panel_edit", "panel_members"]


def _url(name, world):
    if name == "panel_create":
        return reverse("panels:panel_create")
    return reverse(f"panels:{name}", args=[world.vip.slug])


@pytest.mark.parametrize("page", CONFIG_PAGES)
def test_administrator_opens_every_configuration_page(client_for, admin, world, page):
    assert client_for(admin).get(_url(page, world)).status_code == 200


@pytest.mark.parametrize("page", CONFIG_PAGES)
def test_a_second_administrator_opens_them_too(client_for, other_admin, world, page):
    assert client_for(other_admin).get(_url(page, world)).status_code == 200


@pytest.mark.parametrize("page", CONFIG_PAGES)
@pytest.mark.parametrize("who", ["coordinator", "member", "owner", "outsider", "executive"])
def test_nobody_else_configures_panels(client_for, world, page, who):
    # Even the panel's own co-ordinator: configuration belongs to the CSP administrator.
    assert client_for(getattr(world, who)).get(_url(page, world)).status_code == 403


@pytest.mark.parametrize("page", [*CONFIG_PAGES, "panel_member_remove"])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, page):
    if page == "panel_member_remove":
        membership = PanelMembership.objects.get(panel=world.vip, user=world.member)
        url = reverse("panels:panel_member_remove", args=[world.vip.slug, membership.pk])
    else:
        url = _url(page, world)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_unknown_panel_is_not_found(client_for, admin):
    assert client_for(admin).get(reverse("panels:panel_edit", args=["nope"])).status_code == 404


def test_membership_of_another_panel_is_not_found(client_for, admin, world):
    crest_seat = PanelMembership.objects.get(panel=world.crest)
    url = reverse("panels:panel_member_remove", args=[world.vip.slug, crest_seat.pk])
    assert client_for(admin).get(url).status_code == 404


def test_links_to_configuration_appear_only_for_administrators(client_for, admin, world):
    listing = client_for(admin).get(reverse("panels:panel_list")).content.decode()
    assert reverse("panels:panel_create") in listing
    detail = client_for(admin).get(reverse("panels:panel_detail", args=["vip"])).content.decode()
    assert reverse("panels:panel_edit", args=["vip"]) in detail
    assert reverse("panels:panel_members", args=["vip"]) in detail
    for who in (world.coordinator, world.executive):
        page = client_for(who).get(reverse("panels:panel_detail", args=["vip"])).content.decode()
        assert reverse("panels:panel_edit", args=["vip"]) not in page
        assert reverse("panels:panel_create") not in (
            client_for(who).get(reverse("panels:panel_list")).content.decode()
        )


# Creating and editing.


def test_administrator_sets_up_a_panel_through_the_page(client_for, admin, world):
    response = client_for(admin).post(reverse("panels:panel_create"), _panel_post(world))
    panel = Panel.objects.get(name="Missing Children Panel")
    assert response.status_code == 302
    assert response.url == reverse("panels:panel_members", args=[panel.slug])
    assert panel.slug == "missing-children-panel"
    assert panel.chair == world.coordinator
    assert set(panel.member_agencies.all()) == {world.police, world.childrens}
    assert (panel.review_interval_days, panel.uses_risk_screen, panel.is_active) == (28, True, True)
    event = AuditEvent.objects.get(verb="panel.created")
    assert event.actor_id == admin.pk and event.target_id == str(panel.pk)
    assert event.payload["slug"] == panel.slug


def test_a_new_panel_takes_referrals_at_once(world, admin):
    panel = _create(world, admin, uses_risk_screen=False)
    case = services.do_refer(
        actor=world.owner,
        panel=panel,
        owning_agency=world.childrens,
        person=PersonFactory(),
        role="at_risk",
        reason_category="missing",
        reason="Missing four times this term.",
        consent_given=True,
        risk_level="medium",
    )
    assert case.panel == panel


def test_panel_form_shows_errors_and_creates_nothing(client_for, admin, world):
    response = client_for(admin).post(
        reverse("panels:panel_create"),
        _panel_post(world, name="Violence Intervention Panel", review_interval_days="0"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Error:" in page
    assert Panel.objects.count() == 2


def test_duplicate_name_is_refused_by_the_service_whatever_its_case(world, admin):
    with pytest.raises(ValidationError) as error:
        _create(world, admin, name="violence intervention PANEL")
    assert "name" in error.value.message_dict


def test_slugs_are_unique_and_never_a_reserved_path(world, admin):
    new = _create(world, admin, name="New")
    assert new.slug == "new-2"
    again = _create(world, admin, name="New!")
    assert again.slug == "new-3"


def test_only_an_administrator_can_create_or_change_a_panel(world):
    with pytest.raises(PermissionDenied):
        _create(world, world.coordinator)
    with pytest.raises(PermissionDenied):
        services.do_add_panel_member(actor=world.coordinator, panel=world.vip, user=world.owner)
    assert not Panel.objects.filter(name="Missing Children Panel").exists()


def test_editing_a_panel_saves_every_setting_and_audits_what_changed(client_for, admin, world):
    response = client_for(admin).post(
        reverse("panels:panel_edit", args=["vip"]),
        _panel_post(
            world,
            name="Violence Intervention Panel",
            purpose="Victims and perpetrators of serious violence.",
            kind="vip",
            member_agencies=[world.police.pk],
            review_interval_days="56",
            uses_risk_screen="",
            is_active="on",
            version=world.vip.version,
        ),
    )
    assert response.status_code == 302
    world.vip.refresh_from_db()
    assert world.vip.review_interval_days == 56
    assert world.vip.purpose == "Victims and perpetrators of serious violence."
    assert world.vip.chair == world.coordinator
    assert list(world.vip.member_agencies.all()) == [world.police]
    assert world.vip.slug == "vip"  # addresses never change
    event = AuditEvent.objects.get(verb="panel.updated")
    assert set(event.payload["fields"]) >= {
        "purpose",
        "review_interval_days",
        "chair",
        "member_agencies",
    }
    assert "name" not in event.payload["fields"]


def test_a_panel_can_stop_taking_referrals(client_for, admin, world):
    data = _panel_post(world, name="Violence Intervention Panel", kind="vip", version=1)
    data.pop("uses_risk_screen")
    client_for(admin).post(reverse("panels:panel_edit", args=["vip"]), data)  # no is_active
    world.vip.refresh_from_db()
    assert world.vip.is_active is False
    refer_page = client_for(world.owner).get(reverse("panels:refer")).content.decode()
    assert f'value="{world.vip.pk}"' not in refer_page


# Members and co-ordinators.


def test_administrator_seats_a_member_who_then_sees_the_panels_cases(client_for, admin, world):
    assert not cases_visible_to(world.outsider).filter(pk=world.case.pk).exists()
    response = client_for(admin).post(
        reverse("panels:panel_members", args=["vip"]),
        {"user": world.outsider.pk, "role": "member"},
    )
    assert response.status_code == 302
    assert cases_visible_to(world.outsider).filter(pk=world.case.pk).exists()
    event = AuditEvent.objects.get(verb="panel.member_added")
    assert event.payload == {"user": str(world.outsider.pk), "role": "member", "previous_role": ""}


def test_changing_a_members_role_is_audited_separately(world, admin, make_user):
    from csphub.accounts.roles import COORDINATOR

    deputy = make_user(COORDINATOR, agency=world.police)
    services.do_add_panel_member(actor=admin, panel=world.vip, user=deputy, role="member")
    services.do_add_panel_member(actor=admin, panel=world.vip, user=deputy, role="coordinator")
    assert PanelMembership.objects.get(panel=world.vip, user=deputy).role == "coordinator"
    event = AuditEvent.objects.get(verb="panel.member_role_changed")
    assert event.payload["previous_role"] == "member"


def test_a_coordinator_seat_needs_the_coordinator_role(world, admin):
    with pytest.raises(ValidationError) as error:
        services.do_add_panel_member(
            actor=admin, panel=world.vip, user=world.outsider, role="coordinator"
        )
    assert "co-ordinator role" in str(error.value)


def test_someone_who_cannot_work_cases_cannot_sit_on_a_panel(world, admin, make_user):
    with pytest.raises(ValidationError):
        services.do_add_panel_member(actor=admin, panel=world.vip, user=world.executive)
    assert not PanelMembership.objects.filter(user=world.executive).exists()


def test_members_page_lists_only_people_who_work_cases(client_for, admin, world, make_user):
    analyst_only = make_user(EXECUTIVE, agency=world.police, full_name="Eve Executive")
    page = client_for(admin).get(reverse("panels:panel_members", args=["vip"])).content.decode()
    assert world.outsider.full_name in page
    assert analyst_only.full_name not in page


def test_the_same_seat_twice_is_an_error_on_the_form(client_for, admin, world):
    response = client_for(admin).post(
        reverse("panels:panel_members", args=["vip"]),
        {"user": world.member.pk, "role": "member"},
    )
    assert response.status_code == 200
    assert "already sit on this panel" in response.content.decode()


def test_removing_a_member_removes_their_access_at_once(client_for, admin, world):
    member = world.member
    assert cases_visible_to(member).filter(pk=world.case.pk).exists()
    seat = PanelMembership.objects.get(panel=world.vip, user=member)
    url = reverse("panels:panel_member_remove", args=["vip", seat.pk])
    assert client_for(admin).get(url).status_code == 200
    # Nothing happens without the confirmation.
    assert client_for(admin).post(url, {}).status_code == 200
    assert PanelMembership.objects.filter(pk=seat.pk).exists()

    response = client_for(admin).post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not cases_visible_to(member).filter(pk=world.case.pk).exists()
    assert (
        client_for(member).get(reverse("panels:case_detail", args=[world.case.pk])).status_code
        == 404
    )
    event = AuditEvent.objects.get(verb="panel.member_removed")
    assert event.payload == {"user": str(member.pk), "role": "member", "cases_unassigned": 0}


def test_removal_ends_assignments_to_the_panels_cases_but_not_to_others(world, admin):
    other_panel_case = CaseFactory(panel=world.crest, owning_agency=world.childrens)
    world.case.assigned_practitioners.add(world.member)
    other_panel_case.assigned_practitioners.add(world.member)
    seat = PanelMembership.objects.get(panel=world.vip, user=world.member)

    assert services.do_remove_panel_member(actor=admin, membership=seat) == 1

    visible = cases_visible_to(world.member)
    assert not visible.filter(pk=world.case.pk).exists()
    assert visible.filter(pk=other_panel_case.pk).exists()
    entry = world.case.timeline.get(kind="case.unassigned")
    assert entry.actor == admin and entry.detail == "Left the panel."


def test_removed_member_keeps_cases_their_own_agency_owns(world, admin):
    police_case = CaseFactory(panel=world.vip, owning_agency=world.police)
    seat = PanelMembership.objects.get(panel=world.vip, user=world.member)
    services.do_remove_panel_member(actor=admin, membership=seat)
    visible = cases_visible_to(world.member)
    assert visible.filter(pk=police_case.pk).exists()
    assert not visible.filter(pk=world.case.pk).exists()


def test_removing_a_coordinator_takes_away_coordination(world, admin, client_for):
    seat = PanelMembership.objects.get(panel=world.vip, user=world.coordinator)
    services.do_remove_panel_member(actor=admin, membership=seat)
    url = reverse("panels:case_status", args=[world.case.pk])
    assert client_for(world.coordinator).get(url).status_code == 404


def test_new_seat_works_for_a_panel_set_up_through_the_service(world, admin):
    panel = _create(world, admin)
    MembershipFactory(panel=panel, user=world.outsider)
    case = CaseFactory(panel=panel, owning_agency=world.police)
    assert cases_visible_to(world.outsider).filter(pk=case.pk).exists()
