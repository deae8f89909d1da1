"""A record's documents (list and attach), a document's download and its removal.

Each page fetches its record through that record's own lookup (`case_for`, `person_for`,
`meeting_for` and the meeting's visible agenda), so a record the user may not open is a 404,
and is audited as a view of that record. A download is audited as `document.downloaded`.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs as audit_verbs
from csphub.audit.pages import audited_page, refusal
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.editing import form_step
from csphub.documents import services, storage, verbs
from csphub.documents.forms import AttachForm
from csphub.documents.models import Document
from csphub.documents.selectors import (
    Owner,
    documents_of,
    documents_visible_to,
    may_attach,
    may_remove,
)
from csphub.meetings.lookup import meeting_for
from csphub.meetings.selectors import agenda_visible_to
from csphub.panels.lookup import case_for, person_for
from csphub.panels.models import Case
from csphub.panels.selectors import case_edit_refusal
from csphub.people.models import Person

logger = logging.getLogger(__name__)


def _hint() -> str:
    kinds = services.allowed_types()
    names = ", ".join(sorted({t.extension.upper() for t in kinds}))
    limit = filesizeformat(settings.DOCUMENTS_MAX_BYTES)
    return f"{names}; smaller than {limit}. Every file is scanned for viruses before it is kept."


def _why_not(request: AuthedRequest, owner: Owner) -> str:
    if isinstance(owner, Case):
        return case_edit_refusal(request.user, owner, "document")
    if not request.user.has_perm("documents.attach_documents"):
        return "Your role does not attach documents."
    return "Documents cannot be added to an item whose case is closed."


def _page(request: AuthedRequest, owner: Owner, context: dict[str, Any]) -> HttpResponse:
    here = request.path
    can_attach = may_attach(request.user, owner)
    documents = list(documents_of(request.user, owner))
    for document in documents:
        document.removable = may_remove(request.user, document)  # type: ignore[attr-defined]
    context = {
        **context,
        "documents": documents,
        "can_attach": can_attach,
        "why_not": "" if can_attach else _why_not(request, owner),
        "here": here,
    }

    def save(data: dict[str, Any], _: int | None) -> Document:
        return services.do_attach_document(
            actor=request.user,
            owner=owner,
            upload=data["file"],
            kind=data["kind"],
            request=request,
        )

    def saved(document: Document) -> HttpResponse:
        messages.success(
            request,
            f"{document.get_kind_display()} attached: it was scanned and no threat was found.",
        )
        return redirect(here)

    def form(data: Any = None, **kwargs: Any) -> AttachForm:
        files = request.FILES if data is not None else None
        return AttachForm(data, files, hint=_hint(), **kwargs)

    if request.method == "POST" and not can_attach:
        raise PermissionDenied
    return form_step(
        request,
        form_class=form,
        save=save,
        saved=saved,
        template="documents/documents.html",
        context=context,
        noun="document",
    )


@requires_permission("panels.view_cases")
@audited_page(audit_verbs.CASE_VIEWED, "panels.case", "case_id")
def case_documents(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    case, _ = case_for(request, case_id)
    back = reverse("panels:case_detail", kwargs={"case_id": case.pk})
    return _page(
        request,
        case,
        {"record": f"Case {case.reference}", "caption": case.panel.name, "back": back},
    )


@requires_permission("panels.view_cases")
@audited_page(audit_verbs.PERSON_VIEWED, "people.person", "reference", by="reference")
def person_documents(request: AuthedRequest, reference: str) -> HttpResponse:
    person, _ = person_for(request, reference)
    back = reverse("people:person_detail", kwargs={"reference": person.reference})
    return _page(
        request, person, {"record": f"Person {person.reference}", "caption": "", "back": back}
    )


@requires_permission("meetings.view_meetings")
@audited_page(audit_verbs.AGENDA_ITEM_VIEWED, "meetings.agendaitem", "item_id", also=["case"])
def item_documents(request: AuthedRequest, meeting_id: UUID, item_id: UUID) -> HttpResponse:
    meeting, _ = meeting_for(request, meeting_id)
    item = get_visible_or_404(agenda_visible_to(request.user, meeting), pk=item_id)
    back = reverse("meetings:meeting_detail", kwargs={"meeting_id": meeting.pk})
    return _page(
        request,
        item,
        {
            "record": f"Case {item.case.reference} at the meeting",
            "caption": str(meeting),
            "back": back,
        },
    )


def _document(request: AuthedRequest, document_id: UUID) -> Document:
    return get_visible_or_404(
        documents_visible_to(request.user).select_related("case", "person", "agenda_item"),
        refused=refusal(request, verbs.VIEW_REFUSED),
        pk=document_id,
    )


@login_required
@audited_page(
    verbs.DOWNLOADED, "documents.document", "document_id", also=["case", "person", "agenda_item"]
)
def download(request: AuthedRequest, document_id: UUID) -> HttpResponse:
    document = _document(request, document_id)
    try:
        handle = storage.path_of(document.storage_name).open("rb")
    except OSError:
        logger.error("document %s has no file in DOCUMENTS_DIR", document.pk)
        raise Http404("Not found") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # streamed, which audited_page handles alike


def _back_to(document: Document) -> str:
    if document.case_id:
        return reverse("documents:case_documents", kwargs={"case_id": document.case_id})
    if document.person_id:
        assert isinstance(document.person, Person)
        return reverse(
            "documents:person_documents", kwargs={"reference": document.person.reference}
        )
    item = document.agenda_item
    assert item is not None
    return reverse(
        "documents:item_documents", kwargs={"meeting_id": item.meeting_id, "item_id": item.pk}
    )


@login_required
@audited_page(
    verbs.VIEWED, "documents.document", "document_id", also=["case", "person", "agenda_item"]
)
def remove(request: AuthedRequest, document_id: UUID) -> HttpResponse:
    """Confirm, then remove a document its uploader attached in error."""
    document = _document(request, document_id)
    if not may_remove(request.user, document):
        raise PermissionDenied
    back = _back_to(document)
    if request.method == "POST":
        services.do_remove_document(actor=request.user, document=document, request=request)
        messages.success(request, "Document removed.")
        return redirect(back)
    return render(request, "documents/remove.html", {"document": document, "back": back})
