"""The co-ordinator's home page lists what awaits their decision, oldest first, in working days."""

from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from csphub.panels.choices import TransitionKind, TransitionStatus
from csphub.panels.models import Transition
from csphub.panels.queue import decision_queue_for
from tests.factories import CaseFactory


def _pending(case, panel, made_on, kind=TransitionKind.REFERRAL):
    return Transition.objects.create(
        case=case,
        kind=kind,
        to_panel=panel,
        made_at=timezone.make_aware(datetime.combine(made_on, datetime.min.time()).replace(hour=9)),
        reason="Concerns",
        risk_level="medium",
    )


def test_queue_is_oldest_first_with_age_in_working_days(world):
    newer = _pending(CaseFactory(panel=world.crest), world.crest, date(2026, 3, 30))
    older = _pending(CaseFactory(panel=world.crest), world.crest, date(2026, 3, 27))
    # Thursday 2 April 2026; Good Friday is 3 April. From Friday 27 March: Mon 30, Tue 31,
    # Wed 1, Thu 2 = 4 working days; from Monday 30 March: 3.
    queue = decision_queue_for(world.crest_coordinator, today=date(2026, 4, 2))
    assert [(w.transition, w.working_days) for w in queue] == [(older, 4), (newer, 3)]


def test_decided_transitions_and_other_panels_stay_out_of_the_queue(world):
    decided = _pending(CaseFactory(panel=world.crest), world.crest, date(2026, 3, 27))
    Transition.objects.filter(pk=decided.pk).update(status=TransitionStatus.ACCEPTED)
    _pending(CaseFactory(panel=world.vip), world.vip, date(2026, 3, 27))
    assert decision_queue_for(world.crest_coordinator, today=date(2026, 4, 2)) == []


def test_home_page_shows_the_queue_to_the_coordinator_only(client_for, world):
    waiting = _pending(CaseFactory(panel=world.crest), world.crest, date(2026, 3, 27))
    page = client_for(world.crest_coordinator).get(reverse("core:home")).content.decode()
    assert "Awaiting your decision" in page and waiting.case.reference in page
    assert reverse("panels:transition_decide", args=[waiting.pk]) in page
    for who in ("coordinator", "owner", "outsider"):
        page = client_for(getattr(world, who)).get(reverse("core:home")).content.decode()
        assert waiting.case.reference not in page, who
    assert "Awaiting your decision" not in client_for(world.owner).get("/").content.decode()


def test_a_coordinator_with_nothing_waiting_is_told_so(client_for, world):
    page = client_for(world.crest_coordinator).get(reverse("core:home")).content.decode()
    assert "Nothing is waiting for your decision." in page
