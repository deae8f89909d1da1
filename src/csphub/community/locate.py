"""A community place located from coordinates: the LSOA (2021) whose boundary holds the point,
from the boundaries the crime warehouse holds (the same ones the hot spot map draws); its ward
then comes from the best-fit lookup like any place's."""

from __future__ import annotations

from decimal import Decimal

from csphub.crime import selectors as crime
from csphub.crime.warehouse import WarehouseBusy, open_warehouse
from csphub.people.geography import lsoa_codes


def lsoa_at(latitude: Decimal | float, longitude: Decimal | float) -> str | None:
    """The borough's LSOA holding the WGS84 point, or None (outside the borough, or no
    boundaries imported)."""
    from pyproj import Transformer
    from shapely import from_wkb
    from shapely.geometry import Point

    try:
        with open_warehouse() as wh:
            if wh is None:
                return None
            polygons = crime.boundaries_for(wh, "lsoa21", lsoa_codes())
    except WarehouseBusy:
        return None
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    point = Point(*to_bng.transform(float(longitude), float(latitude)))
    for code, wkb in sorted(polygons.items()):
        if from_wkb(wkb).covers(point):
            return code
    return None
