"""Records for the governance tests: closed cases with everything on them, an NRM referral."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from csphub.documents import storage
from csphub.documents.models import Document
from csphub.meetings.models import Action, AgendaItem, Meeting
from csphub.panels.choices import CaseStatus
from csphub.panels.models import Case, TimelineEntry
from csphub.people.models import Person
from tests.factories import CaseFactory
from tests.nrm.conftest import nrm, taken_on  # noqa: F401  (the NRM panel fixture)
from tests.nrm.test_decisions import rg


@pytest.fixture(autouse=True)
def _documents_dir(settings: Any, tmp_path: Any) -> None:
    settings.DOCUMENTS_DIR = tmp_path / "documents"


def attach(owner: dict[str, Any], uploaded_by: Any, name: str, body: bytes) -> Document:
    """A document with its file written where the service keeps files."""
    storage_name = storage.new_storage_name()
    size, sha256 = storage.write(storage_name, [body])
    return Document.objects.create(
        **owner,
        kind="chronology",
        original_name=name,
        extension="txt",
        content_type="text/plain",
        size=size,
        sha256=sha256,
        storage_name=storage_name,
        scanned_with="ClamAV (test)",
        uploaded_by=uploaded_by,
    )


def closed_case(p: Any, person: Person, *, closed: datetime, referred: date | None = None) -> Case:
    """A VIP case about PERSON closed at CLOSED: a note, an agenda item with an action, a
    document."""
    case = CaseFactory(panel=p.vip, owning_agency=p.childrens, subject=person)
    if referred is not None:
        case.referred_at = timezone.make_aware(
            datetime(referred.year, referred.month, referred.day)
        )
    case.status, case.closed_at = CaseStatus.CLOSED, closed
    case.save()
    TimelineEntry.objects.create(case=case, kind="case.note_added", summary="Seen at school")
    meeting = Meeting.objects.create(panel=p.vip, scheduled_for=closed)
    item = AgendaItem.objects.create(meeting=meeting, case=case, reason="review_due")
    Action.objects.create(
        meeting=meeting,
        item=item,
        case=case,
        description="Home visit",
        owning_agency=p.police,
        owner=p.member,
        due_on=closed.date(),
    )
    attach({"case": case}, p.owner, "chronology.txt", b"chronology")
    return case


@pytest.fixture
def nrm_world(nrm: SimpleNamespace) -> SimpleNamespace:  # noqa: F811
    """The NRM panel with one child's referral (received 1 March 2023) and its RG decision."""
    referral = taken_on(nrm)
    nrm.referral = referral
    nrm.decision = rg(nrm, referral)
    return nrm
