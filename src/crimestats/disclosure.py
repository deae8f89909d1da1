"""Which counts are suppressed before they are shown: one policy per source and output.

Small-number suppression protects people in figures made from casework. Counts the police have
already published protect no one by being hidden again, and hiding them stops a partnership
writing its own report ("During 2022, there were four homicides in Bexley"); counts the law
requires in full must be published in full. So the threshold depends on where a count comes
from, how small its area is, and whether the output is for publication. Every caller asks here;
docs/crime-data.md ("Suppression") sets the policy out for readers.

>>> threshold_for(Source.POLICE_OPEN_DATA, Output.PUBLICATION)
0
>>> threshold_for(Source.POLICE_OPEN_DATA, Output.PUBLICATION, small_area=True)
5
>>> threshold_for(Source.POLICE_OPEN_DATA, Output.INTERNAL, small_area=True)
0
>>> threshold_for(Source.CASEWORK, Output.INTERNAL)
5
>>> threshold_for(Source.STATUTORY, Output.PUBLICATION)
0
"""

from __future__ import annotations

from enum import StrEnum

#: Counts from 1 to DEFAULT_THRESHOLD - 1 are hidden where the policy suppresses ("<5").
DEFAULT_THRESHOLD = 5


class Source(StrEnum):
    """Where a count comes from."""

    #: police.uk and MPS open data: already published by the police.
    POLICE_OPEN_DATA = "police_open_data"
    #: csphub's own records (panels, NRM decisions, case reviews): about identifiable people.
    CASEWORK = "casework"
    #: Counts a statute requires to be published in full (ASB case reviews, s.104 of the 2014 Act).
    STATUTORY = "statutory"


class Output(StrEnum):
    """Who the figure is for."""

    #: A signed-in page or download for partnership staff.
    INTERNAL = "internal"
    #: An export marked for publication, or a report sent outside the partnership.
    PUBLICATION = "publication"


def threshold_for(
    source: Source,
    output: Output,
    *,
    small_area: bool = False,
    small_area_threshold: int = DEFAULT_THRESHOLD,
    small_area_internal: bool = False,
) -> int:
    """The suppression threshold for a count (0: shown as it is).

    ``small_area`` is an LSOA, ward or hexagon (not a borough, BCU or London). Police counts for
    small areas are suppressed below ``small_area_threshold`` in publications, and on internal
    pages only when ``small_area_internal`` is set (a partnership's own choice).
    """
    if small_area_threshold < 1:
        raise ValueError("a small-area threshold must be at least 1")
    if source is Source.STATUTORY:
        return 0
    if source is Source.CASEWORK:
        return DEFAULT_THRESHOLD
    if not small_area:
        return 0
    if output is Output.PUBLICATION or small_area_internal:
        return small_area_threshold
    return 0


def describe(threshold: int) -> str:
    """The sentence under a table: what the reader should know about hidden counts.

    >>> describe(0)
    'Counts are shown as published, without suppression.'
    >>> describe(5)
    'Counts from 1 to 4 are shown as "<5".'
    """
    if threshold <= 0:
        return "Counts are shown as published, without suppression."
    if threshold == 1:
        return "No count is hidden."
    return f'Counts from 1 to {threshold - 1} are shown as "<{threshold}".'
