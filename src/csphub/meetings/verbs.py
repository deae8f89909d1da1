"""The audit verbs of panel meetings and their actions (see csphub.audit.verbs).

A decision about a case and an action on one go on the case's timeline too."""

from __future__ import annotations

from csphub.audit.verbs import Verb

SCHEDULED = Verb("meeting.scheduled", "Panel meeting scheduled")
AGENDA_GENERATED = Verb("meeting.agenda_generated", "Meeting agenda drawn up")
TOPIC_ADDED = Verb("meeting.topic_added", "Topic added to a meeting's agenda")
ATTENDANCE_RECORDED = Verb("meeting.attendance_recorded", "Meeting attendance recorded")
MINUTES_RECORDED = Verb("meeting.minutes_recorded", "Meeting minutes recorded")
DECISION_RECORDED = Verb(
    "meeting.decision_recorded", "Panel meeting's decision on the case recorded", timeline=True
)
ACTION_CREATED = Verb("meeting.action_created", "Action agreed at a meeting", timeline=True)
CASE_ACTION_CREATED = Verb(
    "case.action_created", "Action set on the case between meetings", timeline=True
)
ACTION_UPDATED = Verb("meeting.action_updated", "Action moved on", timeline=True)
ACTION_REMINDER_SENT = Verb("meeting.action_reminder_sent", "Reminder sent to an action's owner")
COORDINATOR_DIGEST_SENT = Verb(
    "meeting.coordinator_digest_sent", "Overdue actions sent to a panel co-ordinator"
)
AGENDA_CIRCULATED = Verb("meeting.agenda_circulated", "Meeting agenda circulated to the panel")
INFORMATION_REQUESTED = Verb(
    "meeting.information_requested", "Agencies asked for their research before a meeting"
)
INFORMATION_GIVEN = Verb(
    "meeting.information_given", "An agency's research given for a meeting", timeline=True
)
INFORMATION_REQUESTS_VIEWED = Verb(
    "meeting.information_requests_viewed", "Viewed the information asked of your agency"
)
INFORMATION_REQUEST_VIEWED = Verb(
    "meeting.information_request_viewed", "Viewed an information request about a case"
)
