"""Every write to partner extracts: keyword-only, atomic, checked, audited (no file contents)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from csphub.audit import record
from csphub.partnerdata import verbs
from csphub.partnerdata.errors import ExtractRefused
from csphub.partnerdata.layouts import mapping_for, parse
from csphub.partnerdata.models import Count, Extract
from csphub.partnerdata.selectors import may_import

if TYPE_CHECKING:
    from csphub.accounts.models import User


def do_import_partner_extract(
    *,
    actor: User,
    file_name: str,
    data: bytes,
    layout: str,
    supplier: str,
    agreement_reference: str,
    area_code: str = "",
    mapping: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> Extract:
    """Import one partner file whole, or refuse it (ExtractRefused names the file, row, column
    and reason) leaving nothing behind; MAPPING overrides the layout's shipped columns."""
    if not may_import(actor):
        raise PermissionDenied("Only an analyst imports partner extracts")
    if not supplier.strip() or not agreement_reference.strip():
        raise ExtractRefused(
            file_name, None, None, "say who supplied the file and under which sharing agreement"
        )
    try:
        declared = mapping_for(layout, mapping)
    except (KeyError, ValueError) as exc:
        raise ExtractRefused(file_name, None, None, f"the column mapping is wrong: {exc}") from exc
    sha256 = hashlib.sha256(data).hexdigest()
    if Extract.objects.filter(sha256=sha256).exists():
        raise ExtractRefused(file_name, None, None, "this file has been imported already")
    parsed = parse(layout, file_name, data, declared, area_code.strip().upper())
    with transaction.atomic():
        extract = Extract.objects.create(
            file_name=file_name,
            sha256=sha256,
            supplier=supplier.strip(),
            agreement_reference=agreement_reference.strip(),
            layout=layout,
            mapping=declared,
            rows_read=parsed.rows,
            imported_by=actor,
            imported_at=timezone.now(),
        )
        Count.objects.bulk_create(
            Count(extract=extract, month=month, area_code=area, measure=measure, value=value)
            for (month, area, measure), value in sorted(parsed.counts.items())
        )
        record(
            verb=verbs.EXTRACT_IMPORTED,
            actor=actor,
            target=extract,
            request=request,
            payload={"sha256": sha256, "layout": layout, "rows": parsed.rows},
        )
    return extract
