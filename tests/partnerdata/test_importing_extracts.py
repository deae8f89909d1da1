"""A partner extract is imported whole, with its provenance, or refused with the file, row,
column and reason, leaving nothing behind."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from csphub.audit.models import AuditEvent
from csphub.partnerdata.errors import ExtractRefused
from csphub.partnerdata.models import Count, Extract
from csphub.partnerdata.selectors import total
from csphub.partnerdata.services import do_import_partner_extract
from tests.partnerdata.conftest import (
    COUNTS_HEADER,
    ISTV_HEADER,
    ISTV_ROWS,
    csv_bytes,
    import_counts,
    xlsx_bytes,
)

BEXLEY = "E09000004"
OCT, NOV = date(2022, 10, 1), date(2022, 11, 1)
# Worked by hand from ISTV_ROWS (see conftest).
ISTV_EXPECTED = {
    (OCT, "ae_assault_attendances"): 4,
    (OCT, "ae_assault_attendances_under_25"): 3,
    (OCT, "ae_sharp_object_attendances"): 2,
    (OCT, "ae_sharp_object_attendances_under_25"): 2,
    (OCT, "ae_assault_attendances_timed"): 3,
    (OCT, "ae_assault_attendances_night"): 3,
    (NOV, "ae_assault_attendances"): 2,
    (NOV, "ae_assault_attendances_timed"): 2,
    (NOV, "ae_assault_attendances_night"): 1,
    (NOV, "ae_assault_attendances_under_25"): 0,
    (NOV, "ae_sharp_object_attendances"): 1,
    (NOV, "ae_sharp_object_attendances_under_25"): 0,
}


def _istv(actor, data, name="qeh-istv.csv", **kwargs):
    return do_import_partner_extract(
        actor=actor,
        file_name=name,
        data=data,
        layout="istv",
        supplier="Queen Elizabeth Hospital A&E",
        agreement_reference="ISTV-ISA-2022",
        area_code=kwargs.pop("area_code", BEXLEY),
        **kwargs,
    )


def _cells(extract):
    return {(c.month, c.measure): c.value for c in Count.objects.filter(extract=extract)}


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_istv_records_are_counted_by_month_weapon_and_age(world, make):
    data = make(ISTV_HEADER, ISTV_ROWS)
    extract = _istv(
        world.analyst, data, name="qeh-istv." + ("csv" if make is csv_bytes else "xlsx")
    )
    assert _cells(extract) == ISTV_EXPECTED
    assert set(Count.objects.filter(extract=extract).values_list("area_code", flat=True)) == {
        BEXLEY
    }
    assert extract.rows_read == 6


def test_an_extract_keeps_its_provenance(world):
    data = csv_bytes(ISTV_HEADER, ISTV_ROWS)
    extract = _istv(world.analyst, data)
    assert extract.file_name == "qeh-istv.csv"
    assert extract.sha256 == hashlib.sha256(data).hexdigest()
    assert extract.imported_by == world.analyst
    assert extract.agreement_reference == "ISTV-ISA-2022"
    assert extract.mapping["columns"]["weapon"] == "Weapon"
    event = AuditEvent.objects.get(verb="partnerdata.extract_imported")
    assert event.payload["sha256"] == extract.sha256
    # The free-text locations are nowhere: not in the counts, not in the audit trail.
    assert "Bexleyheath" not in str(event.payload)


def test_an_istv_row_with_a_band_across_25_is_refused_with_its_row_and_nothing_is_kept(world):
    rows = [*ISTV_ROWS[:2], ["2022-10-09", "12:00", "Street", "Knife", "20-29", "Male"]]
    with pytest.raises(ExtractRefused) as refused:
        _istv(world.analyst, csv_bytes(ISTV_HEADER, rows))
    assert refused.value.row == 4  # the header is row 1
    assert refused.value.column == "Age band"
    assert "spans 25" in refused.value.reason
    assert Extract.objects.count() == 0 and Count.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="partnerdata.extract_imported").exists()


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["2022-10", "E09000004", "sharp_object_admissions", "-2"], "Count", "whole number"),
        (["2022-13", "E09000004", "sharp_object_admissions", "2"], "Month", "not a month"),
        (["2022-10", "Bexley", "sharp_object_admissions", "2"], "Area code", "GSS"),
        (["2022-10", "E09000004", "stabbings", "2"], "Measure", "not a known measure"),
    ],
)
def test_a_bad_counts_row_is_refused_naming_row_column_and_reason(world, row, column, reason):
    good = ["2022-10", "E09000004", "knife_crime_victims", "7"]
    with pytest.raises(ExtractRefused) as refused:
        import_counts(world.analyst, [good, row])
    assert (refused.value.row, refused.value.column) == (3, column)
    assert reason in refused.value.reason
    assert "admissions.csv, row 3" in refused.value.message
    assert Extract.objects.count() == 0 and Count.objects.count() == 0


def test_a_missing_column_and_a_repeated_cell_are_refused(world):
    with pytest.raises(ExtractRefused, match="row 1, column “Count”"):
        do_import_partner_extract(
            actor=world.analyst,
            file_name="short.csv",
            data=csv_bytes(COUNTS_HEADER[:3], [["2022-10", BEXLEY, "knife_crime_victims"]]),
            layout="counts",
            supplier="MPS",
            agreement_reference="ISA-1",
        )
    twice = [["2022-10", BEXLEY, "knife_crime_victims", "3"]] * 2
    with pytest.raises(ExtractRefused, match="given twice"):
        import_counts(world.analyst, twice)
    assert Extract.objects.count() == 0


def test_the_same_file_twice_is_refused(world):
    rows = [["2022-10", BEXLEY, "knife_crime_victims", "7"]]
    import_counts(world.analyst, rows)
    with pytest.raises(ExtractRefused, match="imported already"):
        import_counts(world.analyst, rows, name="renamed.csv")
    assert Extract.objects.count() == 1


def test_a_suppliers_own_headings_are_read_through_a_mapping(world):
    header = ["Attendance date", "Arrival time", "Where", "Means of assault", "Age group", "Gender"]
    mapping = {
        "columns": {
            "date": "Attendance date",
            "time": "Arrival time",
            "location": "Where",
            "weapon": "Means of assault",
            "age_band": "Age group",
            "sex": "Gender",
        }
    }
    extract = _istv(world.analyst, csv_bytes(header, ISTV_ROWS), mapping=mapping)
    assert _cells(extract) == ISTV_EXPECTED
    with pytest.raises(ExtractRefused, match="mapping is wrong"):
        _istv(world.analyst, csv_bytes(header, ISTV_ROWS), mapping={"columns": {"postcode": "X"}})


def test_an_istv_file_needs_the_area_it_is_for(world):
    with pytest.raises(ExtractRefused, match="GSS code"):
        _istv(world.analyst, csv_bytes(ISTV_HEADER, ISTV_ROWS), area_code="Bexley")


def test_only_an_analyst_imports(world):
    for user in (world.outsider, world.executive, world.coordinator, world.csp_admin):
        with pytest.raises(PermissionDenied):
            import_counts(user, [["2022-10", BEXLEY, "knife_crime_victims", "7"]])
    assert Extract.objects.count() == 0


def test_a_refreshed_month_replaces_the_earlier_one_in_totals(world):
    import_counts(world.analyst, [["2022-10", BEXLEY, "sharp_object_admissions", "4"]])
    import_counts(
        world.analyst,
        [
            ["2022-10", BEXLEY, "sharp_object_admissions", "6"],
            ["2022-11", BEXLEY, "sharp_object_admissions", "3"],
        ],
        name="admissions-refreshed.csv",
    )
    found = total("sharp_object_admissions", BEXLEY, [OCT, NOV, date(2022, 12, 1)])
    assert found is not None
    assert (found.value, found.months_covered, found.complete) == (6 + 3, 2, False)
    assert total("sharp_object_admissions", "E09000011", [OCT]) is None


def test_the_command_imports_and_refuses_with_the_row(world, tmp_path):
    good = tmp_path / "istv.csv"
    good.write_bytes(csv_bytes(ISTV_HEADER, ISTV_ROWS))
    call_command(
        "import_partner_extract",
        str(good),
        layout="istv",
        supplier="QEH",
        agreement="ISA-9",
        area=BEXLEY,
        user=world.analyst.email,
    )
    assert _cells(Extract.objects.get()) == ISTV_EXPECTED
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(ISTV_HEADER, [["yesterday", "", "x", "Knife", "18-24", "Male"]]))
    with pytest.raises(CommandError, match=r"bad\.csv, row 2, column “Date”"):
        call_command(
            "import_partner_extract",
            str(bad),
            layout="istv",
            supplier="QEH",
            agreement="ISA-9",
            area=BEXLEY,
            user=world.analyst.email,
        )
    assert Extract.objects.count() == 1
