"""Actions are checked against the case-access rule with a correlated EXISTS (ADR 0511), not
`case IN (every case the user may open)`: the rows must be exactly those the rule gives.

For each of owner, colleague, co-ordinator, outsider and anonymous the expected actions are
written out by hand from the fixture, then checked both ways: the selector returns them, and
each one's case (if any) is one `cases_visible_to` gives that user.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from csphub.accounts.roles import PRACTITIONER
from csphub.meetings.models import Action
from csphub.meetings.selectors import actions_updatable_by, actions_visible_to, dashboard_summary
from csphub.panels.selectors import cases_visible_to
from tests.factories import AgencyFactory, MembershipFactory, PanelFactory


@pytest.fixture
def actions(minuted, make_user):
    """Four actions of the panel's meeting, owned by the member or the co-ordinator."""
    today = timezone.localdate()
    w = minuted

    def action(description, owner, case, due_on, item=None):
        return Action.objects.create(
            meeting=w.meeting,
            item=item,
            case=case,
            description=description,
            owning_agency=owner.agency,
            owner=owner,
            due_on=due_on,
        )

    w.action.due_on = today - timedelta(days=1)  # on the agenda's first case: overdue
    w.action.save()
    w.not_seen = action("On a case of another panel", w.member, w.elsewhere, today)
    w.meeting_level = action("Book the room", w.member, None, today + timedelta(days=7))
    w.coordinators = action("Chase the school", w.coordinator, w.due, today + timedelta(days=7))
    w.colleague = make_user(PRACTITIONER, agency=w.police)
    MembershipFactory(panel=w.panel, user=w.colleague)
    return w


def _pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def _by_the_rule(user, candidates):
    """CANDIDATES less those on a case `cases_visible_to(user)` does not give."""
    visible = set(cases_visible_to(user).values_list("pk", flat=True))
    return {a.pk for a in candidates if a.case_id is None or a.case_id in visible}


def test_each_user_reads_exactly_the_actions_the_case_rule_allows(actions):
    w = actions
    expected = {
        # The owner: their own, less the one on a case of another panel they may not open.
        w.member: {w.action.pk, w.meeting_level.pk},
        # A member of the panel: the meeting-level action only (none of the case actions).
        w.colleague: {w.meeting_level.pk},
        # The co-ordinator: every action of their panel's meeting whose case they may open.
        w.coordinator: {w.action.pk, w.meeting_level.pk, w.coordinators.pk},
        w.outsider: set(),
        w.other_coordinator: set(),
        AnonymousUser(): set(),
    }
    everything = list(Action.objects.all())
    assert len(everything) == 4
    for user, pks in expected.items():
        assert _pks(actions_visible_to(user)) == pks, user
        assert _by_the_rule(user, [a for a in everything if a.pk in pks]) == pks, user
    # Moved on: only the owner and the co-ordinator, and each only where the case is seen.
    assert _pks(actions_updatable_by(w.member)) == {w.action.pk, w.meeting_level.pk}
    assert _pks(actions_updatable_by(w.coordinator)) == expected[w.coordinator]
    assert _pks(actions_updatable_by(w.colleague)) == set()


def test_an_action_whose_case_moves_away_drops_out_for_owner_and_coordinator(actions):
    w = actions
    case = w.items[0].case
    case.panel = PanelFactory(slug="elsewhere-too")
    case.owning_agency = AgencyFactory(name="Another agency")
    case.save()
    assert w.action.pk not in _pks(actions_visible_to(w.member))
    assert _pks(actions_visible_to(w.member)) == {w.meeting_level.pk}
    assert _pks(actions_visible_to(w.coordinator)) == {w.meeting_level.pk, w.coordinators.pk}


def test_the_home_card_counts_only_the_owners_actions_on_cases_they_may_open(actions):
    w = actions
    # The member owns three open actions: the overdue one, one on a case they may not open
    # (not counted, though due today), and the meeting-level one due next week.
    assert dashboard_summary(w.member)[:2] == [
        ("Your overdue actions", "1"),
        ("Your open actions", "2"),
    ]
    w.not_seen.due_on = timezone.localdate() - timedelta(days=3)
    w.not_seen.save()
    assert dashboard_summary(w.member)[:2] == [
        ("Your overdue actions", "1"),
        ("Your open actions", "2"),
    ]
    assert dashboard_summary(w.outsider)[:2] == [
        ("Your overdue actions", "0"),
        ("Your open actions", "0"),
    ]
