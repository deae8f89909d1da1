"""Documents on a case: scanned by a real clamd, stored by a random name, downloaded only by
those who may open the case, every download audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.documents import services
from csphub.documents.models import Document
from csphub.documents.storage import path_of
from csphub.panels.models import TimelineEntry
from tests.clamd import EICAR, EICAR_SIGNATURE

CHRONOLOGY = b"12/01/2026 Missing from home overnight.\n14/01/2026 Found in Lewisham.\n"


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _attach(client, case, name: str, content: bytes, kind: str = "chronology"):
    return client.post(
        reverse("documents:case_documents", kwargs={"case_id": case.pk}),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="text/plain")},
    )


def test_an_eicar_file_is_refused_with_a_clear_message_and_nothing_is_stored(
    partnership, client_for, scanner, settings
):
    response = _attach(client_for(partnership.owner), partnership.case, "eicar.txt", EICAR)

    assert response.status_code == 200  # the form again, with the error
    text = response.content.decode()
    assert "contains a virus or other threat" in text
    assert EICAR_SIGNATURE in text
    assert "nothing was stored" in text
    assert Document.objects.count() == 0
    assert _files(Path(settings.DOCUMENTS_DIR)) == []
    refusal = AuditEvent.objects.get(verb="document.refused_infected")
    assert refusal.target_id == str(partnership.case.pk)
    assert refusal.payload["signature"] == EICAR_SIGNATURE
    assert not TimelineEntry.objects.filter(case=partnership.case, kind="document.attached")


def test_the_service_itself_refuses_an_eicar_file(partnership, scanner, settings):
    from csphub.core.errors import ServiceError

    with pytest.raises(ServiceError, match="contains a virus"):
        services.do_attach_document(
            actor=partnership.owner,
            owner=partnership.case,
            upload=SimpleUploadedFile("notes.txt", EICAR),
            kind="other",
        )
    assert Document.objects.count() == 0
    assert _files(Path(settings.DOCUMENTS_DIR)) == []


def test_a_clean_file_is_stored_by_a_random_name_and_downloaded_by_the_owner(
    partnership, client_for, scanner, settings
):
    owner = client_for(partnership.owner)
    response = _attach(owner, partnership.case, "Jayden Okoro chronology.txt", CHRONOLOGY)

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.case == partnership.case
    assert document.size == len(CHRONOLOGY)
    assert document.scanned_with.startswith("ClamAV ")
    stored = _files(Path(settings.DOCUMENTS_DIR))
    assert stored == [path_of(document.storage_name)]
    assert stored[0].read_bytes() == CHRONOLOGY
    relative = str(stored[0].relative_to(settings.DOCUMENTS_DIR))
    assert "Jayden" not in relative and "Okoro" not in relative and "chronology" not in relative
    assert oct(stored[0].stat().st_mode & 0o777) == "0o600"

    download = owner.get(reverse("documents:download", kwargs={"document_id": document.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CHRONOLOGY
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    entry = TimelineEntry.objects.get(case=partnership.case, kind="document.attached")
    assert entry.summary == "Chronology attached"


def _one_document(partnership, client_for) -> Document:
    assert (
        _attach(client_for(partnership.owner), partnership.case, "c.txt", CHRONOLOGY).status_code
        == 302
    )
    return Document.objects.get()


def test_a_colleague_downloads_an_outsider_gets_404_a_visitor_is_sent_to_sign_in(
    partnership, client_for, scanner, client
):
    document = _one_document(partnership, client_for)
    url = reverse("documents:download", kwargs={"document_id": document.pk})

    colleague = client_for(partnership.colleague).get(url)
    assert colleague.status_code == 200
    assert b"".join(colleague.streaming_content) == CHRONOLOGY
    assert client_for(partnership.outsider).get(url).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_every_download_is_audited_and_an_outsiders_attempt_is_recorded_as_refused(
    partnership, client_for, scanner
):
    document = _one_document(partnership, client_for)
    url = reverse("documents:download", kwargs={"document_id": document.pk})
    before = AuditEvent.objects.filter(verb="document.downloaded").count()

    client_for(partnership.owner).get(url)
    client_for(partnership.colleague).get(url)
    client_for(partnership.outsider).get(url)

    downloads = AuditEvent.objects.filter(verb="document.downloaded").order_by("seq")
    assert downloads.count() == before + 2
    assert [e.actor_id for e in downloads] == [partnership.owner.pk, partnership.colleague.pk]
    assert {e.target_id for e in downloads} == {str(document.pk)}
    assert {e.payload["case"] for e in downloads} == {str(partnership.case.pk)}
    refused = AuditEvent.objects.get(verb="document.view_refused")
    assert refused.actor_id == partnership.outsider.pk
    assert refused.target_id == str(document.pk)


def test_the_documents_page_is_a_404_for_an_outsider(partnership, client_for):
    url = reverse("documents:case_documents", kwargs={"case_id": partnership.case.pk})
    assert client_for(partnership.outsider).get(url).status_code == 404
    assert client_for(partnership.owner).get(url).status_code == 200


def test_an_outsider_cannot_attach_by_posting(partnership, client_for, scanner, settings):
    response = _attach(client_for(partnership.outsider), partnership.case, "c.txt", CHRONOLOGY)
    assert response.status_code == 404
    assert Document.objects.count() == 0
    assert _files(Path(settings.DOCUMENTS_DIR)) == []


def test_a_missing_scanner_refuses_the_upload_and_stores_nothing(
    partnership, client_for, settings, tmp_path
):
    settings.DOCUMENTS_CLAMD = f"unix://{tmp_path}/no-clamd-here.sock"
    settings.DOCUMENTS_DIR = tmp_path / "documents"

    response = _attach(client_for(partnership.owner), partnership.case, "c.txt", CHRONOLOGY)

    assert response.status_code == 200
    assert "the virus scanner is not available" in response.content.decode()
    assert Document.objects.count() == 0
    assert _files(tmp_path / "documents") == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("c.exe", b"MZ\x90\x00", "The selected file must be a CSV, DOC, DOCX"),
        ("c.pdf", b"not a pdf at all", "is not a real PDF file"),
        ("c.txt", b"", "The selected file is empty"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_before_any_scan(
    partnership, client_for, settings, tmp_path, name, content, message
):
    settings.DOCUMENTS_DIR = tmp_path / "documents"
    response = _attach(client_for(partnership.owner), partnership.case, name, content)
    assert message in response.content.decode()
    assert Document.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(
    partnership, client_for, settings, tmp_path
):
    settings.DOCUMENTS_MAX_BYTES = 1024
    response = _attach(client_for(partnership.owner), partnership.case, "c.txt", b"x" * 1025)
    assert "The selected file must be smaller than 1.0\xa0KB" in response.content.decode()
    assert Document.objects.count() == 0


def test_removing_a_document_deletes_its_file(
    partnership, client_for, scanner, settings, django_capture_on_commit_callbacks
):
    document = _one_document(partnership, client_for)
    stored = path_of(document.storage_name)
    url = reverse("documents:remove", kwargs={"document_id": document.pk})
    assert client_for(partnership.colleague).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(partnership.owner).post(url).status_code == 302
    assert not Document.objects.exists()
    assert not stored.exists()
    assert AuditEvent.objects.filter(verb="document.removed").count() == 1


def test_retention_deletes_a_records_documents_rows_and_files(
    partnership, client_for, scanner, django_capture_on_commit_callbacks
):
    document = _one_document(partnership, client_for)
    stored = path_of(document.storage_name)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.delete_documents_of(partnership.case) == 1
    assert not Document.objects.exists()
    assert not stored.exists()


def test_a_persons_documents_follow_the_persons_access(partnership, client_for, scanner):
    url = reverse("documents:person_documents", kwargs={"reference": partnership.person.reference})
    upload = SimpleUploadedFile("referral.txt", b"Referral form\n")
    response = client_for(partnership.member).post(url, {"kind": "referral_form", "file": upload})
    assert response.status_code == 302
    document = Document.objects.get(person=partnership.person)
    download = reverse("documents:download", kwargs={"document_id": document.pk})
    assert client_for(partnership.owner).get(download).status_code == 200
    assert client_for(partnership.outsider).get(download).status_code == 404
    assert client_for(partnership.outsider).get(url).status_code == 404


def test_an_agenda_items_documents_are_for_the_panel_who_may_open_the_case(
    partnership, client_for, scanner
):
    from datetime import datetime

    from django.utils import timezone

    from csphub.meetings import services as meeting_services
    from csphub.meetings.models import AgendaItem

    meeting = meeting_services.do_schedule_meeting(
        actor=partnership.coordinator,
        panel=partnership.vip,
        scheduled_for=timezone.make_aware(datetime(2026, 3, 10, 14)),
    )
    item = AgendaItem.objects.create(meeting=meeting, case=partnership.case, position=1)
    url = reverse("documents:item_documents", kwargs={"meeting_id": meeting.pk, "item_id": item.pk})
    upload = SimpleUploadedFile("strategy.txt", b"Strategy meeting notes\n")
    coordinator = client_for(partnership.coordinator)
    assert coordinator.post(url, {"kind": "meeting_notes", "file": upload}).status_code == 302
    document = Document.objects.get(agenda_item=item)
    download = reverse("documents:download", kwargs={"document_id": document.pk})
    assert client_for(partnership.member).get(download).status_code == 200
    assert client_for(partnership.outsider).get(download).status_code == 404
    assert client_for(partnership.outsider).get(url).status_code == 404
    # On the case's timeline, as the agenda item is about the case.
    assert TimelineEntry.objects.filter(case=partnership.case, kind="document.attached").exists()
