"""Letters from the partnership, as PDF (WeasyPrint) and DOCX (python-docx), from one `Letter`.

An app builds the letter's words from its own record (a tool or power, a case review) and
hands them here, so every letter carries the same letterhead: the partnership's name and
postal address (settings.PARTNERSHIP_NAME and PARTNERSHIP_ADDRESS), the date, the reference,
and the protective marking in the header and footer of every page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

MARKING = "OFFICIAL-SENSITIVE"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Block:
    """A paragraph of a letter, or (with ITEMS) a paragraph introducing a bulleted list."""

    text: str
    items: tuple[str, ...] = ()
    heading: str = ""


@dataclass(frozen=True)
class Letter:
    title: str  # what kind of letter it is ("Community protection warning")
    reference: str  # "Our reference": a case or review reference, never a name
    dated: date
    recipient: tuple[str, ...]  # name, then address lines
    salutation: str
    blocks: tuple[Block, ...]
    signed_by: str = ""
    marking: str = MARKING
    sender: tuple[str, ...] = field(default_factory=lambda: sender_lines())

    @property
    def dated_text(self) -> str:
        return f"{self.dated.day} {self.dated:%B %Y}"


def sender_lines() -> tuple[str, ...]:
    """The partnership's name and postal address, as its letters print them."""
    address = [line.strip() for line in str(settings.PARTNERSHIP_ADDRESS).split("|")]
    return (str(settings.PARTNERSHIP_NAME), *(line for line in address if line))


def address_lines(name: str, address: str) -> tuple[str, ...]:
    """NAME and the lines of ADDRESS (one a line, or separated by commas)."""
    lines = [p.strip() for line in address.splitlines() for p in line.split(",")]
    return (name, *(line for line in lines if line))


def letter_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML

    html = render_to_string("core/letter_pdf.html", {"letter": letter})
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def letter_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    for section in doc.sections:
        # One section, so this header and footer repeat on every page.
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0]
            paragraph.text = letter.marking
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.runs[0].bold = True
            paragraph.runs[0].font.size = Pt(11)
    sender = doc.add_paragraph("\n".join(letter.sender))
    sender.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("\n".join(letter.recipient))
    doc.add_paragraph(f"Our reference: {letter.reference}\nDate: {letter.dated_text}")
    doc.add_heading(letter.title, level=1)
    doc.add_paragraph(letter.salutation)
    for block in letter.blocks:
        if block.heading:
            doc.add_heading(block.heading, level=2)
        doc.add_paragraph(block.text)
        for item in block.items:
            doc.add_paragraph(item, style="List Bullet")
    doc.add_paragraph("Yours sincerely,")
    doc.add_paragraph("\n".join(line for line in (letter.signed_by, letter.sender[0]) if line))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def letter_response(letter: Letter, fmt: str, name: str) -> HttpResponse:
    """LETTER as a download in FMT ("pdf" or "docx"), saved as NAME.FMT; NAME says what the
    letter is and its reference, never whom it is to."""
    if fmt == "pdf":
        body, mime = letter_pdf(letter), "application/pdf"
    elif fmt == "docx":
        body, mime = letter_docx(letter), DOCX_TYPE
    else:
        raise ValueError(f"No such letter format: {fmt!r}")
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
