"""Wards come from the LSOA code through the best-fit lookup shipped with the app."""

import csv

import pytest
from django.urls import reverse

from csphub.people import services
from csphub.people.geography import LOOKUP_FILE, is_lsoa_code, lsoa_codes, ward_for_lsoa
from tests.factories import PlaceFactory


def test_the_lookup_covers_the_boroughs_148_lsoas_and_17_wards():
    codes = lsoa_codes()
    assert len(codes) == 148
    wards = {ward_for_lsoa(code) for code in codes}
    assert len(wards) == 17
    assert {w.code for w in wards if w} == {f"E050112{n}" for n in range(17, 34)}


@pytest.mark.parametrize(
    "lsoa,ward",
    [
        ("E01000325", "Barnehurst"),  # Bexley 014A
        ("E01000353", "Bexleyheath"),  # Bexley 011A
        ("E01000400", "East Wickham"),  # Bexley 029C
        ("E01000403", "Erith"),  # Bexley 004A
        ("E01033791", "Crayford"),  # Bexley 019G, a 2021 split
        ("e01000359", "West Heath"),  # typed in lower case
    ],
)
def test_real_codes_give_their_best_fit_ward(lsoa, ward):
    found = ward_for_lsoa(lsoa)
    assert found is not None and found.name == ward


def test_codes_outside_the_borough_have_no_ward():
    assert ward_for_lsoa("E01001000") is None  # a Greenwich LSOA
    assert ward_for_lsoa("") is None


def test_shipped_copy_carries_its_attribution():
    readme = (LOOKUP_FILE.parent / "README.md").read_text()
    assert "Open Government Licence v3.0" in readme
    assert "Crown copyright" in readme
    assert "approximate" in readme
    with LOOKUP_FILE.open() as handle:
        assert next(csv.reader(handle))[:4] == ["LSOA21CD", "LSOA21NM", "WD25CD", "WD25NM"]


def test_lsoa_code_shape():
    assert is_lsoa_code("E01000353") and is_lsoa_code(" e01000353 ")
    assert not is_lsoa_code("E02000353") and not is_lsoa_code("Bexleyheath")


def test_new_place_takes_its_ward_from_the_lsoa(world):
    place = services.do_create_place(
        actor=world.coordinator,
        name="Pier Square",
        kind="street",
        lsoa_code=" e01000403 ",
        ward_name="Belvedere",
    )
    assert (place.lsoa_code, place.ward_name, place.ward) == ("E01000403", "Erith", "Erith")
    assert place.ward_is_approximate


def test_place_outside_the_lookup_keeps_the_ward_it_was_given(world):
    place = services.do_create_place(
        actor=world.coordinator,
        name="Woolwich ferry",
        kind="transport",
        lsoa_code="E01001000",
        ward_name="Woolwich Arsenal",
    )
    assert place.ward == "Woolwich Arsenal" and not place.ward_is_approximate


def test_a_malformed_lsoa_code_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.do_create_place(
            actor=world.coordinator, name="Somewhere", kind="street", lsoa_code="DA6 7AA"
        )


def test_place_page_labels_the_ward_as_approximate(client_for, world):
    # An older record typed in the wrong ward: the page shows the lookup's ward.
    place = PlaceFactory(lsoa_code="E01000331", ward_name="Erith")
    world.case.subjects.create(place=place, role="location")
    page = (
        client_for(world.member)
        .get(reverse("people:place_detail", args=[place.reference]))
        .content.decode()
    )
    assert "Crayford" in page and "approximate" in page


def test_adding_a_place_to_a_case_through_the_page_derives_its_ward(client_for, world):
    response = client_for(world.coordinator).post(
        reverse("panels:case_subject", args=[world.case.pk]),
        {
            "role": "location",
            "place_name": "Crayford Way parade",
            "place_kind": "premises",
            "lsoa_code": "E01000331",
            "ward_name": "",
        },
    )
    assert response.status_code == 302
    place = world.case.subjects.get(place__isnull=False).place
    assert place.ward_name == "Crayford"


def test_a_bad_lsoa_code_is_an_error_on_the_case_form(client_for, world):
    response = client_for(world.coordinator).post(
        reverse("panels:case_subject", args=[world.case.pk]),
        {"role": "location", "place_name": "Somewhere", "place_kind": "street", "lsoa_code": "X1"},
    )
    assert response.status_code == 200
    assert "Enter an LSOA code like E01000353" in response.content.decode()
    assert not world.case.subjects.filter(place__isnull=False).exists()


def test_the_geography_module_examples_run():
    import doctest

    from csphub.people import geography

    result = doctest.testmod(geography)
    assert result.attempted == 3 and result.failed == 0
