"""The import contracts (pyproject.toml, docs/adr/0010-import-layers.md) hold, and breaking one
fails `lint-imports`, which make test runs: each case adds one forbidden import to a copy of
src/ and expects the contract it breaks to be reported, naming the line added."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}  # the copy, ahead of the installed src
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_contracts_hold():
    run = _lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract", "reported"),
    [
        (
            "crimestats/figures.py",
            "import django  # noqa: F401",
            "crimestats is framework-free",
            "crimestats.figures -> django",
        ),
        (
            "csphub/core/forms.py",
            "from csphub.panels import models  # noqa: F401",
            "csphub.lib and csphub.core import no feature app",
            "csphub.core.forms -> csphub.panels",
        ),
        (
            "csphub/casereview/views.py",
            "from crimestats import warehouse  # noqa: F401",
            "Feature apps other than crime use crimestats only through csphub.lib",
            "csphub.casereview.views -> crimestats.warehouse",
        ),
        (
            "csphub/crime/views.py",
            "from crimestats.figures import figures  # noqa: F401",
            "The crime app uses crimestats through its public API",
            "csphub.crime.views -> crimestats.figures",
        ),
        (  # an import inside a function counts as much as one at the top
            "csphub/people/models.py",
            "def _lazy():\n    from csphub.panels import selectors  # noqa: F401",
            "The apps are layers",
            "csphub.people.models -> csphub.panels.selectors",
        ),
        (
            "csphub/audit/forms.py",
            "from csphub.accounts import models as accounts_models  # noqa: F401",
            "The apps are layers",
            "csphub.audit.forms -> csphub.accounts.models",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path, module, line, contract, reported):
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "src" / module).open("a", encoding="utf-8") as source:
        source.write(f"\n\n{line}\n")

    run = _lint_imports(tmp_path)

    assert run.returncode != 0
    broken = run.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken
    assert reported in broken
