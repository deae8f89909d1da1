"""The pages the load test opens (docs/performance.md) ask the database a fixed number of
questions: more rows, on the page or behind it, never mean more queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csphub.audit import record
from csphub.audit import verbs as audit_verbs
from csphub.meetings.models import Action
from csphub.panels import verbs
from csphub.panels.choices import SubjectRole
from csphub.panels.services import record_case_event
from tests.factories import CaseFactory, PersonFactory, TransitionFactory


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _cases(p, n: int, person=None) -> list:
    """N accepted VIP cases owned by children's social care, each with a note and an action."""
    made = []
    for i in range(n):
        case = CaseFactory(panel=p.vip, owning_agency=p.childrens, subject=person)
        TransitionFactory(case=case)
        record_case_event(verb=verbs.NOTE_ADDED, case=case, actor=p.owner, summary=f"note {i}")
        _action(p, case)
        made.append(case)
    return made


def _action(p, case) -> Action:
    return Action.objects.create(
        case=case,
        description="Home visit",
        owning_agency=p.childrens,
        owner=p.owner,
        due_on=date(2026, 1, 31),
    )


def test_home_page_queries_do_not_grow_with_cases_and_actions(partnership, client_for):
    for user in (partnership.owner, partnership.coordinator):
        client = client_for(user)
        _cases(partnership, 2)
        few = _count(client, reverse("core:home"))
        _cases(partnership, 12)
        assert _count(client, reverse("core:home")) == few, user


def test_a_filtered_later_page_of_the_case_list_costs_what_a_short_one_does(
    partnership, client_for
):
    client = client_for(partnership.coordinator)
    url = reverse("panels:case_list") + "?status=active&risk=medium&sort=referred&page=2"
    _cases(partnership, 55)  # page 2 holds 6 cases (with the fixture's)
    short = _count(client, url)
    _cases(partnership, 50)  # page 2 is full: 50 cases
    page = client.get(url)
    assert "106 cases, 51 to 100 shown" in page.content.decode()
    assert _count(client, url) == short


def test_case_page_queries_do_not_grow_with_its_own_history(partnership, client_for):
    p = partnership
    client = client_for(p.owner)
    url = reverse("panels:case_detail", kwargs={"case_id": p.case.pk})

    def grow(n: int) -> None:
        for i in range(n):
            p.case.subjects.create(person=PersonFactory(), role=SubjectRole.ASSOCIATE)
            record_case_event(verb=verbs.NOTE_ADDED, case=p.case, actor=p.owner, summary=f"n{i}")
            _action(p, p.case)

    grow(1)
    few = _count(client, url)
    grow(10)
    assert _count(client, url) == few


def test_person_page_queries_do_not_grow_with_their_cases(partnership, client_for):
    p = partnership
    client = client_for(p.owner)
    url = reverse("people:person_detail", kwargs={"reference": p.person.reference})
    _cases(p, 1, person=p.person)
    few = _count(client, url)
    _cases(p, 10, person=p.person)
    assert _count(client, url) == few


def test_filtered_audit_page_queries_do_not_grow_with_events(partnership, client_for):
    p = partnership
    client = client_for(p.dpo)
    url = reverse("audit:event_list") + "?verb=case.viewed"
    cases = _cases(p, 5)

    def views(n: int) -> None:
        for i in range(n):
            record(verb=audit_verbs.CASE_VIEWED, actor=p.owner, target=cases[i % len(cases)])

    views(3)
    few = _count(client, url)
    views(80)  # more than a page of events, about the same five cases
    assert _count(client, url) == few


@pytest.mark.parametrize("url_name", ["crime:figures"])
def test_figures_page_queries_do_not_grow_with_casework(partnership, client_for, url_name):
    client = client_for(partnership.analyst)
    _cases(partnership, 1)
    few = _count(client, reverse(url_name))
    _cases(partnership, 10)
    assert _count(client, reverse(url_name)) == few
