"""Minutes as PDF and Word: marked on every page, audited, only the exporter's visible cases."""

import io

from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from csphub.audit.models import AuditEvent
from tests.factories import PanelFactory
from tests.meetings.conftest import MEETING_DAY


def _docx_text(body: bytes) -> tuple[str, list[str], list[str]]:
    doc = Document(io.BytesIO(body))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    headers = [p.text for s in doc.sections for p in s.header.paragraphs]
    footers = [p.text for s in doc.sections for p in s.footer.paragraphs]
    return text, headers, footers


def test_word_minutes_carry_the_marking_in_header_and_footer_and_the_decision(client_for, minuted):
    response = client_for(minuted.coordinator).get(
        reverse("meetings:minutes_docx", args=[minuted.meeting.pk])
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        f'attachment; filename="minutes-vip-{MEETING_DAY:%Y-%m-%d}.docx"'
    )
    text, headers, footers = _docx_text(response.content)
    assert headers == ["OFFICIAL-SENSITIVE"] and footers == ["OFFICIAL-SENSITIVE"]
    # One section, no separate first-page or even-page header: the marking is on every page.
    document = Document(io.BytesIO(response.content))
    assert len(document.sections) == 1
    assert not document.sections[0].different_first_page_header_footer
    assert not document.settings.odd_and_even_pages_header_footer
    assert "Accept and visit" in text
    assert "Joint home visit" in text
    assert minuted.items[0].case.reference in text
    # Subjects are named by pseudonymous reference only.
    person = minuted.items[0].case.subjects.first().person
    assert person.family_name not in text


def test_pdf_minutes_are_a_pdf_with_the_marking_in_the_page_margins(client_for, minuted):
    response = client_for(minuted.member).get(
        reverse("meetings:minutes_pdf", args=[minuted.meeting.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # Read the PDF itself: the marking must be on every page, at the top and at the bottom.
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) >= 1
    for page in pages:
        heights: list[float] = []

        def at(text, cm, tm, font, size, heights=heights):  # type: ignore[no-untyped-def]
            if "OFFICIAL-SENSITIVE" in text:  # the text's origin on the page (y of cm x tm)
                heights.append(float(cm[1] * tm[4] + cm[3] * tm[5] + cm[5]))

        page.extract_text(visitor_text=at)
        top = float(page.mediabox.height)
        assert max(heights) > 0.9 * top and min(heights) < 0.1 * top, (heights, top)
    text = "\n".join(page.extract_text() for page in pages)
    assert minuted.items[0].case.reference in text and "Joint home visit" in text
    person = minuted.items[0].case.subjects.first().person
    assert person.family_name not in text


def test_exports_are_audited_with_format_and_the_cases_they_held(client_for, minuted):
    client = client_for(minuted.member)
    client.get(reverse("meetings:minutes_pdf", args=[minuted.meeting.pk]))
    client.get(reverse("meetings:minutes_docx", args=[minuted.meeting.pk]))
    events = AuditEvent.objects.filter(verb="meeting.minutes_exported").order_by("seq")
    held = sorted(i.case.reference for i in minuted.items)
    assert [(e.actor, e.payload["format"], sorted(e.payload["cases"])) for e in events] == [
        (minuted.member, "pdf", held),
        (minuted.member, "docx", held),
    ]
    assert {e.target_id for e in events} == {str(minuted.meeting.pk)}


def test_refused_exports_are_not_found_and_not_recorded_as_exports(client_for, minuted):
    for user in (minuted.outsider, minuted.other_coordinator):
        for name in ("meetings:minutes_pdf", "meetings:minutes_docx"):
            assert client_for(user).get(reverse(name, args=[minuted.meeting.pk])).status_code == 404
    assert not AuditEvent.objects.filter(verb="meeting.minutes_exported").exists()


def test_a_case_the_exporter_may_not_see_is_left_out_of_the_minutes(client_for, minuted):
    hidden = minuted.items[0].case
    hidden.owning_agency = minuted.council
    hidden.panel = PanelFactory(slug="other")
    hidden.save()
    text, _, _ = _docx_text(
        client_for(minuted.member)
        .get(reverse("meetings:minutes_docx", args=[minuted.meeting.pk]))
        .content
    )
    assert hidden.reference not in text
    assert "Joint home visit" not in text
    assert minuted.items[1].case.reference in text
    # Its audit event names the one case the file held, not the one left out.
    event = AuditEvent.objects.get(verb="meeting.minutes_exported")
    assert event.payload["cases"] == [minuted.items[1].case.reference]
