"""Audit verbs for pages that show records and for exports: one constant each, never built from parts.

A view event (`<noun>.viewed`) is recorded by `csphub.audit.pages.audited_page` when a page
showing that record is shown; a list or an export names the records it held. LABELS gives the
DPO's audit page a plain-English name for each.
"""

from __future__ import annotations

# One record's page (or a form on it): the event's target is the record.
CASE_VIEWED = "case.viewed"
TRANSITION_VIEWED = "transition.viewed"
PERSON_VIEWED = "person.viewed"
PLACE_VIEWED = "place.viewed"
PANEL_VIEWED = "panel.viewed"
MEETING_VIEWED = "meeting.viewed"
AGENDA_ITEM_VIEWED = "agenda_item.viewed"
ACTION_VIEWED = "action.viewed"
CASEREVIEW_VIEWED = "casereview.viewed"
USER_VIEWED = "user.viewed"
# A page of the Django admin (superusers only): the model, and the record when it shows one.
ADMIN_VIEWED = "admin.viewed"

# A record that exists asked for by someone who may not see it (answered 404): the record.
CASE_VIEW_REFUSED = "case.view_refused"
PERSON_VIEW_REFUSED = "person.view_refused"
PLACE_VIEW_REFUSED = "place.view_refused"
MEETING_VIEW_REFUSED = "meeting.view_refused"
ACTION_VIEW_REFUSED = "action.view_refused"
CASEREVIEW_VIEW_REFUSED = "casereview.view_refused"

# A list: the payload names the records listed.
CASE_LIST_VIEWED = "case.list_viewed"
ACTION_LIST_VIEWED = "action.list_viewed"
CASEREVIEW_LIST_VIEWED = "casereview.list_viewed"
AUDIT_VIEWED = "audit.viewed"

# An export: the payload names the records the file held.
CASES_EXPORTED = "cases.exported"
MINUTES_EXPORTED = "meeting.minutes_exported"
AUDIT_EXPORTED = "audit.exported"
# Aggregate crime figures hold no personal data; their downloads are recorded all the same.
CRIME_FIGURES_EXPORTED = "crime.figures_exported"
CRIME_HOTSPOTS_EXPORTED = "crime.hotspots_exported"

LABELS = {
    CASE_VIEWED: "Viewed a case (or a form on it)",
    TRANSITION_VIEWED: "Viewed a referral, escalation or transfer",
    PERSON_VIEWED: "Viewed a person's record (or a form on it)",
    PLACE_VIEWED: "Viewed a place",
    PANEL_VIEWED: "Viewed a panel (and its pending referrals)",
    MEETING_VIEWED: "Viewed a meeting (or a form on it)",
    AGENDA_ITEM_VIEWED: "Viewed a case's item on a meeting agenda",
    ACTION_VIEWED: "Viewed an action",
    CASEREVIEW_VIEWED: "Viewed an ASB case review application",
    USER_VIEWED: "Viewed a user's account",
    ADMIN_VIEWED: "Viewed a page of the Django admin",
    CASE_VIEW_REFUSED: "Asked for a case they may not see (refused)",
    PERSON_VIEW_REFUSED: "Asked for a person they may not see (refused)",
    PLACE_VIEW_REFUSED: "Asked for a place they may not see (refused)",
    MEETING_VIEW_REFUSED: "Asked for a meeting they may not see (refused)",
    ACTION_VIEW_REFUSED: "Asked for an action they may not see (refused)",
    CASEREVIEW_VIEW_REFUSED: "Asked for an ASB case review application they may not see (refused)",
    CASE_LIST_VIEWED: "Viewed a list of cases",
    ACTION_LIST_VIEWED: "Viewed a list of actions",
    CASEREVIEW_LIST_VIEWED: "Viewed the list of ASB case review applications",
    AUDIT_VIEWED: "Viewed the audit trail",
    CASES_EXPORTED: "Downloaded cases (CSV)",
    MINUTES_EXPORTED: "Downloaded a meeting's minutes",
    AUDIT_EXPORTED: "Downloaded the audit trail (CSV)",
    CRIME_FIGURES_EXPORTED: "Downloaded crime figures (CSV)",
    CRIME_HOTSPOTS_EXPORTED: "Downloaded crime hot spots (CSV)",
}
