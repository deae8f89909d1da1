"""The import page: crimestats' validation, nothing changed by a bad file, provenance recorded."""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crimestats.importers import import_paths
from crimestats.warehouse import Warehouse
from csphub.accounts.roles import ANALYST
from csphub.audit.models import AuditEvent
from csphub.crime.models import CrimeDataImport
from csphub.crime.warehouse import warehouse_file
from tests.crime.conftest import DATA, RECENT

pytestmark = pytest.mark.realdata  # reads the real open data folder (tests/realdata.py)

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
    assert "must be a CSV, zip, Parquet, GeoJSON or Excel (xlsx) file" in response.content.decode()
    assert _state() == before
    assert not CrimeDataImport.objects.exists()


def test_no_file_chosen_is_an_error(make_user, client_for, small_warehouse):
    response = client_for(make_user(ANALYST)).post("/crime/import/", {})
    assert response.status_code == 400
    assert "Select a file to import" in response.content.decode()


# --- every failure is a 400 with a message, including while another import runs -------------

HOLDER = Path(__file__).parents[1] / "crimestats" / "hold_import.py"
OTHER = (
    DATA
    / "mps"
    / "borough"
    / ("MPS Borough Level Crime (most recent 24 months) pre-2023-classification 202108-202307.csv")
)


@pytest.fixture
def import_held_open(small_warehouse, tmp_path):
    """A second process with an import into the same warehouse under way (held open)."""
    upload = tmp_path / "other.zip"
    with zipfile.ZipFile(upload, "w") as zf:
        zf.write(OTHER, OTHER.name)
    proc = subprocess.Popen(
        [sys.executable, str(HOLDER), str(warehouse_file()), str(upload)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().startswith("importing ")
    yield proc
    proc.kill()
    proc.wait(timeout=30)


def test_figures_and_provenance_pages_answer_while_another_process_imports(
    make_user, client_for, import_held_open
):
    client = client_for(make_user(ANALYST))
    figures = client.get("/crime/", {"area": "Bexley", "kind": "calendar", "year": "2024"})
    assert figures.status_code == 200
    assert figures.context["page"].area.name == "Bexley"
    about = client.get("/crime/about/")
    assert about.status_code == 200 and RECENT.name in about.content.decode()
    assert import_held_open.poll() is None  # still importing all the while


def test_an_upload_while_another_import_runs_is_a_400_saying_so(
    make_user, client_for, import_held_open
):
    before = _state()
    upload = SimpleUploadedFile(WARDS.name, WARDS.read_bytes(), content_type="application/json")
    response = client_for(make_user(ANALYST)).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert "Another import of crime data is running" in summary and WARDS.name in summary
    assert _state() == before


def _summary(html: str) -> str:
    start = html.index("govuk-error-summary")
    return html[start : html.index("</ul>", start)]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(64)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("crimes.csv", b"", "The selected file is empty"),
        ("crimes.zip", b"<html>Not Found</html>", "must be a zip file: crimes.zip"),
        ("crimes.zip", b"PK\x03\x04 cut short", "must be a zip file: crimes.zip"),
        ("crimes.parquet", b"PAR1 but not really", "must be a Parquet file: crimes.parquet"),
        ("crimes.csv", PNG, "must be a CSV file: crimes.csv"),
        ("wards.geojson", PNG, "must be a GeoJSON file: wards.geojson"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_with_a_message(
    make_user, client_for, small_warehouse, name, content, message
):
    before = _state()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = client_for(make_user(ANALYST)).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 400
    assert message in _summary(response.content.decode())
    assert _state() == before
    assert not CrimeDataImport.objects.exists()


def test_a_zip_that_unpacks_to_more_than_the_limit_is_refused_unopened(
    make_user, client_for, small_warehouse, monkeypatch
):
    from csphub.crime import forms

    monkeypatch.setattr(forms, "MAX_UNZIPPED_BYTES", 1024 * 1024)  # 1 MB, for the test
    bomb = _zip({"2024-01-metropolitan-street.csv": b"0" * (3 * 1024 * 1024)})
    assert len(bomb) < 20_000  # 3 MB of zeros squeezes small: a bomb in miniature
    upload = SimpleUploadedFile("bomb.zip", bomb, content_type="application/zip")
    response = client_for(make_user(ANALYST)).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert "must unpack to 1 MB or less" in summary and "bomb.zip unpacks to 3 MB" in summary
    assert not CrimeDataImport.objects.exists()


def test_the_unzipped_limit_is_the_documented_one():
    from csphub.crime.forms import MAX_UNZIPPED_BYTES, MAX_ZIP_MEMBERS

    docs = (Path(__file__).parents[2] / "docs" / "crime-data.md").read_text()
    assert MAX_UNZIPPED_BYTES == 2 * 1024**3 and "2 GB" in docs
    assert MAX_ZIP_MEMBERS == 2000 and "2,000 files" in docs


def test_a_zip_of_too_many_files_is_refused_unopened(
    make_user, client_for, small_warehouse, monkeypatch
):
    from csphub.crime import forms

    monkeypatch.setattr(forms, "MAX_ZIP_MEMBERS", 3)
    many = _zip({f"{i}.csv": b"a,b\n" for i in range(5)})
    upload = SimpleUploadedFile("many.zip", many, content_type="application/zip")
    response = client_for(make_user(ANALYST)).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 400
    assert "must hold 3 files or fewer: many.zip holds 5" in _summary(response.content.decode())


def _crc_damaged_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(RECENT.name, RECENT.read_bytes()[:5000])
    data = bytearray(buffer.getvalue())
    data[data.index(b"BoroughName") + 300] ^= 0x01  # one bit flipped: the CRC no longer matches
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("damaged.zip", "crc"),  # opens as a zip, but a member's CRC check fails
        ("dashboard.parquet", b"PAR1" + bytes(range(256)) * 4 + b"PAR1"),  # marker, no Parquet
    ],
)
def test_a_file_the_importer_cannot_read_is_a_recorded_400_not_a_500(
    make_user, client_for, small_warehouse, name, content
):
    before = _state()
    analyst = make_user(ANALYST)
    body = _crc_damaged_zip() if content == "crc" else content
    upload = SimpleUploadedFile(name, body, content_type="application/octet-stream")
    response = client_for(analyst).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 400
    assert name in _summary(response.content.decode())
    assert _state() == before
    entry = CrimeDataImport.objects.get()
    assert (entry.status, entry.file_name) == ("rejected", name)
    assert AuditEvent.objects.filter(verb="crime.data_import_rejected").count() == 1


def test_an_unexpected_importer_failure_is_a_recorded_400_and_logged(
    make_user, client_for, small_warehouse, monkeypatch, caplog
):
    import crimestats

    def broken(*args, **kwargs):
        raise RuntimeError("something no test foresaw")

    # The crime app imports through crimestats' public API, so that is the name replaced.
    monkeypatch.setattr(crimestats, "import_paths", broken)
    upload = SimpleUploadedFile(WARDS.name, WARDS.read_bytes(), content_type="application/json")
    response = client_for(make_user(ANALYST)).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert WARDS.name in summary and "could not be imported" in summary
    assert CrimeDataImport.objects.get().status == "rejected"
    assert "something no test foresaw" in caplog.text  # the operator sees the cause
