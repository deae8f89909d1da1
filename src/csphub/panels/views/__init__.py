"""Panels, cases, referrals and escalations, one module per group of pages. Thin: selectors
decide access, services write. The names are gathered here for `urls.py`."""

from csphub.panels.views.cases import case_detail, case_edit, case_export, case_list
from csphub.panels.views.casework import (
    case_assign,
    case_flag,
    case_flag_clear,
    case_note,
    case_status,
    case_subject,
    case_subject_remove,
    case_unassign,
)
from csphub.panels.views.offences import offence_import
from csphub.panels.views.panel_pages import (
    panel_create,
    panel_dashboard,
    panel_detail,
    panel_edit,
    panel_list,
    panel_member_remove,
    panel_members,
)
from csphub.panels.views.referrals import offence_create, refer, refer_place
from csphub.panels.views.transitions import case_escalate, case_transfer, transition_decide

__all__ = [
    "case_assign",
    "case_detail",
    "case_edit",
    "case_escalate",
    "case_export",
    "case_flag",
    "case_flag_clear",
    "case_list",
    "case_note",
    "case_status",
    "case_subject",
    "case_subject_remove",
    "case_transfer",
    "case_unassign",
    "offence_create",
    "offence_import",
    "panel_create",
    "panel_dashboard",
    "panel_detail",
    "panel_edit",
    "panel_list",
    "panel_member_remove",
    "panel_members",
    "refer",
    "refer_place",
    "transition_decide",
]
