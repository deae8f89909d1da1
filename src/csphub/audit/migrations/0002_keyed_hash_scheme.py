"""Keyed hashes: each event names its hash scheme and key. Events already written keep their
plain SHA-256 (scheme 'sha256'); one keyed event is appended after them so that history cannot
be recomputed unnoticed by someone without the key."""

from typing import Any

from django.db import migrations, models


def seal_unkeyed_trail(apps: Any, schema_editor: Any) -> None:
    from csphub.audit.services import anchor_unkeyed_trail

    anchor_unkeyed_trail(apps.get_model("audit", "AuditEvent"))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash_scheme",
            field=models.CharField(
                default="sha256",
                help_text="How `hash` was computed: 'hmac-sha256' (keyed), or 'sha256' for"
                " events written before keyed hashes.",
                max_length=16,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Which key a keyed hash used (derived from the key).",
                max_length=16,
            ),
        ),
        migrations.RunPython(seal_unkeyed_trail, migrations.RunPython.noop),
    ]
