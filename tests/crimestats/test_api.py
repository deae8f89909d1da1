"""crimestats' public API: every name resolves, the docstring's examples hold, and importing the
package loads none of the heavy libraries a figures page does not need."""

from __future__ import annotations

import doctest
import subprocess
import sys

import pytest

import crimestats


@pytest.mark.parametrize("name", crimestats.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(crimestats, name) is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'warehouse_tables'"):
        crimestats.warehouse_tables  # noqa: B018


def test_the_packages_examples_hold() -> None:
    assert doctest.testmod(crimestats).failed == 0


def test_importing_the_package_loads_nothing_heavy() -> None:
    probe = (
        "import sys, crimestats; "
        "print(sorted(m for m in ('numpy', 'shapely', 'scipy', 'pandas', 'duckdb') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_no_public_name_is_also_a_module_name() -> None:
    # Importing crimestats.X sets the package's attribute X to that module, which would hide a
    # public name X (a function called figures_table beside a module figures_table, say).
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(crimestats.__path__)}
    assert set(crimestats.__all__) & modules == set()
