"""No Python file under src/ grows past 600 lines (migrations aside): past that, split it by
responsibility, as a module becomes a package."""

from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
LIMIT = 600


def _too_long() -> dict[str, int]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.relative_to(SRC).parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LIMIT:
            found[str(path.relative_to(SRC))] = lines
    return found


def test_no_source_file_is_over_600_lines() -> None:
    assert _too_long() == {}


def test_the_walk_finds_the_source_files() -> None:
    # Guards the test above against passing because it looked in the wrong place.
    names = {str(p.relative_to(SRC)) for p in SRC.rglob("*.py")}
    assert {"crimestats/warehouse.py", "csphub/settings.py"} <= names
