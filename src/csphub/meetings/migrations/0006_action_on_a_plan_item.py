"""An action may belong to a plan item (a VVRAP action's milestone): a third nullable key, and
`action_belongs_to_one_record` gains its branch (docs/adr/0013). Existing rows satisfy it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_action_on_a_meeting_or_a_case"),
        ("vvrap", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="action", name="action_belongs_to_one_record"),
        migrations.AddField(
            model_name="action",
            name="plan_item",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="milestones",
                to="vvrap.planitem",
            ),
        ),
        migrations.AddConstraint(
            model_name="action",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("case__isnull", True), ("meeting__isnull", False), ("plan_item__isnull", True)),
                    models.Q(("case__isnull", False), ("plan_item__isnull", True)),
                    models.Q(("case__isnull", True), ("meeting__isnull", True), ("plan_item__isnull", False)),
                    _connector="OR",
                ),
                name="action_belongs_to_one_record",
            ),
        ),
    ]
