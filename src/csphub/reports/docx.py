"""The annual report as a Word document, for partnerships that edit it in Word: the same
sections, sentences, tables and appendix as the HTML, each figure followed by its appendix
entry's number, and the protective marking on every page."""

from __future__ import annotations

import io
import re
from html import unescape

from csphub.meetings.exports import marked_document
from csphub.reports.build import MARKING, NO_NARRATIVE, Report
from csphub.reports.sections import Table
from csphub.reports.trace import Sentence


def _sentence(sentence: Sentence) -> str:
    """The sentence with each figure's entry after it once, e.g. "+6.8% [A2]"."""
    out = []
    for i, part in enumerate(sentence.parts):
        out.append(part.text)
        following = sentence.parts[i + 1 :]
        last_of_its_entry = not any(p.entry == part.entry for p in following if p.entry)
        if part.entry and last_of_its_entry:
            out.append(f" [{part.entry.upper()}]")
    return "".join(out)


def _table(doc: object, table: Table) -> None:
    doc.add_paragraph(  # type: ignore[attr-defined]
        f"{table.caption}" + (f" [{table.entry.upper()}]" if table.entry else ""),
        style="Caption",
    )
    grid = doc.add_table(rows=1, cols=len(table.head))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.head, strict=True):
        cell.text = text
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text


def _chart_text(svg: str) -> str:
    """What a chart shows, in words (its SVG title and description): Word cannot take SVG."""
    title = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S)
    return "Chart: " + " ".join(unescape(m.group(1)) for m in (title, desc) if m)


def docx_bytes(report: Report) -> bytes:
    doc = marked_document(MARKING)
    doc.add_heading(f"Partnership delivery in {report.year}", level=0)
    doc.add_paragraph(f"{report.partnership}: the annual partnership delivery report.")
    for section in report.sections:
        doc.add_heading(section.title, level=1)
        narrative = section.narrative
        for para in narrative.paragraphs if narrative and narrative.text else [NO_NARRATIVE]:
            doc.add_paragraph(para)
        if section.key == "crime":
            crime = report.crime
            if crime.absent:
                doc.add_paragraph(crime.absent)
                continue
            for sentence in crime.sentences:
                doc.add_paragraph(_sentence(sentence))
            doc.add_paragraph(crime.caveat)
            for chart in crime.charts:
                doc.add_paragraph(_chart_text(chart))
            for t in crime.tables:
                head = ["Area", crime.previous_label, crime.current_label, "Change", "Exact test"]
                rows = [
                    [x["name"], x["previous"], x["current"], x["change"], x["verdict"]]
                    for x in t["lines"]
                ]
                _table(doc, Table(t["label"], head, rows, t["entry"]))
            continue
        if section.absent:
            doc.add_paragraph(section.absent)
        for sentence in section.sentences:
            doc.add_paragraph(_sentence(sentence))
        for table in section.tables:
            _table(doc, table)
    doc.add_heading("Appendix: sources", level=1)
    for e in report.appendix.entries:
        doc.add_heading(f"{e.key.upper()}. {e.title}", level=2)
        sources = "; ".join(f"{s.name} (SHA-256 {s.sha256})" for s in e.sources) or "None"
        for label, value in (
            ("Sources", sources),
            ("Period", e.period),
            ("Definition", e.definition),
            ("Computation", e.computation),
            ("Suppression", e.suppression),
        ):
            doc.add_paragraph(f"{label}: {value}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
