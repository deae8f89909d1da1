"""In a real browser: a practitioner attaches a chronology to a case (scanned by the real
clamd), downloads it, and the download is in the audit trail; an EICAR file is refused on the
page with the scanner's finding, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

from csphub.audit.models import AuditEvent
from csphub.documents.models import Document
from tests.browser.conftest import axe_violations
from tests.clamd import EICAR, EICAR_SIGNATURE

CHRONOLOGY = b"03/02/2026 Missing overnight; found in Lewisham.\n05/02/2026 Return interview.\n"


def _documents_page(page, live_server, partnership) -> None:
    page.goto(f"{live_server.url}/cases/{partnership.case.pk}/")
    page.get_by_role("link", name="Documents", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Documents: Case ")


def _attach(page, name: str, content: bytes) -> None:
    page.get_by_label("What is the document?").select_option(label="Chronology")
    page.get_by_label("Upload a file").set_input_files(
        {"name": name, "mimeType": "text/plain", "buffer": content}
    )
    page.get_by_role("button", name="Attach document").click()


def test_a_chronology_is_attached_scanned_downloaded_and_the_download_audited(
    partnership, browser_page, live_server, browser_sign_in, scanner
):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 812})
    browser_sign_in(page, partnership.owner)
    _documents_page(page, live_server, partnership)

    _attach(page, "chronology.txt", CHRONOLOGY)

    assert "it was scanned and no threat was found" in page.content()
    link = page.get_by_role("link", name="chronology.txt", exact=True)
    assert link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page) == []
    document = Document.objects.get()
    assert document.case_id == partnership.case.pk

    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename == "chronology.txt"
    assert Path(download.path()).read_bytes() == CHRONOLOGY

    event = AuditEvent.objects.get(verb="document.downloaded")
    assert event.actor_id == partnership.owner.pk
    assert event.target_type == "documents.document"
    assert event.target_id == str(document.pk)
    assert event.payload["case"] == str(partnership.case.pk)


def test_an_eicar_file_is_refused_on_the_page_and_nothing_is_stored(
    partnership, browser_page, live_server, browser_sign_in, scanner, settings
):
    page = browser_page
    browser_sign_in(page, partnership.owner)
    _documents_page(page, live_server, partnership)

    _attach(page, "eicar.txt", EICAR)

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "contains a virus or other threat" in text and EICAR_SIGNATURE in text
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
    assert Document.objects.count() == 0
    root = Path(settings.DOCUMENTS_DIR)
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
