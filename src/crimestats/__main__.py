"""``python -m crimestats``."""

import sys

from crimestats.cli import main

sys.exit(main())
