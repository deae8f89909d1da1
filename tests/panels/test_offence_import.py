"""Offences imported from a police extract: CSV and xlsx, matched by person or case reference,
mapped to MPS categories, refused as a whole (file, row, column, why) when any row is wrong."""

import io
from datetime import date, datetime

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from csphub.audit.models import AuditEvent
from csphub.panels.models import Offence
from csphub.panels.offence_import import OffenceImportRejected
from csphub.panels.services import do_import_offences
from tests.factories import CaseFactory, PanelFactory, PersonFactory

URL = reverse("panels:offence_import")


def _csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def second(world):
    """Another person on a VIP case, so one extract can name two people."""
    person = PersonFactory()
    case = CaseFactory(panel=world.vip, subject=person)
    return person, case


def test_a_csv_extract_is_imported_by_person_and_case_reference(world, second):
    person2, case2 = second
    content = _csv(
        "Reference,Offence date,Category,Harm weight,Police reference,Officer notes",
        f"{world.person.reference},03/03/2024,ROBBERY/ROBBERY OF PERSONAL PROPERTY,,"
        "CRIS-1,not kept",
        f"{case2.reference},2024-05-01,Theft / Shoplifting,,CRIS-2,",
        f"{world.person.reference.lower()},10/06/2024,burglary/residential burglary,42,,",
    )
    result = do_import_offences(actor=world.coordinator, name="extract.csv", content=content)
    assert (result.rows, result.recorded, result.already_recorded) == (3, 3, 0)
    mine = Offence.objects.filter(person=world.person).order_by("offence_date")
    assert [(o.offence_date, o.category, o.harm_weight) for o in mine] == [
        # 330 and 5 are the crime engine's weights for those categories (severity_weights.csv).
        (date(2024, 3, 3), "ROBBERY/ROBBERY OF PERSONAL PROPERTY", 330.0),
        (date(2024, 6, 10), "BURGLARY/RESIDENTIAL BURGLARY", 42.0),
    ]
    theirs = Offence.objects.get(person=person2)
    assert (theirs.category, theirs.harm_weight, theirs.police_reference) == (
        "THEFT/SHOPLIFTING",
        5.0,
        "CRIS-2",
    )
    assert theirs.category_label == "Theft: shoplifting"
    assert AuditEvent.objects.filter(verb="person.offence_recorded").count() == 3
    assert AuditEvent.objects.get(verb="offences.imported").payload["recorded"] == 3


def test_an_xlsx_extract_with_date_cells_and_two_category_columns(world):
    content = _xlsx(
        [
            ["Police extract, December"],  # a title row above the header is skipped
            [],
            ["reference", "offence_date", "major_category", "minor_category"],
            [world.person.reference, datetime(2024, 1, 5), "Violence Against the Person",
             "Violence with Injury"],
            [world.person.reference, "07/02/2024", "SEXUAL OFFENCES", "OTHER SEXUAL OFFENCES"],
        ]
    )  # fmt: skip
    result = do_import_offences(actor=world.member, name="extract.xlsx", content=content)
    assert result.recorded == 2
    assert sorted(Offence.objects.values_list("offence_date", "harm_weight")) == [
        (date(2024, 1, 5), 120.0),
        (date(2024, 2, 7), 250.0),
    ]


def test_a_bad_row_refuses_the_whole_file_naming_file_row_and_column(world):
    content = _csv(
        "reference,offence_date,category",
        f"{world.person.reference},03/03/2024,ROBBERY/ROBBERY OF PERSONAL PROPERTY",
        f"{world.person.reference},31/02/2024,ROBBERY/ROBBERY OF PERSONAL PROPERTY",
        f"{world.person.reference},04/03/2024,THEFT/CAR THEFT",
        ",05/03/2024,THEFT/SHOPLIFTING",
    )
    with pytest.raises(OffenceImportRejected) as refused:
        do_import_offences(actor=world.coordinator, name="march.csv", content=content)
    assert refused.value.problems == [
        "march.csv, row 3, offence_date: '31/02/2024' is not a real date, for example 27/03/2024",
        "march.csv, row 4, category: 'THEFT/CAR THEFT' is not an MPS offence category "
        "(MAJOR/MINOR, for example ROBBERY/ROBBERY OF PERSONAL PROPERTY)",
        "march.csv, row 5, reference: is empty",
    ]
    assert not Offence.objects.exists()
    assert AuditEvent.objects.get(verb="offences.import_rejected").payload["problems"] == 3


def test_a_missing_column_and_a_future_date_are_named(world):
    with pytest.raises(OffenceImportRejected) as refused:
        do_import_offences(
            actor=world.coordinator, name="x.csv", content=_csv("reference,date", "P-1,1/1/2024")
        )
    assert refused.value.problems == [
        "x.csv, row 1: the header has no column offence_date, "
        "category (or major_category and minor_category)"
    ]
    with pytest.raises(OffenceImportRejected) as refused:
        do_import_offences(
            actor=world.coordinator,
            name="x.csv",
            content=_csv(
                "reference,offence_date,category",
                f"{world.person.reference},01/01/2999,THEFT/SHOPLIFTING",
            ),
        )
    assert refused.value.problems == ["x.csv, row 2, offence_date: 01/01/2999 is in the future"]


def test_a_file_that_is_not_csv_or_xlsx_is_refused(world):
    for name, content, problem in [
        ("x.pdf", b"%PDF-1.4", "x.pdf: not a .csv or .xlsx file"),
        ("x.xlsx", b"reference,offence_date", "x.xlsx: not an xlsx workbook"),
        ("x.csv", b"PK\x03\x04\0\0", "x.csv: not a CSV file (it holds binary data)"),
        ("x.csv", b"", "x.csv: the file is empty"),
    ]:
        with pytest.raises(OffenceImportRejected) as refused:
            do_import_offences(actor=world.coordinator, name=name, content=content)
        assert refused.value.problems == [problem]


def test_references_the_importer_may_not_use_read_as_unknown(world):
    hidden = PersonFactory()
    CaseFactory(panel=PanelFactory(), subject=hidden)  # a panel VIP's co-ordinator is not on
    content = _csv(
        "reference,offence_date,category",
        f"{hidden.reference},03/03/2024,THEFT/SHOPLIFTING",
        "P-NOSUCH,03/03/2024,THEFT/SHOPLIFTING",
    )
    with pytest.raises(OffenceImportRejected) as refused:
        do_import_offences(actor=world.coordinator, name="x.csv", content=content)
    assert refused.value.problems == [
        f"x.csv, row 2, reference: no person or case you may import offences against has the "
        f"reference {hidden.reference}",
        "x.csv, row 3, reference: no person or case you may import offences against has the "
        "reference P-NOSUCH",
    ]
    assert not Offence.objects.exists()


def test_a_case_about_two_people_needs_the_persons_reference(world):
    world.case.subjects.create(person=PersonFactory(), role="subject")
    content = _csv(
        "reference,offence_date,category", f"{world.case.reference},03/03/2024,THEFT/SHOPLIFTING"
    )
    with pytest.raises(OffenceImportRejected) as refused:
        do_import_offences(actor=world.coordinator, name="x.csv", content=content)
    assert "is about more than one person" in refused.value.problems[0]


def test_an_overlapping_extract_records_nothing_twice(world):
    first = _csv(
        "reference,offence_date,category,police_reference",
        f"{world.person.reference},03/03/2024,THEFT/SHOPLIFTING,CRIS-1",
    )
    second = _csv(
        "reference,offence_date,category,police_reference",
        f"{world.person.reference},03/03/2024,THEFT/SHOPLIFTING,CRIS-1",
        f"{world.person.reference},04/03/2024,THEFT/SHOPLIFTING,CRIS-2",
    )
    do_import_offences(actor=world.coordinator, name="a.csv", content=first)
    result = do_import_offences(actor=world.coordinator, name="b.csv", content=second)
    assert (result.recorded, result.already_recorded) == (1, 1)
    assert Offence.objects.count() == 2


def test_the_same_police_reference_twice_in_one_file_is_refused(world):
    content = _csv(
        "reference,offence_date,category,police_reference",
        f"{world.person.reference},03/03/2024,THEFT/SHOPLIFTING,CRIS-1",
        f"{world.person.reference},04/03/2024,THEFT/SHOPLIFTING,CRIS-1",
    )
    with pytest.raises(OffenceImportRejected) as refused:
        do_import_offences(actor=world.coordinator, name="x.csv", content=content)
    assert refused.value.problems == [
        f"x.csv, row 3, police_reference: CRIS-1 for {world.person.reference} is already on row 2"
    ]


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider", "executive"])
def test_only_police_and_coordinators_import(world, who):
    content = _csv(
        "reference,offence_date,category", f"{world.person.reference},03/03/2024,THEFT/SHOPLIFTING"
    )
    with pytest.raises(PermissionDenied):
        do_import_offences(actor=getattr(world, who), name="x.csv", content=content)
    assert not Offence.objects.exists()


def test_the_command_imports_and_reports_problems(world, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(
        _csv(
            "reference,offence_date,category",
            f"{world.person.reference},03/03/2024,THEFT/SHOPLIFTING",
        )
    )
    out = io.StringIO()
    call_command("import_offences", "--user", world.coordinator.email, str(good), stdout=out)
    assert out.getvalue().strip() == "good.csv: 1 offence imported from 1 row (0 already recorded)."
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("reference,offence_date,category", "P-X,03/03/2024,NOT/A CATEGORY"))
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"bad\.csv: nothing imported"):
        call_command("import_offences", "--user", world.coordinator.email, str(bad), stderr=err)
    assert "bad.csv, row 2, category" in err.getvalue()
    assert Offence.objects.count() == 1
    with pytest.raises(CommandError, match="may not import offences"):
        call_command("import_offences", "--user", world.outsider.email, str(good))


def _upload(name: str, content: bytes) -> dict[str, SimpleUploadedFile]:
    return {"extract": SimpleUploadedFile(name, content)}


def test_the_coordinator_imports_on_the_page(client_for, world):
    client = client_for(world.coordinator)
    assert client.get(URL).status_code == 200
    content = _csv(
        "reference,offence_date,category", f"{world.person.reference},03/03/2024,THEFT/SHOPLIFTING"
    )
    response = client.post(URL, _upload("x.csv", content), follow=True)
    assert "Imported 1 offence from x.csv (0 already recorded)." in response.content.decode()
    assert Offence.objects.count() == 1


def test_a_refused_file_is_listed_in_the_error_summary(client_for, world):
    content = _csv("reference,offence_date,category", f"{world.person.reference},x,THEFT/X")
    response = client_for(world.member).post(URL, _upload("x.csv", content))
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "x.csv, row 2, offence_date: &#x27;x&#x27; is not a real date" in page
    assert not Offence.objects.exists()


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider"])
def test_others_are_refused_the_page(client_for, world, who):
    assert client_for(getattr(world, who)).get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_the_coordinators_panel_page_links_to_the_import(client_for, world):
    link = "Import offences from a police extract"
    page = reverse("panels:panel_detail", args=[world.vip.slug])
    assert link in client_for(world.coordinator).get(page).content.decode()
    assert link not in client_for(world.owner).get(page).content.decode()
