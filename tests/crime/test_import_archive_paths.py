"""The import page never reads a file outside an uploaded zip, nor shows what such a file holds."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from crimestats.warehouse import Warehouse
from csphub.accounts.roles import ANALYST
from csphub.crime.warehouse import warehouse_file


def test_a_member_path_climbing_out_of_the_zip_is_refused_unread(
    make_user, client_for, settings, tmp_path
):
    settings.DATA_DIR = tmp_path / "data"
    secret = tmp_path / "server" / "private-notes.csv"
    secret.parent.mkdir()
    secret.write_text("Private Heading Alpha,Private Heading Beta\n1,2\n", encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("../" * 30 + str(secret).lstrip("/"), "a,b\n")
        zf.writestr(str(secret), "a,b\n")
    upload = SimpleUploadedFile("upload.zip", buffer.getvalue(), content_type="application/zip")
    response = client_for(make_user(ANALYST)).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[
        html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))
    ]
    assert summary.count("outside the archive") == 2
    assert "Private Heading" not in html
    with Warehouse(warehouse_file(), read_only=True) as wh:
        assert wh.con.execute("SELECT count(*) FROM sources").fetchone() == (0,)
