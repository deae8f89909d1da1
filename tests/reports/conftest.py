"""The real crime data (imported once per session, as the crime tests do) and report builders."""

from __future__ import annotations

from tests.crime.conftest import crime_data_dir, with_crime_data

__all__ = ["crime_data_dir", "with_crime_data"]
