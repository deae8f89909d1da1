"""Every page that shows case content or personal data records one view event, with ids only.

The walk covers every URL pattern the project mounts. A pattern is either AUDITED (with the
verb and record its view event names) or listed in NOT_AUDITED with a one-line reason, so a new
page that is neither makes `test_every_url_pattern_is_audited_or_listed_with_a_reason` fail.

Each audited page is then opened, built from the demo partnership's own records, by every demo
sign-in: one who may see it records exactly one view event naming the page and the record; one
who is refused (403 or 404) records no view (only a refusal, where the lookup audits one).
The Django admin's pages are walked the same way, as a superuser and as someone refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.module_loading import import_string

from csphub.accounts.models import User
from csphub.audit.models import AuditEvent
from csphub.casereview.models import CaseReview
from csphub.documents.models import Document
from csphub.meetings.models import Action, AgendaItem, InformationRequest
from csphub.nrm.models import Decision as NrmDecision
from csphub.nrm.models import Minute as NrmMinute
from csphub.nrm.models import Referral as NrmReferral
from csphub.panels.models import Case, CaseFlag, CaseSubject, Panel, Transition
from csphub.people.models import Person, Place
from tests.conftest import sign_in

# Patterns that show no case content and no personal data, or only on a POST audited elsewhere.
NOT_AUDITED = {
    "core:home": "counts of the user's own cases, actions and reviews; for a co-ordinator "
    "the references of the transitions awaiting their decision, as their notifications give",
    "notifications:notification_list": "the user's own notifications: references only, as "
    "e-mailed to them",
    "notifications:notifications_read": "POST only; marks the user's own notifications read",
    "core:privacy": "static page",
    "governance:subject_access": "an empty form; each export (POST) is "
    "person.subject_access_exported",
    "governance:subject_access_export": "POST only; audited as person.subject_access_exported",
    "core:accessibility": "static page",
    "core:health": "answers 'ok' for load balancers",
    "accounts:login": "the sign-in form",
    "accounts:logout": "signs out",
    "accounts:password_reset": "an empty form asking for an e-mail address",
    "accounts:password_reset_done": "static confirmation",
    "accounts:password_reset_confirm": "a new-password form reached by a token",
    "accounts:password_reset_complete": "static confirmation",
    "accounts:invitation": "a new user's set-password form reached by a one-time token; "
    "its use is audited as user.invitation_accepted",
    "accounts:invitation_set_password": "the same form, once the token is in the session",
    "accounts:user_invite": "POST only; audited as user.invited",
    "accounts:password_change": "the signed-in user's own password form",
    "accounts:two_factor_setup": "the signed-in user's own authenticator enrolment",
    "accounts:two_factor_verify": "the signed-in user's own code form",
    "accounts:profile": "the signed-in user's own account",
    "accounts:user_list": "staff directory: names, agencies and roles; each account is audited",
    "accounts:user_create": "an empty form",
    "accounts:user_reset_two_factor": "POST only; audited as auth.two_factor_reset",
    "accounts:grant_requests": "staff directory: which administrator asked for which role or seat",
    "accounts:grant_request_approve": "POST only; audited as grant.approved",
    "accounts:grant_request_decline": "POST only; audited as grant.declined",
    "accounts:user_unlock": "POST only; audited as auth.unlocked",
    "accounts:agency_list": "organisations, not people",
    "accounts:agency_create": "an empty form about an organisation",
    "accounts:agency_edit": "an organisation's name and kind",
    "panels:refer": "an empty form; possible matches shown on POST are person.duplicates_offered",
    "panels:refer_place": "an empty form",
    "panels:panel_list": "panels' names and purposes",
    "panels:panel_create": "an empty form",
    "panels:panel_dashboard": "aggregate figures for a panel, no case or person",
    "reports:annual": "the annual report: aggregate figures, casework suppressed, and the "
    "staff who wrote its narrative",
    "reports:annual_build": "POST only; audited as reports.annual_built",
    "reports:annual_sign_off": "POST only; audited as reports.annual_signed_off",
    "reports:annual_html": "a built annual report: aggregate figures, casework suppressed",
    "reports:annual_pdf": "a built annual report: aggregate figures, casework suppressed",
    "reports:annual_docx": "a built annual report: aggregate figures, casework suppressed",
    "reports:narrative_edit": "a section's narrative about the partnership's work; saving is "
    "audited as reports.narrative_saved",
    "panels:panel_edit": "a panel's settings",
    "panels:panel_members": "staff directory of one panel: names, agencies and panel roles",
    "panels:panel_member_remove": "staff directory: one member's name, agency and panel role",
    "people:signpost": "an empty form; each search (POST) is person.signpost_searched",
    "people:person_reveal": "POST only; audited as person.revealed",
    "casereview:review_create": "an empty form",
    "funding:overview": "funders, grants and amounts: no personal data (docs/funding.md)",
    "funding:grant_detail": "a grant's money and outputs: no personal data",
    "funding:item_detail": "a funded item's money and outputs: no personal data",
    "funding:item_record": "a form of spend and output counts; saving is audited",
    "funding:return_publish": "POST only; audited as funding.return_published",
    "funding:return_xlsx": "aggregate money and counts; audited as funding.return_downloaded",
    "funding:return_csv": "aggregate money and counts; audited as funding.return_downloaded",
    "funding:grant_create": "a form of a grant's terms: no personal data",
    "funding:allocation_set": "a form of a grant's money: no personal data",
    "funding:reporting_date_set": "a form of a return's due date: no personal data",
    "funding:condition_add": "a form setting a condition; saving is audited",
    "funding:item_create": "a form of a funded item: no personal data",
    "funding:measure_add": "a form of an output's name: no personal data",
    "funding:profile_set": "a form of planned money and numbers: no personal data",
    "funding:open_data_json": "published grant data; audited as funding.open_data_downloaded",
    "funding:open_data_csv": "published grant data; audited as funding.open_data_downloaded",
    "community:activity_list": "counts of activity at community places: no personal data",
    "community:activity_create": "a form of activity counts; saving is audited",
    "community:activity_attendance": "attendee counts by agency at a training session",
    "community:activity_map": "aggregate crime counts (suppressed) beside activity counts",
    "partnerdata:extract_list": "partner counts by month and area, suppressed; imports audited",
    "sna:overview": "the needs assessment's builds and findings: aggregates, suppressed",
    "sna:build": "POST only; audited as sna.assessment_built",
    "sna:finding_add": "POST only; audited as sna.finding_added",
    "sna:finding_edit": "a gap or recommendation's wording; saving is audited",
    "sna:full_html": "aggregate figures, casework suppressed: no one's record",
    "sna:full_pdf": "aggregate figures, casework suppressed: no one's record",
    "sna:summary_html": "the publishable summary",
    "sna:summary_pdf": "the publishable summary",
    "casereview:annual_counts": "published yearly totals",
    "casereview:policy_edit": "the threshold and timescales, no application",
    "casereview:applicant_details": "POST only; audited as casereview.applicant_revealed",
    "meetings:meeting_list": "panels' meeting dates and places, no case",
    "meetings:meeting_create": "an empty form",
    "meetings:agenda_generate": "POST only; audited as meeting.agenda_generated",
    "meetings:agenda_circulate": "POST only; audited as meeting.agenda_circulated",
    "crime:figures": "aggregate police recorded crime",
    "crime:figures_csv": "aggregate figures; audited as crime.figures_exported",
    "crime:about": "sources and methods",
    "crime:hotspots": "aggregate counts by area",
    "crime:hotspots_csv": "aggregate counts by area; audited as crime.hotspots_exported",
    "crime:import": "the history of imported police files, no person",
    "panels:offence_import": "an upload form; an import is audited as offences.imported (each "
    "offence as person.offence_recorded) or offences.import_rejected",
    "nrm:refer": "an empty form; the referral made is nrm.referral_received",
    "nrm:figures": "aggregate decision times and national comparators, no child",
    "nrm:seats": "staff directory of one panel: names, agencies and seats",
    "nrm:settings": "a panel's due-date settings, no child",
    "nrm:comparator_create": "an empty form about a national figure",
    "nrm:comparator_edit": "a national figure and its definition, no child",
    "nrm:take_on": "POST only; audited as the referral's decision (case.referral_accepted/rejected)",
    "nrm:minute_sign_off": "POST only; audited as nrm.minute_signed_off",
    "nrm:minute_issue": "POST only; audited as nrm.minute_issued",
    "vvrap:plan_list": "the action plan's versions; no case or personal data",
    "vvrap:plan_create": "an empty form",
    "vvrap:plan_detail": "the action plan: actions and staff leads, no case or personal data",
    "vvrap:item_create": "a form about a plan action; no case or personal data",
    "vvrap:item_detail": "a plan action, its staff lead and updates; no case or personal data",
    "vvrap:item_edit": "a form about a plan action; no case or personal data",
    "vvrap:milestone_add": "a form about a plan action; no case or personal data",
    "vvrap:update_edit": "a lead's quarterly update; no case or personal data",
    "vvrap:update_review": "a quarterly update to sign off; no case or personal data",
    "vvrap:plan_return": "the signed-off quarterly return; no case or personal data",
    "vvrap:return_xlsx": "the quarterly return; audited as vvrap.return_exported",
    "vvrap:return_pdf": "the quarterly return; audited as vvrap.return_exported",
    "vvrap:feedback_add": "a form for the VRU panel's feedback on the plan",
    "vvrap:board_list": "the boards' meetings: dates and names; boards hold no case data",
    "vvrap:board_pack": "a board's agenda topics, the plan's return and aggregate figures",
    "vvrap:board_minutes": "a board's past meetings: dates and places; boards hold no case data",
    "vvrap:board_minutes_pdf": "a board's minutes, no case data; audited as "
    "meeting.minutes_exported (tests/vvrap/test_board_minutes.py)",
    "vvrap:board_minutes_docx": "a board's minutes, no case data; audited as "
    "meeting.minutes_exported (tests/vvrap/test_board_minutes.py)",
    "vvrap:template_columns": "the return's column headings: configuration",
    "vvrap:compliance": "whether the minimum standards were met, month by month; no person",
    "vvrap:assessment_record": "a form for the assessment's refresh date",
    "vvrap:event_list": "events at community places (schools, wards, sites); no person",
    "vvrap:event_create": "a form for an event at a community place",
    "vvrap:event_close": "POST only; audited as vvrap.event_closed",
}
# The Django admin (superusers with a second factor): its pages are walked by their own test.
# Unnamed patterns are listed by their route.
ADMIN_NOT_AUDITED = {
    "admin:login": "redirects to the service's sign-in",
    "admin:logout": "signs out",
    "admin:password_change": "the superuser's own password form",
    "admin:password_change_done": "static confirmation",
    "admin:jsi18n": "the admin's JavaScript translations",
    "admin:autocomplete": "answers only for an autocomplete field, and no admin form has one",
    "admin:view_on_site": "redirects to a record's own page, audited there",
    "admin:audit_auditevent_add": "refused to everyone: the trail is append-only",
    "admin:audit_auditevent_delete": "refused to everyone: the trail is append-only",
    "admin:accounts/agency/<path:object_id>/": "redirects to the change page",
    "admin:accounts/user/<path:object_id>/": "redirects to the change page",
    "admin:audit/auditevent/<path:object_id>/": "redirects to the change page",
    "admin:(?P<url>.*)$": "the admin's catch-all: not found, or a redirect adding a slash",
}


@dataclass(frozen=True)
class Page:
    verb: str
    kwargs: Callable[[dict[str, Any]], dict[str, Any]]
    target: Callable[[dict[str, Any]], tuple[str, str]] = lambda d: ("", "")


def _case(d: dict[str, Any]) -> dict[str, Any]:
    return {"case_id": d["case"].pk}


def _case_target(d: dict[str, Any]) -> tuple[str, str]:
    return "panels.case", str(d["case"].pk)


def _person(d: dict[str, Any]) -> dict[str, Any]:
    return {"reference": d["person"].reference}


def _person_target(d: dict[str, Any]) -> tuple[str, str]:
    return "people.person", str(d["person"].pk)


def _meeting(d: dict[str, Any]) -> dict[str, Any]:
    return {"meeting_id": d["meeting"].pk}


def _meeting_target(d: dict[str, Any]) -> tuple[str, str]:
    return "meetings.meeting", str(d["meeting"].pk)


def _item(d: dict[str, Any]) -> dict[str, Any]:
    return {"meeting_id": d["item"].meeting_id, "item_id": d["item"].pk}


def _item_target(d: dict[str, Any]) -> tuple[str, str]:
    return "meetings.agendaitem", str(d["item"].pk)


def _review(d: dict[str, Any]) -> dict[str, Any]:
    return {"review_id": d["review"].pk}


def _review_target(d: dict[str, Any]) -> tuple[str, str]:
    return "casereview.casereview", str(d["review"].pk)


def _user(d: dict[str, Any]) -> dict[str, Any]:
    return {"user_id": d["user"].pk}


def _user_target(d: dict[str, Any]) -> tuple[str, str]:
    return "accounts.user", str(d["user"].pk)


def _document(d: dict[str, Any]) -> dict[str, Any]:
    return {"document_id": d["document"].pk}


def _document_target(d: dict[str, Any]) -> tuple[str, str]:
    return "documents.document", str(d["document"].pk)


def _none(d: dict[str, Any]) -> dict[str, Any]:
    return {}


def _nrm(key: str, label: str, kwarg: str) -> Page:
    verbs = {"nrm_minute": "nrm.minute_exported"}
    return Page(
        verbs.get(key, "nrm.referral_viewed"),
        lambda d: {kwarg: d[key].pk},
        lambda d: (label, str(d[key].pk)),
    )


NRM_REFERRAL = _nrm("nrm_referral", "nrm.referral", "referral_id")
NRM_DECISION = _nrm("nrm_decision", "nrm.decision", "decision_id")
CASE_PAGE = Page("case.viewed", _case, _case_target)


def _asb(key: str = "", kwarg: str = "", label: str = "") -> Page:
    """A page of ASB casework on the demo's ASB case: a form on the case itself (KEY empty),
    or one of its assessments, incidents or tools."""
    if not key:
        return Page(
            "case.viewed",
            lambda d: {"case_id": d["asb_case"].pk},
            lambda d: ("panels.case", str(d["asb_case"].pk)),
        )
    verb = "asb.letter_downloaded" if key == "letter" else "asb.viewed"
    record = "asb_tool" if key == "letter" else key
    return Page(
        verb,
        lambda d: {"case_id": d["asb_case"].pk, kwarg: d[record].pk},
        lambda d: (label, str(d[record].pk)),
    )


def _review_letter(key: str) -> Page:
    return Page(
        "casereview.letter_downloaded",
        lambda d: {"review_id": d[key].pk},
        lambda d: ("casereview.casereview", str(d[key].pk)),
    )


AUDITED: dict[str, Page] = {
    "audit:event_list": Page("audit.viewed", _none),
    "governance:anomalies": Page("audit.anomalies_viewed", _none),
    "search:results": Page("search.performed", _none),
    "audit:event_export": Page("audit.exported", _none),
    "accounts:user_detail": Page("user.viewed", _user, _user_target),
    "accounts:user_edit": Page("user.viewed", _user, _user_target),
    "panels:case_list": Page("case.list_viewed", _none),
    "panels:case_export": Page("cases.exported", _none),
    "panels:panel_detail": Page(
        "panel.viewed",
        lambda d: {"slug": d["case"].panel.slug},
        lambda d: ("panels.panel", str(d["case"].panel_id)),
    ),
    "panels:case_detail": CASE_PAGE,
    "panels:case_edit": CASE_PAGE,
    "panels:case_note": CASE_PAGE,
    "panels:case_flag": CASE_PAGE,
    "panels:case_flag_clear": Page(
        "case.viewed",
        lambda d: {"case_id": d["flag"].case_id, "flag_id": d["flag"].pk},
        lambda d: ("panels.case", str(d["flag"].case_id)),
    ),
    "panels:case_assign": CASE_PAGE,
    "panels:case_unassign": Page(
        "case.viewed",
        lambda d: {"case_id": d["assigned_case"].pk, "user_id": d["assigned_user"].pk},
        lambda d: ("panels.case", str(d["assigned_case"].pk)),
    ),
    "panels:case_subject": CASE_PAGE,
    "panels:case_subject_remove": Page(
        "case.viewed",
        lambda d: {"case_id": d["subject"].case_id, "subject_id": d["subject"].pk},
        lambda d: ("panels.case", str(d["subject"].case_id)),
    ),
    "panels:case_status": CASE_PAGE,
    "panels:case_escalate": CASE_PAGE,
    "panels:case_transfer": CASE_PAGE,
    "panels:transition_decide": Page(
        "transition.viewed",
        lambda d: {"transition_id": d["transition"].pk},
        lambda d: ("panels.transition", str(d["transition"].pk)),
    ),
    "people:person_detail": Page("person.viewed", _person, _person_target),
    "people:person_merge": Page("person.viewed", _person, _person_target),
    "people:offence_create": Page("person.viewed", _person, _person_target),
    "people:place_detail": Page(
        "place.viewed",
        lambda d: {"reference": d["place"].reference},
        lambda d: ("people.place", str(d["place"].pk)),
    ),
    "casereview:review_list": Page("casereview.list_viewed", _none),
    "casereview:review_detail": Page("casereview.viewed", _review, _review_target),
    "casereview:complaint_add": Page("casereview.viewed", _review, _review_target),
    "casereview:acknowledge": Page("casereview.viewed", _review, _review_target),
    "casereview:threshold_decision": Page("casereview.viewed", _review, _review_target),
    "casereview:review_meeting": Page("casereview.viewed", _review, _review_target),
    "casereview:recommendation_add": Page("casereview.viewed", _review, _review_target),
    "meetings:my_actions": Page("action.list_viewed", _none),
    "meetings:panel_overdue": Page("action.list_viewed", lambda d: {"panel_id": d["panel"].pk}),
    "meetings:action_detail": Page(
        "action.viewed",
        lambda d: {"action_id": d["action"].pk},
        lambda d: ("meetings.action", str(d["action"].pk)),
    ),
    "meetings:meeting_detail": Page("meeting.viewed", _meeting, _meeting_target),
    "meetings:attendance_edit": Page("meeting.viewed", _meeting, _meeting_target),
    "meetings:minutes_edit": Page("meeting.viewed", _meeting, _meeting_target),
    "meetings:topic_add": Page("meeting.viewed", _meeting, _meeting_target),
    "meetings:case_action_create": Page("case.viewed", _case, _case_target),
    "meetings:meeting_action_create": Page("meeting.viewed", _meeting, _meeting_target),
    "meetings:decision_edit": Page("agenda_item.viewed", _item, _item_target),
    "meetings:action_create": Page("agenda_item.viewed", _item, _item_target),
    "meetings:minutes_pdf": Page("meeting.minutes_exported", _meeting, _meeting_target),
    "meetings:minutes_docx": Page("meeting.minutes_exported", _meeting, _meeting_target),
    "meetings:meeting_invitation": Page("meeting.viewed", _meeting, _meeting_target),
    "meetings:information_request_create": Page("meeting.viewed", _meeting, _meeting_target),
    "meetings:information_requests": Page("meeting.information_requests_viewed", _none),
    "meetings:information_request_detail": Page(
        "meeting.information_request_viewed",
        lambda d: {"request_id": d["information_request"].pk},
        lambda d: ("meetings.informationrequest", str(d["information_request"].pk)),
    ),
    "documents:case_documents": CASE_PAGE,
    "asb:assessment_new": _asb(),
    "asb:incident_new": _asb(),
    "asb:tool_new": _asb(),
    "asb:assessment_detail": _asb("asb_assessment", "assessment_id", "asb.riskassessment"),
    "asb:incident_edit": _asb("asb_incident", "incident_id", "asb.incident"),
    "asb:tool_edit": _asb("asb_tool", "tool_id", "asb.tooluse"),
    "asb:tool_letter_pdf": _asb("letter", "tool_id", "asb.tooluse"),
    "asb:tool_letter_docx": _asb("letter", "tool_id", "asb.tooluse"),
    "casereview:acknowledgement_pdf": _review_letter("review"),
    "casereview:acknowledgement_docx": _review_letter("review"),
    "casereview:outcome_pdf": _review_letter("held_review"),
    "casereview:outcome_docx": _review_letter("held_review"),
    "documents:person_documents": Page("person.viewed", _person, _person_target),
    "documents:item_documents": Page("agenda_item.viewed", _item, _item_target),
    "documents:download": Page("document.downloaded", _document, _document_target),
    "documents:remove": Page("document.viewed", _document, _document_target),
    "nrm:referral_list": Page("nrm.list_viewed", _none),
    "nrm:my_referrals": Page("nrm.list_viewed", _none),
    "nrm:return_xlsx": Page("nrm.return_exported", _none),
    "nrm:return_csv": Page("nrm.return_exported", _none),
    "nrm:referral_detail": NRM_REFERRAL,
    "nrm:referral_edit": NRM_REFERRAL,
    "nrm:decision_create": NRM_REFERRAL,
    "nrm:follow_up": NRM_REFERRAL,
    "nrm:minute_edit": NRM_DECISION,
    "nrm:reconsideration_create": NRM_DECISION,
    "nrm:audit_edit": NRM_DECISION,
    "nrm:audit_pack": Page(
        "nrm.audit_pack_exported",
        lambda d: {"decision_id": d["nrm_decision"].pk},
        lambda d: ("nrm.decision", str(d["nrm_decision"].pk)),
    ),
    "nrm:minute_pdf": _nrm("nrm_minute", "nrm.minute", "minute_id"),
}
REFUSALS = {
    "case.view_refused",
    "person.view_refused",
    "place.view_refused",
    "meeting.view_refused",
    "action.view_refused",
    "casereview.view_refused",
    "document.view_refused",
    "nrm.referral_view_refused",
}
# What a page may record beside its view: the possible matches it offered (references only).
ALSO_RECORDED = {"person.duplicates_offered"}


def _admin_page(label: str, key: str = "") -> Page:
    kwargs = (lambda d: {"object_id": d[key].pk}) if key else _none
    return Page("admin.viewed", kwargs, lambda d: (label, str(d[key].pk) if key else ""))


ADMIN_AUDITED: dict[str, Page] = {
    "admin:index": Page("admin.viewed", _none),
    "admin:app_list": Page("admin.viewed", lambda d: {"app_label": "accounts"}),
    "admin:accounts_agency_changelist": _admin_page("accounts.agency"),
    "admin:accounts_agency_add": _admin_page("accounts.agency"),
    "admin:accounts_agency_change": _admin_page("accounts.agency", "agency"),
    "admin:accounts_agency_history": _admin_page("accounts.agency", "agency"),
    "admin:accounts_agency_delete": _admin_page("accounts.agency", "agency"),
    "admin:accounts_user_changelist": _admin_page("accounts.user"),
    "admin:accounts_user_add": _admin_page("accounts.user"),
    "admin:accounts_user_change": _admin_page("accounts.user", "user"),
    "admin:accounts_user_history": _admin_page("accounts.user", "user"),
    "admin:accounts_user_delete": _admin_page("accounts.user", "user"),
    "admin:auth_user_password_change": Page(
        "admin.viewed",
        lambda d: {"id": d["user"].pk},
        lambda d: ("accounts.user", str(d["user"].pk)),
    ),
    "admin:audit_auditevent_changelist": _admin_page("audit.auditevent"),
    "admin:audit_auditevent_change": _admin_page("audit.auditevent", "event"),
    "admin:audit_auditevent_history": _admin_page("audit.auditevent", "event"),
}

# A payload value is an id, a reference, a page's URL name, a short code or a number.
_ID_SHAPES = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # a record's id
    r"|[A-Z]{1,3}-[0-9A-Z]{3,10}"  # a reference such as C-7K3Q9
    r"|[a-z]+:[a-z_]+"  # a page's URL name
    r"|[a-z0-9_-]{1,40}"  # a code, a slug or a filter's id
    r"|\d{4}-\d{2}-\d{2})$"  # a filter's date (never a date of birth: see below)
)


def _walk(
    resolver: URLResolver, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, entry.namespace or namespace, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            # An unnamed pattern (only the admin has them) goes by its route within its app.
            route = (prefix + str(entry.pattern)).split("/", 1)[1] if namespace == "admin" else ""
            name = entry.name or route
            yield (f"{namespace}:{name}" if namespace else str(name)), entry


def _patterns() -> list[tuple[str, URLPattern]]:
    return list(_walk(get_resolver()))


@pytest.mark.parametrize(
    ("audited", "not_audited", "admin"),
    [(AUDITED, NOT_AUDITED, False), (ADMIN_AUDITED, ADMIN_NOT_AUDITED, True)],
    ids=["service", "django-admin"],
)
def test_every_url_pattern_is_audited_or_listed_with_a_reason(audited, not_audited, admin):
    names = [name for name, _ in _patterns() if name.startswith("admin:") == admin]
    assert len(names) == len(set(names)), "two patterns share a name"
    unclassified = sorted(set(names) - set(audited) - set(not_audited))
    assert not unclassified, f"audit these pages or list them as not audited: {unclassified}"
    assert not set(audited) & set(not_audited)
    assert not (set(audited) | set(not_audited)) - set(names), "a listed pattern has gone"
    assert all(reason.strip() for reason in not_audited.values())


def test_the_django_admin_holds_no_case_person_or_meeting():
    from django.contrib import admin

    apps = {model._meta.app_label for model in admin.site._registry}
    assert apps <= {"accounts", "audit"}, apps


def _load_demo() -> None:
    out = StringIO()
    for dotted in settings.DEMO_LOADERS:
        if not dotted.startswith(
            "csphub.crime."
        ):  # aggregate figures: no page of theirs is audited
            import_string(dotted)(out)


def _demo_records() -> dict[str, Any]:
    # References are random: every choice is ordered by what the demo fixes (names, creation).
    flag = (
        CaseFlag.objects.filter(cleared_at__isnull=True)
        .select_related("case__panel")
        .order_by("created_at")
        .first()
    )
    assigned_case = (
        Case.objects.filter(assigned_practitioners__isnull=False).order_by("created_at").first()
    )
    item = AgendaItem.objects.filter(meeting__minutes__gt="").order_by("created_at").first()
    records = {
        "case": flag.case if flag else None,
        "flag": flag,
        "assigned_case": assigned_case,
        "assigned_user": (
            assigned_case.assigned_practitioners.order_by("email").first()
            if assigned_case
            else None
        ),
        "subject": CaseSubject.objects.filter(case__panel__slug="vip")
        .order_by("created_at")
        .first(),
        "transition": Transition.objects.exclude(from_panel=None).order_by("made_at").first(),
        # On a VIP case, so the police member may record an offence.
        "person": Person.objects.filter(merged_into=None, case_links__case__panel__slug="vip")
        .order_by("family_name", "given_name")
        .first(),
        "place": Place.objects.filter(case_links__isnull=False).order_by("name").first(),
        "item": item,
        "meeting": item.meeting if item else None,
        "action": Action.objects.filter(case__isnull=False).order_by("created_at").first(),
        "information_request": InformationRequest.objects.filter(answered_at__isnull=False)
        .order_by("created_at")
        .first(),
        "panel": Panel.objects.get(slug="vip"),
        "review": CaseReview.objects.order_by("applicant_name").first(),
        "held_review": CaseReview.objects.filter(review_held_on__isnull=False)
        .order_by("applicant_name")
        .first(),
        "asb_case": Case.objects.filter(asb_tools__isnull=False).order_by("created_at").first(),
        "user": User.objects.get(email="officer@met.demo"),
        "document": Document.objects.order_by("created_at").first(),
        "nrm_referral": NrmReferral.objects.filter(decisions__isnull=False)
        .order_by("received_on")
        .first(),
        "nrm_decision": NrmDecision.objects.order_by("decided_on", "kind").first(),
        "nrm_minute": NrmMinute.objects.order_by("decision__decided_on", "version").first(),
    }
    asb_case = records["asb_case"]
    records["asb_assessment"] = asb_case and asb_case.asb_assessments.order_by("number").first()
    records["asb_incident"] = asb_case and asb_case.asb_incidents.order_by("created_at").first()
    records["asb_tool"] = asb_case and asb_case.asb_tools.order_by("created_at").first()
    missing = [k for k, v in records.items() if v is None]
    assert not missing, f"the demo has no {missing}"
    return records


def _flat_strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _flat_strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _flat_strings(v)
    elif isinstance(value, str):
        yield value


def _personal_values() -> set[str]:
    values: set[str] = set()
    for p in Person.objects.all():
        values |= {p.given_name, p.family_name, p.address}
        values.add(p.date_of_birth.isoformat() if p.date_of_birth else "")
    for r in CaseReview.objects.all():
        values |= {r.applicant_name, r.applicant_address, r.applicant_phone, r.applicant_email}
    for u in User.objects.all():
        values |= {u.full_name, u.email}
    return {v for v in values if v}


def _assert_ids_only(event: AuditEvent, personal: set[str], where: str) -> None:
    for text in _flat_strings(event.payload):
        assert _ID_SHAPES.match(text), f"{where}: {text!r} in the payload is not an id"
        assert text not in personal, f"{where}: personal data {text!r} in the payload"


@pytest.mark.slow  # opens every page as every demo sign-in: over a minute
def test_every_audited_page_records_one_view_event_and_a_refusal_records_none(db, scanner):
    _load_demo()
    records = _demo_records()
    personal = _personal_values()
    personas = list(User.objects.filter(email__endswith=".demo").order_by("email"))
    clients = {user.pk: sign_in(Client(), user) for user in personas}
    problems: list[str] = []
    for name, page in AUDITED.items():
        url = reverse(name, kwargs=page.kwargs(records))
        before = AuditEvent.objects.count()
        if Client().get(url).status_code != 302 or AuditEvent.objects.count() != before:
            problems.append(f"{name}: an anonymous visitor was not sent to sign in unrecorded")
        shown = refused = 0
        for user in personas:
            before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
            response = clients[user.pk].get(url)
            events = list(AuditEvent.objects.filter(seq__gt=before or 0).order_by("seq"))
            where = f"{name} as {user.email} ({response.status_code})"
            if response.status_code == 200:
                shown += 1
                events = [e for e in events if e.verb not in ALSO_RECORDED]
                if [e.verb for e in events] != [page.verb]:
                    problems.append(f"{where}: {[e.verb for e in events]}, not [{page.verb}]")
                    continue
                event = events[0]
                if (event.target_type, event.target_id) != page.target(records):
                    problems.append(f"{where}: target {event.target_type}:{event.target_id}")
                if event.actor_id != user.pk or event.payload.get("page") != name:
                    problems.append(f"{where}: actor or page {event.payload.get('page')!r}")
                try:
                    _assert_ids_only(event, personal, where)
                except AssertionError as error:
                    problems.append(str(error))
            elif response.status_code in (403, 404):
                refused += 1
                wrong = [e.verb for e in events if e.verb not in REFUSALS or e.actor_id != user.pk]
                if wrong:
                    problems.append(f"{where}: a refused request recorded {wrong}")
            else:
                problems.append(f"{where}: unexpected status")
        if not shown:
            problems.append(f"{name}: no demo sign-in may see it")
        if not refused:
            problems.append(f"{name}: no demo sign-in is refused it")
    assert not problems, "\n".join(problems)


def test_every_admin_page_records_one_view_event_and_a_refused_visit_none(db, make_user):
    from csphub.accounts.roles import CSP_ADMIN
    from csphub.audit import record
    from tests.factories import AgencyFactory

    superuser = make_user(is_superuser=True, is_staff=True)
    refused = make_user(CSP_ADMIN)  # not a superuser: sent to sign in
    records = {
        "agency": AgencyFactory(name="Bexley Housing"),
        "user": make_user(),
        "event": record(verb="case.viewed", target=("panels.case", "rec-plover")),
    }
    clients = {user: sign_in(Client(), user) for user in (superuser, refused)}
    problems = []
    for name, page in ADMIN_AUDITED.items():
        url = reverse(name, kwargs=page.kwargs(records))
        for user, client in clients.items():
            before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
            response = client.get(url)
            events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
            where = f"{name} ({response.status_code})"
            if user == refused:
                if response.status_code != 302 or events:
                    problems.append(f"{where} refused: {[e.verb for e in events]}")
                continue
            if response.status_code != 200 or [e.verb for e in events] != ["admin.viewed"]:
                problems.append(f"{where}: {[e.verb for e in events]}")
                continue
            event = events[0]
            if (event.target_type, event.target_id) != page.target(records):
                problems.append(f"{where}: target {event.target_type}:{event.target_id}")
            if (event.actor_id, event.payload) != (superuser.pk, {"page": name}):
                problems.append(f"{where}: actor or payload {event.payload}")
    assert not problems, "\n".join(problems)
