"""The national figures the decision times are shown against, with their definitions (the
co-ordinator may change or add to them)."""

from django.db import migrations

COMPARATORS = [
    (
        "Pilot areas, 2025 (Home Office)",
        "final",
        "101.0",
        "Average days from referral to a final (conclusive grounds) decision for children's cases "
        "decided by the devolved decision-making pilot sites.",
        "Home Office, devolved decision-making pilot figures, 2025",
    ),
    (
        "Elsewhere, 2025 (Home Office)",
        "final",
        "471.0",
        "Average days from referral to a final (conclusive grounds) decision for children's cases "
        "decided by the Single Competent Authority outside the pilot areas.",
        "Home Office, devolved decision-making pilot figures, 2025",
    ),
    (
        "SCA, Q3 2020",
        "cg",
        "344.0",
        "Average days from referral to a conclusive grounds decision by the Single Competent "
        "Authority in July to September 2020.",
        "Home Office, National Referral Mechanism statistics, Quarter 3 2020",
    ),
]


def add(apps, schema_editor):
    Comparator = apps.get_model("nrm", "Comparator")
    for position, (label, measure, days, definition, source) in enumerate(COMPARATORS):
        Comparator.objects.get_or_create(
            label=label,
            defaults={
                "measure": measure,
                "days": days,
                "definition": definition,
                "source": source,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("nrm", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
