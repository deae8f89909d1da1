"""A timeline entry's kind becomes the audit verb of its event (csphub.panels.verbs).

Entries written before kept a vocabulary of their own ("note" for case.note_added); each is
given its verb, so old and new entries read the same. A transition's entry takes its verb from
the kind and decision in its payload. The codes are spelt out here, not imported, so this
migration keeps meaning what it meant when the registry changes.
"""

from django.db import migrations

RENAMED = {
    "note": "case.note_added",
    "case.status": "case.status_changed",
    "flag.raised": "case.flag_raised",
    "flag.cleared": "case.flag_cleared",
    "subject.added": "case.subject_added",
    "subject.removed": "case.subject_removed",
    "referral.matched": "case.referral_match_resolved",
    "meeting.decision": "meeting.decision_recorded",
    "action.created": "meeting.action_created",
    "action.updated": "meeting.action_updated",
}
MADE = {
    "referral": "case.referral_made",
    "escalation": "case.escalation_made",
    "transfer": "case.transfer_made",
}
DECIDED = {
    ("referral", "accepted"): "case.referral_accepted",
    ("referral", "rejected"): "case.referral_rejected",
    ("referral", "withdrawn"): "case.referral_withdrawn",
    ("escalation", "accepted"): "case.escalation_accepted",
    ("escalation", "rejected"): "case.escalation_rejected",
    ("escalation", "withdrawn"): "case.escalation_withdrawn",
    ("transfer", "accepted"): "case.transfer_accepted",
    ("transfer", "rejected"): "case.transfer_rejected",
    ("transfer", "withdrawn"): "case.transfer_withdrawn",
}


def forwards(apps, schema_editor):
    TimelineEntry = apps.get_model("panels", "TimelineEntry")
    for old, new in RENAMED.items():
        TimelineEntry.objects.filter(kind=old).update(kind=new)
    for entry in TimelineEntry.objects.filter(kind__in=["transition", "transition.decided"]):
        payload = entry.payload or {}
        if entry.kind == "transition":
            verb = MADE.get(payload.get("kind", ""))
        else:
            verb = DECIDED.get((payload.get("kind", ""), payload.get("status", "")))
        if verb:
            entry.kind = verb
            entry.save(update_fields=["kind"])


def backwards(apps, schema_editor):
    TimelineEntry = apps.get_model("panels", "TimelineEntry")
    for old, new in RENAMED.items():
        TimelineEntry.objects.filter(kind=new).update(kind=old)
    TimelineEntry.objects.filter(kind__in=MADE.values()).update(kind="transition")
    TimelineEntry.objects.filter(kind__in=DECIDED.values()).update(kind="transition.decided")


class Migration(migrations.Migration):
    dependencies = [("panels", "0005_panel_and_flag_versions")]

    operations = [migrations.RunPython(forwards, backwards)]
