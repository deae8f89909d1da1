"""The Executive reads the boards' minutes through the action plan, without the meetings app's
`meetings.view_meetings`: a board's past meetings, their minutes as PDF and Word, and never a
meeting of a panel that holds case data."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from csphub.audit.models import AuditEvent
from csphub.meetings.models import AgendaItem, Meeting
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

MINUTES = "The group agreed the quarter three return to the VRU."


@pytest.fixture
def held(vv):
    now = timezone.now()
    past = Meeting.objects.create(
        panel=vv.board, scheduled_for=now - timedelta(days=20), location="Civic Offices"
    )
    past.minutes = MINUTES
    past.save()
    future = Meeting.objects.create(panel=vv.board, scheduled_for=now + timedelta(days=20))
    vip = Meeting.objects.create(panel=vv.p.vip, scheduled_for=now - timedelta(days=10))
    vip.minutes = "A case panel's minutes"
    vip.save()
    crest = Meeting.objects.create(panel=vv.p.crest, scheduled_for=now - timedelta(days=5))
    return past, future, vip, crest


def _docx_text(body: bytes) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)


def test_the_executive_lists_a_boards_past_meetings_and_downloads_their_minutes(
    vv, held, client_for
):
    past, future, _, _ = held
    client = client_for(vv.p.executive)
    boards = client.get(reverse("vvrap:board_list")).content.decode()
    minutes_url = reverse("vvrap:board_minutes", args=[vv.board.slug])
    assert minutes_url in boards
    page = client.get(minutes_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("vvrap:board_minutes_pdf", args=[past.pk]) in text
    assert reverse("vvrap:board_minutes_pdf", args=[future.pk]) not in text  # not yet held
    pdf = client.get(reverse("vvrap:board_minutes_pdf", args=[past.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("vvrap:board_minutes_docx", args=[past.pk]))
    assert docx.status_code == 200
    assert MINUTES in _docx_text(docx.content)
    exported = AuditEvent.objects.filter(
        verb="meeting.minutes_exported", actor=vv.p.executive, target_id=str(past.pk)
    )
    assert exported.count() == 2
    assert client.get(reverse("vvrap:board_minutes_pdf", args=[future.pk])).status_code == 404


def test_the_executive_gets_no_case_panels_minutes_and_no_meetings_pages(vv, held, client_for):
    past, _, vip, crest = held
    client = client_for(vv.p.executive)
    for meeting in (vip, crest):
        for name in ("vvrap:board_minutes_pdf", "vvrap:board_minutes_docx"):
            assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
    for slug in (vv.p.vip.slug, vv.p.crest.slug):
        assert client.get(reverse("vvrap:board_minutes", args=[slug])).status_code == 404
    # The least privilege: the meetings app stays closed to the executive, even for a board.
    assert not vv.p.executive.has_perm("meetings.view_meetings")
    assert client.get(reverse("meetings:minutes_pdf", args=[past.pk])).status_code in (403, 404)


def test_a_board_that_comes_to_hold_a_case_has_no_minutes_here(vv, held, client_for):
    past, _, _, _ = held
    url = reverse("vvrap:board_minutes_pdf", args=[past.pk])
    client = client_for(vv.p.executive)
    case = CaseFactory(panel=vv.board, owning_agency=vv.p.childrens)
    assert client.get(url).status_code == 404
    case.panel = vv.p.vip
    case.save()
    assert client.get(url).status_code == 200
    AgendaItem.objects.create(
        meeting=past, case=case, reason=AgendaItem._meta.get_field("reason").choices[0][0]
    )
    assert client.get(url).status_code == 404


def test_the_csp_manager_reads_them_too(vv, held, client_for):
    past, _, _, _ = held
    client = client_for(vv.manager)
    assert client.get(reverse("vvrap:board_minutes_docx", args=[past.pk])).status_code == 200


@pytest.mark.parametrize("name", ("outsider", "owner", "member"))
def test_others_signed_in_are_refused_the_minutes(vv, held, client_for, name):
    past, _, _, _ = held
    client = client_for(getattr(vv.p, name))
    assert client.get(reverse("vvrap:board_minutes", args=[vv.board.slug])).status_code == 404
    for url_name in ("vvrap:board_minutes_pdf", "vvrap:board_minutes_docx"):
        assert client.get(reverse(url_name, args=[past.pk])).status_code == 404
    boards = client.get(reverse("vvrap:board_list")).content.decode()
    assert reverse("vvrap:board_minutes", args=[vv.board.slug]) not in boards
    assert not AuditEvent.objects.filter(verb="meeting.minutes_exported").exists()


def test_anonymous_visitors_are_sent_to_sign_in(vv, held, client):
    past, _, _, _ = held
    for url in (
        reverse("vvrap:board_minutes", args=[vv.board.slug]),
        reverse("vvrap:board_minutes_pdf", args=[past.pk]),
        reverse("vvrap:board_minutes_docx", args=[past.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
