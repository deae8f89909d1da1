"""Every write to panels and cases: keyword-only, atomic, audited, one module per noun.

Each `do_<verb>_<noun>` takes the acting user and refuses (PermissionDenied) what the rules in
`csphub.panels.selectors` do not give them, whoever calls it: a page, a command or the API.
The names are gathered here so callers write `services.do_refer(...)`; the code lives in

- `referrals` — a person or a place referred to a panel;
- `transitions` — escalation, transfer and the decision on any pending transition;
- `casework` — a case's details, notes, flags and status;
- `assignments` — practitioners assigned to a case;
- `subjects` — the people and places a case is about;
- `offences` — offences recorded against a referred person;
- `offence_import` — offences imported from a police extract;
- `signpost` — the "is this person known?" search;
- `panel_config` — panels, their settings and their members;
- `timeline` — the case timeline every case service writes to.
"""

from csphub.panels.services.assignments import do_assign_practitioner, do_unassign_practitioner
from csphub.panels.services.casework import (
    do_add_note,
    do_change_status,
    do_clear_flag,
    do_raise_flag,
    do_update_case,
)
from csphub.panels.services.offence_import import OffenceImport, do_import_offences
from csphub.panels.services.offences import do_record_offence, harm_weight_for
from csphub.panels.services.panel_config import (
    MAX_REVIEW_INTERVAL_DAYS,
    RESERVED_SLUGS,
    do_add_panel_member,
    do_create_panel,
    do_remove_panel_member,
    do_update_panel,
)
from csphub.panels.services.referrals import do_refer, do_refer_person, do_refer_place
from csphub.panels.services.signpost import (
    SIGNPOST_WINDOW,
    SignpostLimitReached,
    do_signpost_search,
)
from csphub.panels.services.subjects import (
    LAST_SUBJECT,
    do_add_person_or_place,
    do_add_subject,
    do_remove_subject,
)
from csphub.panels.services.timeline import record_case_event
from csphub.panels.services.transitions import (
    TransitionAlreadyDecided,
    do_decide_transition,
    do_escalate_case,
    do_transfer_case,
)

__all__ = [
    "LAST_SUBJECT",
    "MAX_REVIEW_INTERVAL_DAYS",
    "RESERVED_SLUGS",
    "SIGNPOST_WINDOW",
    "OffenceImport",
    "SignpostLimitReached",
    "TransitionAlreadyDecided",
    "do_add_note",
    "do_add_panel_member",
    "do_add_person_or_place",
    "do_add_subject",
    "do_assign_practitioner",
    "do_change_status",
    "do_clear_flag",
    "do_create_panel",
    "do_decide_transition",
    "do_escalate_case",
    "do_import_offences",
    "do_raise_flag",
    "do_record_offence",
    "do_refer",
    "do_refer_person",
    "do_refer_place",
    "do_remove_panel_member",
    "do_remove_subject",
    "do_signpost_search",
    "do_transfer_case",
    "do_unassign_practitioner",
    "do_update_case",
    "do_update_panel",
    "harm_weight_for",
    "record_case_event",
]
