"""The governance app's permissions; it keeps no records of its own (the audit trail does)."""

from django.db import models


class Governance(models.Model):
    """Holds the data protection officer's permissions; no table (managed = False)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_anomalies", "Read the audit trail's anomaly reports"),
            ("export_subject_access", "Download a person's subject access export"),
        ]

    def __str__(self) -> str:
        return "Data protection permissions"
