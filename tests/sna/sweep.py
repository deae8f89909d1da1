"""The needs assessment and partner data records and service calls the sweeps over every URL
and every service use (added to their partnership by
tests/core/test_every_service_refuses_an_outsider.py)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from csphub.lib.periods import window
from csphub.sna.models import Assessment, Finding
from tests.partnerdata.conftest import COUNTS_HEADER, csv_bytes

FINDING_TEXT = "Gap: no A&E data for under 18s seen at the urgent treatment centre"


def add_sna(p: SimpleNamespace) -> None:
    """A built assessment (its documents short: the sweep asks who may open them) and a gap."""
    period = window("2022-10:2023-09")
    p.sna_period = period
    p.sna_assessment = Assessment.objects.create(
        window_start=period.start,
        window_end=period.end,
        area_code="E09000004",
        definition={"label": "London VRU minimum standard", "version": 1},
        inputs_sha256="0" * 64,
        full_html="<p>Full assessment for the sweep</p>",
        summary_html="<p>Summary for the sweep</p>",
        built_by=p.analyst,
        built_at=timezone.now(),
    )
    p.sna_finding = Finding.objects.create(
        window_start=period.start,
        window_end=period.end,
        kind="gap",
        number="SNA2023-G1",
        text=FINDING_TEXT,
        written_by=p.analyst,
    )


def calls(call: Callable[..., Any]) -> dict[str, Any]:
    """Only an analyst imports partner data, builds the assessment and writes its findings."""
    readers = ("outsider", "anonymous", "executive")
    return {
        "partnerdata.do_import_partner_extract": call(
            lambda p: {
                "file_name": "victims.csv",
                "data": csv_bytes(
                    COUNTS_HEADER, [["2023-01", "E09000004", "knife_crime_victims", "9"]]
                ),
                "layout": "counts",
                "supplier": "MPS",
                "agreement_reference": "ISA-1",
            },
            allowed="analyst",
            refused=readers,
        ),
        "sna.do_build_assessment": call(
            lambda p: {"period": p.sna_period, "area_code": "E09000004"},
            allowed="analyst",
            refused=readers,
        ),
        "sna.do_add_finding": call(
            lambda p: {"period": p.sna_period, "kind": "recommendation", "text": "More youth work"},
            allowed="analyst",
            refused=readers,
        ),
        "sna.do_change_finding": call(
            lambda p: {"finding": p.sna_finding, "text": "Reworded"},
            allowed="analyst",
            refused=readers,
        ),
    }


def url_kwargs(p: SimpleNamespace) -> dict[str, str]:
    return {"assessment_id": str(p.sna_assessment.id), "finding_id": str(p.sna_finding.id)}


def secrets(p: SimpleNamespace) -> list[str]:
    return [FINDING_TEXT, "Full assessment for the sweep"]
