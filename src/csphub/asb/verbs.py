"""The audit verbs of ASB casework (see csphub.audit.verbs).

Assessments, incidents and tools go on the case's timeline; each letter downloaded is recorded
with the tool it was made for (never the recipient's name).
"""

from __future__ import annotations

from csphub.audit.verbs import Verb

ASSESSMENT_RECORDED = Verb(
    "asb.assessment_recorded",
    "Victim risk assessment recorded",
    timeline=True,
    template="Victim risk assessment recorded: {band_label}",
)
INCIDENT_RECORDED = Verb("asb.incident_recorded", "Incident logged", timeline=True)
INCIDENT_CHANGED = Verb("asb.incident_changed", "Incident changed", timeline=True)
TOOL_RECORDED = Verb(
    "asb.tool_recorded", "Tool or power recorded", timeline=True, template="{kind_label} recorded"
)
TOOL_CHANGED = Verb(
    "asb.tool_changed", "Tool or power changed", timeline=True, template="{kind_label} changed"
)
PAGE_VIEWED = Verb("asb.viewed", "Viewed an ASB case's risk assessment, incident or tool")
LETTER_DOWNLOADED = Verb("asb.letter_downloaded", "Downloaded a tool or power letter")
