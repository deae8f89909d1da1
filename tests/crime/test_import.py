"""The import page: crimestats' validation, nothing changed by a bad file, provenance recorded."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crimestats.importers import import_paths
from crimestats.warehouse import Warehouse
from csphub.accounts.roles import ANALYST
from csphub.audit.models import AuditEvent
from csphub.crime.models import CrimeDataImport
from csphub.crime.warehouse import warehouse_file
from tests.crime.conftest import DATA, RECENT

WARDS = DATA / "geo" / "bexley" / "bexley_wards2025.geojson"


@pytest.fixture
def small_warehouse(settings, tmp_path):
    """A warehouse of its own holding one real MPS borough file, so imports can change it."""
    settings.DATA_DIR = tmp_path
    with Warehouse(warehouse_file()) as wh:
        [result] = import_paths([RECENT], wh, quiet=True)
    assert result.status == "imported"
    return tmp_path


def _state() -> tuple:
    with Warehouse(warehouse_file(), read_only=True) as wh:
        return (
            wh.con.execute("SELECT id, file_name, sha256 FROM sources ORDER BY id").fetchall(),
            wh.con.execute("SELECT count(*), sum(count) FROM mps_counts").fetchone(),
            wh.con.execute("SELECT count(*) FROM boundaries").fetchone(),
        )


def _corrupted() -> bytes:
    rows = list(csv.reader(io.StringIO(RECENT.read_text(encoding="utf-8-sig"))))
    col = rows[0].index("202401")
    rows[7][col] = "12x"  # data row 7 (the header is not a row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def test_corrupted_file_is_rejected_naming_file_row_column_and_reason(
    make_user, client_for, small_warehouse
):
    before = _state()
    analyst = make_user(ANALYST)
    upload = SimpleUploadedFile(RECENT.name, _corrupted(), content_type="text/csv")
    response = client_for(analyst).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[
        html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))
    ]
    assert RECENT.name in summary
    assert "row 7" in summary and "column &#x27;202401&#x27;" in summary
    assert "not a whole number" in summary and "12x" in summary
    assert _state() == before  # nothing changed
    entry = CrimeDataImport.objects.get()
    assert (entry.status, entry.uploaded_by, entry.rows) == ("rejected", analyst, 0)
    assert AuditEvent.objects.filter(
        verb="crime.data_import_rejected", actor_id=analyst.pk
    ).exists()
    assert not AuditEvent.objects.filter(verb="crime.data_imported").exists()


def test_good_upload_is_imported_with_provenance(make_user, client_for, small_warehouse):
    analyst = make_user(ANALYST)
    client = client_for(analyst)
    content = WARDS.read_bytes()
    upload = SimpleUploadedFile(WARDS.name, content, content_type="application/geo+json")
    response = client.post("/crime/import/", {"data_file": upload})
    assert response.status_code == 302
    sources, _, boundaries = _state()
    assert (sources[-1][1], sources[-1][2]) == (WARDS.name, hashlib.sha256(content).hexdigest())
    assert boundaries == (17,)
    entry = CrimeDataImport.objects.get()
    assert (entry.status, entry.sha256, entry.rows) == (
        "imported",
        hashlib.sha256(content).hexdigest(),
        17,
    )
    event = AuditEvent.objects.get(verb="crime.data_imported")
    assert event.actor_id == analyst.pk and event.target_id == str(entry.pk)
    page = client.get("/crime/import/").content.decode()
    assert f"Imported {WARDS.name}." in page
    assert WARDS.name in page and RECENT.name in page  # the provenance table


def test_zip_upload_imports_its_members(make_user, client_for, small_warehouse):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.write(WARDS, WARDS.name)
    upload = SimpleUploadedFile("wards.zip", buffer.getvalue(), content_type="application/zip")
    response = client_for(make_user(ANALYST)).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 302
    assert _state()[0][-1][1] == f"wards.zip!{WARDS.name}"


def test_unsupported_file_type_is_refused_before_import(make_user, client_for, small_warehouse):
    before = _state()
    upload = SimpleUploadedFile(
        "minutes.docx", b"not data", content_type="application/octet-stream"
    )
    response = client_for(make_user(ANALYST)).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 400
    assert "must be a CSV, zip, Parquet or GeoJSON file" in response.content.decode()
    assert _state() == before
    assert not CrimeDataImport.objects.exists()


def test_no_file_chosen_is_an_error(make_user, client_for, small_warehouse):
    response = client_for(make_user(ANALYST)).post("/crime/import/", {})
    assert response.status_code == 400
    assert "Select a file to import" in response.content.decode()
