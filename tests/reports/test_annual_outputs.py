"""The built report: byte-identical HTML from the same inputs, stored with its inputs' hashes;
the command's HTML and PDF on the real data, the PDF read back page by page with poppler."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from PIL import Image

from csphub.reports.build import document_html
from csphub.reports.models import AnnualReport
from csphub.reports.sections import TITLES
from csphub.reports.services import do_build_annual_report, do_save_narrative

pytestmark = pytest.mark.django_db

CHART_BLUE = (0x1D, 0x70, 0xB8)  # the current year's line (csphub.crime.svg.BLUE)


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"poppler-utils ({tool}) is not installed: run make setup"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _pixels(png: Path, colour: tuple[int, int, int]) -> int:
    """How many pixels of the page are exactly COLOUR."""
    image = Image.open(png).convert("RGB")
    counts = image.getcolors(maxcolors=image.width * image.height) or []
    return next((n for n, c in counts if c == colour), 0)


def test_the_same_inputs_give_byte_identical_html(with_crime_data: Path, make_user: Any) -> None:
    manager = make_user("csp_admin")
    first = do_build_annual_report(actor=manager, year=2023)
    second = do_build_annual_report(actor=make_user("analyst"), year=2023)
    assert first.html == second.html and first.html_sha256 == second.html_sha256
    assert first.inputs == second.inputs
    names = {i["name"] for i in first.inputs}
    assert {"measures.yaml", "caveats.yaml", "Narrative (csphub)"} <= names
    assert any(n.startswith("MPS Borough Level Crime") for n in names)
    # A changed input is a different report, and its narrative input hash says so.
    do_save_narrative(actor=manager, year=2023, section="crime", text="Crime rose slightly.")
    third = do_build_annual_report(actor=manager, year=2023)
    assert third.html_sha256 != first.html_sha256
    assert '<p class="govuk-body">Crime rose slightly.</p>' in third.html
    before = {i["name"]: i["sha256"] for i in first.inputs}
    after = {i["name"]: i["sha256"] for i in third.inputs}
    assert before["Narrative (csphub)"] != after["Narrative (csphub)"]
    assert before["measures.yaml"] == after["measures.yaml"]


def test_the_command_builds_html_and_pdf_with_contents_page_numbers_and_charts(
    with_crime_data: Path, make_user: Any, tmp_path: Path
) -> None:
    pdftoppm, pdftotext = _poppler("pdftoppm"), _poppler("pdftotext")
    manager = make_user("csp_admin")
    call_command("report_annual", year=2023, output=str(tmp_path), by=manager.email)
    stored = AnnualReport.objects.get()
    assert stored.built_by == manager and stored.signed_off_by is None
    html = (tmp_path / "partnership-delivery-2023.html").read_text(encoding="utf-8")
    assert html == document_html(stored.html, 2023)
    assert (tmp_path / "csphub.css").stat().st_size > 0
    assert html.count("<svg") == 2

    pdf = tmp_path / "partnership-delivery-2023.pdf"
    subprocess.run([pdftoppm, "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")[: len(pages)]
    # Each section and the appendix starts a page after the title page and its contents.
    assert len(pages) >= 1 + len(TITLES) + 1
    assert len(text) == len(pages)
    assert all(f"Page {n} of {len(pages)}" in t for n, t in enumerate(text, 1))
    assert all(t.count("OFFICIAL") >= 2 for t in text)  # marked at the top and the bottom
    contents = text[0]
    assert "Contents" in contents
    listed = dict(re.findall(r"^\s*\d+\.\s+(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M))
    assert list(listed) == [*TITLES.values(), "Appendix: sources"]
    for title, number in listed.items():
        # The page the contents gives is the page the section's heading is on.
        assert title in text[int(number) - 1].replace("\n", " ")
    crime_page = next(i for i, t in enumerate(text) if "There was an increase" in t)
    chart_pages = [i for i, png in enumerate(pages) if _pixels(png, CHART_BLUE) > 50]
    assert chart_pages and min(chart_pages) >= crime_page
    assert "Homicide" in "".join(text) and "possession of weapons offences" in "".join(text)


def test_the_word_document_has_every_section_its_figures_and_their_entries(
    with_crime_data: Path, make_user: Any, tmp_path: Path
) -> None:
    from docx import Document

    manager = make_user("csp_admin")
    call_command("report_annual", year=2023, output=str(tmp_path), by=manager.email)
    doc = Document(str(tmp_path / "partnership-delivery-2023.docx"))
    headings = [p.text for p in doc.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings == [*TITLES.values(), "Appendix: sources"]
    text = [p.text for p in doc.paragraphs]
    sv = next(t for t in text if "serious violence offences across London" in t)
    # Each figure's entry follows its last figure: serious violence is entry A2.
    assert sv.startswith("There was an increase of +6.8% in serious violence") and "[A2]" in sv
    assert any(t.startswith("Chart: Serious violence (MPS definition), Bexley") for t in text)
    assert doc.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert any(p.text.startswith("A2. Serious violence") for p in doc.paragraphs)
