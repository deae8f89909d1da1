"""Where the warehouse lives and where the shipped data files are."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DATA = Path(__file__).parent / "data"


def data_dir() -> Path:
    """The data directory: ``$CSPHUB_DATA_DIR`` or ``./var`` under the current directory."""
    return Path(os.environ.get("CSPHUB_DATA_DIR") or Path.cwd() / "var")


def warehouse_path(base: Path | None = None) -> Path:
    """The DuckDB warehouse file inside the data directory."""
    return (base or data_dir()) / "crimestats" / "warehouse.duckdb"
