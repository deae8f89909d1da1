from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("panels", "0007_panel_rules_as_data")]

    operations = [
        migrations.AddField(
            model_name="panel",
            name="quorum",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="panel",
            name="owning_agency_sees_cases",
            field=models.BooleanField(default=True),
        ),
    ]
