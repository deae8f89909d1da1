"""A new place located from coordinates: the LSOA whose boundary holds the point, found in the
warehouse's British National Grid boundaries; checked against the published WGS84 GeoJSON read
directly with shapely."""

import json

import pytest
from django.urls import reverse
from shapely.geometry import shape

from csphub.community.locate import lsoa_at
from csphub.people.models import Place
from tests.crime.conftest import crime_data_dir, with_crime_data  # noqa: F401
from tests.realdata import DATA

pytestmark = pytest.mark.realdata
GEOJSON = DATA / "geo" / "bexley" / "bexley_lsoa21.geojson"


def _inside(code: str) -> tuple[float, float]:
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    found = next(f for f in features if f["properties"]["LSOA21CD"] == code)
    point = shape(found["geometry"]).representative_point()
    return point.y, point.x  # latitude, longitude


@pytest.mark.parametrize("code", ["E01000325", "E01000353", "E01000460"])
def test_a_point_inside_an_lsoa_is_located_to_it(code, with_crime_data):  # noqa: F811
    assert lsoa_at(*_inside(code)) == code


def test_a_point_outside_the_borough_is_in_no_lsoa(with_crime_data):  # noqa: F811
    assert lsoa_at(51.5007, -0.1246) is None  # Westminster


def test_the_form_locates_a_new_place_from_its_coordinates(client_for, funding, with_crime_data):  # noqa: F811
    latitude, longitude = _inside("E01000325")
    response = client_for(funding.provider_staff).post(
        reverse("community:activity_create"),
        {
            "kind": "outreach_bus",
            "theme": "knife_crime",
            "topic": "Detached youth work",
            "held_on": "12/05/2023",
            "new_place_name": "Barnehurst Park gates",
            "new_place_kind": "park",
            "new_place_latitude": f"{latitude:.6f}",
            "new_place_longitude": f"{longitude:.6f}",
            "people_reached": "14",
        },
    )
    assert response.status_code == 302
    place = Place.objects.get(name="Barnehurst Park gates")
    assert (place.lsoa_code, place.ward, place.is_community_place) == (
        "E01000325",
        "Barnehurst",
        True,
    )
