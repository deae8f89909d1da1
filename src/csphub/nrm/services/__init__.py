"""Every write to NRM referrals and decisions: keyword-only, atomic, audited, and each checks
its own rule for the acting user (csphub.nrm.selectors), whoever calls it.

A referral is made through `panels.services.do_refer` (the NRM panel's rules need no consent,
so none is recorded, and never an override); decisions are made at the panel's meetings
(`meetings.Meeting`); events go on the case's timeline with `record_case_event`. The code is in

- `intake` — the referral, the panel's seats, taking a referral on;
- `decisions` — RG and CG decisions, attendance and votes;
- `minutes` — minutes and their sign-off, reconsiderations, the SCA audit, follow-ups;
- `settings` — the panel's due dates and the national comparators.
"""

from csphub.nrm.services.decisions import (
    CG_NEEDS_POSITIVE_RG,
    CHAIR_IS_SOCIAL_WORKER,
    ICTG_REQUIRED,
    decision_checks,
    do_record_decision,
    do_record_rg_and_cg,
)
from csphub.nrm.services.intake import (
    do_refer_child,
    do_set_seat,
    do_take_on,
    do_update_referral,
)
from csphub.nrm.services.minutes import (
    REASONS_REQUIRED,
    do_issue_minute,
    do_record_follow_up,
    do_request_reconsideration,
    do_sign_off_minute,
    do_update_audit,
    do_write_minute,
)
from csphub.nrm.services.settings import do_save_comparator, do_update_settings

__all__ = [
    "CG_NEEDS_POSITIVE_RG",
    "CHAIR_IS_SOCIAL_WORKER",
    "ICTG_REQUIRED",
    "REASONS_REQUIRED",
    "decision_checks",
    "do_issue_minute",
    "do_record_decision",
    "do_record_follow_up",
    "do_record_rg_and_cg",
    "do_refer_child",
    "do_request_reconsideration",
    "do_save_comparator",
    "do_set_seat",
    "do_sign_off_minute",
    "do_take_on",
    "do_update_audit",
    "do_update_referral",
    "do_update_settings",
    "do_write_minute",
]
