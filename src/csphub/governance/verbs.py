"""Audit verbs of retention, subject access and the DPO's reports (csphub.audit.verbs)."""

from csphub.audit.verbs import Verb

RETENTION_REVIEWED = Verb(
    "retention.reviewed", "Retention schedule checked (dry run): records due counted"
)
RETENTION_APPLIED = Verb(
    "retention.applied", "Retention schedule applied: records deleted or anonymised"
)
SUBJECT_ACCESS_EXPORTED = Verb(
    "person.subject_access_exported", "Downloaded a person's subject access export (ZIP)"
)
ANOMALIES_VIEWED = Verb("audit.anomalies_viewed", "Viewed the audit trail's anomaly reports")
