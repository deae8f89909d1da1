"""Who may change what on a case (docs/permissions.md), and a closed case takes no changes
but reopening by its panel's co-ordinator."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from csphub.accounts.roles import PRACTITIONER
from csphub.audit.models import AuditEvent
from csphub.panels import services
from csphub.panels.choices import CaseStatus
from tests.factories import AgencyFactory


def _url(name, world):
    return reverse(f"panels:{name}", kwargs={"case_id": world.case.pk})


def _edit(client, world, **fields):
    data = {
        "summary": world.case.summary,
        "plan": world.case.plan,
        "risk_level": world.case.risk_level,
        "version": world.case.version,
        **fields,
    }
    return client.post(_url("case_edit", world), data)


@pytest.fixture
def assigned(world, make_user):
    """A youth worker assigned to the case (their agency has no other link to it)."""
    user = make_user(PRACTITIONER, agency=AgencyFactory(name="Youth Justice", kind="youth_justice"))
    world.case.assigned_practitioners.add(user)
    return user


@pytest.fixture
def assigned_colleague(assigned, make_user):
    """Same agency as the assigned youth worker: sees the case through them, works none of it."""
    return make_user(PRACTITIONER, agency=assigned.agency)


def _close(world):
    services.do_change_status(
        actor=world.coordinator,
        case=world.case,
        status=CaseStatus.CLOSED,
        closure_outcome="risk_reduced",
    )
    world.case.refresh_from_db()


# The summary, plan and risk level.


def test_viewer_cannot_edit_case_summary(client_for, world):
    response = _edit(client_for(world.member), world, summary="Rewritten by a panel member")
    assert response.status_code == 403
    assert "co-ordinator" in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.summary != "Rewritten by a panel member"
    assert not AuditEvent.objects.filter(verb="case.updated").exists()


def test_someone_who_sees_the_case_through_a_colleague_changes_nothing(
    client_for, world, assigned_colleague
):
    client = client_for(assigned_colleague)
    assert client.get(_url("case_detail", world)).status_code == 200
    assert _edit(client, world, plan="Their plan").status_code == 403
    assert client.post(_url("case_note", world), {"text": "A note"}).status_code == 403
    assert (
        client.post(_url("case_flag", world), {"kind": "weapons", "reason": "r"}).status_code == 403
    )
    world.case.refresh_from_db()
    assert world.case.plan == ""
    assert not world.case.timeline.exists() and not world.case.flags.exists()


def test_owning_agency_changes_the_plan_but_not_the_summary_or_risk(client_for, world):
    client = client_for(world.owner)
    page = client.get(_url("case_edit", world)).content.decode()
    assert 'name="plan"' in page
    assert 'name="summary"' not in page and 'name="risk_level"' not in page
    response = _edit(client, world, plan="Joint home visit", summary="Changed", risk_level="high")
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.plan == "Joint home visit"
    assert (world.case.summary, world.case.risk_level) != ("Changed", "high")
    with pytest.raises(PermissionDenied):
        services.do_update_case(
            actor=world.owner,
            case=world.case,
            expected_version=world.case.version,
            summary="Changed by the service",
        )


def test_assigned_practitioner_changes_the_plan(client_for, world, assigned):
    assert _edit(client_for(assigned), world, plan="Mentoring weekly").status_code == 302
    world.case.refresh_from_db()
    assert world.case.plan == "Mentoring weekly"


def test_coordinator_changes_summary_plan_and_risk(client_for, world):
    response = _edit(
        client_for(world.coordinator), world, summary="New summary", plan="Plan", risk_level="high"
    )
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert (world.case.summary, world.case.plan, world.case.risk_level) == (
        "New summary",
        "Plan",
        "high",
    )


def test_outsider_and_other_panels_coordinator_get_not_found(client_for, world):
    for user in (world.outsider, world.crest_coordinator):
        assert _edit(client_for(user), world, summary="x").status_code == 404
    world.case.refresh_from_db()
    assert world.case.summary != "x"


def test_anonymous_visitor_is_sent_to_sign_in_and_nothing_changes(client, world):
    response = _edit(client, world, summary="x")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    world.case.refresh_from_db()
    assert world.case.summary != "x"


# Notes and flags.


@pytest.mark.parametrize("who", ["member", "owner", "coordinator"])
def test_panel_members_and_those_working_the_case_add_notes_and_flags(client_for, world, who):
    client = client_for(getattr(world, who))
    assert client.post(_url("case_note", world), {"text": "Visited"}).status_code == 302
    flag = {"kind": "weapons", "reason": "Seen with a knife"}
    assert client.post(_url("case_flag", world), flag).status_code == 302
    assert world.case.timeline.filter(kind="case.note_added").count() == 1
    assert world.case.flags.count() == 1


def test_the_services_refuse_notes_and_flags_from_a_read_only_viewer(world, assigned_colleague):
    with pytest.raises(PermissionDenied):
        services.do_add_note(actor=assigned_colleague, case=world.case, text="Note")
    with pytest.raises(PermissionDenied):
        services.do_raise_flag(
            actor=assigned_colleague, case=world.case, kind="weapons", reason="r"
        )


# The case page offers only what the user may do.


def test_case_page_offers_each_user_only_what_they_may_change(client_for, world):
    edit, note = _url("case_edit", world), _url("case_note", world)
    subject = _url("case_subject", world)
    member = client_for(world.member).get(_url("case_detail", world)).content.decode()
    assert note in member and edit not in member and subject not in member
    owner = client_for(world.owner).get(_url("case_detail", world)).content.decode()
    assert edit in owner and note in owner and subject not in owner
    coordinator = client_for(world.coordinator).get(_url("case_detail", world)).content.decode()
    assert edit in coordinator and note in coordinator and subject in coordinator


# A closed case.


def test_closed_case_refuses_edits_but_can_be_reopened(client_for, world):
    _close(world)
    client = client_for(world.coordinator)
    page = client.get(_url("case_detail", world)).content.decode()
    assert _url("case_edit", world) not in page and _url("case_note", world) not in page
    assert "Reopen" in page

    refused = _edit(client, world, summary="After closure")
    assert refused.status_code == 403
    assert "closed" in refused.content.decode()
    assert client.post(_url("case_note", world), {"text": "Late note"}).status_code == 403
    flag = {"kind": "weapons", "reason": "r"}
    assert client.post(_url("case_flag", world), flag).status_code == 403
    owner = client_for(world.owner)
    assert owner.post(_url("case_note", world), {"text": "Late note"}).status_code == 403
    world.case.refresh_from_db()
    assert world.case.summary != "After closure"
    assert not world.case.timeline.filter(kind__in=["case.note_added", "case.flag_raised"]).exists()

    world.case.refresh_from_db()
    reopened = client.post(
        _url("case_status", world),
        {"status": "active", "reason": "New incident reported", "version": world.case.version},
    )
    assert reopened.status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.ACTIVE
    assert (world.case.closed_at, world.case.closure_outcome) == (None, "")
    assert world.case.review_due is not None
    entry = world.case.timeline.get(kind="case.reopened")
    assert entry.detail == "New incident reported"
    assert AuditEvent.objects.filter(verb="case.reopened", target_id=str(world.case.pk)).exists()
    assert client.post(_url("case_note", world), {"text": "Back open"}).status_code == 302


def test_reopening_needs_a_reason(world):
    _close(world)
    with pytest.raises(Exception, match="why"):
        services.do_change_status(actor=world.coordinator, case=world.case, status="active")
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED


def test_only_the_coordinator_reopens(client_for, world):
    _close(world)
    data = {"status": "active", "reason": "r"}
    assert client_for(world.owner).post(_url("case_status", world), data).status_code == 403
    assert client_for(world.outsider).post(_url("case_status", world), data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.do_change_status(actor=world.owner, case=world.case, status="active", reason="r")
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED


def test_a_referral_that_was_not_accepted_is_not_reopened(world):
    world.case.status = CaseStatus.CLOSED
    world.case.closure_outcome = "not_accepted"
    world.case.save()
    with pytest.raises(Exception, match="cannot move"):
        services.do_change_status(
            actor=world.coordinator, case=world.case, status="active", reason="r"
        )


def test_a_closed_case_takes_no_assignment_or_transfer(world):
    _close(world)
    with pytest.raises(PermissionDenied):
        services.do_assign_practitioner(
            actor=world.coordinator, case=world.case, practitioner=world.colleague
        )
    with pytest.raises(PermissionDenied):
        services.do_transfer_case(
            actor=world.coordinator,
            case=world.case,
            to_agency=world.police,
            reason="r",
            consent_given=True,
        )
    assert not world.case.transitions.exists()
