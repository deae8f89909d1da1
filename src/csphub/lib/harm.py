"""Harm weights for recorded offences (an approximation of the ONS Crime Severity Score).

There is one implementation, ``crimestats.harm``, with the weights the crime figures use, and
feature apps import it by this name rather than reaching into crimestats
(docs/adr/0010-import-layers.md). Nothing is defined here.
"""

from __future__ import annotations

from crimestats.harm import load_weights, weight_for

__all__ = ["load_weights", "weight_for"]
