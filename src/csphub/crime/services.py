"""Every write in the crime app: importing an uploaded file, and recording exports."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from crimestats import scratch, scratch_root
from csphub.audit import record
from csphub.crime import verbs
from csphub.crime.choices import ImportStatus
from csphub.crime.models import CrimeDataImport
from csphub.crime.selectors import may_import_crime_data
from csphub.crime.warehouse import ImportRunning, WarehouseBusy, open_warehouse, warehouse_file

if TYPE_CHECKING:
    from csphub.accounts.models import User

if TYPE_CHECKING:  # the importers (rich, pyarrow, shapely) load with the first upload
    from crimestats import ImportResult

logger = logging.getLogger(__name__)


@dataclass
class ImportOutcome:
    """The record kept, and what crimestats said about each file in the upload."""

    record: CrimeDataImport
    results: list[ImportResult]

    @property
    def errors(self) -> list[str]:
        return [r.error for r in self.results if r.status != "imported"]


def _describe(r: ImportResult) -> str:
    if r.status != "imported":
        return f"rejected: {r.error}"
    months = f", {r.month_from:%Y-%m} to {r.month_to:%Y-%m}" if r.month_from and r.month_to else ""
    return f"{r.file_name}: {r.format}; {r.rows:,} rows{months}"


def do_import_crime_data(
    *, actor: User, upload: UploadedFile, request: HttpRequest | None = None
) -> ImportOutcome:
    """Import one uploaded file (or zip) into the warehouse, with crimestats' own validation.

    The upload is written to a private temporary folder under its own base name (the name
    appears in provenance and in error messages), imported, and deleted; the folder sits in the
    warehouse's own temporary folder, so one left by a killed process is swept at the next
    open. crimestats writes each file in one DuckDB transaction, so a rejected file changes
    nothing there; an upload counts as imported only if every file in it was. Both outcomes
    are recorded and audited. Whatever the importer raises (other than the warehouse being
    busy, which the caller reports) is a rejection too: logged for the operator, never a 500.
    """
    from crimestats import ImportResult, import_paths

    if not may_import_crime_data(actor):
        raise PermissionDenied
    name = PurePath(upload.name or "upload").name
    digest = hashlib.sha256()
    with scratch(scratch_root(warehouse_file()), "upload") as tmp:
        path = tmp / name
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                digest.update(chunk)
                fh.write(chunk)
        try:
            with open_warehouse(write=True) as wh:
                assert wh is not None  # write=True always opens (creating the file if need be)
                results = import_paths([path], wh, quiet=True)
        except ImportRunning as exc:
            exc.message = (
                f"Another import of crime data is running, so {name} was not imported. Try "
                "again when it has finished."
            )
            raise
        except WarehouseBusy:
            raise
        except Exception as exc:
            logger.exception("crime data upload %s could not be imported", name)
            reason = str(exc).replace(f"{tmp}/", "") or type(exc).__name__
            results = [
                ImportResult(name, "rejected", error=f"{name}: could not be imported: {reason}")
            ]
    if not results:
        results = [ImportResult(name, "rejected", error=f"{name}: no data files in the upload")]
    ok = all(r.status == "imported" for r in results)
    with transaction.atomic():
        entry = CrimeDataImport.objects.create(
            uploaded_by=actor,
            file_name=name[:255],
            sha256=digest.hexdigest(),
            size_bytes=upload.size or 0,
            status=ImportStatus.IMPORTED if ok else ImportStatus.REJECTED,
            detail="\n".join(_describe(r) for r in results),
            rows=sum(r.rows for r in results if r.status == "imported"),
        )
        record(
            verb=verbs.DATA_IMPORTED if ok else verbs.DATA_IMPORT_REJECTED,
            actor=actor,
            target=entry,
            payload={
                "sha256": entry.sha256,
                "files": len(results),
                "rejected": sum(r.status != "imported" for r in results),
                "rows": entry.rows,
            },
            request=request,
        )
    return ImportOutcome(entry, results)


_EXPORT_VERBS = {"figures": verbs.FIGURES_EXPORTED, "hotspots": verbs.HOTSPOTS_EXPORTED}


def record_figures_export(
    *, actor: User, what: str, area_code: str, period: str, request: HttpRequest | None = None
) -> None:
    """Audit a CSV download of aggregate figures (no personal data, but exports are recorded)."""
    record(
        verb=_EXPORT_VERBS[what],
        actor=actor,
        payload={"area": area_code, "period": period},
        request=request,
    )
