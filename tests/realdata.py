"""The real open data the heavy tests read, from one place: ``settings.SHARED_DATA_DIR``.

That setting is ``<repo>/../shared/data`` unless ``CSPHUB_SHARED_DATA`` names another folder.
Tests that read it carry the ``realdata`` marker (tests/conftest.py adds it to any test using the
real-data fixtures); when the folder is missing they are skipped with ``SKIP_REASON``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

DATA = Path(settings.SHARED_DATA_DIR)

#: Fixtures that import the real files: a test using one of them is a real-data test.
FIXTURES = frozenset({"warehouse", "crime_data_dir", "with_crime_data"})

SKIP_REASON = (
    f"the real open data folder {DATA} does not exist: set CSPHUB_SHARED_DATA to the shared "
    "data folder (by default ../shared/data beside the project) to run the real-data tests"
)


def available() -> bool:
    return DATA.is_dir()


def skip_module_without_data() -> None:
    """For a module that reads the real files as it is imported: skip it whole when they are missing."""
    import pytest

    if not available():
        pytest.skip(SKIP_REASON, allow_module_level=True)


#: The 32 London boroughs the Metropolitan Police serves, written out here rather than read from
#: crimestats' geography, so London's expected figures are the sum of these rows of the MPS files
#: (leaving out the files' "London Heathrow and London City Airports" and "Unknown" rows).
LONDON_BOROUGHS = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "Croydon",
    "Ealing", "Enfield", "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey", "Harrow",
    "Havering", "Hillingdon", "Hounslow", "Islington", "Kensington and Chelsea",
    "Kingston upon Thames", "Lambeth", "Lewisham", "Merton", "Newham", "Redbridge",
    "Richmond upon Thames", "Southwark", "Sutton", "Tower Hamlets", "Waltham Forest",
    "Wandsworth", "Westminster",
)  # fmt: skip
