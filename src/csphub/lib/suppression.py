"""Small-number suppression for the apps: every published count goes through it.

There is one implementation, ``crimestats.suppression`` (the crime figures use it too), and
feature apps import it by this name rather than reaching into crimestats
(docs/adr/0010-import-layers.md). Nothing is defined here.

>>> suppress_value(3)
True
"""

from __future__ import annotations

from crimestats.suppression import SuppressedTable, mark, suppress, suppress_value

__all__ = ["SuppressedTable", "mark", "suppress", "suppress_value"]
