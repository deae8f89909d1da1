"""The current VRU template and its eight themes, as data (the partnership adds a ninth, or
a new template, without code)."""

from django.db import migrations

from csphub.vvrap.seed import seed as seed_rows


def seed(apps, schema_editor):
    seed_rows(apps.get_model("vvrap", "Theme"), apps.get_model("vvrap", "PlanTemplate"))


class Migration(migrations.Migration):
    dependencies = [("vvrap", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
