"""Every verb the code records is a registered constant with a label (csphub.audit.verbs).

The source is read, not run: each `verb=` argument anywhere under src/csphub, and the verb of
each audited page, must name a `Verb` some app's `verbs` module declares (or a table of them),
never a string typed in place or built from parts. A verb the code passes on from its own
parameter is checked where its callers name it.
"""

from __future__ import annotations

import ast
import importlib
import logging
from pathlib import Path
from typing import Any

import pytest

import csphub
from csphub.audit import record
from csphub.audit.models import AuditEvent
from csphub.audit.verbs import REGISTRY, UnregisteredVerb, Verb, label_of

SRC = Path(csphub.__file__).parent
#: Functions whose first positional argument is a verb.
VERB_FIRST = {"audited_page"}
#: Functions whose second positional argument is a verb.
VERB_SECOND = {"refusal"}


def _modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or path.name == "__main__.py":
            continue  # __main__ runs the command line when imported
        name = ".".join(("csphub", *path.relative_to(SRC).with_suffix("").parts))
        found.append((name.removesuffix(".__init__"), ast.parse(path.read_text(), str(path))))
    return found


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _verb_arguments(tree: ast.Module) -> list[tuple[ast.expr, set[str]]]:
    """(expression, parameters of the enclosing function) for every verb passed."""
    found: list[tuple[ast.expr, set[str]]] = []

    def visit(node: ast.AST, params: set[str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            a = node.args
            params = params | {p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]}
        if isinstance(node, ast.Call):
            found.extend((k.value, params) for k in node.keywords if k.arg == "verb")
            name = _name(node.func)
            if name in VERB_FIRST and node.args:
                found.append((node.args[0], params))
            if name in VERB_SECOND and len(node.args) > 1:
                found.append((node.args[1], params))
        for child in ast.iter_child_nodes(node):
            visit(child, params)

    visit(tree, set())
    return found


def _problems(expr: ast.expr, module: Any, params: set[str]) -> list[str]:
    where = f"{module.__name__}:{expr.lineno}"
    if isinstance(expr, ast.IfExp):
        return _problems(expr.body, module, params) + _problems(expr.orelse, module, params)
    if isinstance(expr, ast.Constant):
        return [f"{where}: the verb {expr.value!r} is typed in place; use its Verb constant"]
    if isinstance(expr, ast.JoinedStr | ast.BinOp) or (
        isinstance(expr, ast.Call) and _name(expr.func) == "format"
    ):
        return [f"{where}: a verb built from parts; choose from a table of Verb constants"]
    if isinstance(expr, ast.Subscript):
        table = _resolve(expr.value, module)
        if not isinstance(table, dict):
            return [f"{where}: {ast.unparse(expr)} is not a table of verbs"]
        return [f"{where}: {v!r} in {ast.unparse(expr.value)}" for v in table.values() if _bad(v)]
    if isinstance(expr, ast.Name) and expr.id in params and not hasattr(module, expr.id):
        return []  # passed on from a parameter: its callers are checked
    value = _resolve(expr, module)
    return [f"{where}: {ast.unparse(expr)} is not a registered Verb"] if _bad(value) else []


def _resolve(expr: ast.expr, module: Any) -> Any:
    if isinstance(expr, ast.Name):
        return getattr(module, expr.id, None)
    if isinstance(expr, ast.Attribute):
        return getattr(_resolve(expr.value, module), expr.attr, None)
    return None


def _bad(value: Any) -> bool:
    return not isinstance(value, Verb) or REGISTRY.get(str(value)) is not value


def test_every_verb_recorded_is_a_registered_constant():
    problems, seen = [], 0
    for name, tree in _modules():
        module = importlib.import_module(name)
        for expr, params in _verb_arguments(tree):
            seen += 1
            problems += _problems(expr, module, params)
    assert seen > 80  # the scan finds the recorder's calls
    assert problems == []


def test_the_scan_refuses_a_verb_typed_in_place_or_built_from_parts():
    import csphub.panels.services.casework as module

    tree = ast.parse('record(verb="case.note_added")\nrecord(verb=f"case.{kind}_made")')
    found = [_problems(expr, module, set()) for expr, _ in _verb_arguments(tree)]
    assert ["typed in place" in p for [p] in found] == [True, False]
    assert "built from parts" in found[1][0]
    tree = ast.parse("record(verb=verbs.NO_SUCH_VERB)")
    [[problem]] = [_problems(expr, module, set()) for expr, _ in _verb_arguments(tree)]
    assert "not a registered Verb" in problem


def test_every_verb_has_a_plain_english_label():
    for code, verb in REGISTRY.items():
        assert verb.label and verb.label != code and "." not in verb.label.split()[0], code
        assert label_of(code) == verb.label


def test_a_label_names_the_panel_from_the_payload_and_falls_back_without_it():
    from csphub.panels.verbs import REFERRAL_ACCEPTED

    assert label_of(REFERRAL_ACCEPTED, {"panel": "CREST"}) == (
        "Referral accepted by the CREST co-ordinator"
    )
    assert label_of(REFERRAL_ACCEPTED, {}) == "Referral accepted by the panel co-ordinator"
    # An old stored row whose verb no app declares still reads as words, not a code.
    assert label_of("case.something_retired") == "Case: something retired"


def test_a_verb_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        Verb("case.note_added", "Another note")


def test_record_refuses_an_unregistered_verb(db):
    with pytest.raises(UnregisteredVerb, match="not a registered audit verb"):
        record(verb="case.no_such_event")
    assert not AuditEvent.objects.exists()


def test_in_production_an_unregistered_verb_is_recorded_and_logged(db, settings, caplog):
    settings.AUDIT_REFUSE_UNREGISTERED_VERBS = False
    with caplog.at_level(logging.ERROR, logger="csphub.audit.services"):
        event = record(verb="case.no_such_event")
    assert AuditEvent.objects.get().verb == event.verb == "case.no_such_event"
    assert "not registered" in caplog.text
