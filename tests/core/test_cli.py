"""The `csphub` console script reaches Django's commands and the analytics command line."""

import subprocess
import sys


def _csphub(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "csphub", *args], capture_output=True, text=True, check=False
    )


def test_crime_subcommands_are_reached_and_named_as_csphub_crime():
    result = _csphub("crime", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: csphub crime")
    for sub in ("import", "download", "figures", "hotspots", "sources"):
        assert sub in result.stdout


def test_django_commands_are_reached():
    result = _csphub("help")
    assert result.returncode == 0
    for command in ("demo", "audit", "send_action_reminders", "demo_code"):
        assert command in result.stdout
