"""A referral's decision deadlines: the pilot's RG due date (a setting, by default 45 calendar
days from the referral being received) and, beside it, the national SCA target of 5 working
days (England and Wales bank holidays), both counted with `csphub.lib.deadlines`."""

from __future__ import annotations

from datetime import date

from csphub.lib.deadlines import CALENDAR_DAYS, Deadline, Timescale, WorkingDays
from csphub.nrm.choices import DecisionKind
from csphub.nrm.models import NrmSettings, Referral


def rg_timescale(settings: NrmSettings) -> Timescale:
    return Timescale(settings.rg_due_days, CALENDAR_DAYS, warn=7)


def sca_timescale(settings: NrmSettings) -> Timescale:
    return Timescale(settings.sca_target_working_days, WorkingDays("ENG"))


def rg_deadlines(
    referral: Referral, settings: NrmSettings, *, today: date
) -> tuple[Deadline, Deadline]:
    """The RG decision against the panel's due date, and against the SCA's target."""
    rg = referral.decision(DecisionKind.RG)
    done = rg.decided_on if rg else None
    return (
        rg_timescale(settings).deadline(
            "Reasonable Grounds decision (panel's due date)",
            referral.received_on,
            today=today,
            done_on=done,
        ),
        sca_timescale(settings).deadline(
            "National SCA target (working days)", referral.received_on, today=today, done_on=done
        ),
    )
