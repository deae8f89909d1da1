"""The partnership's grant-making in the 360Giving Data Standard (1.4.3), as JSON and CSV.

Each funded item is one 360Giving grant: the partnership (the funding organisation) to the
item's provider (the recipient), for the item's budget, under the grant that pays for it (the
grant programme). The JSON is a 360Giving package; the CSV has the standard's flat field names
("Recipient Org:Identifier"), taken from the titles in the schema itself. Both schema files
are vendored, with their licence, in funding/data/360giving/ (docs/funding.md).
"""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from csphub.funding.models import FundedItem
from csphub.lib.csv_safe import neutralise_cell

SCHEMA_DIR = Path(__file__).parent / "data" / "360giving"
GRANT_SCHEMA = SCHEMA_DIR / "360-giving-schema.json"
PACKAGE_SCHEMA = SCHEMA_DIR / "360-giving-package-schema.json"
VERSION = "1.4"


def prefix() -> str:
    """The publisher's registered 360Giving prefix (`CSPHUB_GRANTS_360_PREFIX`)."""
    return str(settings.GRANTS_360_PREFIX)


def funding_organisation() -> dict[str, str]:
    """The partnership's council as the funding organisation (`CSPHUB_GRANTS_360_FUNDER_ID`
    and `_NAME`), its community safety partnership the department."""
    return {
        "id": str(settings.GRANTS_360_FUNDER_ID),
        "name": str(settings.GRANTS_360_FUNDER_NAME),
        "department": str(settings.PARTNERSHIP_NAME),
    }


def grant_record(item: FundedItem) -> dict[str, Any]:
    """One funded item as a 360Giving grant."""
    grant = item.grant
    record: dict[str, Any] = {
        "id": f"{prefix()}-{item.reference}",
        "title": item.name,
        "description": item.description or f"{item.get_kind_display()}: {item.name}",
        "currency": "GBP",
        "amountAwarded": float(item.budget),
        "awardDate": (grant.awarded_on or grant.starts_on).isoformat(),
        "plannedDates": [
            {"startDate": grant.starts_on.isoformat(), "endDate": grant.ends_on.isoformat()}
        ],
        "recipientOrganization": [
            {"id": f"{prefix()}-ORG-{item.provider.pk}", "name": item.provider.name}
        ],
        "fundingOrganization": [funding_organisation()],
        "grantProgramme": [{"code": grant.reference, "title": grant.title}],
        "dateModified": item.updated_at.isoformat(),
    }
    return record


def package(items: list[FundedItem]) -> dict[str, Any]:
    return {"version": VERSION, "grants": [grant_record(i) for i in items]}


@cache
def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    return (
        json.loads(PACKAGE_SCHEMA.read_text(encoding="utf-8")),
        json.loads(GRANT_SCHEMA.read_text(encoding="utf-8")),
    )


def validation_errors(data: dict[str, Any]) -> list[str]:
    """What the published 360Giving package schema finds wrong with DATA ([] when valid). The
    package refers to the grant schema by its published address; the vendored copy answers it."""
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    package_schema, grant_schema = _schemas()
    # The published files name their dialect "http://json-schema.org/draft/2020-12/schema"
    # (http, not the https draft 2020-12 declares), so the dialect is given, not looked up.
    grant_resource = DRAFT202012.create_resource(grant_schema)
    ref = package_schema["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources(
        [(ref, grant_resource), (grant_schema["$id"], grant_resource)]
    )
    validator = Draft202012Validator(
        package_schema, registry=registry, format_checker=FormatChecker()
    )
    return sorted(
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(data)
    )


@cache
def _titles() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The schema's titles for each top-level field, and for the fields of each array's items."""
    _, schema = _schemas()
    top = {k: v.get("title", k) for k, v in schema["properties"].items()}
    top["currency"] = top.get("currency") or "Currency"
    nested: dict[str, dict[str, str]] = {}
    for key, spec in schema["properties"].items():
        ref = spec.get("items", {}).get("$ref", "")
        if ref.startswith("#/$defs/"):
            definition = schema["$defs"][ref.removeprefix("#/$defs/")]
            nested[key] = {k: v.get("title", k) for k, v in definition["properties"].items()}
    return top, nested


def flat(record: dict[str, Any]) -> dict[str, Any]:
    """A grant as the standard's flat columns: 'Amount Awarded', 'Recipient Org:Identifier'.
    Arrays hold one entry each here, so the first entry's fields are its columns."""
    top, nested = _titles()
    row: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, list):
            for sub, subvalue in value[0].items():
                row[f"{top[key]}:{nested[key][sub]}"] = subvalue
        else:
            row[top[key]] = value
    return row


def as_csv(items: list[FundedItem]) -> str:
    rows = [flat(grant_record(i)) for i in items]
    headings: list[str] = []
    for row in rows:
        headings += [h for h in row if h not in headings]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([neutralise_cell(row.get(h, "")) for h in headings])
    return out.getvalue()
