"""Activity beside violence in real Chromium, with the real police data: the map and its table
alternative pass axe-core."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from csphub.accounts.roles import ANALYST
from csphub.community import services
from csphub.people.services import do_create_place
from tests.browser.conftest import axe_violations, screenshot
from tests.crime.conftest import crime_data_dir, with_crime_data  # noqa: F401
from tests.funding.conftest import build

pytestmark = [pytest.mark.browser, pytest.mark.realdata]


def test_the_map_and_the_ward_table_pass_axe(
    browser_page,
    live_server,
    browser_sign_in,
    make_user,
    with_crime_data,  # noqa: F811
):
    f = build(make_user)
    school = do_create_place(
        actor=f.provider_staff,
        name="Barnehurst Academy",
        kind="school",
        lsoa_code="E01000325",
        community=True,
    )
    services.do_record_activity(
        actor=f.provider_staff,
        kind="school_workshop",
        theme="exploitation",
        topic="Exploitation",
        held_on=date(2024, 5, 9),
        place=school,
        delivered_by=f.provider,
        people_reached=28,
    )
    page = browser_page
    browser_sign_in(page, make_user(ANALYST))
    page.goto(f"{live_server.url}/community/beside-violence/?year=2024&quarter=1")
    expect(page.get_by_role("img")).to_have_count(1)
    expect(page.get_by_role("rowheader", name="Barnehurst")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "activity-beside-violence")
