"""ASB casework on the case page and its own pages, as owner, colleague, member, reader,
outsider and anonymous visitor."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from csphub.asb import services
from csphub.asb.models import Incident, RiskAssessment, ToolUse
from csphub.audit.models import AuditEvent
from tests.asb.conftest import answers, form_answers
from tests.stale_saves import row, save_both


def _case_page(client, case):
    return client.get(reverse("panels:case_detail", kwargs={"case_id": case.pk}))


def _records(partnership, asb):
    assessment = services.do_record_risk_assessment(
        actor=partnership.owner,
        case=asb.case,
        answers=answers("repeat", "fear", "health"),
        assessed_on=date(2026, 1, 5),
    )
    incident = services.do_log_incident(
        actor=partnership.owner,
        case=asb.case,
        occurred_on=date(2026, 1, 4),
        kind="noise",
        description="Music until 3am from flat 3",
        reported_by="victim",
        police_reference="CAD 1234",
    )
    tool = services.do_record_tool(
        actor=partnership.owner,
        case=asb.case,
        kind="cpw",
        status="issued",
        recipient_name="Dean Marsh",
        recipient_address="Flat 3, 10 Example Road\nWelling",
        behaviour="playing loud music late at night",
        requirements="Stop playing amplified music after 11pm\nKeep the communal door shut",
        issued_on=date(2026, 1, 10),
        review_on=date(2026, 2, 10),
    )
    return assessment, incident, tool


@pytest.mark.parametrize("who", ["owner", "colleague", "member", "coordinator", "assignee"])
def test_those_who_work_the_case_see_the_asb_section_and_may_record(
    partnership, asb, client_for, who
):
    _records(partnership, asb)
    user = asb.assignee if who == "assignee" else getattr(partnership, who)
    page = _case_page(client_for(user), asb.case).content.decode()
    # 1 + 2 + 2 = 5: standard risk
    assert "Standard risk" in page and "score 5 of 19" in page
    assert "Music until 3am from flat 3" in page and "CAD 1234" in page
    assert "Community protection warning" in page
    assert reverse("asb:incident_new", kwargs={"case_id": asb.case.pk}) in page
    assert "letter.pdf" in page


def test_the_timeline_reads_in_plain_english(partnership, asb, client_for):
    _records(partnership, asb)
    page = _case_page(client_for(partnership.owner), asb.case).content.decode()
    assert "Victim risk assessment recorded: Standard risk" in page
    assert "Incident logged: Noise on 04 Jan 2026" in page
    assert "Community protection warning recorded" in page
    assert "asb.assessment_recorded" not in page and "asb.tool_recorded" not in page


def test_a_reader_sees_the_section_but_no_way_to_change_it(partnership, asb, client_for):
    *_, tool = _records(partnership, asb)
    reader = client_for(asb.reader)
    page = _case_page(reader, asb.case).content.decode()
    assert "Music until 3am from flat 3" in page
    assert reverse("asb:incident_new", kwargs={"case_id": asb.case.pk}) not in page
    assert "letter.pdf" not in page
    new = reader.get(reverse("asb:assessment_new", kwargs={"case_id": asb.case.pk}))
    assert new.status_code == 403 and "Only the co-ordinator" in new.content.decode()
    kwargs = {"case_id": asb.case.pk, "tool_id": tool.pk}
    assert reader.get(reverse("asb:tool_letter_pdf", kwargs=kwargs)).status_code == 403


def test_a_case_of_another_panel_has_no_asb_section(partnership, client_for):
    page = _case_page(client_for(partnership.owner), partnership.case).content.decode()
    assert "Victim risk assessment" not in page and "Incident log" not in page
    url = reverse("asb:incident_new", kwargs={"case_id": partnership.case.pk})
    assert client_for(partnership.coordinator).get(url).status_code == 404


def _pages(asb, assessment, incident, tool):
    case = {"case_id": asb.case.pk}
    return [
        reverse("asb:assessment_new", kwargs=case),
        reverse("asb:assessment_detail", kwargs={**case, "assessment_id": assessment.pk}),
        reverse("asb:incident_new", kwargs=case),
        reverse("asb:incident_edit", kwargs={**case, "incident_id": incident.pk}),
        reverse("asb:tool_new", kwargs=case),
        reverse("asb:tool_edit", kwargs={**case, "tool_id": tool.pk}),
        reverse("asb:tool_letter_pdf", kwargs={**case, "tool_id": tool.pk}),
        reverse("asb:tool_letter_docx", kwargs={**case, "tool_id": tool.pk}),
    ]


def test_an_outsider_is_told_nothing_exists(partnership, asb, client_for):
    outsider = client_for(partnership.outsider)
    for url in _pages(asb, *_records(partnership, asb)):
        response = outsider.get(url)
        assert response.status_code == 404, url
        assert "Dean Marsh" not in response.content.decode()
    assert "Music until 3am" not in _case_page(outsider, asb.case).content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(partnership, asb):
    for url in _pages(asb, *_records(partnership, asb)):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_assessment_recorded_through_the_form_is_scored_and_shown(partnership, asb, client_for):
    client = client_for(partnership.member)
    url = reverse("asb:assessment_new", kwargs={"case_id": asb.case.pk})
    form = client.get(url).content.decode()
    assert "Is the victim afraid to leave their home" in form
    response = client.post(
        url,
        {**form_answers("hate", "vulnerable", "violence"), "assessed_on": "06/01/2026"},
    )
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    # hate 2 + vulnerable 2 + violence 2 = 6: medium
    assert (assessment.total, assessment.band, assessment.assessed_by) == (
        6,
        "medium",
        partnership.member,
    )
    detail = client.get(
        reverse(
            "asb:assessment_detail",
            kwargs={"case_id": asb.case.pk, "assessment_id": assessment.pk},
        )
    ).content.decode()
    assert "Medium risk" in detail and "6 of 19" in detail


def test_an_unanswered_question_is_named_in_the_error(partnership, asb, client_for):
    client = client_for(partnership.owner)
    data = form_answers()
    del data["q_fear"]
    response = client.post(
        reverse("asb:assessment_new", kwargs={"case_id": asb.case.pk}),
        {**data, "assessed_on": "06/01/2026"},
    )
    assert response.status_code == 200
    assert "Answer the question: Is the victim afraid to leave their home" in (
        response.content.decode()
    )
    assert not RiskAssessment.objects.exists()


def test_a_stale_incident_edit_is_refused_with_409(partnership, asb, client_for):
    _, incident, _ = _records(partnership, asb)
    url = reverse("asb:incident_edit", kwargs={"case_id": asb.case.pk, "incident_id": incident.pk})
    data = {
        "occurred_on": "04/01/2026",
        "kind": "noise",
        "reported_by": "victim",
        "police_reference": "CAD 1234",
    }
    save_both(
        client_for(partnership.owner),
        client_for(partnership.coordinator),
        url,
        {**data, "description": "Music and shouting until 3am"},
        {**data, "description": "Music until 2am"},
        lambda: row(incident),
    )
    assert Incident.objects.get().description == "Music and shouting until 3am"


def test_a_stale_tool_edit_is_refused_with_409(partnership, asb, client_for):
    _, _, tool = _records(partnership, asb)
    url = reverse("asb:tool_edit", kwargs={"case_id": asb.case.pk, "tool_id": tool.pk})
    data = {
        "recipient_name": "Dean Marsh",
        "behaviour": "playing loud music late at night",
        "issued_on": "10/01/2026",
        "review_on": "10/02/2026",
    }
    save_both(
        client_for(partnership.owner),
        client_for(asb.assignee),
        url,
        {**data, "status": "served", "served_on": "11/01/2026"},
        {**data, "status": "withdrawn"},
        lambda: row(tool),
    )
    assert ToolUse.objects.get().status == "served"


def test_the_letter_downloads_as_pdf_with_the_partnership_address_and_is_audited(
    partnership, asb, client_for, settings
):
    settings.PARTNERSHIP_ADDRESS = "Civic Offices|2 Watling Street|Bexleyheath|DA6 7AT"
    _, _, tool = _records(partnership, asb)
    kwargs = {"case_id": asb.case.pk, "tool_id": tool.pk}
    response = client_for(partnership.owner).get(reverse("asb:tool_letter_pdf", kwargs=kwargs))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="cpw-{asb.case.reference}.pdf"'
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "Civic Offices",
        "Bexleyheath",
        "DA6 7AT",
        "Dean Marsh",
        "Flat 3",
        "section 43",
        "Stop playing amplified music after 11pm",
        "10 February 2026",
        f"Our reference: {asb.case.reference}",
        "OFFICIAL-SENSITIVE",
    ):
        assert expected in text, expected
    event = AuditEvent.objects.get(verb="asb.letter_downloaded")
    assert event.target_id == str(tool.pk)
    assert event.payload["format"] == "pdf" and event.payload["kind"] == "cpw"
    assert "Dean" not in str(event.payload)


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("warning_letter", "This behaviour is anti-social"),
        ("abc", "acceptable behaviour contract"),
        ("cpn", "You may appeal against this notice to a magistrates' court within 21 days"),
        ("injunction", "contempt of court"),
        ("closure", "section 80"),
    ],
)
def test_each_tool_letter_downloads_as_docx(partnership, asb, client_for, settings, kind, words):
    tool = services.do_record_tool(
        actor=partnership.owner,
        case=asb.case,
        kind=kind,
        recipient_name="Dean Marsh",
        behaviour="playing loud music late at night",
    )
    kwargs = {"case_id": asb.case.pk, "tool_id": tool.pk}
    response = client_for(asb.assignee).get(reverse("asb:tool_letter_docx", kwargs=kwargs))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert words in text
    assert settings.PARTNERSHIP_NAME in text
    assert doc.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert AuditEvent.objects.filter(verb="asb.letter_downloaded", target_id=str(tool.pk)).count()
