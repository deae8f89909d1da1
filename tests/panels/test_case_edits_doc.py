"""docs/permissions.md's table of who may change what on a case says what the code enforces."""

from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
SECTION = "## What each person may change on a case"


def _documented_rules():
    text = DOC.read_text()
    assert SECTION in text
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[1].strip("`")] = dict(zip(header, cells, strict=True))
    return header, rows


def test_case_edit_table_matches_the_rule_in_code():
    from csphub.panels.selectors import CASE_EDITS, RELATION_LABELS, WHEN_LABELS

    header, rows = _documented_rules()
    assert set(RELATION_LABELS.values()) <= set(header)
    assert set(rows) == set(CASE_EDITS)
    for what, rule in CASE_EDITS.items():
        row = rows[what]
        ticked = {key for key, label in RELATION_LABELS.items() if row[label] == "✓"}
        assert ticked == set(rule.who), what
        assert row["When the case is"] == WHEN_LABELS[rule.when], what


def test_a_change_the_table_does_not_name_is_an_error_not_a_refusal(world):
    """A misspelt rule in a service fails loudly rather than quietly refusing everyone."""
    import pytest

    from csphub.panels.selectors import may_edit_case

    with pytest.raises(ValueError):
        may_edit_case(world.coordinator, world.case, "summery")
