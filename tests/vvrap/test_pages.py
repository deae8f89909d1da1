"""The VVRAP's pages as the manager, a lead (own actions only), another lead, the executive,
an outsider agency's practitioner and an anonymous visitor."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csphub.vvrap.choices import UpdateStatus
from csphub.vvrap.models import QuarterlyUpdate, ReturnedUpdate
from tests.vvrap.conftest import submit

pytestmark = pytest.mark.django_db

READERS = ("csp_admin", "owner", "member", "executive", "outsider")


def _who(vv, name):
    return vv.manager if name == "manager" else getattr(vv.p, name)


@pytest.mark.parametrize("name", READERS)
def test_everyone_signed_in_reads_the_plan_and_its_actions(vv, client_for, name):
    client = client_for(getattr(vv.p, name))
    page = client.get(reverse("vvrap:plan_detail", args=[vv.plan.pk]))
    assert page.status_code == 200
    assert "Weapons sweeps at the hot spots" in page.content.decode()
    assert client.get(reverse("vvrap:item_detail", args=[vv.a41.pk])).status_code == 200
    assert client.get(reverse("vvrap:plan_return", args=[vv.plan.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(vv, client):
    for url in (
        reverse("vvrap:plan_list"),
        reverse("vvrap:plan_detail", args=[vv.plan.pk]),
        reverse("vvrap:item_detail", args=[vv.a41.pk]),
        reverse("vvrap:update_edit", args=[vv.a41.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_the_lead_writes_their_own_update_and_no_one_else_can(vv, client_for):
    url = reverse("vvrap:update_edit", args=[vv.a41.pk]) + "?quarter=2025-2"
    for name in ("member", "csp_admin", "executive", "outsider"):
        assert client_for(getattr(vv.p, name)).get(url).status_code == 403
        posted = client_for(getattr(vv.p, name)).post(
            url, {"narrative": "x", "proposed_rag": "red", "rag_reason": "y", "send": "submit"}
        )
        assert posted.status_code == 403
    assert not QuarterlyUpdate.objects.exists()
    lead = client_for(vv.p.owner)
    assert lead.get(url).status_code == 200
    response = lead.post(
        url,
        {
            "narrative": "Six schools",
            "proposed_rag": "amber",
            "rag_reason": "Late start",
            "send": "submit",
        },
    )
    assert response.status_code == 302
    update = QuarterlyUpdate.objects.get()
    assert (update.year, update.quarter, update.status) == (2025, 2, UpdateStatus.SUBMITTED)


def test_a_draft_is_saved_without_a_rag(vv, client_for):
    url = reverse("vvrap:update_edit", args=[vv.a41.pk]) + "?quarter=2025-2"
    client_for(vv.p.owner).post(url, {"narrative": "Notes", "send": "draft"})
    assert QuarterlyUpdate.objects.get().status == UpdateStatus.DRAFT


def test_the_manager_signs_off_and_returns_through_the_review_page(vv, client_for):
    one = submit(vv.a41, vv.p.owner, 2025, 2, "amber")
    two = submit(vv.a21, vv.p.member, 2025, 2, "green")
    manager = client_for(vv.manager)
    plan_page = manager.get(reverse("vvrap:plan_detail", args=[vv.plan.pk])).content.decode()
    assert reverse("vvrap:update_review", args=[one.pk]) in plan_page
    for name in ("owner", "member", "executive", "outsider"):
        refused = client_for(getattr(vv.p, name)).post(
            reverse("vvrap:update_review", args=[one.pk]),
            {"decision": "sign_off", "version": one.version},
        )
        assert refused.status_code == 403
    manager.post(
        reverse("vvrap:update_review", args=[one.pk]),
        {"decision": "return", "comment": "Add the numbers", "version": one.version},
    )
    manager.post(
        reverse("vvrap:update_review", args=[two.pk]),
        {"decision": "sign_off", "version": two.version},
    )
    one.refresh_from_db()
    assert (one.status, one.review_comment) == (UpdateStatus.RETURNED, "Add the numbers")
    assert ReturnedUpdate.objects.get().item == vv.a21


def test_an_update_in_the_works_is_seen_by_its_lead_and_the_manager_only(vv, client_for):
    submit(vv.a41, vv.p.owner, 2025, 2, "amber", "Draft words of the lead")
    url = reverse("vvrap:item_detail", args=[vv.a41.pk])
    for name, sees in (
        ("owner", True),
        ("csp_admin", True),
        ("member", False),
        ("executive", False),
        ("outsider", False),
    ):
        page = client_for(getattr(vv.p, name)).get(url).content.decode()
        assert ("Draft words of the lead" in page) is sees, name


def test_only_the_manager_downloads_the_return(vv, client_for):
    url = reverse("vvrap:return_xlsx", args=[vv.plan.pk]) + "?quarter=2025-2"
    for name in ("owner", "member", "executive", "outsider"):
        assert client_for(getattr(vv.p, name)).get(url).status_code == 403
    response = client_for(vv.manager).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="vvrap-return-2025-26-q2.xlsx"'


def test_only_the_manager_adds_actions_and_feedback(vv, client_for):
    for name in ("owner", "executive", "outsider"):
        client = client_for(getattr(vv.p, name))
        assert client.get(reverse("vvrap:item_create", args=[vv.plan.pk])).status_code == 403
        assert client.get(reverse("vvrap:feedback_add", args=[vv.plan.pk])).status_code == 403
        assert client.get(reverse("vvrap:item_edit", args=[vv.a41.pk])).status_code == 403
    manager = client_for(vv.manager)
    response = manager.post(
        reverse("vvrap:feedback_add", args=[vv.plan.pk]),
        {"received_on": "10/10/2025", "given_by": "VRU panel", "feedback": "Strengthen theme 8"},
    )
    assert response.status_code == 302
    assert vv.plan.feedback.get().feedback == "Strengthen theme 8"


def test_milestones_are_added_by_the_lead_or_the_manager(vv, client_for):
    url = reverse("vvrap:milestone_add", args=[vv.a41.pk])
    for name in ("member", "executive", "outsider"):
        assert client_for(getattr(vv.p, name)).get(url).status_code == 403
    response = client_for(vv.p.owner).post(
        url, {"description": "Book schools", "due_on": "30/06/2026"}
    )
    assert response.status_code == 302
    assert vv.a41.milestones.get().description == "Book schools"


def test_the_actions_history_lists_every_change_with_who_made_it(vv, client_for):
    from datetime import date

    from csphub.meetings import services as meeting_services
    from csphub.vvrap import services

    milestone = services.do_add_milestone(
        actor=vv.p.owner, item=vv.a41, description="Book schools", due_on=date(2026, 6, 30)
    )
    meeting_services.do_update_action(actor=vv.p.owner, action=milestone, status="in_progress")
    services.do_sign_off_update(actor=vv.manager, update=submit(vv.a41, vv.p.owner, 2025, 1, "red"))
    page = client_for(vv.p.executive).get(reverse("vvrap:item_detail", args=[vv.a41.pk]))
    history = page.content.decode().split('<h2 class="govuk-heading-m">History</h2>')[1]
    for label in (
        "Action added to the action plan",
        "Milestone added to an action plan action",
        "Action moved on",
        "Quarterly update submitted for sign-off",
        "Quarterly update signed off and frozen",
    ):
        assert label in history, label
    assert vv.manager.full_name in history and vv.p.owner.full_name in history
    assert vv.p.owner.email not in history
