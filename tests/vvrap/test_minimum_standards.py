"""The minimum standards, checked from the data: board agendas' standing items (from meetings'
agendas), the monthly tasking meeting with its events tracker, the assessment's refresh."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from csphub.meetings import services as meeting_services
from csphub.meetings.models import Meeting
from csphub.panels.choices import MembershipRole
from csphub.vvrap import services
from csphub.vvrap.choices import BoardKind
from csphub.vvrap.compliance import MET, NO_MEETING, NOT_MET, STANDING_ITEMS, compliance
from csphub.vvrap.figures import standing_figures
from csphub.vvrap.models import Board
from tests.crime.conftest import crime_data_dir, months_total, with_crime_data  # noqa: F401
from tests.crime.test_figures_page import SERIOUS_VIOLENCE
from tests.factories import MembershipFactory, PanelFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


@pytest.fixture
def boards(vv):
    p = vv.p
    executive = PanelFactory(slug="executive-group", name="Executive Group", decisions=[])
    Board.objects.create(panel=executive, kind=BoardKind.EXECUTIVE)
    tasking = PanelFactory(slug="tasking", name="Violent crime tasking", decisions=[])
    Board.objects.create(panel=tasking, kind=BoardKind.TASKING, carries_standing_items=False)
    for panel in (executive, tasking):
        MembershipFactory(panel=panel, user=p.coordinator, role=MembershipRole.COORDINATOR)
    vv.executive_group, vv.tasking = executive, tasking
    return vv


def _month(standard, month):
    return next(m for m in standard.months if m.month == month)


def _standing(today):
    return next(s for s in compliance(today) if s.key == "standing_items")


def test_a_board_agenda_missing_a_standing_item_is_red_until_it_is_added(boards):
    coordinator = boards.p.coordinator
    meeting = meeting_services.do_schedule_meeting(
        actor=coordinator, panel=boards.executive_group, scheduled_for=_at(date(2025, 9, 16))
    )
    for key, _ in STANDING_ITEMS[:3]:
        meeting_services.do_add_topic(actor=coordinator, meeting=meeting, standing_item=key)
    september = _month(_standing(date(2025, 10, 5)), date(2025, 9, 1))
    assert september.state == NOT_MET
    assert september.notes == ["Executive Group, 16 September: no Stop and search"]
    # August had no board meeting at all: neither met nor failed.
    assert _month(_standing(date(2025, 10, 5)), date(2025, 8, 1)).state == NO_MEETING
    meeting_services.do_add_topic(
        actor=coordinator, meeting=meeting, standing_item="vvrap.stop_and_search"
    )
    september = _month(_standing(date(2025, 10, 5)), date(2025, 9, 1))
    assert (september.state, september.notes) == (MET, [])


def test_a_topic_typed_in_is_not_a_standing_item(boards):
    coordinator = boards.p.coordinator
    meeting = meeting_services.do_schedule_meeting(
        actor=coordinator, panel=boards.executive_group, scheduled_for=_at(date(2025, 9, 16))
    )
    for key, _ in STANDING_ITEMS[:3]:
        meeting_services.do_add_topic(actor=coordinator, meeting=meeting, standing_item=key)
    meeting_services.do_add_topic(actor=coordinator, meeting=meeting, title="Stop and search")
    assert _month(_standing(date(2025, 10, 5)), date(2025, 9, 1)).state == NOT_MET


def test_only_the_meetings_coordinator_adds_a_topic(boards):
    meeting = meeting_services.do_schedule_meeting(
        actor=boards.p.coordinator,
        panel=boards.executive_group,
        scheduled_for=_at(date(2025, 9, 16)),
    )
    for who in (boards.p.owner, boards.p.executive, boards.manager, boards.p.outsider):
        with pytest.raises(PermissionDenied):
            meeting_services.do_add_topic(actor=who, meeting=meeting, title="Anything")
    assert not meeting.topics.exists()


def test_the_compliance_page_turns_green_when_the_item_is_added(boards, client_for):
    coordinator = boards.p.coordinator
    today = timezone.localdate()
    meeting = meeting_services.do_schedule_meeting(
        actor=coordinator, panel=boards.executive_group, scheduled_for=_at(today.replace(day=1))
    )
    for key, _ in STANDING_ITEMS[1:]:
        meeting_services.do_add_topic(actor=coordinator, meeting=meeting, standing_item=key)
    row = f'data-month="{today:%Y-%m}" data-state="'
    page = client_for(boards.p.executive).get(reverse("vvrap:compliance")).content.decode()
    standing = page[page.index('id="standard-standing_items"') :]
    assert row + "not_met" in standing.split("</table>")[0]
    assert "no Knife, gun and serious violence performance" in standing
    client_for(coordinator).post(
        reverse("meetings:topic_add", args=[meeting.pk]),
        {"standing_item": "vvrap.performance", "title": ""},
    )
    assert meeting.topics.filter(standing_item="vvrap.performance").exists()
    page = client_for(boards.p.executive).get(reverse("vvrap:compliance")).content.decode()
    standing = page[page.index('id="standard-standing_items"') :].split("</table>")[0]
    assert row + "met" in standing


def test_a_month_without_a_tasking_meeting_fails_and_events_are_counted(boards):
    p = boards.p
    meeting_services.do_schedule_meeting(
        actor=p.coordinator, panel=boards.tasking, scheduled_for=_at(date(2025, 7, 8))
    )
    park = PlaceFactory(name="Danson Park", is_community_place=True)
    event = services.do_record_event(
        actor=boards.manager,
        happened_on=date(2025, 7, 3),
        place=park,
        kind="knife",
        risk_level="high",
        owning_agency=p.police,
        actions="Weapons sweep; extra patrols",
    )
    tasking = next(s for s in compliance(date(2025, 9, 10)) if s.key == "tasking")
    july, august = _month(tasking, date(2025, 7, 1)), _month(tasking, date(2025, 8, 1))
    assert july.state == MET and july.notes == ["Held 08 July", "1 open event on the tracker"]
    assert august.state == NOT_MET and august.notes == ["1 open event on the tracker"]
    services.do_close_event(actor=p.coordinator, event=event, closed_on=date(2025, 8, 20))
    tasking = next(s for s in compliance(date(2025, 9, 10)) if s.key == "tasking")
    assert _month(tasking, date(2025, 8, 1)).notes == ["0 open events on the tracker"]
    assert _month(tasking, date(2025, 7, 1)).notes[1] == "1 open event on the tracker"


def test_an_event_is_at_a_community_place_only(boards):
    case_place = PlaceFactory(name="A case's address area")
    with pytest.raises(Exception, match="community place"):
        services.do_record_event(
            actor=boards.manager,
            happened_on=date(2025, 7, 3),
            place=case_place,
            kind="knife",
            risk_level="high",
            owning_agency=boards.p.police,
        )


def test_the_tracker_is_kept_by_the_manager_and_the_tasking_coordinator_only(boards):
    park = PlaceFactory(name="Danson Park", is_community_place=True)
    for who in (boards.p.owner, boards.p.executive, boards.p.outsider, boards.p.anonymous):
        with pytest.raises(PermissionDenied):
            services.do_record_event(
                actor=who,
                happened_on=date(2025, 7, 3),
                place=park,
                kind="knife",
                risk_level="low",
                owning_agency=boards.p.police,
            )


def test_the_assessment_counts_for_twelve_months(boards):
    services.do_record_assessment(actor=boards.manager, refreshed_on=date(2024, 11, 15))
    assessment = next(s for s in compliance(date(2025, 12, 1), months=15) if s.key == "assessment")
    states = {m.month: m.state for m in assessment.months}
    assert states[date(2024, 10, 1)] == NOT_MET  # before the first refresh
    assert states[date(2024, 11, 1)] == MET
    assert states[date(2025, 10, 1)] == MET  # within 12 months of 15 November 2024
    assert states[date(2025, 11, 1)] == NOT_MET  # the month ends more than 12 months on


def test_board_meetings_hold_no_case_data(boards):
    meeting = meeting_services.do_schedule_meeting(
        actor=boards.p.coordinator,
        panel=boards.executive_group,
        # Still to come: a meeting whose day is over takes no new agenda.
        scheduled_for=timezone.now() + timedelta(days=7),
    )
    added = meeting_services.do_generate_agenda(actor=boards.p.coordinator, meeting=meeting)
    assert added == []
    assert Meeting.objects.get(pk=meeting.pk).items.count() == 0


def test_a_board_pack_names_the_missing_standing_item_and_carries_the_plan(
    boards, client_for, settings, tmp_path
):
    settings.DATA_DIR = tmp_path  # no crime warehouse
    coordinator = boards.p.coordinator
    meeting = meeting_services.do_schedule_meeting(
        actor=coordinator, panel=boards.executive_group, scheduled_for=_at(date(2025, 9, 16))
    )
    for key, _ in STANDING_ITEMS[:3]:
        meeting_services.do_add_topic(actor=coordinator, meeting=meeting, standing_item=key)
    update = services.do_save_update(
        actor=boards.p.owner,
        item=boards.a41,
        year=2025,
        quarter=1,
        narrative="n",
        proposed_rag="amber",
        rag_reason="r",
        submit=True,
    )
    services.do_sign_off_update(actor=boards.manager, update=update)
    page = client_for(boards.p.executive).get(reverse("vvrap:board_pack", args=[meeting.pk]))
    text = page.content.decode()
    assert "does not carry the standing item: Stop and search." in text
    assert "RAG by theme, 2025-26 Q1" in text
    assert "No police data has been imported yet." in text


def test_a_panel_meeting_has_no_board_pack(boards, client_for):
    vip_meeting = meeting_services.do_schedule_meeting(
        actor=boards.p.coordinator, panel=boards.p.vip, scheduled_for=_at(date(2025, 9, 16))
    )
    response = client_for(boards.p.coordinator).get(
        reverse("vvrap:board_pack", args=[vip_meeting.pk])
    )
    assert response.status_code == 404


def test_the_standing_figures_come_from_the_crime_engine(with_crime_data):  # noqa: F811
    """Serious violence for the latest 12 months (November 2024 to October 2025, the last month
    of the borough files), summed independently from the MPS CSV with the csv module."""
    figures = standing_figures("Bexley")
    assert figures.available
    assert figures.period == "year ending October 2025"
    by_label = {f.label: f for f in figures.figures}
    months = [f"2024{m}" for m in ("11", "12")] + [f"2025{m:02d}" for m in range(1, 11)]
    expected = months_total("Bexley", SERIOUS_VIOLENCE, months)
    assert by_label["Serious violence"].current == f"{expected:,}"
    assert "Knife crime" in by_label  # the dashboard's knife crime series
    assert figures.not_carried == ["Gun crime"]


def test_a_board_meetings_minutes_carry_its_topics(boards):
    import io

    from docx import Document

    from csphub.meetings.exports import minutes_docx, minutes_for

    coordinator = boards.p.coordinator
    meeting = meeting_services.do_schedule_meeting(
        actor=coordinator, panel=boards.executive_group, scheduled_for=_at(date(2025, 9, 16))
    )
    meeting_services.do_add_topic(
        actor=coordinator, meeting=meeting, standing_item="vvrap.performance"
    )
    meeting_services.do_add_topic(
        actor=coordinator, meeting=meeting, title="VRU feedback on the plan"
    )
    text = [
        p.text
        for p in Document(io.BytesIO(minutes_docx(minutes_for(coordinator, meeting)))).paragraphs
    ]
    start = text.index("Topics and standing items")
    assert text[start + 1 : start + 3] == [
        "Knife, gun and serious violence performance",
        "VRU feedback on the plan",
    ]
