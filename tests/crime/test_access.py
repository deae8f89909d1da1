"""Every crime page and download, for each kind of user: role-gated pages answer 403."""

from __future__ import annotations

import pytest

from csphub.accounts.roles import ANALYST, COORDINATOR, EXECUTIVE, PRACTITIONER

PAGES = [
    "/crime/",
    "/crime/about/",
    "/crime/hotspots/",
    "/crime/figures.csv",
    "/crime/hotspots.csv",
    "/crime/import/",
]
# What each role may open (executives read and download, only analysts import).
ALLOWED = {
    ANALYST: set(PAGES),
    EXECUTIVE: set(PAGES) - {"/crime/import/"},
    COORDINATOR: {"/crime/", "/crime/about/", "/crime/hotspots/"},
    PRACTITIONER: set(),
}


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("url", PAGES)
def test_each_role_opens_exactly_its_pages(make_user, client_for, with_crime_data, role, url):
    response = client_for(make_user(role)).get(url)
    if url in ALLOWED[role]:
        assert response.status_code == 200, response.content[:500]
    else:
        assert response.status_code == 403


def test_practitioner_sees_no_crime_link_in_the_navigation(make_user, client_for, with_crime_data):
    home = client_for(make_user(PRACTITIONER)).get("/").content.decode()
    assert 'href="/crime/"' not in home
    analyst_home = client_for(make_user(ANALYST)).get("/").content.decode()
    assert 'href="/crime/"' in analyst_home


def test_import_upload_is_refused_to_an_executive(make_user, client_for, with_crime_data):
    response = client_for(make_user(EXECUTIVE)).post("/crime/import/", {})
    assert response.status_code == 403


@pytest.mark.parametrize("role", [EXECUTIVE, COORDINATOR, PRACTITIONER])
def test_import_upload_is_refused_to_every_role_but_the_analyst(
    make_user, client_for, settings, tmp_path, role
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")
    response = client_for(make_user(role)).post("/crime/import/", {"data_file": upload})
    assert response.status_code == 403
    assert not (tmp_path / "crimestats").exists()  # nothing written, not even a folder


def test_import_upload_by_an_anonymous_visitor_goes_to_sign_in(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    upload = SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")
    response = client.post("/crime/import/", {"data_file": upload})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    assert not (tmp_path / "crimestats").exists()
