"""Who attended a meeting by name, and whether they made its panel's quorum.

The quorum rule is the panel's own (`PanelRules.quorum_errors`): this module only says which
seat each person present holds. An app that gives members seats on a panel (the NRM panel's
voting seats) registers where to read them (`register_seat_source`); anyone else counts under
their agency's kind (`police`, `health`…), so a quorum of `police: 1` is met by a police
officer present.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from csphub.accounts.choices import AgencyKind
from csphub.meetings.choices import AttendanceStatus
from csphub.meetings.models import Meeting, PersonAttendance

#: SOURCE(user, panel) -> the user's seat on the panel ('' for none), or None where the source
#: gives that panel no seats at all.
SeatSource = Callable[[Any, Any], str | None]
_seat_sources: list[SeatSource] = []
_seat_labels: dict[str, str] = {}


def register_seat_source(source: SeatSource, labels: Mapping[str, str]) -> None:
    """Read seats from SOURCE too (once, however often it is called); LABELS name its seats."""
    if source not in _seat_sources:
        _seat_sources.append(source)
    _seat_labels.update({str(k): str(v) for k, v in labels.items()})


def seat_of(person: Any, panel: Any) -> str:
    """PERSON's seat on PANEL: a registered source's where it seats the panel (a member without
    a seat there counts under none), else their agency's kind."""
    for source in _seat_sources:
        seat = source(person, panel)
        if seat is not None:
            return seat
    agency = getattr(person, "agency", None)
    return str(agency.kind) if agency is not None else ""


@dataclass(frozen=True)
class Quorum:
    """A meeting's attendance by name, and what its quorum lacks (SHORTFALLS, none when met)."""

    present: list[PersonAttendance]
    apologies: list[PersonAttendance]
    absent: list[PersonAttendance]
    needed: bool
    shortfalls: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.needed and not self.shortfalls

    @property
    def summary(self) -> str:
        """One line for the meeting page and the minutes."""
        if not self.needed:
            return "This panel has no quorum set."
        if not self.present:
            return "Not quorate: nobody is recorded as present."
        if self.met:
            return "Quorate."
        return "Not quorate: " + "; ".join(self.shortfalls) + "."


def quorum_of(meeting: Meeting) -> Quorum:
    """MEETING's attendance by name and its quorum, by the panel's rules."""
    people = list(
        PersonAttendance.objects.filter(meeting=meeting).select_related("person__agency", "agency")
    )
    present = [a for a in people if a.status == AttendanceStatus.PRESENT]
    rules = meeting.panel.rules
    labels = {**dict(AgencyKind.choices), **_seat_labels}
    return Quorum(
        present=present,
        apologies=[a for a in people if a.status == AttendanceStatus.APOLOGIES],
        absent=[a for a in people if a.status == AttendanceStatus.ABSENT],
        needed=bool(rules.quorum),
        shortfalls=rules.quorum_errors([seat_of(a.person, meeting.panel) for a in present], labels),
    )
