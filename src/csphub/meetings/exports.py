"""Minutes a chair can circulate, as PDF (WeasyPrint) and DOCX (python-docx).

Both carry the protective marking in the header and footer of every page. Both are built from
one context, made through the exporter's selectors, so a case the exporter may not see is in
neither.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from csphub.meetings.models import Action, AgendaItem, AgendaTopic, Attendance, Meeting
from csphub.meetings.quorum import Quorum, quorum_of
from csphub.meetings.selectors import agenda_visible_to, meeting_actions_of, split_agenda

MARKING = "OFFICIAL-SENSITIVE"


@dataclass
class MinutesContent:
    meeting: Meeting
    attendance: list[Attendance]
    items: list[AgendaItem]
    place_items: list[AgendaItem]
    meeting_actions: list[Action]
    generated_at: Any
    marking: str = MARKING
    topics: list[AgendaTopic] = field(default_factory=list)
    quorum: Quorum | None = None

    @property
    def place_offset(self) -> int:
        """Cases about places are numbered on from the cases about people."""
        return len(self.items)

    @property
    def case_count(self) -> int:
        return len(self.items) + len(self.place_items)

    @property
    def title(self) -> str:
        return f"{self.meeting.panel.name}: minutes of the meeting of {self.meeting.meeting_date:%d %B %Y}"


def minutes_for(user: Any, meeting: Meeting) -> MinutesContent:
    people, places = split_agenda(list(agenda_visible_to(user, meeting)))
    return MinutesContent(
        meeting=meeting,
        attendance=list(meeting.attendance.select_related("agency")),
        items=people,
        place_items=places,
        meeting_actions=list(meeting_actions_of(meeting)),
        generated_at=timezone.localtime(),
        topics=list(meeting.topics.all()),
        quorum=quorum_of(meeting),
    )


def _item_heading(number: int, item: AgendaItem) -> str:
    heading = f"{number}. Case {item.case.reference}"
    if getattr(item, "is_place", False):
        labels = [s.place.label for s in getattr(item.case, "place_subjects", []) if s.place]
        heading += f": {', '.join(labels)}" if labels else ""
    return f"{heading} ({item.get_reason_display()})"


def minutes_pdf(content: MinutesContent) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "meetings/minutes_pdf.html",
        {
            "c": content,
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        },
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def marked_document(marking: str) -> Any:
    """A new Word document whose header and footer carry MARKING on every page (the annual
    report's DOCX uses it too)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    for section in doc.sections:
        # One section, so this header and footer repeat on every page.
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0]
            paragraph.text = marking
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.runs[0].bold = True
            paragraph.runs[0].font.size = Pt(11)
    return doc


def minutes_docx(content: MinutesContent) -> bytes:
    doc = marked_document(MARKING)
    meeting = content.meeting
    doc.add_heading(content.title, level=1)
    doc.add_paragraph(str(settings.PARTNERSHIP_NAME))
    details = doc.add_table(rows=0, cols=2)
    details.style = "Table Grid"
    local = timezone.localtime(meeting.scheduled_for)
    for label, value in (
        ("Date and time", f"{local:%d %B %Y, %H:%M}"),
        ("Where", meeting.location or "Not recorded"),
        ("Chair", meeting.chair.full_name if meeting.chair else "Not recorded"),
    ):
        row = details.add_row().cells
        row[0].text, row[1].text = label, value

    doc.add_heading("Attendance", level=2)
    if content.quorum is not None:
        _docx_people(doc, content.quorum)
    if content.attendance:
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("Agency", "Attendance", "Represented by"), strict=True
        ):
            cell.text = text
        for a in content.attendance:
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = (
                a.agency.name,
                a.get_status_display(),
                a.representative,
            )
    else:
        doc.add_paragraph("Attendance was not recorded.")

    if meeting.minutes:
        doc.add_heading("General minutes", level=2)
        for para in meeting.minutes.splitlines():
            if para.strip():
                doc.add_paragraph(para)

    if content.topics:
        doc.add_heading("Topics and standing items", level=2)
        for topic in content.topics:
            doc.add_paragraph(topic.title, style="List Number")

    doc.add_heading("Cases discussed", level=2)
    if not content.items:
        doc.add_paragraph("No cases.")
    for number, item in enumerate(content.items, start=1):
        _docx_item(doc, number, item)

    doc.add_heading("Locations and themes", level=2)
    doc.add_heading("Cases about places", level=3)
    if not content.place_items:
        doc.add_paragraph("No cases about places.")
    for number, item in enumerate(content.place_items, start=content.place_offset + 1):
        _docx_item(doc, number, item)
    doc.add_heading("Actions for the meeting", level=3)
    if not content.meeting_actions:
        doc.add_paragraph("None.")
    for action in content.meeting_actions:
        doc.add_paragraph(
            f"{action.about}: {action.description} — {action.owning_agency.name} "
            f"({action.owner.full_name}), due {action.due_on:%d %B %Y}, "
            f"{action.get_status_display().lower()}",
            style="List Bullet",
        )
    doc.add_paragraph(
        f"Produced {content.generated_at:%d %B %Y at %H:%M}. {MARKING}: share only with the "
        "panel's members under the information-sharing agreement."
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_people(doc: Any, quorum: Quorum) -> None:
    """Who attended by name, who sent apologies, and the quorum (attendees are staff: named)."""
    for label, people in (("Present", quorum.present), ("Apologies", quorum.apologies)):
        if people:
            names = ", ".join(_named(a) for a in people)
            doc.add_paragraph(f"{label}: {names}.")
    doc.add_paragraph(f"Quorum: {quorum.summary}")


def _named(attendance: Any) -> str:
    agency = attendance.agency.name if attendance.agency else ""
    return f"{attendance.person.full_name} ({agency})" if agency else attendance.person.full_name


def _docx_item(doc: Any, number: int, item: AgendaItem) -> None:
    doc.add_heading(_item_heading(number, item), level=3)
    if item.discussion:
        doc.add_paragraph(f"Discussion: {item.discussion}")
    asked = list(item.information_requests.all())
    if asked:
        doc.add_paragraph("Research from agencies:")
        for request in asked:
            answer = request.answer if request.is_answered else "not answered"
            doc.add_paragraph(f"{request.agency.name}: {answer}", style="List Bullet")
    doc.add_paragraph(f"Decision: {item.decision or 'No decision recorded.'}")
    for action in item.actions.all():
        doc.add_paragraph(
            f"{action.description} — {action.owning_agency.name} "
            f"({action.owner.full_name}), due {action.due_on:%d %B %Y}, "
            f"{action.get_status_display().lower()}",
            style="List Bullet",
        )
