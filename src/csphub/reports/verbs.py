"""The audit verbs of the partnership's reports (see csphub.audit.verbs)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

ANNUAL_BUILT = Verb("reports.annual_built", "Annual partnership delivery report built")
ANNUAL_SIGNED_OFF = Verb("reports.annual_signed_off", "Annual report signed off")
NARRATIVE_SAVED = Verb("reports.narrative_saved", "Annual report narrative written")
