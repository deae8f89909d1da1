"""ASB casework services: each checks the case's rule itself, keeps every assessment, and
refuses a stale save."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied

from csphub.asb import services
from csphub.asb.models import Incident, RiskAssessment, ToolUse
from csphub.audit.models import AuditEvent
from csphub.core.concurrency import EditConflict
from csphub.core.errors import ServiceError
from csphub.panels.choices import CaseStatus
from csphub.panels.models import TimelineEntry
from tests.asb.conftest import answers


def _assess(actor, case, *yes, on=date(2026, 1, 5)):
    return services.do_record_risk_assessment(
        actor=actor, case=case, answers=answers(*yes), assessed_on=on
    )


def test_a_new_assessment_never_overwrites_an_old_one(partnership, asb):
    first = _assess(partnership.owner, asb.case, "repeat", "fear")  # 1 + 2 = 3
    second = _assess(asb.assignee, asb.case, "repeat", "fear", "health", "violence", "hate")

    assert (first.number, first.total, first.band) == (1, 3, "standard")
    # 1 + 2 + 2 + 2 + 2 = 9
    assert (second.number, second.total, second.band) == (2, 9, "medium")
    first.refresh_from_db()
    assert (first.total, first.band, first.assessed_by) == (3, "standard", partnership.owner)
    assert first.answers["fear"] is True and first.answers["health"] is False
    assert list(RiskAssessment.objects.filter(case=asb.case).values_list("number", flat=True)) == [
        2,
        1,
    ]


def test_an_assessment_goes_on_the_timeline_and_the_audit_trail_with_its_band(partnership, asb):
    assessment = _assess(partnership.member, asb.case, "self_harm")

    entry = TimelineEntry.objects.get(case=asb.case, kind="asb.assessment_recorded")
    assert "high risk" in entry.summary and "score 3 of 19" in entry.summary
    event = AuditEvent.objects.get(verb="asb.assessment_recorded")
    assert event.target_id == str(assessment.pk)
    assert event.payload["band"] == "high"


@pytest.mark.parametrize("who", ["outsider", "reader", "executive", "crest_coordinator"])
def test_those_who_do_not_work_the_case_may_not_record(partnership, asb, who):
    actor = asb.reader if who == "reader" else getattr(partnership, who)
    with pytest.raises(PermissionDenied):
        _assess(actor, asb.case, "repeat")
    with pytest.raises(PermissionDenied):
        services.do_log_incident(
            actor=actor,
            case=asb.case,
            occurred_on=date(2026, 1, 4),
            kind="noise",
            description="Music until 3am",
            reported_by="victim",
        )
    assert not RiskAssessment.objects.exists() and not Incident.objects.exists()


def test_a_case_not_on_an_asb_panel_takes_no_asb_casework(partnership):
    with pytest.raises(PermissionDenied, match="not on an ASB panel"):
        _assess(partnership.coordinator, partnership.case, "repeat")


def test_a_closed_case_takes_no_new_assessment(partnership, asb):
    asb.case.status = CaseStatus.CLOSED
    asb.case.save()
    with pytest.raises(PermissionDenied):
        _assess(partnership.coordinator, asb.case, "repeat")
    assert not RiskAssessment.objects.exists()


def test_an_incident_is_logged_and_a_stale_change_is_refused(partnership, asb):
    incident = services.do_log_incident(
        actor=partnership.owner,
        case=asb.case,
        occurred_on=date(2026, 1, 4),
        occurred_time=time(23, 40),
        kind="noise",
        description="Music until 3am",
        reported_by="victim",
        police_reference=" CAD 1234/04JAN ",
    )
    assert incident.police_reference == "CAD 1234/04JAN"
    loaded = Incident.objects.get(pk=incident.pk)
    services.do_update_incident(
        actor=partnership.coordinator,
        incident=loaded,
        expected_version=1,
        description="Music and shouting until 3am",
    )
    with pytest.raises(EditConflict):
        services.do_update_incident(
            actor=partnership.owner,
            incident=Incident.objects.get(pk=incident.pk),
            expected_version=1,
            description="Music until 2am",
        )
    incident.refresh_from_db()
    assert (incident.description, incident.version) == ("Music and shouting until 3am", 2)


def _tool(actor, case, **kwargs):
    fields = {
        "kind": "cpw",
        "recipient_name": "Dean Marsh",
        "behaviour": "playing loud music late at night",
        **kwargs,
    }
    return services.do_record_tool(actor=actor, case=case, **fields)


def test_a_served_tool_needs_the_dates_it_was_issued_and_served(partnership, asb):
    with pytest.raises(ServiceError) as refused:
        _tool(partnership.owner, asb.case, status="served")
    assert set(refused.value.message_dict) == {"issued_on", "served_on"}
    with pytest.raises(ServiceError) as refused:
        _tool(
            partnership.owner,
            asb.case,
            status="served",
            issued_on=date(2026, 1, 10),
            served_on=date(2026, 1, 9),
        )
    assert "served_on" in refused.value.message_dict
    assert not ToolUse.objects.exists()


def test_a_tool_moves_on_and_a_stale_change_is_refused(partnership, asb):
    tool = _tool(partnership.owner, asb.case, status="issued", issued_on=date(2026, 1, 10))
    services.do_update_tool(
        actor=asb.assignee,
        tool=ToolUse.objects.get(pk=tool.pk),
        expected_version=1,
        status="served",
        served_on=date(2026, 1, 11),
        review_on=date(2026, 2, 11),
    )
    with pytest.raises(EditConflict):
        services.do_update_tool(
            actor=partnership.owner,
            tool=ToolUse.objects.get(pk=tool.pk),
            expected_version=1,
            status="withdrawn",
        )
    tool.refresh_from_db()
    assert (tool.status, tool.served_on, tool.review_on) == (
        "served",
        date(2026, 1, 11),
        date(2026, 2, 11),
    )
    kinds = list(
        TimelineEntry.objects.filter(case=asb.case).values_list("kind", flat=True).order_by("id")
    )
    assert sorted(kinds) == ["asb.tool_changed", "asb.tool_recorded"]
    # The audit trail names the tool, never its recipient.
    for event in AuditEvent.objects.filter(verb__startswith="asb.tool"):
        assert "Dean" not in str(event.payload) and "Marsh" not in str(event.payload)
