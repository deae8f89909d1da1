"""A person's name on the pages of those who may open their case (docs/adr/0015).

Names are shown only by pages whose viewer was let in by the case's access rule — the case,
person and meeting pages, each audited as a page view. Lists, exports, e-mails, notifications
and circulated minutes keep references. `CSPHUB_NAMES_ON_PAGES=false` restores references
everywhere; the date of birth and the address are only ever shown after the audited reveal.
"""

from __future__ import annotations

from django.conf import settings

from csphub.people.models import Person


def shown_name(person: Person | None) -> str:
    """PERSON's name for a page whose viewer may open their case, or "" where the partnership
    shows references only."""
    if person is None or not settings.NAMES_ON_PAGES:
        return ""
    return f"{person.given_name} {person.family_name}".strip()
