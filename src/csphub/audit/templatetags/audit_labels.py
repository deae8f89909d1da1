"""`{{ event.verb|verb_label }}`: the plain-English name of a verb on the DPO's audit page."""

from __future__ import annotations

from django import template

from csphub.audit.verbs import LABELS

register = template.Library()


@register.filter
def verb_label(verb: str) -> str:
    """The verb's label, or "" for a verb that has none yet (the page shows the verb itself)."""
    return LABELS.get(verb, "")
