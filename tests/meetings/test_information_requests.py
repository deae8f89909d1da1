"""Pre-meeting information requests: the co-ordinator asks agencies for their research on each
case on the agenda; only the asked agency's panel members answer; only those who may open the
case read the answer; answers go into the meeting's pack; overdue requests show."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from csphub.accounts.roles import PRACTITIONER
from csphub.core.concurrency import EditConflict
from csphub.meetings import services
from csphub.meetings.models import InformationRequest
from csphub.meetings.selectors import information_requests_visible_to
from csphub.panels.models import TimelineEntry
from tests.factories import MembershipFactory
from tests.meetings.conftest import MEETING_DAY


@pytest.fixture
def asked(world, make_user, django_capture_on_commit_callbacks):
    """The police asked about both cases on the agenda, due a week before the meeting."""
    world.items = services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    # A police officer who does not sit on the panel: may not answer for the police.
    world.colleague = make_user(PRACTITIONER, agency=world.police, email="colleague@example.test")
    world.due = MEETING_DAY - timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        world.requests = services.do_request_information(
            actor=world.coordinator,
            meeting=world.meeting,
            agencies=[world.police],
            due_on=world.due,
        )
    return world


def test_the_asked_agency_is_asked_about_every_case_and_told_by_reference(asked):
    assert sorted((r.item.case_id, r.agency, r.due_on) for r in asked.requests) == sorted(
        (i.case_id, asked.police, asked.due) for i in asked.items
    )
    [email] = mail.outbox  # the police member on the panel; not the colleague off it
    assert email.to == ["member@example.test"]
    assert email.subject == (
        "Your agency's research is asked for on 2 cases before the Violence Intervention Panel "
        f"meeting of {MEETING_DAY:%d %B %Y}, due {asked.due:%d %B %Y}"
    )
    assert reverse("meetings:information_requests") in email.body


def test_the_due_date_must_fall_before_the_meeting(world):
    services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    for due in (MEETING_DAY, timezone.localdate() - timedelta(days=1)):
        with pytest.raises(ValidationError):
            services.do_request_information(
                actor=world.coordinator, meeting=world.meeting, agencies=[world.police], due_on=due
            )
    assert not InformationRequest.objects.exists()


def test_only_agencies_on_the_panel_are_asked(world, school):
    services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    with pytest.raises(ValidationError):
        services.do_request_information(
            actor=world.coordinator,
            meeting=world.meeting,
            agencies=[school],
            due_on=MEETING_DAY - timedelta(days=1),
        )
    assert not InformationRequest.objects.exists()


def test_only_the_coordinator_asks(world):
    services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    for actor in (world.member, world.outsider, world.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.do_request_information(
                actor=actor,
                meeting=world.meeting,
                agencies=[world.police],
                due_on=MEETING_DAY - timedelta(days=1),
            )
    assert not InformationRequest.objects.exists()


def test_a_member_of_the_asked_agency_answers_and_it_goes_on_the_timeline(asked):
    first = asked.requests[0]
    services.do_answer_information_request(
        actor=asked.member, information_request=first, answer="Two call-outs in March."
    )
    first.refresh_from_db()
    assert (first.answer, first.answered_by) == ("Two call-outs in March.", asked.member)
    entry = TimelineEntry.objects.get(case=first.item.case, kind="meeting.information_given")
    assert entry.summary == (
        "Research from Metropolitan Police for the Violence Intervention Panel meeting of "
        f"{MEETING_DAY:%d %B %Y}"
    )


def test_no_one_else_answers(asked):
    first = asked.requests[0]
    for actor in (asked.coordinator, asked.colleague, asked.outsider, asked.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.do_answer_information_request(
                actor=actor, information_request=first, answer="Made up"
            )
    first.refresh_from_db()
    assert first.answer == "" and first.answered_at is None


def test_an_answer_saved_over_a_colleagues_is_refused(asked, make_user):
    second = make_user(PRACTITIONER, agency=asked.police)
    MembershipFactory(panel=asked.panel, user=second)
    first = asked.requests[0]
    version = first.version
    services.do_answer_information_request(
        actor=asked.member, information_request=first, answer="Ours", expected_version=version
    )
    with pytest.raises(EditConflict):
        services.do_answer_information_request(
            actor=second,
            information_request=InformationRequest.objects.get(pk=first.pk),
            answer="Older",
            expected_version=version,
        )
    assert InformationRequest.objects.get(pk=first.pk).answer == "Ours"


def test_only_those_who_may_open_the_case_read_the_answer(asked):
    visible = {
        who: set(information_requests_visible_to(getattr(asked, who)))
        for who in ("coordinator", "member", "colleague", "outsider", "other_coordinator")
    }
    assert visible["coordinator"] == set(asked.requests) == visible["member"]
    assert visible["colleague"] == visible["outsider"] == visible["other_coordinator"] == set()


def test_the_asked_member_answers_on_the_page(client_for, asked):
    first = asked.requests[0]
    url = reverse("meetings:information_request_detail", args=[first.pk])
    response = client_for(asked.member).post(
        url, {"answer": "Known to neighbourhood team.", "version": first.version}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.answer == "Known to neighbourhood team."
    # The co-ordinator reads it but may not answer; the others do not find it.
    page = client_for(asked.coordinator).get(url)
    assert page.status_code == 200 and "Known to neighbourhood team." in page.content.decode()
    assert client_for(asked.coordinator).post(url, {"answer": "x"}).status_code == 403
    for who in (asked.colleague, asked.outsider, asked.other_coordinator):
        response = client_for(who).get(url)
        assert response.status_code == 404
        assert b"neighbourhood" not in response.content
    assert Client().get(url).status_code == 302


def test_the_list_shows_what_the_agency_is_asked_and_what_is_overdue(
    client_for, asked, monkeypatch
):
    url = reverse("meetings:information_requests")
    page = client_for(asked.member).get(url).content.decode()
    assert page.count(">Waiting<") == 2  # a row for each case
    assert "Overdue" not in page
    late = asked.due + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: late)
    page = client_for(asked.member).get(url).content.decode()
    assert page.count("govuk-tag--red") == 2
    meeting_page = client_for(asked.coordinator).get(
        reverse("meetings:meeting_detail", args=[asked.meeting.pk])
    )
    assert meeting_page.content.decode().count('govuk-tag--red">Overdue') == 2
    assert client_for(asked.outsider).get(url).content.decode().count("Case ") == 0


def test_the_coordinator_asks_on_the_form(client_for, world):
    services.do_generate_agenda(actor=world.coordinator, meeting=world.meeting)
    url = reverse("meetings:information_request_create", args=[world.meeting.pk])
    due = MEETING_DAY - timedelta(days=3)
    response = client_for(world.coordinator).post(
        url, {"agencies": [world.police.pk], "due_on": f"{due:%d/%m/%Y}"}
    )
    assert response.status_code == 302
    assert InformationRequest.objects.filter(agency=world.police, due_on=due).count() == 2
    assert client_for(world.member).get(url).status_code == 403
    assert client_for(world.other_coordinator).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_answers_go_into_the_meetings_pack(client_for, asked):
    services.do_answer_information_request(
        actor=asked.member, information_request=asked.requests[0], answer="Seen at the Broadway."
    )
    body = client_for(asked.coordinator).get(
        reverse("meetings:minutes_docx", args=[asked.meeting.pk])
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(body.content)).paragraphs)
    assert "Metropolitan Police: Seen at the Broadway." in text
    assert "Metropolitan Police: not answered" in text
