"""Who may download and who may attach a document: the rule of the record it belongs to.

A document is seen by whoever may open its record, through that record's own selector
(`cases_visible_to`, `people_visible_to`, and for an agenda item, a meeting the user sits on
and a case they may open, as `agenda_visible_to`); there is no separate grant. Attaching also
takes `documents.attach_documents`, and on a case the case's own rule for changes
(`may_edit_case(user, case, "document")`, docs/permissions.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from csphub.documents.models import Document
from csphub.meetings.models import AgendaItem
from csphub.meetings.selectors import meetings_visible_to
from csphub.panels.models import Case
from csphub.panels.selectors import cases_visible_to, may_edit_case
from csphub.people.models import Person
from csphub.people.selectors import people_visible_to

Owner = Case | Person | AgendaItem
ATTACH = "documents.attach_documents"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def agenda_items_visible_to(user: Any) -> QuerySet[AgendaItem]:
    """Agenda items on meetings USER sits on, about cases USER may open."""
    return AgendaItem.objects.filter(
        meeting__in=meetings_visible_to(user), case__in=cases_visible_to(user)
    )


def documents_visible_to(user: Any) -> QuerySet[Document]:
    """The documents USER may download: those on a record USER may open."""
    if not _signed_in(user):
        return Document.objects.none()
    return Document.objects.filter(
        Q(case__in=cases_visible_to(user))
        | Q(person__in=people_visible_to(user))
        | Q(agenda_item__in=agenda_items_visible_to(user))
    )


def documents_of(user: Any, owner: Owner) -> QuerySet[Document]:
    """OWNER's documents, newest first, if USER may open OWNER (else none)."""
    field = _field(owner)
    return documents_visible_to(user).filter(**{field: owner}).select_related("uploaded_by")


def may_open(user: Any, owner: Owner) -> bool:
    if not _signed_in(user):
        return False
    if isinstance(owner, Case):
        return cases_visible_to(user).filter(pk=owner.pk).exists()
    if isinstance(owner, Person):
        return people_visible_to(user).filter(pk=owner.pk).exists()
    return agenda_items_visible_to(user).filter(pk=owner.pk).exists()


def may_attach(user: Any, owner: Owner) -> bool:
    """Whether USER may attach a document to OWNER."""
    if not _signed_in(user) or not user.has_perm(ATTACH):
        return False
    if isinstance(owner, Case):
        return may_edit_case(user, owner, "document")
    if isinstance(owner, AgendaItem):
        return may_open(user, owner) and owner.case.is_open
    return may_open(user, owner)


def may_remove(user: Any, document: Document) -> bool:
    """Whether USER may remove DOCUMENT: the person who attached it, while they may still
    attach to its record (attached in error, or a newer version replaces it)."""
    return document.uploaded_by_id == getattr(user, "pk", None) and may_attach(user, document.owner)  # type: ignore[arg-type]


def _field(owner: Owner) -> str:
    if isinstance(owner, Case):
        return "case"
    if isinstance(owner, Person):
        return "person"
    if isinstance(owner, AgendaItem):
        return "agenda_item"
    raise TypeError(f"A document does not belong to a {type(owner).__name__}")


def owner_field(owner: Owner) -> str:
    """The Document field that points at OWNER ("case", "person" or "agenda_item")."""
    return _field(owner)
