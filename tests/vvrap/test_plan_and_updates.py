"""The plan, its actions and milestones, quarterly updates, sign-off and the frozen snapshot."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from csphub.audit.models import AuditEvent
from csphub.core.errors import ServiceError
from csphub.meetings import services as meeting_services
from csphub.meetings.choices import ActionStatus
from csphub.meetings.models import Action
from csphub.meetings.selectors import actions_of_panels, actions_visible_to, may_update_action
from csphub.vvrap import services
from csphub.vvrap.choices import UpdateStatus
from csphub.vvrap.models import ReturnedUpdate, Theme
from csphub.vvrap.selectors import rag_history, summary_of, theme_history
from tests.vvrap.conftest import submit

pytestmark = pytest.mark.django_db


def test_the_eight_themes_are_seeded_in_order():
    names = list(Theme.objects.values_list("name", flat=True))
    assert names == [
        "Governance",
        "Analysis and enforcement",
        "Reducing access to weapons",
        "Safeguarding and educating children and young people",
        "Working with communities and neighbourhoods",
        "Supporting victims of violence and vulnerability",
        "Positive diversion",
        "Tackling violence against women and girls",
    ]


def test_an_action_holds_every_listed_field(vv):
    item = vv.a41
    assert item.lead == vv.p.owner
    assert list(item.lead_agencies.all()) == [vv.p.childrens]
    assert (item.scope, item.stage, item.priority, item.sna_recommendation) == (
        "local",
        "current",
        "",
        "",
    )
    services.do_edit_plan_item(
        actor=vv.manager,
        item=item,
        stage="developing",
        scope="generic",
        priority="high",
        evidence="https://example.org/review\nhttps://example.org/data",
        sna_recommendation="R4",
    )
    item.refresh_from_db()
    assert item.evidence_links == ["https://example.org/review", "https://example.org/data"]
    assert (item.stage, item.scope, item.priority, item.sna_recommendation) == (
        "developing",
        "generic",
        "high",
        "R4",
    )


def test_evidence_must_be_web_addresses(vv):
    with pytest.raises(ServiceError):
        services.do_edit_plan_item(actor=vv.manager, item=vv.a41, evidence="see the shared drive")


def test_only_the_manager_adds_or_edits_actions(vv):
    for who in (vv.p.owner, vv.p.executive, vv.p.outsider, vv.p.anonymous):
        with pytest.raises(PermissionDenied):
            services.do_edit_plan_item(actor=who, item=vv.a41, outcome="Changed")
    vv.a41.refresh_from_db()
    assert vv.a41.outcome == "Fewer pupils carrying knives"


def test_a_milestone_is_a_meetings_action_owned_by_the_plan_item(vv):
    milestone = services.do_add_milestone(
        actor=vv.p.owner,
        item=vv.a41,
        description="Book the first ten schools",
        due_on=date(2025, 6, 30),
    )
    assert (milestone.plan_item, milestone.meeting, milestone.case) == (vv.a41, None, None)
    assert milestone.owner == vv.p.owner and milestone.owning_agency == vv.p.childrens
    # Action.panel answers for a plan item: the board that delivers the plan.
    assert milestone.panel == vv.board
    assert Action.objects.filter(actions_of_panels([vv.board])).get() == milestone


def test_an_action_cannot_belong_to_a_plan_item_and_a_meeting(vv):
    milestone = services.do_add_milestone(
        actor=vv.manager, item=vv.a21, description="Plan the sweeps", due_on=date(2025, 5, 1)
    )
    from csphub.meetings.models import Meeting

    meeting = Meeting.objects.create(panel=vv.board, scheduled_for="2025-05-01T10:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=milestone.pk).update(meeting=meeting)


def test_milestones_are_read_by_all_and_moved_on_by_lead_and_manager(vv):
    milestone = services.do_add_milestone(
        actor=vv.manager, item=vv.a41, description="Book schools", due_on=date(2025, 6, 30)
    )
    p = vv.p
    for reader in (p.owner, p.member, p.executive, p.outsider, vv.manager):
        assert actions_visible_to(reader).filter(pk=milestone.pk).exists()
    assert not actions_visible_to(p.anonymous).filter(pk=milestone.pk).exists()
    assert may_update_action(p.owner, milestone)
    assert may_update_action(vv.manager, milestone)
    for other in (p.member, p.executive, p.outsider):
        assert not may_update_action(other, milestone)
        with pytest.raises(PermissionDenied):
            meeting_services.do_update_action(actor=other, action=milestone, status="done")
    meeting_services.do_update_action(actor=p.owner, action=milestone, status=ActionStatus.DONE)
    milestone.refresh_from_db()
    assert milestone.status == ActionStatus.DONE


def test_a_lead_updates_only_their_own_action(vv):
    with pytest.raises(PermissionDenied):
        submit(vv.a41, vv.p.member, 2025, 1, "green")
    for who in (vv.manager, vv.p.executive, vv.p.outsider, vv.p.anonymous):
        with pytest.raises(PermissionDenied):
            submit(vv.a41, who, 2025, 1, "green")
    update = submit(vv.a41, vv.p.owner, 2025, 1, "amber")
    assert update.status == UpdateStatus.SUBMITTED


def test_submitting_needs_a_narrative_a_rag_and_its_reason(vv):
    with pytest.raises(ServiceError) as refused:
        services.do_save_update(
            actor=vv.p.owner,
            item=vv.a41,
            year=2025,
            quarter=1,
            narrative="",
            proposed_rag="",
            rag_reason="",
            submit=True,
        )
    assert set(refused.value.message_dict) == {"narrative", "proposed_rag", "rag_reason"}
    draft = services.do_save_update(
        actor=vv.p.owner,
        item=vv.a41,
        year=2025,
        quarter=1,
        narrative="Half written",
        proposed_rag="",
        rag_reason="",
        submit=False,
    )
    assert draft.status == UpdateStatus.DRAFT


def test_the_manager_returns_an_update_with_a_comment_and_the_lead_resubmits(vv):
    update = submit(vv.a41, vv.p.owner, 2025, 1, "green")
    with pytest.raises(ServiceError):
        services.do_return_update(actor=vv.manager, update=update, comment=" ")
    with pytest.raises(PermissionDenied):
        services.do_return_update(actor=vv.p.owner, update=update, comment="Say more")
    services.do_return_update(actor=vv.manager, update=update, comment="Green needs evidence")
    update.refresh_from_db()
    assert (update.status, update.review_comment) == (UpdateStatus.RETURNED, "Green needs evidence")
    with pytest.raises(ServiceError):  # a returned update is not signed off until resubmitted
        services.do_sign_off_update(actor=vv.manager, update=update)
    again = submit(vv.a41, vv.p.owner, 2025, 1, "amber", "Ten schools booked")
    assert again.pk == update.pk and again.status == UpdateStatus.SUBMITTED


def test_sign_off_freezes_the_quarter_and_later_edits_leave_it_unchanged(vv):
    update = submit(vv.a41, vv.p.owner, 2025, 1, "amber", "Ten schools booked")
    with pytest.raises(PermissionDenied):
        services.do_sign_off_update(actor=vv.p.owner, update=update)
    returned = services.do_sign_off_update(actor=vv.manager, update=update)
    frozen = dict(returned.values)
    assert frozen["update"] == "Ten schools booked"
    assert frozen["rag"] == "Amber"
    assert frozen["lead"] == vv.p.owner.full_name
    assert frozen["organisations"] == "Children's Social Care"
    # Later: the manager rewrites the action and changes its lead's organisations; the lead
    # cannot touch the signed-off update, and writes next quarter's.
    services.do_edit_plan_item(
        actor=vv.manager,
        item=vv.a41,
        description="A different action",
        lead_agencies=[vv.p.childrens, vv.p.school],
    )
    with pytest.raises(ServiceError):
        submit(vv.a41, vv.p.owner, 2025, 1, "green", "Rewritten")
    submit(vv.a41, vv.p.owner, 2025, 2, "green", "Next quarter")
    snapshot = ReturnedUpdate.objects.get(item=vv.a41, year=2025, quarter=1)
    assert snapshot.values == frozen
    assert snapshot.values["description"] == (
        "Deliver knife crime awareness workshops in every secondary school"
    )
    assert snapshot.rag == "amber"


def test_rag_history_per_action_and_per_theme(vv):
    for quarter, rag in ((1, "red"), (2, "amber"), (3, "green")):
        services.do_sign_off_update(
            actor=vv.manager, update=submit(vv.a41, vv.p.owner, 2025, quarter, rag)
        )
    services.do_sign_off_update(
        actor=vv.manager, update=submit(vv.a21, vv.p.member, 2025, 3, "red")
    )
    assert [(r.quarter, r.rag) for r in rag_history(vv.a41)] == [
        (1, "red"),
        (2, "amber"),
        (3, "green"),
    ]
    history = theme_history(vv.plan)
    assert [label for _, _, label in history["quarters"]] == [
        "2025-26 Q1",
        "2025-26 Q2",
        "2025-26 Q3",
    ]
    rows = {theme.key: cells for theme, cells in history["rows"]}
    assert rows["safeguarding-and-educating-young-people"] == [
        {"red": 1, "amber": 0, "green": 0},
        {"red": 0, "amber": 1, "green": 0},
        {"red": 0, "amber": 0, "green": 1},
    ]
    assert rows["analysis-and-enforcement"][2] == {"red": 1, "amber": 0, "green": 0}
    q3 = {tc.theme.key: tc for tc in summary_of(vv.plan, 2025, 3)}
    safeguarding = q3["safeguarding-and-educating-young-people"]
    assert (safeguarding.changed, safeguarding.improved, safeguarding.worsened) == (1, 1, 0)
    # 2.1 was not returned in Q2: no change to count.
    assert q3["analysis-and-enforcement"].changed == 0


def test_every_change_is_audited_against_the_action(vv):
    update = submit(vv.a41, vv.p.owner, 2025, 1, "amber")
    services.do_sign_off_update(actor=vv.manager, update=update)
    verbs = list(
        AuditEvent.objects.filter(target_type="vvrap.planitem", target_id=str(vv.a41.pk))
        .order_by("seq")
        .values_list("verb", flat=True)
    )
    assert verbs == ["vvrap.item_created", "vvrap.update_submitted", "vvrap.update_signed_off"]


def test_a_milestone_due_tomorrow_is_told_to_its_owner_by_the_plans_board(
    vv, django_capture_on_commit_callbacks
):
    """The due-tomorrow notice heads a milestone (no meeting, no case) with the plan's board."""
    from csphub.meetings.notices import notify_actions_due_tomorrow
    from csphub.notifications.models import Notification

    services.do_add_milestone(
        actor=vv.p.owner, item=vv.a41, description="Book the schools", due_on=date(2025, 6, 30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_actions_due_tomorrow(today=date(2025, 6, 29)) == 1
    notice = Notification.objects.get(kind="action_due", recipient=vv.p.owner)
    assert notice.message == f"Action for {vv.board.name} is due tomorrow, 30 June 2025"
