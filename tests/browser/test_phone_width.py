"""Works on a phone: at 375 px no page scrolls sideways; a wide table scrolls inside its own
container. The audit trail also fits a 1280 px screen. axe-core checks the pages changed for it.

Each page is the demo partnership's, opened by the person who would use it (co-ordinator,
practitioner, administrator, DPO), so the tables hold real rows.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from csphub.accounts.models import User
from csphub.documents.models import Document
from csphub.meetings.models import Meeting
from csphub.panels.models import Case
from csphub.people.models import Person
from tests.browser.conftest import axe_violations

LOADERS = [d for d in settings.DEMO_LOADERS if not d.startswith("csphub.crime.")]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def demo(transactional_db: None, scanner: Any) -> None:
    for dotted in LOADERS:
        import_string(dotted)(StringIO())
    from tests.factories import PASSWORD

    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def _pages() -> dict[str, list[str]]:
    """Each demo sign-in and the table pages they use."""
    case = Case.objects.filter(panel__slug="crest").order_by("created_at").first()
    meeting = Meeting.objects.filter(panel__slug="crest", minutes__gt="").first()
    person = Person.objects.filter(case_links__case=case).first()
    document = Document.objects.first()
    assert case and meeting and person and document, "the demo is missing a record"
    admin = User.objects.get(email="admin@bexley.demo")
    return {
        "crest@bexley.demo": [
            "/cases/",
            f"/cases/{case.pk}/",
            f"/people/{person.reference}/",
            "/meetings/",
            f"/meetings/{meeting.pk}/",
            "/meetings/actions/",
            f"/documents/cases/{document.case_id}/",
            "/case-reviews/",
            "/panels/",
            "/panels/crest/",
            "/panels/crest/dashboard/",
        ],
        "admin@bexley.demo": [
            "/accounts/users/",
            f"/accounts/users/{admin.pk}/",
            "/accounts/agencies/",
            "/accounts/requests/",
            "/panels/crest/members/",
        ],
        "dpo@bexley.demo": ["/audit/"],
    }


def _overflow(page: Any) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _signed_in(chromium: Any, live_server: Any, browser_sign_in: Any, email: str, size: dict):
    context = chromium.new_context(viewport=size)
    page = context.new_page()
    browser_sign_in(page, User.objects.get(email=email))
    return context, page


def test_no_page_scrolls_sideways_at_375_px(demo, chromium, live_server, browser_sign_in):
    too_wide: dict[str, int] = {}
    failures: dict[str, Any] = {}
    for email, paths in _pages().items():
        context, page = _signed_in(chromium, live_server, browser_sign_in, email, PHONE)
        try:
            for path in paths:
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, f"{email}: {path}"
                width = _overflow(page)
                if width > PHONE["width"]:
                    too_wide[path] = width
                violations = axe_violations(page)
                if violations:
                    failures[path] = violations
        finally:
            context.close()
    assert too_wide == {}
    assert failures == {}


def test_a_wide_table_scrolls_inside_its_own_container_at_375_px(
    demo, chromium, live_server, browser_sign_in
):
    context, page = _signed_in(chromium, live_server, browser_sign_in, "dpo@bexley.demo", PHONE)
    try:
        page.goto(f"{live_server.url}/audit/")
        table = page.locator("table.govuk-table").first
        box = page.locator(".csphub-table-scroll").first
        table_width = table.evaluate("t => t.scrollWidth")
        container = box.evaluate("b => ({client: b.clientWidth, scroll: b.scrollWidth})")
        assert table_width > PHONE["width"]  # the trail's table is wider than the phone...
        assert container["scroll"] >= table_width  # ...so its container scrolls,
        assert container["client"] <= PHONE["width"]  # within the page's width,
        assert _overflow(page) <= PHONE["width"]  # and the page does not.
        assert box.get_attribute("tabindex") == "0"  # reachable by keyboard to scroll
    finally:
        context.close()


def test_the_audit_trail_fits_at_1280_px(demo, chromium, live_server, browser_sign_in):
    context, page = _signed_in(chromium, live_server, browser_sign_in, "dpo@bexley.demo", DESKTOP)
    try:
        page.goto(f"{live_server.url}/audit/")
        assert _overflow(page) <= DESKTOP["width"]
        box = page.locator(".csphub-table-scroll").first
        sizes = box.evaluate("b => ({client: b.clientWidth, scroll: b.scrollWidth})")
        assert sizes["scroll"] <= sizes["client"]  # the table itself needs no scrolling
        assert axe_violations(page) == []
    finally:
        context.close()
