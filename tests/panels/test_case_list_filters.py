"""The case list filters by status, risk, panel, owning agency and review date, and sorts."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from csphub.panels.choices import CaseStatus
from tests.factories import CaseFactory

CASE_LINK = re.compile(r'href="/cases/[0-9a-f-]+/">(C-[0-9A-Z]+)</a>')


def _listed(client, **query):
    page = client.get(reverse("panels:case_list"), query).content.decode()
    return CASE_LINK.findall(page)


def _cases(world):
    today = timezone.localdate()
    high = CaseFactory(
        panel=world.vip,
        owning_agency=world.police,
        risk_level="high",
        review_due=today - timedelta(days=3),
    )
    soon = CaseFactory(
        panel=world.vip,
        owning_agency=world.childrens,
        risk_level="low",
        status=CaseStatus.REVIEW,
        review_due=today + timedelta(days=10),
    )
    closed = CaseFactory(panel=world.vip, owning_agency=world.childrens, status=CaseStatus.CLOSED)
    world.case.risk_level, world.case.review_due = "medium", today + timedelta(days=60)
    world.case.save()
    return high, soon, closed


def test_filters_narrow_the_list_to_what_the_coordinator_sees(client_for, world):
    high, soon, closed = _cases(world)
    client = client_for(world.coordinator)
    assert sorted(_listed(client)) == sorted([high.reference, soon.reference, world.case.reference])
    assert _listed(client, risk="high") == [high.reference]
    assert _listed(client, status="review") == [soon.reference]
    assert _listed(client, status="closed") == [closed.reference]
    assert _listed(client, review="overdue") == [high.reference]
    assert _listed(client, review="4weeks") == [soon.reference]
    assert _listed(client, agency=str(world.police.pk)) == [high.reference]
    assert _listed(client, panel="crest") == []
    # A value that is not a choice is ignored rather than an error.
    assert len(_listed(client, risk="extreme", agency="not-an-id")) == 3


def test_sorts(client_for, world):
    high, soon, _ = _cases(world)
    client = client_for(world.coordinator)
    assert _listed(client, sort="risk") == [high.reference, world.case.reference, soon.reference]
    assert _listed(client, sort="review") == [high.reference, soon.reference, world.case.reference]


def test_filters_never_widen_what_a_user_sees(client_for, world):
    _cases(world)
    owner = client_for(world.owner)  # children's social care: its own cases only
    assert world.case.reference in _listed(owner)
    assert _listed(owner, agency=str(world.police.pk)) == []
    assert _listed(client_for(world.outsider), status="closed") == []
