"""Applying the retention schedule: deleting and anonymising what it says should go."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from csphub.audit.services import record
from csphub.casereview.models import CaseReview
from csphub.documents.models import Document
from csphub.governance import verbs
from csphub.governance.retention import (
    Due,
    audit_events_past_period,
    due_records,
    people_left_by,
)
from csphub.meetings.models import Action, AgendaItem
from csphub.nrm.models import Decision, Minute, Reconsideration, Referral
from csphub.panels.models import Case
from csphub.people.models import Person


@dataclass
class RetentionOutcome:
    """What one run found and did, by schedule key: the counts its audit event records."""

    due: list[Due]
    people: list[Person]
    audit_events_past_period: int
    applied: bool
    deleted: Counter[str] = field(default_factory=Counter)
    held: Counter[str] = field(default_factory=Counter)
    anonymised: int = 0
    documents_deleted: int = 0

    def counts(self) -> dict[str, object]:
        return {
            "applied": self.applied,
            "deleted": dict(self.deleted),
            "held": dict(self.held),
            "anonymised": self.anonymised,
            "documents_deleted": self.documents_deleted,
            "audit_events_past_period": self.audit_events_past_period,
        }


def _documents_of_case(case: Case) -> int:
    return Document.objects.filter(case=case).count() + (
        Document.objects.filter(agenda_item__case=case).count()
    )


def _delete_case(case: Case) -> int:
    """Delete CASE with everything on it; the number of documents that went with it.

    Agenda items and actions point at their case with PROTECT (nothing else may delete them
    by accident), so they go first; subjects, transitions, flags, the timeline and documents
    go with the case (documents' files by their post_delete handler).
    """
    documents = _documents_of_case(case)
    Action.objects.filter(case=case).delete()
    AgendaItem.objects.filter(case=case).delete()
    case.delete()
    return documents


def _delete_referral(referral: Referral) -> int:
    """Delete an NRM referral, its decisions, minutes and reconsiderations, then its case."""
    decisions = Decision.objects.filter(referral=referral)
    # A decision made on reconsideration points at the request, which points at the decision.
    decisions.update(reconsideration=None)
    Reconsideration.objects.filter(decision__referral=referral).delete()
    Minute.objects.filter(decision__referral=referral).delete()
    decisions.delete()
    case = referral.case
    referral.delete()
    return _delete_case(case)


def _anonymise(person: Person) -> int:
    """Erase PERSON's identifying details, and those of any record merged into theirs, keeping
    the pseudonymous references; the number of their documents deleted."""
    documents = 0
    for each in [person, *Person.objects.filter(merged_into=person)]:
        for document in Document.objects.filter(person=each):
            document.delete()  # one by one, so each file goes after the commit
            documents += 1
        each.offences.all().delete()
        each.given_name = each.family_name = each.address = ""
        each.date_of_birth = None
        each.save()
    return documents


def do_apply_retention(*, today: date, apply: bool) -> RetentionOutcome:
    """Find what the retention schedule says should go on TODAY and, when APPLY, delete or
    anonymise it; either way one audit event records the counts.

    Run by the operator's daily job (`csphub retention`), as the system: no page calls it.
    Atomic: a failure part-way leaves every record as it was.
    """
    due = due_records(today)
    outcome = RetentionOutcome(
        due=due,
        people=people_left_by(due),
        audit_events_past_period=audit_events_past_period(today),
        applied=apply,
    )
    outcome.held.update(d.schedule.key for d in due if d.held)
    with transaction.atomic():
        if apply:
            _apply(outcome)
        record(
            verb=verbs.RETENTION_APPLIED if apply else verbs.RETENTION_REVIEWED,
            payload={"today": today.isoformat(), **outcome.counts()},
        )
    return outcome


def _apply(outcome: RetentionOutcome) -> None:
    for d in outcome.due:
        if d.held:
            continue
        if isinstance(d.record, Referral):
            outcome.documents_deleted += _delete_referral(d.record)
        elif isinstance(d.record, Case):
            outcome.documents_deleted += _delete_case(d.record)
        elif isinstance(d.record, CaseReview):
            d.record.delete()
        outcome.deleted[d.schedule.key] += 1
    for person in outcome.people:
        outcome.documents_deleted += _anonymise(person)
        outcome.anonymised += 1
