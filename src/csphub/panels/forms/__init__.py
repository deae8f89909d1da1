"""Forms for the panels app (GOV.UK rendering), one module per noun:

- `referrals` — place referrals, escalations, transfers and decisions, and the consent-and-risk
  questions they share (a person's referral is in `csphub.panels.referral_forms`);
- `cases` — case edits, notes, flags, status, subjects, offending and assignments;
- `panel_config` — a panel's settings and rules, and its members;
- `offence_import` — the upload of a police extract of offences.

Everything is importable from `csphub.panels.forms` as before.
"""

from csphub.panels.forms.cases import (
    MAX_HARM_WEIGHT,
    AssignForm,
    CaseEditForm,
    ClearFlagForm,
    FlagForm,
    NoteForm,
    OffenceForm,
    PractitionerChoiceField,
    RemoveSubjectForm,
    StatusForm,
    SubjectForm,
    UnassignForm,
)
from csphub.panels.forms.offence_import import OffenceImportForm
from csphub.panels.forms.panel_config import (
    MembershipForm,
    PanelForm,
    RemoveMemberForm,
    panel_rules_in,
    panel_rules_initial,
)
from csphub.panels.forms.referrals import (
    YES_NO,
    ConsentAndRiskMixin,
    DecisionForm,
    EscalationForm,
    EscalationTargetForm,
    PlaceReferralForm,
    TransferForm,
    consent_answer,
    escalation_targets,
    indicators_in,
)

__all__ = [
    "MAX_HARM_WEIGHT",
    "YES_NO",
    "AssignForm",
    "CaseEditForm",
    "ClearFlagForm",
    "ConsentAndRiskMixin",
    "DecisionForm",
    "EscalationForm",
    "EscalationTargetForm",
    "FlagForm",
    "MembershipForm",
    "NoteForm",
    "OffenceForm",
    "OffenceImportForm",
    "PanelForm",
    "PlaceReferralForm",
    "PractitionerChoiceField",
    "RemoveMemberForm",
    "RemoveSubjectForm",
    "StatusForm",
    "SubjectForm",
    "TransferForm",
    "UnassignForm",
    "consent_answer",
    "escalation_targets",
    "indicators_in",
    "panel_rules_in",
    "panel_rules_initial",
]
