"""`{{ event.verb|verb_label:event.payload }}`: the plain-English name of a verb on a page.

Used by the DPO's audit page and a case's timeline (whose entries' kinds are verbs): both show
the label from the registry (csphub.audit.verbs), never the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from csphub.audit.verbs import label_of

register = template.Library()


@register.filter
def verb_label(verb: str, payload: Mapping[str, Any] | None = None) -> str:
    """The verb's label, its template filled from PAYLOAD where it names the panel or agency."""
    return label_of(verb, payload if isinstance(payload, Mapping) else None)
