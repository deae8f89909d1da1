"""The audit verbs of cases, panels and offences (see csphub.audit.verbs).

The case verbs marked `timeline=True` are written with `record_case_event`, which puts them on
the case's timeline as well as in the audit trail. A transition's verbs name the panel or the
agency it went to from the event's payload ("Referral accepted by the CREST co-ordinator").
"""

from __future__ import annotations

from csphub.audit.verbs import Verb
from csphub.panels.choices import TransitionKind, TransitionStatus

REFERRAL_MADE = Verb(
    "case.referral_made",
    "Referral made to a panel",
    timeline=True,
    template="Referral made to the {panel}",
)
ESCALATION_MADE = Verb(
    "case.escalation_made",
    "Escalation to another panel asked for",
    timeline=True,
    template="Escalation to the {panel} asked for",
)
TRANSFER_MADE = Verb(
    "case.transfer_made",
    "Transfer to another agency asked for",
    timeline=True,
    template="Transfer to {agency} asked for",
)
REFERRAL_ACCEPTED = Verb(
    "case.referral_accepted",
    "Referral accepted by the panel co-ordinator",
    timeline=True,
    template="Referral accepted by the {panel} co-ordinator",
)
REFERRAL_REJECTED = Verb(
    "case.referral_rejected",
    "Referral rejected by the panel co-ordinator",
    timeline=True,
    template="Referral rejected by the {panel} co-ordinator",
)
REFERRAL_WITHDRAWN = Verb(
    "case.referral_withdrawn",
    "Referral withdrawn by the referrer",
    timeline=True,
    template="Referral to the {panel} withdrawn by the referrer",
)
ESCALATION_ACCEPTED = Verb(
    "case.escalation_accepted",
    "Escalation accepted by the receiving panel's co-ordinator",
    timeline=True,
    template="Escalation accepted by the {panel} co-ordinator",
)
ESCALATION_REJECTED = Verb(
    "case.escalation_rejected",
    "Escalation rejected by the receiving panel's co-ordinator",
    timeline=True,
    template="Escalation rejected by the {panel} co-ordinator",
)
ESCALATION_WITHDRAWN = Verb(
    "case.escalation_withdrawn",
    "Escalation withdrawn",
    timeline=True,
    template="Escalation to the {panel} withdrawn",
)
TRANSFER_ACCEPTED = Verb(
    "case.transfer_accepted",
    "Transfer accepted by the receiving agency",
    timeline=True,
    template="Transfer accepted by {agency}",
)
TRANSFER_REJECTED = Verb(
    "case.transfer_rejected",
    "Transfer rejected by the receiving agency",
    timeline=True,
    template="Transfer rejected by {agency}",
)
TRANSFER_WITHDRAWN = Verb(
    "case.transfer_withdrawn",
    "Transfer withdrawn",
    timeline=True,
    template="Transfer to {agency} withdrawn",
)
REFERRAL_MATCH_RESOLVED = Verb(
    "case.referral_match_resolved",
    "Said whether a referral is about someone already known",
    timeline=True,
)
CONSENT_OVERRIDDEN = Verb(
    "consent.overridden", "Shared without the person's consent, on a lawful basis"
)

#: The verb of a new transition, by its kind.
TRANSITION_MADE = {
    TransitionKind.REFERRAL: REFERRAL_MADE,
    TransitionKind.ESCALATION: ESCALATION_MADE,
    TransitionKind.TRANSFER: TRANSFER_MADE,
}
#: The verb of a decision on a transition, by the transition's kind and the decision.
TRANSITION_DECIDED = {
    (TransitionKind.REFERRAL, TransitionStatus.ACCEPTED): REFERRAL_ACCEPTED,
    (TransitionKind.REFERRAL, TransitionStatus.REJECTED): REFERRAL_REJECTED,
    (TransitionKind.REFERRAL, TransitionStatus.WITHDRAWN): REFERRAL_WITHDRAWN,
    (TransitionKind.ESCALATION, TransitionStatus.ACCEPTED): ESCALATION_ACCEPTED,
    (TransitionKind.ESCALATION, TransitionStatus.REJECTED): ESCALATION_REJECTED,
    (TransitionKind.ESCALATION, TransitionStatus.WITHDRAWN): ESCALATION_WITHDRAWN,
    (TransitionKind.TRANSFER, TransitionStatus.ACCEPTED): TRANSFER_ACCEPTED,
    (TransitionKind.TRANSFER, TransitionStatus.REJECTED): TRANSFER_REJECTED,
    (TransitionKind.TRANSFER, TransitionStatus.WITHDRAWN): TRANSFER_WITHDRAWN,
}

CASE_UPDATED = Verb("case.updated", "Case details updated", timeline=True)
NOTE_ADDED = Verb("case.note_added", "Note added", timeline=True)
FLAG_RAISED = Verb("case.flag_raised", "Flag raised", timeline=True)
FLAG_CLEARED = Verb("case.flag_cleared", "Flag cleared", timeline=True)
STATUS_CHANGED = Verb("case.status_changed", "Case status changed", timeline=True)
REOPENED = Verb("case.reopened", "Closed case reopened", timeline=True)
SUBJECT_ADDED = Verb("case.subject_added", "Person or place added to the case", timeline=True)
SUBJECT_REMOVED = Verb(
    "case.subject_removed", "Person or place removed from the case", timeline=True
)
ASSIGNED = Verb("case.assigned", "Practitioner assigned to the case", timeline=True)
UNASSIGNED = Verb("case.unassigned", "Practitioner taken off the case", timeline=True)

PANEL_CREATED = Verb("panel.created", "Panel set up")
PANEL_UPDATED = Verb("panel.updated", "Panel's details changed")
PANEL_MEMBER_ADDED = Verb("panel.member_added", "Someone given a seat on a panel")
PANEL_MEMBER_ROLE_CHANGED = Verb("panel.member_role_changed", "A panel member's role changed")
PANEL_MEMBER_REMOVED = Verb("panel.member_removed", "Someone taken off a panel")

OFFENCE_RECORDED = Verb("person.offence_recorded", "Offence recorded against a person")
OFFENCES_IMPORTED = Verb("offences.imported", "Offences imported from a police extract")
OFFENCE_IMPORT_REJECTED = Verb(
    "offences.import_rejected", "A police extract of offences refused (nothing imported)"
)
SIGNPOST_SEARCHED = Verb(
    "person.signpost_searched", "Asked whether someone is already known to a panel"
)
SIGNPOST_REFUSED = Verb(
    "person.signpost_refused", "Asked whether someone is known past the hourly limit (refused)"
)
