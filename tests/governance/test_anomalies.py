"""The DPO's anomaly reports, from audit events made by hand at chosen times."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from csphub.accounts.verbs import SIGNED_IN
from csphub.audit import verbs as audit_verbs
from csphub.audit.models import AuditEvent
from csphub.audit.services import record
from csphub.governance import verbs
from csphub.governance.anomalies import (
    bulk_exports,
    cases_opened_without_a_panel,
    many_reveals,
    outside_working_hours,
)
from csphub.people.verbs import PERSON_REVEALED
from tests.factories import CaseFactory

LONDON = ZoneInfo("Europe/London")
WEDNESDAY = date(2026, 12, 2)
SATURDAY = date(2026, 12, 5)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def event(verb: str, actor, when: datetime, target=None) -> AuditEvent:
    with mock.patch("django.utils.timezone.now", return_value=when):
        return record(verb=verb, actor=actor, target=target)


def test_more_reveals_in_a_day_than_the_threshold_is_a_finding(partnership, settings):
    settings.ANOMALY_REVEALS_PER_DAY = 10
    for minute in range(11):
        event(PERSON_REVEALED, partnership.member, at(WEDNESDAY, 10, minute), partnership.person)
    for minute in range(10):  # at the threshold: not over it
        event(PERSON_REVEALED, partnership.owner, at(WEDNESDAY, 11, minute), partnership.person)
    report = many_reveals(WEDNESDAY, WEDNESDAY)
    assert [(f.actor_label, f.day, f.count) for f in report.findings] == [
        (partnership.member.email, WEDNESDAY, 11)
    ]
    url = report.findings[0].events_url
    assert f"actor={partnership.member.pk}" in url
    assert "date_from=2026-12-02" in url and "date_to=2026-12-02" in url


def test_reading_records_before_or_after_working_hours_or_at_a_weekend_is_a_finding(
    partnership, settings
):
    settings.ANOMALY_WORKING_HOURS = (7, 19)
    case = partnership.case
    event(audit_verbs.CASE_VIEWED, partnership.member, at(WEDNESDAY, 6, 30), case)  # early
    event(audit_verbs.CASE_VIEWED, partnership.member, at(WEDNESDAY, 12), case)  # in hours
    event(audit_verbs.CASE_VIEWED, partnership.member, at(WEDNESDAY, 19), case)  # from 19:00
    event(audit_verbs.CASE_VIEWED, partnership.owner, at(SATURDAY, 12), case)  # weekend
    event(SIGNED_IN, partnership.owner, at(WEDNESDAY, 5))  # a sign-in reads no record
    report = outside_working_hours(WEDNESDAY, SATURDAY)
    found = sorted((f.actor_label, f.day, f.count) for f in report.findings)
    assert found == sorted(
        [(partnership.member.email, WEDNESDAY, 2), (partnership.owner.email, SATURDAY, 1)]
    )


def test_a_user_on_no_panel_who_opened_cases_is_listed_with_how_many(partnership):
    other = CaseFactory(panel=partnership.vip, owning_agency=partnership.childrens)
    # The colleague sits on no panel; the member sits on the VIP panel.
    event(audit_verbs.CASE_VIEWED, partnership.colleague, at(WEDNESDAY, 10), partnership.case)
    event(audit_verbs.CASE_VIEWED, partnership.colleague, at(WEDNESDAY, 11), partnership.case)
    event(audit_verbs.CASE_VIEWED, partnership.colleague, at(WEDNESDAY, 12), other)
    event(audit_verbs.CASE_VIEWED, partnership.member, at(WEDNESDAY, 10), partnership.case)
    report = cases_opened_without_a_panel(WEDNESDAY, WEDNESDAY)
    assert [(f.actor_label, f.count, f.detail) for f in report.findings] == [
        (partnership.colleague.email, 2, "2 cases opened (3 views)")
    ]


def test_more_downloads_in_a_day_than_the_threshold_is_a_finding(partnership, settings):
    settings.ANOMALY_EXPORTS_PER_DAY = 5
    for hour in range(9, 15):  # six downloads
        event(audit_verbs.CASES_EXPORTED, partnership.coordinator, at(WEDNESDAY, hour))
    event(audit_verbs.CASES_EXPORTED, partnership.member, at(WEDNESDAY, 9))
    report = bulk_exports(WEDNESDAY, WEDNESDAY)
    assert [(f.actor_label, f.count) for f in report.findings] == [
        (partnership.coordinator.email, 6)
    ]


def test_only_days_in_the_period_are_counted(partnership, settings):
    settings.ANOMALY_EXPORTS_PER_DAY = 0
    event(audit_verbs.CASES_EXPORTED, partnership.coordinator, at(WEDNESDAY, 9))
    assert bulk_exports(SATURDAY, SATURDAY).findings == []
    assert len(bulk_exports(WEDNESDAY, SATURDAY).findings) == 1


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider", "coordinator"])
def test_only_the_dpo_may_open_the_anomaly_reports(partnership, client_for, who):
    response = client_for(getattr(partnership, who)).get("/data-protection/anomalies/")
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/data-protection/anomalies/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_dpo_sees_the_findings_and_the_view_is_audited(partnership, client_for, settings):
    settings.ANOMALY_EXPORTS_PER_DAY = 0
    event(audit_verbs.CASES_EXPORTED, partnership.coordinator, at(WEDNESDAY, 9))
    response = client_for(partnership.dpo).get(
        "/data-protection/anomalies/", {"date_from": "2026-12-02", "date_to": "2026-12-05"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bulk exports" in body and partnership.coordinator.email in body
    assert f"actor={partnership.coordinator.pk}" in body
    viewed = AuditEvent.objects.filter(verb=verbs.ANOMALIES_VIEWED, actor=partnership.dpo).get()
    assert viewed.payload["findings"]["exports"] == "1"


def test_a_period_ending_before_it_starts_is_an_error(partnership, client_for):
    response = client_for(partnership.dpo).get(
        "/data-protection/anomalies/", {"date_from": "2026-12-05", "date_to": "2026-12-02"}
    )
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()
