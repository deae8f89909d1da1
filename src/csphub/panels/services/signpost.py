"""The signpost search: is this person known to the partnership, and whom to contact?"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from csphub.audit import record
from csphub.core import throttle
from csphub.panels import verbs
from csphub.panels.models import Case

if TYPE_CHECKING:
    from csphub.accounts.models import User

# The signpost search's window: its limits are per clock hour (settings.SIGNPOST_SEARCHES_*).
SIGNPOST_WINDOW = 60 * 60


class SignpostLimitReached(throttle.LimitReached):
    """The user, or their client address, has made the searches allowed this hour."""

    @property
    def message(self) -> str:
        again = _clock_time(timezone.localtime(self.retry_at))
        if self.scope == "user":
            return (
                f"You have made {self.limit} searches this hour, the most allowed. "
                f"You can search again from {again}."
            )
        return (
            "The most searches allowed from your network this hour have been made. "
            f"You can search again from {again}."
        )


def _clock_time(moment: datetime) -> str:
    """A time as GOV.UK writes it: 3pm, 3:30pm, midday, midnight."""
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def do_signpost_search(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    request: HttpRequest | None = None,
) -> dict[str, Any]:
    """Is this person known to the partnership, and which agency should be contacted?

    Only an exact match counts (the name with capitals and spaces aside, and the date of
    birth), and each user, and each client address, may search a limited number of times an
    hour (SignpostLimitReached, audited, beyond that). The answer names agencies only: no
    reference, panel, case or detail. Audited with the matched record's id (never the
    searched name).
    """
    from axes.helpers import get_client_ip_address

    from csphub.people.selectors import exact_matches

    if not actor.has_perm("people.search_signpost"):
        raise PermissionDenied
    allowances = [throttle.Allowance("user", str(actor.pk), settings.SIGNPOST_SEARCHES_PER_USER)]
    # The address sign-in lockouts and the audit trail use (behind the proxy, the client's).
    address = get_client_ip_address(request) if request is not None else None
    if address:
        allowances.append(
            throttle.Allowance("address", address, settings.SIGNPOST_SEARCHES_PER_ADDRESS)
        )
    try:
        throttle.spend("signpost", allowances, window=SIGNPOST_WINDOW)
    except throttle.LimitReached as limit:
        record(
            verb=verbs.SIGNPOST_REFUSED,
            actor=actor,
            request=request,
            payload={"limit": limit.scope},
        )
        raise SignpostLimitReached(
            scope=limit.scope, limit=limit.limit, retry_at=limit.retry_at
        ) from None
    matches = list(
        exact_matches(given_name=given_name, family_name=family_name, date_of_birth=date_of_birth)
    )
    cases = Case.objects.filter(subjects__person__in=matches).select_related("owning_agency")
    open_cases = [c for c in cases if c.is_open]
    agencies = sorted({c.owning_agency.name for c in (open_cases or list(cases))})
    record(
        verb=verbs.SIGNPOST_SEARCHED,
        actor=actor,
        request=request,
        target=matches[0] if matches else None,
        payload={"known": bool(agencies), "open": bool(open_cases)},
    )
    return {"known": bool(agencies), "agencies": agencies, "open": bool(open_cases)}
