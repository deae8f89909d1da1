"""A grant's conditions are actions (meetings.Action.grant): the owner sees theirs in "Your
actions" and on the action page, the manager sees them on the grant, others see none, and an
action belongs to one record only."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from csphub.accounts.roles import PRACTITIONER
from csphub.funding import services
from csphub.meetings.models import Action, Meeting
from csphub.meetings.selectors import actions_visible_to, may_update_action
from tests.factories import PanelFactory


@pytest.fixture
def condition(funding, make_user):
    owner = make_user(PRACTITIONER, agency=funding.provider)
    action = services.do_add_condition(
        actor=funding.manager,
        grant=funding.grant,
        description="Send the delivery plan to the VRU",
        owning_agency=funding.provider,
        owner=owner,
        due_on=date(2023, 5, 31),
    )
    return action, owner


def test_the_owner_and_the_manager_see_the_condition_no_one_else(funding, condition, client_for):
    action, owner = condition
    assert list(actions_visible_to(owner)) == [action]
    assert list(actions_visible_to(funding.manager)) == [action]
    assert may_update_action(funding.manager, action) and may_update_action(owner, action)
    for who in (funding.provider_staff, funding.other_staff, funding.executive, funding.outsider):
        assert not actions_visible_to(who).exists()
    url = reverse("meetings:action_detail", kwargs={"action_id": action.pk})
    page = client_for(owner).get(url)
    assert page.status_code == 200 and "Grant condition" in page.content.decode()
    assert client_for(funding.provider_staff).get(url).status_code == 404
    mine = client_for(owner).get(reverse("meetings:my_actions")).content.decode()
    assert f"Grant condition, {funding.grant.reference}" in mine
    grant_page = reverse("funding:grant_detail", kwargs={"grant_id": funding.grant.pk})
    assert "Send the delivery plan" in client_for(funding.manager).get(grant_page).content.decode()
    assert (
        "Send the delivery plan"
        not in client_for(funding.outsider).get(grant_page).content.decode()
    )


def test_a_condition_belongs_to_the_grant_alone(funding, condition):
    action, _ = condition
    action.meeting = Meeting.objects.create(panel=PanelFactory(), scheduled_for=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()
    assert Action.objects.get(pk=action.pk).meeting is None


def test_the_reminder_names_the_grant(funding, condition):
    from csphub.meetings.reminders import reminder_text

    action, _ = condition
    text = reminder_text(
        [action], visible_case_ids=set(), base_url="https://csp.example", today=date(2023, 6, 2)
    )
    assert f"- Grant condition, {funding.grant.reference}: due 31 May 2023 (2 days overdue)" in text


def test_a_condition_due_tomorrow_is_told_to_its_owner_by_its_grant(
    funding, condition, django_capture_on_commit_callbacks
):
    """The due-tomorrow notice heads a condition (no meeting, no case) with its grant."""
    from csphub.meetings.notices import notify_actions_due_tomorrow
    from csphub.notifications.models import Notification

    action, owner = condition
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_actions_due_tomorrow(today=date(2023, 5, 30)) == 1
    notice = Notification.objects.get(kind="action_due", recipient=owner)
    assert notice.message == (
        f"Action for Grant condition, {funding.grant} is due tomorrow, 31 May 2023"
    )
