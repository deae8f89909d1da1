"""Build the annual partnership delivery report: the sections, their narrative, the appendix,
and the HTML and PDF made from them. The same inputs give byte-identical HTML: nothing in it
depends on when or by whom it was built (those are stored beside it, in AnnualReport)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from csphub.crime.selectors import definition_files, resolve_area
from csphub.reports.crime_section import CrimeSection, crime_section
from csphub.reports.models import Narrative
from csphub.reports.sections import BUILT, TITLES, WORDS_ONLY, Section
from csphub.reports.trace import Appendix, file_source, records_source

MARKING = "OFFICIAL"
NO_FIGURES = "This section holds no figures: it is the partnership's own account."
NO_NARRATIVE = "No narrative has been written for this section."


@dataclass
class Report:
    year: int
    area: str
    partnership: str
    crime: CrimeSection
    sections: list[Section]
    narrative: dict[str, Narrative]
    appendix: Appendix
    inputs: list[dict[str, str]] = field(default_factory=list)

    @property
    def contents(self) -> list[tuple[str, str]]:
        return [(s.key, s.title) for s in self.sections] + [("appendix", "Appendix: sources")]


def build(user: Any, year: int) -> Report:
    """Every section for YEAR, from what USER may see (the builder's access decides)."""
    appendix = Appendix()
    area = resolve_area(settings.CRIME_AREA).name
    crime = crime_section(area, year, appendix)
    built = {f.__name__: f(user, year, appendix) for f in BUILT}
    words = {key: Section(key, TITLES[key], absent=NO_FIGURES) for key in WORDS_ONLY}
    by_key = {"crime": Section("crime", TITLES["crime"]), **built, **words}
    narrative = {n.section: n for n in Narrative.objects.filter(year=year)}
    for key, section in by_key.items():
        section.narrative = narrative.get(key)
    report = Report(
        year=year,
        area=area,
        partnership=str(settings.PARTNERSHIP_NAME),
        crime=crime,
        sections=[by_key[k] for k in TITLES],
        narrative=narrative,
        appendix=appendix,
    )
    files = [file_source(p.name, p.read_bytes()) for p in definition_files()]
    texts = records_source("Narrative (csphub)", sorted((k, n.text) for k, n in narrative.items()))
    report.inputs = sorted(
        [*appendix.inputs, *({"name": f.name, "sha256": f.sha256} for f in [*files, texts])],
        key=lambda i: (i["name"], i["sha256"]),
    )
    return report


def _context(report: Report) -> dict[str, Any]:
    return {"r": report, "marking": MARKING, "no_narrative": NO_NARRATIVE}


def body_html(report: Report) -> str:
    """The report's content, as shown inside the service's pages."""
    return render_to_string("reports/annual_body.html", _context(report))


def document_html(body: str, year: int, stylesheet: str = "csphub.css") -> str:
    """A built report's body as a stand-alone HTML document, its GOV.UK styles linked from
    STYLESHEET (by default the csphub.css the command writes beside it)."""
    return render_to_string(
        "reports/annual_document.html",
        {
            "year": year,
            "partnership": settings.PARTNERSHIP_NAME,
            "body": body,
            "stylesheet": stylesheet,
        },
    )


def pdf_bytes(document: str) -> bytes:
    """A built report's stored HTML as PDF, so the PDF shows exactly what was stored: the
    print styles add the contents' page numbers and mark and number every page."""
    from weasyprint import CSS, HTML

    # The print styles replace the linked screen styles, which WeasyPrint is not given.
    print_css = render_to_string("reports/annual_print.css", {"marking": MARKING})
    return HTML(string=document).write_pdf(stylesheets=[CSS(string=print_css)])  # type: ignore[no-any-return]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
