"""Every write to the needs assessment: keyword-only, atomic, checked, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.audit import record
from csphub.core.concurrency import save_if_unchanged
from csphub.core.errors import ServiceError
from csphub.lib.periods import Period
from csphub.sna import verbs
from csphub.sna.build import build_documents
from csphub.sna.choices import FindingKind
from csphub.sna.definitions import preset
from csphub.sna.models import Assessment, Finding
from csphub.sna.selectors import findings_for, may_build

if TYPE_CHECKING:
    from csphub.accounts.models import User

#: A resident population this large is a typing mistake, not a borough.
MAX_POPULATION = 20_000_000


def _check_populations(populations: dict[str, int]) -> dict[str, int]:
    checked = {}
    for key, value in populations.items():
        if key not in ("all", "under_25"):
            raise ServiceError(f"there is no population {key!r}: give all and under_25")
        if value is None:
            continue
        if not 0 < int(value) <= MAX_POPULATION:
            raise ServiceError({"population": f"a population is from 1 to {MAX_POPULATION:,}"})
        checked[key] = int(value)
    if "all" in checked and checked.get("under_25", 0) > checked["all"]:
        raise ServiceError({"population_under_25": "more under 25s than residents"})
    return checked


def do_build_assessment(
    *,
    actor: User | None,
    period: Period,
    area_code: str,
    definition_key: str | None = None,
    populations: dict[str, int] | None = None,
    request: HttpRequest | None = None,
) -> Assessment:
    """Build both outputs for PERIOD and keep them; ACTOR None is the command line, run by
    whoever holds the server (as every `csphub report` is)."""
    if actor is not None and not may_build(actor):
        raise PermissionDenied("Only an analyst builds the needs assessment")
    if period.months != 12:
        raise ServiceError("A needs assessment covers twelve months, October to September")
    try:
        definition = preset(definition_key)
    except KeyError as exc:
        raise ServiceError(str(exc.args[0])) from exc
    checked = _check_populations(populations or {})
    docs = build_documents(definition, period, area_code, checked)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            window_start=period.start,
            window_end=period.end,
            area_code=area_code,
            definition={**definition.to_json(), "populations": checked},
            inputs_sha256=docs.inputs_sha256,
            full_html=docs.full_html,
            summary_html=docs.summary_html,
            built_by=actor,
            built_at=timezone.now(),
        )
        record(
            verb=verbs.ASSESSMENT_BUILT,
            actor=actor,
            target=assessment,
            request=request,
            payload={"window": period.label, "inputs": docs.inputs_sha256},
        )
    return assessment


def _next_reference(period: Period, kind: str) -> str:
    letter = "G" if kind == FindingKind.GAP else "R"
    taken = findings_for(period).filter(kind=kind).count()
    return f"SNA{period.end.year}-{letter}{taken + 1}"


def do_add_finding(
    *,
    actor: User,
    period: Period,
    kind: str,
    text: str,
    request: HttpRequest | None = None,
) -> Finding:
    """A gap or recommendation for PERIOD's assessment, given the next reference (SNA2023-R1),
    which a VVRAP action names to answer it."""
    if not may_build(actor):
        raise PermissionDenied("Only an analyst writes the assessment's findings")
    if kind not in FindingKind.values:
        raise ServiceError({"kind": "Choose gap or recommendation"})
    if not text.strip():
        raise ServiceError({"text": "Enter the gap or recommendation"})
    with transaction.atomic():
        finding = Finding.objects.create(
            window_start=period.start,
            window_end=period.end,
            kind=kind,
            number=_next_reference(period, kind),
            text=text.strip(),
            written_by=actor,
        )
        record(verb=verbs.FINDING_ADDED, actor=actor, target=finding, request=request)
    return finding


def do_change_finding(
    *,
    actor: User,
    finding: Finding,
    text: str,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Finding:
    """New wording for FINDING, refused with EditConflict if someone saved first."""
    if not may_build(actor):
        raise PermissionDenied("Only an analyst writes the assessment's findings")
    if not text.strip():
        raise ServiceError({"text": "Enter the gap or recommendation"})
    with transaction.atomic():
        save_if_unchanged(
            finding, expected_version=version, fields={"text": text.strip(), "written_by": actor}
        )
        record(verb=verbs.FINDING_CHANGED, actor=actor, target=finding, request=request)
    return finding
