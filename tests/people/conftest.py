"""People pages are reached through cases: reuse the panels tests' small partnership."""

from tests.panels.conftest import World, world

__all__ = ["World", "world"]
