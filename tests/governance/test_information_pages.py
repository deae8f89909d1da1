"""The privacy notice shows the retention schedule's periods and bases; the accessibility
statement says how the service is tested and dates only a review the partnership recorded."""

from __future__ import annotations

import html

import pytest

from csphub.governance.schedules import SCHEDULES


@pytest.fixture
def privacy(client, db) -> str:
    return html.unescape(client.get("/privacy/").content.decode())


def test_the_privacy_notice_gives_each_retention_period_from_the_settings(client, db, settings):
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "case": 4, "child_case": 30}
    page = html.unescape(client.get("/privacy/").content.decode())
    assert "4 years after the case is closed" in page
    assert "30 years after the case is closed" in page
    for s in SCHEDULES:
        assert s.record in page and s.basis in page and s.then in page


def test_the_privacy_notice_names_the_lawful_bases_and_the_rights(privacy):
    for words in [
        "Article 6(1)(e)",
        "Article 9(2)(g)",
        "Article 10",
        "a subject access request",
        "corrected",
        "To object",
        "erased",
        "Information Commissioner",
    ]:
        assert words in privacy, words


def test_the_privacy_notice_says_when_the_moratorium_holds_records(client, db, settings):
    settings.RETENTION_IICSA_MORATORIUM = True
    assert "moratorium" in client.get("/privacy/").content.decode()
    settings.RETENTION_IICSA_MORATORIUM = False
    assert "moratorium" not in client.get("/privacy/").content.decode()


def test_the_accessibility_statement_gives_the_regulations_and_the_test_method(client, db):
    page = html.unescape(client.get("/accessibility/").content.decode())
    assert "Accessibility Regulations 2018" in page
    assert "axe-core" in page and "Chromium" in page
    assert "Equality and Human Rights Commission" in page
    # No manual audit was done, so none is claimed, and no date is made up.
    assert "has not been audited by a person" in page
    assert "has not yet recorded one" in page


def test_the_accessibility_statement_shows_the_review_date_the_partnership_sets(
    client, db, settings
):
    settings.ACCESSIBILITY_REVIEWED_ON = "2026-11-30"
    page = client.get("/accessibility/").content.decode()
    assert "last reviewed this statement on 2026-11-30" in page
