"""The measures a partner extract may carry, and the layouts it may come in."""

from __future__ import annotations

from django.db import models


class Layout(models.TextChoices):
    COUNTS = "counts", "Counts by month, area and measure"
    ISTV = "istv", "A&E assault records (Information Sharing to Tackle Violence)"


#: Each measure a partner supplies: id -> label. Measures ending ``_under_25`` are the same
#: count for victims aged under 25 (the Home Office success measures are given for both).
MEASURES: dict[str, str] = {
    "sharp_object_admissions": "Hospital admissions for assault with a knife or sharp object",
    "sharp_object_admissions_under_25": (
        "Hospital admissions for assault with a knife or sharp object, aged under 25"
    ),
    "knife_enabled_serious_violence": "Knife-enabled serious violence offences",
    "knife_enabled_serious_violence_under_25": (
        "Knife-enabled serious violence offences, victims aged under 25"
    ),
    "non_domestic_homicide": "Non-domestic homicides",
    "non_domestic_homicide_under_25": "Non-domestic homicides, victims aged under 25",
    "knife_crime_victims": "Knife crime victims (all ages)",
    "knife_enabled_robbery": "Knife-enabled personal robbery offences",
    "ae_assault_attendances": "A&E attendances for assault (ISTV)",
    "ae_assault_attendances_under_25": "A&E attendances for assault, aged under 25 (ISTV)",
    "ae_assault_attendances_timed": "A&E attendances for assault with the time recorded (ISTV)",
    "ae_assault_attendances_night": (
        "A&E attendances for assault between 22:00 and 05:59 (ISTV; of those with a time)"
    ),
    "ae_sharp_object_attendances": "A&E attendances for assault with a knife or sharp object (ISTV)",
    "ae_sharp_object_attendances_under_25": (
        "A&E attendances for assault with a knife or sharp object, aged under 25 (ISTV)"
    ),
}
