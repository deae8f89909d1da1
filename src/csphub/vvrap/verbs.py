"""The audit verbs of the VVRAP (see csphub.audit.verbs). Each change to the plan is on the
action's history too (`csphub.vvrap.selectors` reads the trail for the action)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

PLAN_CREATED = Verb("vvrap.plan_created", "Action plan version created")
PLAN_ITEM_CREATED = Verb("vvrap.item_created", "Action added to the action plan")
PLAN_ITEM_EDITED = Verb("vvrap.item_edited", "Action plan action edited")
MILESTONE_ADDED = Verb("vvrap.milestone_added", "Milestone added to an action plan action")
UPDATE_SAVED = Verb("vvrap.update_saved", "Quarterly update saved as a draft")
UPDATE_SUBMITTED = Verb("vvrap.update_submitted", "Quarterly update submitted for sign-off")
UPDATE_RETURNED = Verb("vvrap.update_returned", "Quarterly update returned to its lead")
UPDATE_SIGNED_OFF = Verb("vvrap.update_signed_off", "Quarterly update signed off and frozen")
TEMPLATE_CHANGED = Verb("vvrap.template_changed", "The return's columns changed for a template")
RETURN_EXPORTED = Verb("vvrap.return_exported", "Quarterly VVRAP return downloaded")
FEEDBACK_RECORDED = Verb("vvrap.feedback_recorded", "VRU panel feedback on the plan recorded")
REMINDER_SENT = Verb("vvrap.update_reminder_sent", "Quarterly update reminder sent to a lead")
EVENT_RECORDED = Verb("vvrap.event_recorded", "Event recorded on the tasking tracker")
EVENT_CLOSED = Verb("vvrap.event_closed", "Event on the tasking tracker closed")
ASSESSMENT_RECORDED = Verb(
    "vvrap.assessment_recorded", "Joint strategic assessment refresh recorded"
)
