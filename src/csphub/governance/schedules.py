"""The retention schedule: how long each kind of record is kept, from when, why, and what then.

The schedule is data, read by `csphub retention` (what goes), the privacy notice (what people
are told) and docs/governance.md. The years come from settings.RETENTION_YEARS, which the
partnership's retention policy sets (CSPHUB_RETENTION_*_YEARS); the wording and the lawful
basis are fixed here, beside the rule the command applies.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DELETE = "delete"
ANONYMISE = "anonymise"
KEEP = "keep"


@dataclass(frozen=True)
class Schedule:
    """One kind of record's retention: kept YEARS after STARTS, then ACTION."""

    key: str
    record: str  # the kind of record, in the privacy notice's words
    starts: str  # the event the clock runs from
    action: str  # DELETE, ANONYMISE or KEEP
    then: str  # what happens when the period ends, in plain English
    basis: str  # the lawful basis and the law behind the period
    child_abuse_related: bool  # held while the IICSA moratorium is on (some or all of them)

    @property
    def years(self) -> int | None:
        """The period, from the settings; None for records whose clock is another record's."""
        return settings.RETENTION_YEARS.get(self.key)

    @property
    def period(self) -> str:
        years = self.years
        if years is None:
            return f"Until {self.starts}" if self.starts else "As long as the record it belongs to"
        return f"{years} year{'s' if years != 1 else ''} after {self.starts}"


_PUBLIC_TASK = (
    "UK GDPR Article 6(1)(e) (public task) and Article 9(2)(g) with the Data Protection Act "
    "2018, Schedule 1 paragraphs 6 and 18; criminal offence data under Article 10 and "
    "paragraph 6; the Crime and Disorder Act 1998 sections 17 and 115"
)

SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        key="case",
        record="A panel case about adults (its referrals, notes, decisions, flags, agenda "
        "items and actions)",
        starts="the case is closed",
        action=DELETE,
        then="Deleted with everything on it, its documents included",
        basis=_PUBLIC_TASK + "; the Police, Crime, Sentencing and Courts Act 2022 (Serious "
        "Violence Duty)",
        child_abuse_related=False,
    ),
    Schedule(
        key="child_case",
        record="A panel case about a child (under 18 when referred), or heard by the child "
        "exploitation panel",
        starts="the case is closed",
        action=DELETE,
        then="Deleted with everything on it, its documents included",
        basis=_PUBLIC_TASK + "; the Children Act 1989 and 2004 (safeguarding)",
        child_abuse_related=True,
    ),
    Schedule(
        key="nrm_referral",
        record="A child's National Referral Mechanism referral and its decisions and minutes",
        starts="the referral is received",
        action=DELETE,
        then="Deleted with its case, decisions, minutes and documents",
        basis=_PUBLIC_TASK + "; the Modern Slavery Act 2015 and the devolved decision-making "
        "arrangements",
        child_abuse_related=True,
    ),
    Schedule(
        key="case_review",
        record="An ASB case review application (the Community Trigger), with the applicant's "
        "details",
        starts="the application is received",
        action=DELETE,
        then="Deleted with its complaints and recommendations",
        basis="UK GDPR Article 6(1)(e) (public task); the Anti-social Behaviour, Crime and "
        "Policing Act 2014 sections 104 and 105",
        child_abuse_related=False,
    ),
    Schedule(
        key="person",
        record="A person's details (name, date of birth, address, offences)",
        starts="the last case or referral about them is deleted",
        action=ANONYMISE,
        then="Name, date of birth and address erased and offences deleted; the pseudonymous "
        "reference stays so the audit trail still reads",
        basis=_PUBLIC_TASK,
        child_abuse_related=False,
    ),
    Schedule(
        key="document",
        record="A document attached to a case, a person or a meeting's agenda item",
        starts="",
        action=DELETE,
        then="Deleted, file and record, when the record it is attached to is deleted",
        basis=_PUBLIC_TASK,
        child_abuse_related=False,
    ),
    Schedule(
        key="audit_event",
        record="The audit trail of every sign-in and every view, change and export of a record",
        starts="the event",
        action=KEEP,
        then="Reported as past its period, never deleted by the service: the trail is "
        "append-only and each event's hash vouches for those before it (docs/adr/0508)",
        basis="UK GDPR Articles 5(2) and 32 (accountability and security of processing); "
        "Data Protection Act 2018 section 62 (logging)",
        child_abuse_related=False,
    ),
)


def schedule(key: str) -> Schedule:
    """The schedule KEY (one of SCHEDULES' keys); KeyError for any other."""
    for s in SCHEDULES:
        if s.key == key:
            return s
    raise KeyError(key)


def moratorium_on() -> bool:
    """Whether the IICSA moratorium holds deletion of child-abuse-related records."""
    return bool(settings.RETENTION_IICSA_MORATORIUM)
