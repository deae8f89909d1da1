"""The current VRU template and its eight themes: the rows migration 0002 seeds, and that the
demo (and a test database emptied between tests) puts back when they are missing."""

from typing import Any

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


def seed(Theme: Any, PlanTemplate: Any) -> None:
    """Add the eight themes and the template where missing (THEME and PLANTEMPLATE: models)."""
    for position, (key, name, note) in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(
            key=key, defaults={"name": name, "position": position, "note": note}
        )
    PlanTemplate.objects.get_or_create(
        name="London Knife Crime Strategy VVRAP template", defaults={"columns": COLUMNS}
    )
