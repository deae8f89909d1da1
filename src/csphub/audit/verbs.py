"""The one registry of audit verbs: every verb recorded is a constant with a plain-English label.

A verb is declared once, in the `verbs` module of the app that records it, as a `Verb`:

    NOTE_ADDED = Verb("case.note_added", "Note added", timeline=True)

Declaring it registers it. `record` refuses a verb that is not registered (outside production;
there it logs the error and records the event all the same, since the trail must not lose it),
and `tests/audit/test_verb_registry.py` reads the source for every verb passed to the recorder
and fails on one that is not a registered constant. A verb is never built from parts: a choice
between verbs is a table of constants (`TRANSITION_MADE[kind]`).

`timeline=True` says the event also goes on a case's timeline (`csphub.panels.events`); the
timeline entry's `kind` is the verb, so the timeline and the audit trail share one vocabulary.
A label may name the panel, the agency or another code from the event's payload through
`template` ("Referral accepted by the {panel} co-ordinator"); without those keys the plain
label is shown. The DPO's audit page and the case timeline show labels, never verbs.

This module also holds the verbs of pages that show records and of exports: a view event
(`<noun>.viewed`) is recorded by `csphub.audit.pages.audited_page` when a page showing that
record is shown; a list or an export names the records it held.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REGISTRY: dict[str, Verb] = {}


class UnregisteredVerb(ValueError):
    """A verb recorded that no app declared (see csphub.audit.verbs)."""


class Verb(str):
    """An audit verb (compares and stores as its code, "case.note_added") with its label."""

    label: str
    template: str
    timeline: bool

    def __new__(cls, code: str, label: str, *, timeline: bool = False, template: str = "") -> Verb:
        if code in REGISTRY:
            raise ValueError(f"The audit verb {code!r} is declared twice")
        verb = super().__new__(cls, code)
        verb.label, verb.template, verb.timeline = label, template, timeline
        REGISTRY[code] = verb
        return verb

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Copied or pickled, a verb is the registered one again (its __new__ registers).
        return registered, (str(self),)

    def label_for(self, payload: Mapping[str, Any] | None = None) -> str:
        """The label, with the payload's names filled in where the template asks for them."""
        if self.template and payload:
            try:
                return self.template.format_map(payload)
            except (KeyError, IndexError, ValueError):
                pass
        return self.label


def registered(code: str) -> Verb:
    """The registered verb CODE; UnregisteredVerb if no app declares it."""
    try:
        return REGISTRY[code]
    except KeyError:
        raise UnregisteredVerb(
            f"{code!r} is not a registered audit verb: declare it as a Verb in the verbs module"
            " of the app that records it (docs/adding-an-app.md)"
        ) from None


def label_of(code: str, payload: Mapping[str, Any] | None = None) -> str:
    """The plain-English name of CODE for a page; a readable fallback for a code no longer
    declared (an old stored row), never the code itself."""
    verb = REGISTRY.get(code)
    if verb is not None:
        return verb.label_for(payload)
    return code.replace("_", " ").replace(".", ": ", 1).capitalize()


# One record's page (or a form on it): the event's target is the record.
CASE_VIEWED = Verb("case.viewed", "Viewed a case (or a form on it)")
TRANSITION_VIEWED = Verb("transition.viewed", "Viewed a referral, escalation or transfer")
PERSON_VIEWED = Verb("person.viewed", "Viewed a person's record (or a form on it)")
PLACE_VIEWED = Verb("place.viewed", "Viewed a place")
PANEL_VIEWED = Verb("panel.viewed", "Viewed a panel (and its pending referrals)")
MEETING_VIEWED = Verb("meeting.viewed", "Viewed a meeting (or a form on it)")
AGENDA_ITEM_VIEWED = Verb("agenda_item.viewed", "Viewed a case's item on a meeting agenda")
ACTION_VIEWED = Verb("action.viewed", "Viewed an action")
CASEREVIEW_VIEWED = Verb("casereview.viewed", "Viewed an ASB case review application")
USER_VIEWED = Verb("user.viewed", "Viewed a user's account")
NRM_REFERRAL_VIEWED = Verb("nrm.referral_viewed", "Viewed a child's NRM referral (or a form on it)")
# A page of the Django admin (superusers only): the model, and the record when it shows one.
ADMIN_VIEWED = Verb("admin.viewed", "Viewed a page of the Django admin")

# A record that exists asked for by someone who may not see it (answered 404): the record.
CASE_VIEW_REFUSED = Verb("case.view_refused", "Asked for a case they may not see (refused)")
PERSON_VIEW_REFUSED = Verb("person.view_refused", "Asked for a person they may not see (refused)")
PLACE_VIEW_REFUSED = Verb("place.view_refused", "Asked for a place they may not see (refused)")
MEETING_VIEW_REFUSED = Verb(
    "meeting.view_refused", "Asked for a meeting they may not see (refused)"
)
ACTION_VIEW_REFUSED = Verb("action.view_refused", "Asked for an action they may not see (refused)")
CASEREVIEW_VIEW_REFUSED = Verb(
    "casereview.view_refused", "Asked for an ASB case review application they may not see (refused)"
)
NRM_REFERRAL_VIEW_REFUSED = Verb(
    "nrm.referral_view_refused", "Asked for an NRM referral they may not see (refused)"
)

# A list: the payload names the records listed.
CASE_LIST_VIEWED = Verb("case.list_viewed", "Viewed a list of cases")
ACTION_LIST_VIEWED = Verb("action.list_viewed", "Viewed a list of actions")
CASEREVIEW_LIST_VIEWED = Verb(
    "casereview.list_viewed", "Viewed the list of ASB case review applications"
)
AUDIT_VIEWED = Verb("audit.viewed", "Viewed the audit trail")
NRM_LIST_VIEWED = Verb("nrm.list_viewed", "Viewed a list of NRM referrals")

# An export: the payload names the records the file held.
CASES_EXPORTED = Verb("cases.exported", "Downloaded cases (CSV)")
MINUTES_EXPORTED = Verb("meeting.minutes_exported", "Downloaded a meeting's minutes")
AUDIT_EXPORTED = Verb("audit.exported", "Downloaded the audit trail (CSV)")
NRM_MINUTE_EXPORTED = Verb("nrm.minute_exported", "Downloaded an NRM decision minute (PDF)")
NRM_AUDIT_PACK_EXPORTED = Verb("nrm.audit_pack_exported", "Downloaded an NRM audit pack (PDF)")
NRM_RETURN_EXPORTED = Verb("nrm.return_exported", "Downloaded the NRM quarterly return")

# The audit trail's own events.
CHAIN_KEYED = Verb("audit.chain_keyed", "The audit trail was sealed with its first keyed hash")
