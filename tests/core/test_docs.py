"""Tests that keep the documentation honest."""

import re
from pathlib import Path

from django.apps import apps
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_read_from_the_environment_is_documented_in_the_readme():
    settings_src = (ROOT / "src" / "csphub" / "settings.py").read_text()
    names = set(re.findall(r'env(?:_bool)?\("([A-Z_]+)"', settings_src))
    readme = (ROOT / "README.md").read_text()
    undocumented = sorted(n for n in names if f"`{n}`" not in readme)
    assert names, "no environment settings found: the pattern is out of date"
    assert undocumented == []


def test_every_csphub_model_has_a_docstring_of_its_own():
    # Django gives an undocumented model the docstring "Name(field, field, …)".
    missing = [
        m.__name__
        for m in apps.get_models()
        if m.__module__.startswith("csphub.")
        and (not m.__doc__ or m.__doc__.startswith(f"{m.__name__}("))
    ]
    assert missing == []


def test_every_csphub_command_explains_itself():
    commands = {name: app for name, app in get_commands().items() if app.startswith("csphub.")}
    assert "demo" in commands and "audit" in commands
    for name, app in commands.items():
        assert load_command_class(app, name).help.strip(), f"{name} has no help text"


def test_readme_names_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^make demo$", readme, re.M)
    assert re.search(r"^make test$", readme, re.M)
