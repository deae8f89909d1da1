"""The audit verbs of children's NRM referrals and decisions (see csphub.audit.verbs).

Those marked `timeline=True` are written with `record_case_event`, so they are on the case's
timeline as well as in the audit trail. Payloads carry ids and codes, never personal data.
"""

from __future__ import annotations

from csphub.audit.verbs import Verb

REFERRAL_RECEIVED = Verb(
    "nrm.referral_received",
    "NRM referral of a child received",
    timeline=True,
    template="NRM referral received ({routing})",
)
SEAT_SET = Verb("nrm.seat_set", "A member's NRM panel seat set")
DECISION_RECORDED = Verb(
    "nrm.decision_recorded",
    "NRM decision recorded",
    timeline=True,
    template="NRM {kind} decision recorded: {outcome}",
)
MINUTE_WRITTEN = Verb("nrm.minute_written", "NRM decision minute written", timeline=True)
MINUTE_SIGNED_OFF = Verb(
    "nrm.minute_signed_off", "NRM decision minute signed off for quality", timeline=True
)
MINUTE_ISSUED = Verb("nrm.minute_issued", "NRM decision minute issued", timeline=True)
RECONSIDERATION_REQUESTED = Verb(
    "nrm.reconsideration_requested", "Reconsideration of an NRM decision asked for", timeline=True
)
AUDIT_UPDATED = Verb("nrm.audit_updated", "SCA audit of an NRM decision updated", timeline=True)
FOLLOW_UP_RECORDED = Verb(
    "nrm.follow_up_recorded", "Follow-up after an NRM decision recorded", timeline=True
)
SETTINGS_CHANGED = Verb("nrm.settings_changed", "NRM panel settings or comparators changed")
