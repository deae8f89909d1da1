"""The audit verbs of partner extracts (see csphub.audit.verbs)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

EXTRACT_IMPORTED = Verb("partnerdata.extract_imported", "Partner extract imported")
