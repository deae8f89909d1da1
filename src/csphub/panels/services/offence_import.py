"""Importing a police extract of offences: every row checked and matched, then all kept or none."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from csphub.audit import record
from csphub.panels import verbs
from csphub.panels.models import Case, Offence
from csphub.panels.offence_import import (
    OffenceImportRejected,
    OffenceRow,
    limit_problems,
    parse_offences,
)
from csphub.panels.selectors import may_import_offences, people_offences_importable_by
from csphub.panels.services.offences import create_offence
from csphub.people.models import Person

if TYPE_CHECKING:
    from csphub.accounts.models import User


@dataclass(frozen=True)
class OffenceImport:
    """What an import kept: offences recorded, and rows already recorded from an earlier one."""

    file_name: str
    rows: int
    recorded: int
    already_recorded: int


def _survivor(person: Person) -> Person:
    seen = {person.pk}
    while person.merged_into is not None and person.merged_into.pk not in seen:
        person = person.merged_into
        seen.add(person.pk)
    return person


def _people_for(actor: User, rows: list[OffenceRow], name: str) -> dict[str, Person]:
    """Each row's reference resolved to a person ACTOR may import against: a person's own
    reference (an old one, merged since, leads to the surviving record), or a case's when the
    case is about exactly one person. Anything else is a problem naming the row."""
    references = {r.reference for r in rows}
    found: dict[str, list[Person]] = {}
    for person in Person.objects.filter(reference__in=references).select_related("merged_into"):
        found[person.reference] = [_survivor(person)]
    for case in Case.objects.filter(reference__in=references - set(found)):
        found[case.reference] = list(
            Person.objects.filter(case_links__case=case, merged_into__isnull=True).distinct()
        )
    allowed = set(
        people_offences_importable_by(actor)
        .filter(pk__in=[p.pk for candidates in found.values() for p in candidates])
        .values_list("pk", flat=True)
    )
    people: dict[str, Person] = {}
    problems = []
    for row in rows:
        candidates = found.get(row.reference, [])
        if not any(p.pk in allowed for p in candidates):
            # The same words whether the record does not exist or is not the actor's to see.
            problems.append(
                f"{name}, row {row.row}, reference: no person or case you may import "
                f"offences against has the reference {row.reference}"
            )
        elif len(candidates) > 1:
            problems.append(
                f"{name}, row {row.row}, reference: case {row.reference} is about more than "
                "one person; give the person's reference (P-…) instead"
            )
        else:
            people[row.reference] = candidates[0]
    if problems:
        raise OffenceImportRejected(limit_problems(problems))
    return people


def do_import_offences(
    *, actor: User, name: str, content: bytes, request: HttpRequest | None = None
) -> OffenceImport:
    """Import the police extract NAME (CSV or xlsx bytes CONTENT): every row is checked and
    matched first, and a single problem refuses the whole file (OffenceImportRejected lists
    each by file, row and column) with nothing written. A row whose police reference is already
    recorded for the same person is skipped, so an overlapping extract counts nothing twice."""
    if not may_import_offences(actor):
        raise PermissionDenied("Only the police partner or a co-ordinator imports offences")
    digest = hashlib.sha256(content).hexdigest()
    try:
        rows = parse_offences(name, content)
        people = _people_for(actor, rows, name)
    except OffenceImportRejected as rejected:
        record(
            verb=verbs.OFFENCE_IMPORT_REJECTED,
            actor=actor,
            request=request,
            payload={"sha256": digest, "problems": len(rejected.problems)},
        )
        raise
    already = set(
        Offence.objects.filter(
            person__in={p.pk for p in people.values()},
            police_reference__in={r.police_reference for r in rows if r.police_reference},
        ).values_list("person_id", "police_reference")
    )
    recorded = 0
    with transaction.atomic():
        for row in rows:
            person = people[row.reference]
            if row.police_reference and (person.pk, row.police_reference) in already:
                continue
            create_offence(
                actor=actor,
                person=person,
                offence_date=row.offence_date,
                category=row.category,
                harm_weight=row.harm_weight,
                police_reference=row.police_reference,
                request=request,
                audit={"import": digest},
            )
            recorded += 1
        record(
            verb=verbs.OFFENCES_IMPORTED,
            actor=actor,
            request=request,
            payload={"sha256": digest, "rows": len(rows), "recorded": recorded},
        )
    return OffenceImport(name, len(rows), recorded, len(rows) - recorded)
