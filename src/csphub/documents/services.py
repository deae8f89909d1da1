"""Attaching and removing documents, and deleting a record's documents under retention.

Attaching checks, in this order: who is asking (PermissionDenied), the file's size and type
(settings.DOCUMENTS_MAX_BYTES, settings.DOCUMENTS_TYPES), then clamd's verdict. A file clamd
finds a threat in, or one that cannot be scanned because clamd is unavailable, is refused with a
message saying so and nothing is stored: no file, no row. Only then is the file written, under a
random name, and its row and audit event created in one transaction.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat

from csphub.audit import record
from csphub.audit.verbs import Verb
from csphub.core.errors import ServiceError
from csphub.documents import scanning, storage, verbs
from csphub.documents.choices import DocumentKind
from csphub.documents.filetypes import HEAD_BYTES, TYPES, FileType, extension_of
from csphub.documents.models import Document
from csphub.documents.selectors import Owner, may_attach, may_remove, owner_field
from csphub.meetings.models import AgendaItem
from csphub.panels.models import Case
from csphub.panels.services import record_case_event

if TYPE_CHECKING:
    from django.http import HttpRequest

    from csphub.accounts.models import User

logger = logging.getLogger(__name__)

SCANNER_UNAVAILABLE = (
    "The file was not attached because the virus scanner is not available, and no file is "
    "stored without a scan. Try again in a few minutes; if it keeps happening, tell your "
    "service administrator."
)


def allowed_types() -> list[FileType]:
    return [TYPES[ext] for ext in settings.DOCUMENTS_TYPES if ext in TYPES]


def _names(types: list[FileType]) -> str:
    labels = sorted({t.extension.upper() for t in types})
    return ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else "".join(labels)


def check_file(upload: UploadedFile) -> FileType:
    """The file's type if its size and type are allowed; otherwise ServiceError saying why."""
    name = upload.name or ""
    limit = int(settings.DOCUMENTS_MAX_BYTES)
    if not upload.size:
        raise ServiceError({"file": "The selected file is empty"})
    if upload.size > limit:
        raise ServiceError(
            {"file": f"The selected file must be smaller than {filesizeformat(limit)}"}
        )
    types = allowed_types()
    kind = next((t for t in types if t.extension == extension_of(name)), None)
    if kind is None:
        raise ServiceError({"file": f"The selected file must be a {_names(types)}"})
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not kind.looks_right(head):
        raise ServiceError(
            {
                "file": f"The selected file is not a real {kind.label} file: its name says "
                f".{kind.extension} but its content is something else"
            }
        )
    if len(name) > 200:
        raise ServiceError({"file": "The selected file's name must be 200 characters or fewer"})
    return kind


def _owner_case(owner: Owner) -> Case | None:
    if isinstance(owner, Case):
        return owner
    if isinstance(owner, AgendaItem):
        return owner.case
    return None


def _scan(
    actor: User, owner: Owner, upload: UploadedFile, kind: FileType, request: HttpRequest | None
) -> str:
    """clamd's version line once it has found UPLOAD clean; otherwise the refusal."""
    try:
        version = scanning.ping()
        verdict = scanning.scan_chunks(upload.chunks())
    except scanning.ScannerUnavailable as error:
        logger.error("document upload refused, virus scanner unavailable: %s", error)
        raise ServiceError({"file": SCANNER_UNAVAILABLE}) from error
    if not verdict.clean:
        record(
            verb=verbs.REFUSED_INFECTED,
            actor=actor,
            target=owner,
            payload={"signature": verdict.signature, "type": kind.extension, "size": upload.size},
            request=request,
        )
        raise ServiceError(
            {
                "file": f"The selected file contains a virus or other threat ({verdict.signature}), "
                "so it was not attached and nothing was stored. Do not open the file; tell your "
                "agency's IT service where it came from."
            }
        )
    return version


def do_attach_document(
    *,
    actor: User,
    owner: Owner,
    upload: UploadedFile,
    kind: str,
    request: HttpRequest | None = None,
) -> Document:
    """Attach UPLOAD to OWNER (a case, a person or an agenda item) as a document of KIND."""
    if not may_attach(actor, owner):
        raise PermissionDenied("You may not attach documents to this record.")
    if kind not in DocumentKind.values:
        raise ServiceError({"kind": "Select what the document is"})
    filetype = check_file(upload)
    scanned_with = _scan(actor, owner, upload, filetype, request)
    name = storage.new_storage_name()
    size, sha256 = storage.write(name, upload.chunks())
    try:
        with transaction.atomic():
            document = Document.objects.create(
                **{owner_field(owner): owner},
                kind=kind,
                original_name=(upload.name or "")[:200],
                extension=filetype.extension,
                content_type=filetype.content_type,
                size=size,
                sha256=sha256,
                storage_name=name,
                scanned_with=scanned_with[:200],
                uploaded_by=actor,
            )
            _record(verbs.ATTACHED, actor, document, request)
    except BaseException:
        storage.remove(name)
        raise
    return document


def do_remove_document(
    *, actor: User, document: Document, request: HttpRequest | None = None
) -> None:
    """Remove DOCUMENT (its row now, its file once that commits): its uploader only."""
    if not may_remove(actor, document):
        raise PermissionDenied("Only the person who attached a document can remove it.")
    with transaction.atomic():
        _record(verbs.REMOVED, actor, document, request)
        document.delete()


def delete_documents_of(owner: models.Model) -> int:
    """Delete every document of OWNER, row and file, and return how many: for retention,
    which deletes a record's documents before (or with) the record. Deleting the record
    itself does the same through the foreign keys."""
    field = owner_field(owner)  # type: ignore[arg-type]
    documents = list(Document.objects.filter(**{field: owner}))
    for document in documents:
        document.delete()
    return len(documents)


_DONE = {verbs.ATTACHED: "attached", verbs.REMOVED: "removed"}


def _record(verb: Verb, actor: User, document: Document, request: HttpRequest | None) -> None:
    payload = {
        "document": str(document.pk),
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "type": document.extension,
        **{
            field: str(getattr(document, f"{field}_id"))
            for field in ("case", "person", "agenda_item")
            if getattr(document, f"{field}_id")
        },
    }
    case = _owner_case(document.owner)  # type: ignore[arg-type]
    if case is not None:
        record_case_event(
            verb=verb,
            actor=actor,
            case=case,
            summary=f"{document.get_kind_display()} {_DONE[verb]}",
            source=document if verb == verbs.ATTACHED else None,
            target=document,
            payload=payload,
            request=request,
        )
    else:
        record(verb=verb, actor=actor, target=document, payload=payload, request=request)
