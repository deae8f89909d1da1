"""A minute is issued only after a second voting member signs it off, and never changes after."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from csphub.core.errors import ServiceError
from csphub.nrm import services
from csphub.nrm.choices import AuditState, DecisionKind, Outcome, Vote
from tests.nrm.conftest import taken_on, votes

pytestmark = pytest.mark.django_db

EVIDENCE = [{"item": "Police intelligence report", "source": "Met Police"}]


def decided(nrm, outcome=Outcome.POSITIVE):
    referral = taken_on(nrm)
    return services.do_record_decision(
        actor=nrm.coordinator,
        referral=referral,
        kind=DecisionKind.RG,
        meeting=nrm.meeting,
        decided_on=date(2023, 3, 14),
        outcome=outcome,
        chair=nrm.officer,
        votes=votes(nrm, Vote.POSITIVE if outcome == Outcome.POSITIVE else Vote.NEGATIVE),
    )


def write(nrm, decision, **kw):
    fields = {
        "evidence": EVIDENCE,
        "credibility": "Account consistent with the intelligence.",
        "trauma_informed": "Delays in disclosure are expected after trauma.",
        "reasons": "",
    }
    fields.update(kw)
    return services.do_write_minute(actor=nrm.coordinator, decision=decision, **fields)


def test_a_minute_cannot_be_issued_before_sign_off(nrm):
    minute = write(nrm, decided(nrm))
    with pytest.raises(ServiceError) as refused:
        services.do_issue_minute(actor=nrm.coordinator, minute=minute)
    assert "sign the minute off" in str(refused.value)
    minute.refresh_from_db()
    assert minute.issued_at is None


def test_the_chair_the_writer_and_the_guardian_may_not_sign_off(nrm):
    minute = write(nrm, decided(nrm))
    for user in (nrm.officer, nrm.coordinator, nrm.ictg, nrm.first_responder, nrm.outsider):
        with pytest.raises(PermissionDenied):
            services.do_sign_off_minute(actor=user, minute=minute)
    minute.refresh_from_db()
    assert minute.signed_off_at is None


def test_a_second_voting_member_signs_off_then_the_minute_is_issued(nrm):
    minute = write(nrm, decided(nrm))
    services.do_sign_off_minute(actor=nrm.nurse, minute=minute)
    issued = services.do_issue_minute(actor=nrm.coordinator, minute=minute)
    assert issued.signed_off_by == nrm.nurse and issued.issued_at is not None
    assert issued.state == "Issued"


def test_an_issued_minute_never_changes_a_correction_is_a_new_version(nrm):
    decision = decided(nrm)
    minute = write(nrm, decision)
    services.do_sign_off_minute(actor=nrm.nurse, minute=minute)
    services.do_issue_minute(actor=nrm.coordinator, minute=minute)
    with pytest.raises(ServiceError) as refused:
        write(nrm, decision, credibility="Changed.")
    assert "correction_note" in refused.value.message_dict
    corrected = write(nrm, decision, credibility="Changed.", correction_note="Typo in account.")
    assert corrected.version == 2 and corrected.signed_off_at is None
    minute.refresh_from_db()
    assert minute.credibility == "Account consistent with the intelligence."
    minute.credibility = "Tampered"
    with pytest.raises(ValueError, match="never changes"):
        minute.save()


def test_changing_a_signed_off_draft_clears_the_sign_off(nrm):
    decision = decided(nrm)
    minute = write(nrm, decision)
    services.do_sign_off_minute(actor=nrm.nurse, minute=minute)
    again = write(nrm, decision, credibility="Reworded.")
    assert again.pk == minute.pk and again.signed_off_at is None


def test_a_negative_decision_needs_reasons_and_evidence_needs_a_source(nrm):
    decision = decided(nrm, Outcome.NEGATIVE)
    with pytest.raises(ServiceError) as refused:
        write(nrm, decision, evidence=[{"item": "School report", "source": ""}])
    assert refused.value.message_dict["reasons"] == [services.REASONS_REQUIRED]
    assert "evidence" in refused.value.message_dict


def test_reconsideration_and_audit_are_recorded_by_the_coordinator(nrm):
    decision = decided(nrm, Outcome.NEGATIVE)
    asked = services.do_request_reconsideration(
        actor=nrm.coordinator,
        decision=decision,
        requested_by="first_responder",
        requested_on=date(2023, 3, 20),
        grounds="New evidence from the school.",
    )
    again = services.do_record_decision(
        actor=nrm.coordinator,
        referral=decision.referral,
        kind=DecisionKind.RG,
        meeting=nrm.meeting,
        decided_on=date(2023, 3, 28),
        outcome=Outcome.POSITIVE,
        chair=nrm.officer,
        votes=votes(nrm),
        reconsideration=asked,
    )
    assert decision.referral.decision(DecisionKind.RG) == again
    with pytest.raises(ServiceError):
        services.do_update_audit(
            actor=nrm.coordinator,
            decision=again,
            state=AuditState.QUERY,
            comments="",
            on=date(2023, 4, 1),
        )
    services.do_update_audit(
        actor=nrm.coordinator,
        decision=again,
        state=AuditState.UPHELD,
        comments="",
        on=date(2023, 4, 1),
    )
    again.refresh_from_db()
    assert again.audit_state == "upheld"
    with pytest.raises(PermissionDenied):
        services.do_update_audit(
            actor=nrm.officer, decision=again, state="sent", comments="", on=date(2023, 4, 1)
        )
