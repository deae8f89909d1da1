"""One build of the needs assessment: the content worked out once per output, both documents
rendered from it, and a hash of every input so the same inputs are known to give the same text."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from csphub.lib.disclosure import Output, Source, describe, threshold_for
from csphub.lib.periods import Period
from csphub.partnerdata.models import Extract
from csphub.sna import casework
from csphub.sna.definitions import Definition
from csphub.sna.profile import profile
from csphub.sna.selectors import findings_with_actions
from csphub.sna.strategy import strategy_status
from csphub.sna.tiles import night_time, tiles

MARKINGS = {Output.INTERNAL: "OFFICIAL-SENSITIVE", Output.PUBLICATION: "OFFICIAL"}


@dataclass(frozen=True)
class Documents:
    full_html: str
    summary_html: str
    inputs_sha256: str


def _context(
    definition: Definition,
    period: Period,
    area_code: str,
    populations: dict[str, int],
    output: Output,
) -> dict[str, Any]:
    public = output is Output.PUBLICATION
    return {
        "public": public,
        "marking": MARKINGS[output],
        "title": (
            "Serious Violence Strategic Needs Assessment: "
            + ("summary" if public else "full assessment")
        ),
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        "period": period,
        "definition": definition,
        "tiles": tiles(area_code, period, output, populations),
        "night_time": night_time(area_code, period, output),
        "populations": populations,
        "profile": profile(definition, period, output),
        "people": [] if public else casework.people_tables(period, output),
        "activity": casework.activity_tables(period, output),
        "casework_rule": describe(casework.threshold(output)),
        "police_rule": describe(0),
        "small_area_rule": describe(
            threshold_for(Source.POLICE_OPEN_DATA, output, small_area=True) if public else 0
        ),
        "findings": findings_with_actions(period),
        "strategy": strategy_status(),
    }


def _inputs_hash(context: dict[str, Any], period: Period, populations: dict[str, int]) -> str:
    """Everything the documents are made from: the definition, the window, the populations,
    the crime data's fingerprint, the partner extracts and the casework tables as counted."""
    extracts = sorted(
        Extract.objects.filter(counts__month__gte=period.start, counts__month__lte=period.end)
        .values_list("sha256", flat=True)
        .distinct()
    )
    inputs = {
        "definition": context["definition"].to_json(),
        "window": [period.start.isoformat(), period.end.isoformat()],
        "populations": populations,
        "crime": context["profile"].fingerprint,
        "extracts": extracts,
        "casework": [
            [t.title, t.rows, t.column_totals]
            for t in casework.people_tables(period, Output.INTERNAL)
            + casework.activity_tables(period, Output.INTERNAL)
        ],
        "findings": [[f.number, f.text] for f, _ in context["findings"]],
        "strategy": [context["strategy"][0].rows if context["strategy"][0] else None],
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def build_documents(
    definition: Definition, period: Period, area_code: str, populations: dict[str, int]
) -> Documents:
    """The restricted full assessment and the publishable summary, from one set of inputs."""
    full = _context(definition, period, area_code, populations, Output.INTERNAL)
    summary = _context(definition, period, area_code, populations, Output.PUBLICATION)
    return Documents(
        full_html=render_to_string("sna/document.html", full),
        summary_html=render_to_string("sna/document.html", summary),
        inputs_sha256=_inputs_hash(full, period, populations),
    )


def pdf(html: str) -> bytes:
    """A built document as PDF (WeasyPrint), its marking on every page."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
