"""Whether the local panel may decide a child's referral, or it goes to the SCA, and why.

The pilot decides referrals of children who are 17 or under on the day the referral is
received and more than 100 days from their 18th birthday (so the decision is made before they
turn 18). A disputed age or a public-order disqualification consideration sends the case to
the Single Competent Authority whatever the age; the referral stays on file with its routing.

>>> from datetime import date
>>> check(date_of_birth=date(2008, 6, 1), received_on=date(2026, 2, 20)).eligible
True
>>> check(date_of_birth=date(2008, 6, 1), received_on=date(2026, 2, 21)).reason
'100 days or fewer before the 18th birthday (1 June 2026)'
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from csphub.lib.dates import age_on
from csphub.nrm.choices import Routing

#: More than this many days must remain before the 18th birthday.
DAYS_BEFORE_EIGHTEEN = 100


def eighteenth_birthday(born: date) -> date:
    """The first day on which someone born on BORN is 18 (`age_on`'s rule: 1 March for
    29 February in a year without one)."""
    try:
        return born.replace(year=born.year + 18)
    except ValueError:
        return date(born.year + 18, 3, 1)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    routing: str
    reason: str


def check(
    *,
    date_of_birth: date,
    received_on: date,
    age_disputed: bool = False,
    public_order: bool = False,
) -> Eligibility:
    """Whether the panel decides the referral received on RECEIVED_ON, and the reason if not."""
    eighteen = eighteenth_birthday(date_of_birth)
    reasons = []
    if age_disputed:
        reasons.append("the child's age is disputed")
    if public_order:
        reasons.append("a public-order disqualification is being considered")
    if age_on(date_of_birth, received_on) > 17:
        reasons.append("18 or over when the referral was received")
    elif (eighteen - received_on).days <= DAYS_BEFORE_EIGHTEEN:
        reasons.append(
            f"{DAYS_BEFORE_EIGHTEEN} days or fewer before the 18th birthday "
            f"({eighteen.day} {eighteen:%B %Y})"
        )
    if reasons:
        return Eligibility(False, Routing.SCA, "; ".join(reasons))
    return Eligibility(True, Routing.PANEL, "")
