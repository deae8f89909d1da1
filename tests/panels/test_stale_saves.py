"""Every edit form on panels and cases refuses a stale save (409) and changes nothing."""

import pytest
from django.urls import reverse

from csphub.accounts.roles import COORDINATOR, CSP_ADMIN
from csphub.panels import services
from csphub.panels.choices import MembershipRole
from tests.factories import MembershipFactory
from tests.stale_saves import row, save_both


@pytest.fixture
def second_coordinator(make_user, world):
    user = make_user(COORDINATOR, agency=world.police)
    MembershipFactory(panel=world.vip, user=user, role=MembershipRole.COORDINATOR)
    return user


def _panel_settings(world, **overrides):
    data = {
        "name": "Violence Intervention Panel",
        "purpose": "Serious violence.",
        "kind": "vip",
        "chair": world.coordinator.pk,
        "member_agencies": [world.police.pk, world.childrens.pk],
        "meeting_cadence": "Fortnightly",
        "referral_criteria": "Anyone at risk of serious violence.",
        "review_interval_days": "42",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_panel_settings_saved_over_by_an_older_form_are_refused(client_for, make_user, world):
    first = client_for(make_user(CSP_ADMIN, agency=world.childrens))
    second = client_for(make_user(CSP_ADMIN, agency=world.police))

    def state():
        return row(world.vip), sorted(
            str(pk) for pk in world.vip.member_agencies.values_list("pk", flat=True)
        )

    save_both(
        first,
        second,
        reverse("panels:panel_edit", args=[world.vip.slug]),
        _panel_settings(world, review_interval_days="28", member_agencies=[world.police.pk]),
        _panel_settings(world, meeting_cadence="Weekly", is_active=""),
        state,
    )
    world.vip.refresh_from_db()
    assert (world.vip.review_interval_days, world.vip.meeting_cadence) == (28, "Fortnightly")
    assert world.vip.is_active is True
    assert list(world.vip.member_agencies.all()) == [world.police]


def test_the_refused_panel_form_keeps_what_was_typed_and_shows_what_is_saved(
    client_for, make_user, world
):
    first = client_for(make_user(CSP_ADMIN, agency=world.childrens))
    second = client_for(make_user(CSP_ADMIN, agency=world.police))
    page = save_both(
        first,
        second,
        reverse("panels:panel_edit", args=[world.vip.slug]),
        _panel_settings(world, meeting_cadence="Monthly on Mondays"),
        _panel_settings(world, meeting_cadence="Weekly on Fridays"),
        lambda: row(world.vip),
    ).content.decode()
    assert 'value="Weekly on Fridays"' in page  # their typing, in the form
    assert "Monthly on Mondays" in page  # what is saved, to compare
    # Saving again from the refused page is a knowing overwrite, based on what they saw.
    again = second.post(
        reverse("panels:panel_edit", args=[world.vip.slug]),
        _panel_settings(world, meeting_cadence="Weekly on Fridays", version=world.vip.version + 1),
    )
    assert again.status_code == 302
    world.vip.refresh_from_db()
    assert world.vip.meeting_cadence == "Weekly on Fridays"


def test_a_case_edit_saved_over_by_an_older_form_is_refused(client_for, world):
    save_both(
        client_for(world.coordinator),
        client_for(world.owner),
        reverse("panels:case_edit", args=[world.case.pk]),
        {"summary": "Seen at the station", "plan": "Visit", "risk_level": "high"},
        {"summary": "Older summary", "plan": "Other plan", "risk_level": "low"},
        lambda: row(world.case),
    )


def test_a_status_change_from_an_older_form_is_refused(client_for, world, second_coordinator):
    save_both(
        client_for(world.coordinator),
        client_for(second_coordinator),
        reverse("panels:case_status", args=[world.case.pk]),
        {"status": "review", "closure_outcome": "", "reason": "Due for review"},
        {"status": "closed", "closure_outcome": "risk_reduced", "reason": "Risk is lower"},
        lambda: (row(world.case), world.case.timeline.filter(kind="case.status_changed").count()),
    )
    world.case.refresh_from_db()
    assert world.case.status == "review"


def test_clearing_a_flag_someone_has_just_cleared_is_refused(client_for, world, second_coordinator):
    flag = services.do_raise_flag(
        actor=world.member, case=world.case, kind="weapons", reason="Seen with a knife."
    )
    save_both(
        client_for(world.coordinator),
        client_for(second_coordinator),
        reverse("panels:case_flag_clear", args=[world.case.pk, flag.pk]),
        {"reason": "Knife handed in."},
        {"reason": "Moved out of the area."},
        lambda: (row(flag), world.case.timeline.filter(kind="case.flag_cleared").count()),
    )
    flag.refresh_from_db()
    assert flag.cleared_reason == "Knife handed in."


@pytest.mark.parametrize("version", ["", "abc", "0", "-1", "99999999999999999999"])
def test_a_missing_or_nonsense_version_is_a_message_not_a_crash(client_for, world, version):
    response = client_for(world.coordinator).post(
        reverse("panels:case_edit", args=[world.case.pk]),
        {"summary": "x", "plan": "y", "risk_level": "high", "version": version},
    )
    assert response.status_code == 200
    assert "This page is out of date" in response.content.decode()
    assert row(world.case)["summary"] != "x"
