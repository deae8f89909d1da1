"""The current VRU template and its eight themes, as data (the partnership adds a ninth, or
a new template, without code)."""

from django.db import migrations

THEMES = [
    ("governance", "Governance", ""),
    ("analysis-and-enforcement", "Analysis and enforcement", ""),
    ("reducing-access-to-weapons", "Reducing access to weapons", ""),
    (
        "safeguarding-and-educating-young-people",
        "Safeguarding and educating children and young people",
        "",
    ),
    (
        "communities-and-neighbourhoods",
        "Working with communities and neighbourhoods",
        "",
    ),
    (
        "supporting-victims",
        "Supporting victims of violence and vulnerability",
        "",
    ),
    ("positive-diversion", "Positive diversion", ""),
    (
        "violence-against-women-and-girls",
        "Tackling violence against women and girls",
        "Added in the latest template",
    ),
]

COLUMNS = [
    ["Ref", "number"],
    ["Action", "description"],
    ["Outcome sought", "outcome"],
    ["CSP lead", "lead"],
    ["Lead organisation(s)", "organisations"],
    ["Current or developing", "stage"],
    ["Generic or local", "scope"],
    ["RAG", "rag"],
    ["Reason for RAG", "rag_reason"],
    ["Update", "update"],
]


def seed(apps, schema_editor):
    Theme = apps.get_model("vvrap", "Theme")
    PlanTemplate = apps.get_model("vvrap", "PlanTemplate")
    for position, (key, name, note) in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(
            key=key, defaults={"name": name, "position": position, "note": note}
        )
    PlanTemplate.objects.get_or_create(
        name="London Knife Crime Strategy VVRAP template", defaults={"columns": COLUMNS}
    )


class Migration(migrations.Migration):
    dependencies = [("vvrap", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
