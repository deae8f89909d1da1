"""The audit verbs of community activity (see csphub.audit.verbs)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

ACTIVITY_RECORDED = Verb("community.activity_recorded", "Community activity recorded")
ACTIVITY_UPDATED = Verb("community.activity_updated", "Community activity changed")
ATTENDANCE_RECORDED = Verb(
    "community.attendance_recorded", "Training attendance by agency recorded"
)
