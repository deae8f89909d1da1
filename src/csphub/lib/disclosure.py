"""The disclosure policy for the apps: which counts are suppressed, per source and output.

There is one policy, ``crimestats.disclosure`` (the crime figures use it too), and feature apps
import it by this name rather than reaching into crimestats (docs/adr/0010-import-layers.md).
Nothing is defined here.

>>> threshold_for(Source.STATUTORY, Output.PUBLICATION)
0
"""

from __future__ import annotations

from crimestats.disclosure import DEFAULT_THRESHOLD, Output, Source, describe, threshold_for

__all__ = ["DEFAULT_THRESHOLD", "Output", "Source", "describe", "threshold_for"]
