"""/sna/: the analyst builds and writes findings; executives and the CSP administrator read
both outputs; everyone else is refused; a recommendation shows the VVRAP actions answering it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied

from csphub.sna.models import Assessment, Finding
from csphub.sna.services import do_add_finding, do_build_assessment
from csphub.vvrap import services as vvrap_services
from tests.sna.conftest import BEXLEY, WINDOW
from tests.vvrap.conftest import theme

URL = "/sna/"


@pytest.fixture
def built(world, period):
    return do_build_assessment(actor=world.analyst, period=period, area_code=BEXLEY)


def _documents(assessment):
    base = f"/sna/{assessment.pk}"
    return {
        "full": [f"{base}/full/", f"{base}/full.pdf"],
        "summary": [f"{base}/summary/", f"{base}/summary.pdf"],
    }


def test_an_analyst_builds_from_the_page(world, client_for):
    client = client_for(world.analyst)
    page = client.get(URL, {"window": WINDOW})
    assert page.status_code == 200 and "has not been built" in page.content.decode()
    response = client.post(
        "/sna/build/",
        {"window": WINDOW, "definition": "london_vru_minimum", "population": "250000"},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.built_by == world.analyst
    assert assessment.definition["populations"] == {"all": 250000}
    page = client.get(URL, {"window": WINDOW}).content.decode()
    assert assessment.inputs_sha256 in page and f"/sna/{assessment.pk}/full/" in page


def test_a_population_over_the_limit_is_refused_and_nothing_built(world, client_for):
    client_for(world.analyst).post(
        "/sna/build/", {"window": WINDOW, "definition": "london_vru_minimum", "population": "0"}
    )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("who", ["analyst", "executive", "csp_admin"])
def test_readers_open_both_outputs(world, client_for, built, who):
    client = client_for(getattr(world, who))
    assert client.get(URL).status_code == 200
    for url in _documents(built)["full"] + _documents(built)["summary"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(f"/sna/{built.pk}/summary.pdf").content.startswith(b"%PDF-")
    assert "OFFICIAL-SENSITIVE" in client.get(f"/sna/{built.pk}/full/").content.decode()


@pytest.mark.parametrize("who", ["executive", "csp_admin"])
def test_readers_cannot_build_or_write(world, client_for, who):
    client = client_for(getattr(world, who))
    assert client.post("/sna/build/", {"window": WINDOW}).status_code == 403
    assert client.post("/sna/findings/new/", {"kind": "gap", "text": "x"}).status_code == 403
    assert not Assessment.objects.exists() and not Finding.objects.exists()


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider", "coordinator"])
def test_others_are_refused_every_page(world, client_for, built, who):
    client = client_for(getattr(world, who))
    assert client.get(URL).status_code == 403
    for url in _documents(built)["full"] + _documents(built)["summary"]:
        assert client.get(url).status_code == 403, url


def test_an_anonymous_visitor_is_sent_to_sign_in(client, built):
    for url in [URL, *_documents(built)["summary"]]:
        response = client.get(url)
        assert response.status_code == 302 and "sign-in" in response["Location"]


def test_a_missing_build_is_a_404(world, client_for):
    client = client_for(world.executive)
    assert client.get("/sna/00000000-0000-0000-0000-000000000000/full/").status_code == 404


def test_findings_are_numbered_and_answered_by_vvrap_actions(world, client_for, period, vv):
    client = client_for(world.analyst)
    client.post("/sna/findings/new/", {"window": WINDOW, "kind": "gap", "text": "No A&E data"})
    client.post(
        "/sna/findings/new/",
        {"window": WINDOW, "kind": "recommendation", "text": "Workshops in every school"},
    )
    assert sorted(Finding.objects.values_list("number", flat=True)) == [
        "SNA2023-G1",
        "SNA2023-R1",
    ]
    vvrap_services.do_create_plan_item(
        actor=vv.manager,
        plan=vv.plan,
        theme=theme("safeguarding-and-educating-young-people"),
        number="4.2",
        description="Knife crime workshops in the remaining schools",
        outcome="Every school reached",
        lead=world.owner,
        lead_agencies=[world.childrens],
        sna_recommendation="SNA2023-R1",
    )
    page = client.get(URL, {"window": WINDOW}).content.decode()
    assert "Workshops in every school" in page and ">4.2</a>" in page
    full = do_build_assessment(actor=world.analyst, period=period, area_code=BEXLEY).full_html
    assert "SNA2023-R1" in full and "4.2: Knife crime workshops" in full


def test_changing_a_finding_keeps_the_stale_save_rule(world, client_for, period):
    finding = do_add_finding(actor=world.analyst, period=period, kind="gap", text="First")
    client = client_for(world.analyst)
    url = f"/sna/findings/{finding.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Second", "version": "1"}).status_code == 302
    stale = client.post(url, {"text": "Third", "version": "1"})
    assert stale.status_code == 409
    finding.refresh_from_db()
    assert finding.text == "Second"
    assert client_for(world.executive).get(url).status_code == 403


def test_only_an_analyst_writes_findings(world, period):
    for user in (world.outsider, world.executive, world.csp_admin):
        with pytest.raises(PermissionDenied):
            do_add_finding(actor=user, period=period, kind="gap", text="x")
    assert not Finding.objects.exists()


def test_the_strategys_status_is_the_plans_latest_return(world, period, vv):
    from tests.vvrap.conftest import submit

    full = do_build_assessment(actor=world.analyst, period=period, area_code=BEXLEY).full_html
    assert "has no quarterly return yet" in full
    for item, lead, rag in ((vv.a41, world.owner, "amber"), (vv.a21, world.member, "green")):
        update = submit(item, lead, 2025, 1, rag)
        vvrap_services.do_sign_off_update(actor=vv.manager, update=update)
    full = do_build_assessment(actor=world.analyst, period=period, area_code=BEXLEY).full_html
    assert "as returned for" in full
    # By hand: action 4.1 (safeguarding) amber, action 2.1 (enforcement) green.
    amber_green = re.findall(r'numeric">(\d)</td><td[^>]*>(\d)</td><td[^>]*>(\d)</td>', full)
    assert ("0", "1", "0") in amber_green and ("0", "0", "1") in amber_green
