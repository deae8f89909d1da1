# A grant's conditions are actions too (docs/funding.md, ADR 0013).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0001_initial'),
        ('meetings', '0007_agenda_topics'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='action',
            name='action_belongs_to_one_record',
        ),
        migrations.AddField(
            model_name='action',
            name='grant',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='conditions', to='funding.grant'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('case__isnull', True), ('grant__isnull', True), ('meeting__isnull', False), ('plan_item__isnull', True)), models.Q(('case__isnull', False), ('grant__isnull', True), ('plan_item__isnull', True)), models.Q(('case__isnull', True), ('grant__isnull', True), ('meeting__isnull', True), ('plan_item__isnull', False)), models.Q(('case__isnull', True), ('grant__isnull', False), ('meeting__isnull', True), ('plan_item__isnull', True)), _connector='OR'), name='action_belongs_to_one_record'),
        ),
    ]
