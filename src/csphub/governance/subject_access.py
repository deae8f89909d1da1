"""Everything held about one person, and every access to it, for a subject access request.

`subject_access_for(person)` gathers the person's record and every record about them in every
app that holds person data (panels, meetings, NRM, documents), as plain JSON-ready sections,
with third parties' details redacted by one rule (`Redactor`); `csphub.governance.exports`
writes them as a PDF and a JSON file in one ZIP. Staff appear by agency, not by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q

from csphub.audit.selectors import EventFilter, events_matching
from csphub.audit.verbs import label_of
from csphub.casereview.models import CaseReview
from csphub.documents.models import Document
from csphub.meetings.models import Action, AgendaItem
from csphub.nrm.models import Decision, Minute, Referral
from csphub.panels.models import CaseFlag, CaseSubject, TimelineEntry, Transition
from csphub.people.models import Person, name_key

THIRD_PARTY = "[third party]"
# A person's reference as the service shows it (csphub.people.models.Person.reference_format).
PERSON_REFERENCE = re.compile(r"\bP-[0-9A-Z]{5}\b")

# Sections in the order the PDF shows them, with their headings.
SECTIONS = (
    ("person", "Your details"),
    ("cases", "Cases about you"),
    ("referrals", "Referrals, escalations and transfers"),
    ("notes", "Case history and notes"),
    ("flags", "Flags on your cases"),
    ("minutes", "Extracts of meeting minutes"),
    ("actions", "Actions agreed"),
    ("offences", "Offences recorded"),
    ("nrm", "National Referral Mechanism referrals and decisions"),
    ("case_reviews", "ASB case review applications in your name"),
    ("documents", "Documents"),
    ("accesses", "Who has looked at or changed these records"),
)


class Redactor:
    """Redacts third parties from free text: every other person on the subject's cases, by
    given name, by family name (unless it is the subject's own), and any person's reference
    but the subject's."""

    def __init__(self, subject: Person, others: list[Person]) -> None:
        self.subject_reference = subject.reference
        names: set[str] = set()
        own_family = subject.family_name.casefold()
        for other in others:
            names.add(other.given_name)
            if other.family_name.casefold() != own_family:
                names.add(other.family_name)
        words = sorted((n for n in names if len(n.strip()) >= 2), key=len, reverse=True)
        self._names = (
            re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
            if words
            else None
        )

    def __call__(self, text: str) -> str:
        text = PERSON_REFERENCE.sub(
            lambda m: m.group(0) if m.group(0) == self.subject_reference else THIRD_PARTY, text
        )
        return self._names.sub(THIRD_PARTY, text) if self._names else text


def _when(value: date | datetime | None) -> str:
    return value.isoformat() if value is not None else ""


@dataclass
class SubjectAccess:
    """One person's subject access export: sections of rows, and the files to include."""

    person: Person
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {key: len(self.sections.get(key, [])) for key, _ in SECTIONS}


def _agency_of(user: Any) -> str:
    agency = getattr(user, "agency", None)
    return agency.name if agency is not None else ""


def subject_access_for(person: Person) -> SubjectAccess:
    """Every record held about PERSON (and any record merged into theirs), redacted."""
    people = [person, *Person.objects.filter(merged_into=person)]
    links = CaseSubject.objects.filter(person__in=people).select_related("case__panel")
    cases = sorted({link.case for link in links}, key=lambda c: c.referred_at)
    others = list(
        Person.objects.filter(case_links__case__in=cases).exclude(pk__in=[p.pk for p in people])
    )
    redact = Redactor(person, others)
    roles = {link.case_id: link.get_role_display() for link in links}
    out = SubjectAccess(person)
    s = out.sections
    s["person"] = [
        {
            "reference": p.reference,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "date_of_birth": _when(p.date_of_birth),
            "address": p.address,
            "gender": p.get_gender_display(),
            "ethnicity": p.get_ethnicity_display(),
            "recorded_on": _when(p.created_at),
        }
        for p in people
    ]
    s["cases"] = [
        {
            "reference": c.reference,
            "panel": c.panel.name,
            "your_role": roles[c.pk],
            "status": c.get_status_display(),
            "risk_level": c.get_risk_level_display(),
            "summary": redact(c.summary),
            "plan": redact(c.plan),
            "referred_at": _when(c.referred_at),
            "accepted_at": _when(c.accepted_at),
            "closed_at": _when(c.closed_at),
            "closure_outcome": c.get_closure_outcome_display(),
        }
        for c in cases
    ]
    s["referrals"] = [
        {
            "case": t.case.reference,
            "kind": t.get_kind_display(),
            "status": t.get_status_display(),
            "from_panel": t.from_panel.name if t.from_panel else "",
            "to_panel": t.to_panel.name if t.to_panel else "",
            "from_agency": t.from_agency.name if t.from_agency else "",
            "made_at": _when(t.made_at),
            "reason": redact(t.reason),
            "consent_given": t.consent_given,
            "decided_at": _when(t.decided_at),
            "decision_reason": redact(t.decision_reason),
        }
        for t in Transition.objects.filter(case__in=cases)
        .select_related("case", "from_panel", "to_panel", "from_agency")
        .order_by("made_at")
    ]
    s["notes"] = [
        {
            "case": e.case.reference,
            "when": _when(e.occurred_at),
            "what": label_of(e.kind, e.payload),
            "summary": redact(e.summary),
            "detail": redact(e.detail),
        }
        for e in TimelineEntry.objects.filter(case__in=cases)
        .select_related("case")
        .order_by("occurred_at")
    ]
    s["flags"] = [
        {
            "case": f.case.reference,
            "kind": f.get_kind_display(),
            "reason": redact(f.reason),
            "raised_on": _when(f.created_at),
            "cleared_at": _when(f.cleared_at),
        }
        for f in CaseFlag.objects.filter(case__in=cases)
        .select_related("case")
        .order_by("created_at")
    ]
    s["minutes"] = [
        {
            "case": i.case.reference,
            "meeting": f"{i.meeting.panel.name}, {i.meeting.scheduled_for:%d %B %Y}",
            "discussion": redact(i.discussion),
            "decision": redact(i.decision),
            "decided_at": _when(i.decided_at),
        }
        for i in AgendaItem.objects.filter(case__in=cases)
        .select_related("case", "meeting__panel")
        .order_by("meeting__scheduled_for")
    ]
    s["actions"] = [
        {
            "case": a.case.reference if a.case else (a.item.case.reference if a.item else ""),
            "description": redact(a.description),
            "agency": a.owning_agency.name,
            "due_on": _when(a.due_on),
            "status": a.get_status_display(),
            "completed_on": _when(a.completed_on),
            "update": redact(a.update_note),
        }
        for a in Action.objects.filter(Q(case__in=cases) | Q(item__case__in=cases))
        .select_related("case", "item__case", "owning_agency")
        .distinct()
        .order_by("due_on")
    ]
    s["offences"] = [
        {"date": _when(o.offence_date), "category": o.category}
        for p in people
        for o in p.offences.order_by("offence_date")
    ]
    referrals = list(Referral.objects.filter(child__in=people).order_by("received_on"))
    s["nrm"] = [_nrm_row(r, redact) for r in referrals]
    out.documents = list(
        Document.objects.filter(
            Q(person__in=people) | Q(case__in=cases) | Q(agenda_item__case__in=cases)
        ).order_by("created_at")
    )
    s["documents"] = [
        {
            "file": f"documents/{n:03d}.{d.extension}",
            "kind": d.get_kind_display(),
            "name": redact(d.original_name),
            "attached_on": _when(d.created_at),
            "size_bytes": d.size,
            "sha256": d.sha256,
        }
        for n, d in enumerate(out.documents, start=1)
    ]
    reviews = _case_reviews_of(people)
    s["case_reviews"] = [
        {
            "reference": r.reference,
            "matched_by": "the applicant's name",
            "received_on": _when(r.received_on),
            "status": r.get_status_display(),
            "applicant_name": r.applicant_name,
            "applicant_address": r.applicant_address,
            "applicant_phone": r.applicant_phone,
            "applicant_email": r.applicant_email,
            "problem_summary": redact(r.problem_summary),
            "outcome": redact(r.outcome),
        }
        for r in reviews
    ]
    references = [p.reference for p in people] + [c.reference for c in cases]
    s["accesses"] = _accesses(references + [r.reference for r in reviews])
    return out


def _case_reviews_of(people: list[Person]) -> list[CaseReview]:
    """ASB case review applications made in one of PEOPLE's names. An applicant is no person
    record (casereview keeps their details on the application), so the name is the only link:
    the DPO checks each match."""
    found = []
    for p in people:
        if not p.family_name:
            continue
        candidates = CaseReview.objects.filter(applicant_name__icontains=p.family_name)
        found += [r for r in candidates if name_key(r.applicant_name, "") == p.name_key]
    return sorted(set(found), key=lambda r: r.received_on)


def _nrm_row(referral: Referral, redact: Redactor) -> dict[str, Any]:
    decisions = Decision.objects.filter(referral=referral).order_by("decided_on")
    minutes = Minute.objects.filter(decision__referral=referral).order_by("created_at")
    return {
        "reference": referral.reference,
        "case": referral.case.reference,
        "received_on": _when(referral.received_on),
        "exploitation_types": list(referral.exploitation_types),
        "county_lines": referral.county_lines,
        "decisions": [
            {
                "kind": d.get_kind_display(),
                "decided_on": _when(d.decided_on),
                "outcome": d.get_outcome_display(),
            }
            for d in decisions
        ],
        "minutes": [
            {
                "credibility": redact(m.credibility),
                "test_applied": redact(m.test_applied),
                "reasons": redact(m.reasons),
                "issued_at": _when(m.issued_at),
            }
            for m in minutes
        ],
    }


def _accesses(references: list[str]) -> list[dict[str, Any]]:
    """Every audit event about the records REFERENCES name, oldest first, by agency."""
    seen: dict[int, Any] = {}
    for reference in references:
        for event in events_matching(EventFilter(reference=reference)).select_related(
            "actor__agency"
        ):
            seen[event.seq] = event
    return [
        {
            "when": _when(e.occurred_at),
            "what": label_of(e.verb, e.payload),
            "by_agency": _agency_of(e.actor) if e.actor else "the service itself",
        }
        for _, e in sorted(seen.items())
    ]
