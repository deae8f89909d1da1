"""Two editors never overwrite each other; page queries do not grow with the number of cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from csphub.panels import verbs
from csphub.panels.models import Case
from csphub.panels.services import record_case_event
from tests.factories import CaseFactory, PlaceFactory, TransitionFactory


def _edit(client, case, version, plan):
    return client.post(
        reverse("panels:case_edit", kwargs={"case_id": case.pk}),
        {"summary": case.summary, "plan": plan, "risk_level": "high", "version": version},
    )


def test_second_save_is_refused_with_a_clear_message_and_keeps_the_text(client_for, world):
    first, second = client_for(world.coordinator), client_for(world.owner)
    version = world.case.version
    # Both open the edit page, seeing the same version.
    assert (
        f'value="{version}"'
        in first.get(reverse("panels:case_edit", args=[world.case.pk])).content.decode()
    )
    assert (
        _edit(first, world.case, version, "Co-ordinator's plan from the panel").status_code == 302
    )

    response = _edit(second, world.case, version, "Social worker's plan after the visit")
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this case after you opened it" in page
    assert "Social worker&#x27;s plan after the visit" in page  # their text, still in the form
    assert "Co-ordinator&#x27;s plan from the panel" in page  # and what is now saved, to compare
    world.case.refresh_from_db()
    assert world.case.plan == "Co-ordinator's plan from the panel"
    assert world.case.version == version + 1

    # Saving again from the re-shown form is a deliberate overwrite, based on the new version.
    assert _edit(second, world.case, version + 1, "Merged plan").status_code == 302
    world.case.refresh_from_db()
    assert world.case.plan == "Merged plan"


def test_outsider_cannot_edit(client_for, world):
    assert _edit(client_for(world.outsider), world.case, world.case.version, "x").status_code == 404
    world.case.refresh_from_db()
    assert world.case.plan != "x"


def _make_cases(world, n):
    for i in range(n):
        case = CaseFactory(panel=world.vip, owning_agency=world.childrens)
        case.subjects.create(place=PlaceFactory(), role="location")
        case.assigned_practitioners.add(world.owner)
        TransitionFactory(case=case)
        record_case_event(verb=verbs.NOTE_ADDED, case=case, actor=world.owner, summary=f"note {i}")


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["panels:case_list", "panels:case_export"])
def test_case_list_and_export_queries_do_not_grow_with_cases(client_for, world, url_name):
    client = client_for(world.coordinator)
    _make_cases(world, 3)
    few = _count(client, reverse(url_name))
    _make_cases(world, 27)
    assert Case.objects.count() == 31
    many = _count(client, reverse(url_name))
    assert many == few


def test_case_page_queries_do_not_grow_with_cases(client_for, world):
    client = client_for(world.member)
    url = reverse("panels:case_detail", kwargs={"case_id": world.case.pk})
    _make_cases(world, 3)
    few = _count(client, url)
    _make_cases(world, 27)
    assert _count(client, url) == few
