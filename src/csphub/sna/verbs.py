"""The audit verbs of the needs assessment (see csphub.audit.verbs)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

ASSESSMENT_BUILT = Verb("sna.assessment_built", "Needs assessment built")
FINDING_ADDED = Verb("sna.finding_added", "Needs assessment gap or recommendation written")
FINDING_CHANGED = Verb("sna.finding_changed", "Needs assessment gap or recommendation changed")
