"""What each role is shown and granted, as literal values: the app registry must reproduce them.

Navigation, home cards and role permissions are contributed by each app from its AppConfig;
these snapshots hold the assembled result to what it was when they were named in core/ and
accounts/, so a registration that goes missing, moves or reorders shows here.
"""

import re

import pytest
from django.urls import reverse

from csphub.accounts.roles import (
    ANALYST,
    COORDINATOR,
    CSP_ADMIN,
    DPO,
    EXECUTIVE,
    PRACTITIONER,
    ROLES,
    Role,
    opens_personal_data,
)

NAV_LINK = re.compile(
    r'<a class="govuk-service-navigation__link" href="([^"]+)"( aria-current="page")?>'
    r"(?:<strong[^>]*>)?([^<]+)<"
)
CARD = re.compile(r'<div class="govuk-grid-column-one-half">(.*?)\n  </div>', re.S)
CARD_TITLE = re.compile(
    r'<h2 class="govuk-heading-m">(?:<a class="govuk-link" href="([^"]+)">)?([^<]+)<'
)
SUMMARY_ROW = re.compile(
    r'<dt class="govuk-summary-list__key">([^<]+)</dt><dd class="govuk-summary-list__value">([^<]+)<'
)
EMPTY = re.compile(r'<div class="csphub-empty-state"><p[^>]*>([^<]+)</p>')

HOME = ("Home", "/")
CRIME = ("Crime figures", "/crime/")
CASES = ("Cases", "/cases/")
PANELS = ("Panels", "/panels/")
MEETINGS = ("Meetings", "/meetings/")
ACTIONS = ("Your actions", "/meetings/actions/")
REVIEWS = ("ASB case reviews", "/case-reviews/")
NRM = ("NRM decisions", "/nrm/")
NRM_TIMES = ("NRM decision times", "/nrm/figures/")
PLAN = ("Action plan", "/action-plan/")
USERS = ("Users", "/accounts/users/")
AGENCIES = ("Agencies", "/accounts/agencies/")
AUDIT = ("Audit trail", "/audit/")
DATA_PROTECTION = ("Data protection", "/data-protection/anomalies/")
FUNDING = ("Funding", "/funding/")
COMMUNITY = ("Community activity", "/community/")
SNA = ("Needs assessment", "/sna/")
PARTNER_DATA = ("Partner data", "/partner-data/")
REPORT = ("Annual report", "/reports/annual/")

NOTES = ("Notifications", "/notifications/")

NAVIGATION = {
    CSP_ADMIN: [
        HOME,
        CRIME,
        PANELS,
        REVIEWS,
        PLAN,
        FUNDING,
        COMMUNITY,
        SNA,
        PARTNER_DATA,
        REPORT,
        NOTES,
        USERS,
        AGENCIES,
    ],
    ANALYST: [HOME, CRIME, PANELS, PLAN, FUNDING, COMMUNITY, SNA, PARTNER_DATA, REPORT, NOTES],
    COORDINATOR: [
        HOME,
        CRIME,
        CASES,
        PANELS,
        MEETINGS,
        ACTIONS,
        REVIEWS,
        NRM,
        NRM_TIMES,
        PLAN,
        FUNDING,
        COMMUNITY,
        NOTES,
    ],
    PRACTITIONER: [HOME, CASES, PANELS, MEETINGS, ACTIONS, NRM, PLAN, FUNDING, COMMUNITY, NOTES],
    EXECUTIVE: [
        HOME,
        CRIME,
        PANELS,
        NRM_TIMES,
        PLAN,
        FUNDING,
        COMMUNITY,
        SNA,
        PARTNER_DATA,
        REPORT,
        NOTES,
    ],
    DPO: [HOME, PLAN, FUNDING, COMMUNITY, NOTES, AUDIT, DATA_PROTECTION],
    "no role": [HOME, PLAN, FUNDING, COMMUNITY, NOTES],
    "superuser": [
        HOME,
        CRIME,
        CASES,
        PANELS,
        MEETINGS,
        ACTIONS,
        REVIEWS,
        NRM,
        NRM_TIMES,
        PLAN,
        FUNDING,
        COMMUNITY,
        SNA,
        PARTNER_DATA,
        REPORT,
        NOTES,
        USERS,
        AGENCIES,
        AUDIT,
        DATA_PROTECTION,
    ],
}

CRIME_CARD = (
    "Crime figures and hot spots",
    "/crime/",
    "Police recorded crime for the borough, its BCU and London will appear here once an "
    "analyst has imported data.",
)
CASES_CARD = (
    "Your cases",
    "/cases/",
    [("Open cases you can see", "0"), ("Cases due for review", "0")],
)
ACTIONS_CARD = (
    "Meetings and your actions",
    "/meetings/actions/",
    [("Your overdue actions", "0"), ("Your open actions", "0")],
)
REVIEWS_CARD = (
    "ASB case reviews",
    "/case-reviews/",
    [("Applications in progress", "0"), ("With a step overdue", "0")],
)
NRM_CARD = (
    "NRM decisions",
    "/nrm/",
    "Children&#x27;s referrals to the National Referral Mechanism and their decisions.",
)
PLAN_CARD = (
    "Violence and vulnerability action plan",
    "/action-plan/",
    "The partnership&#x27;s VVRAP: its actions, quarterly updates and RAG returns.",
)
USERS_CARD = (
    "Users and agencies",
    "/accounts/users/",
    "Add partner agencies and the people who work with the partnership.",
)
AUDIT_CARD = (
    "Audit trail",
    "/audit/",
    "Every sign-in and every view or export of a person&#x27;s record.",
)

CARDS = {
    CSP_ADMIN: [CRIME_CARD, REVIEWS_CARD, PLAN_CARD, USERS_CARD],
    ANALYST: [CRIME_CARD, PLAN_CARD],
    COORDINATOR: [CRIME_CARD, CASES_CARD, ACTIONS_CARD, REVIEWS_CARD, NRM_CARD, PLAN_CARD],
    PRACTITIONER: [CASES_CARD, ACTIONS_CARD, NRM_CARD, PLAN_CARD],
    EXECUTIVE: [CRIME_CARD, PLAN_CARD],
    DPO: [PLAN_CARD, AUDIT_CARD],
    "no role": [PLAN_CARD],
    "superuser": [
        CRIME_CARD,
        CASES_CARD,
        ACTIONS_CARD,
        REVIEWS_CARD,
        NRM_CARD,
        PLAN_CARD,
        USERS_CARD,
        AUDIT_CARD,
    ],
}

PERMISSIONS = {
    CSP_ADMIN: {
        "accounts.manage_agencies",
        "accounts.manage_users",
        "casereview.configure_threshold",
        "casereview.manage_reviews",
        "casereview.view_review_counts",
        "crime.view_figures",
        "crime.view_hotspots",
        "funding.manage_funding",
        "funding.record_figures",
        "panels.manage_panels",
        "panels.view_panel_dashboard",
        "panels.view_panels",
        "reports.build_annual",
        "reports.sign_off_annual",
        "reports.view_annual",
        "vvrap.manage_plan",
        "vvrap.read_board_minutes",
        "partnerdata.view_extracts",
        "sna.read_assessment",
        "sna.read_summary",
    },
    ANALYST: {
        "partnerdata.import_extracts",
        "partnerdata.view_extracts",
        "sna.build_assessment",
        "sna.read_assessment",
        "sna.read_summary",
        "crime.download_figures",
        "crime.import_data",
        "crime.view_figures",
        "crime.view_hotspots",
        "panels.view_panel_dashboard",
        "panels.view_panels",
        "reports.build_annual",
        "reports.view_annual",
    },
    COORDINATOR: {
        "casereview.manage_reviews",
        "casereview.reveal_applicant",
        "casereview.view_review_counts",
        "community.record_activity",
        "crime.view_figures",
        "crime.view_hotspots",
        "funding.record_figures",
        "meetings.run_meetings",
        "meetings.view_actions",
        "meetings.view_meetings",
        "nrm.refer_nrm",
        "nrm.run_nrm",
        "nrm.view_nrm",
        "nrm.view_nrm_figures",
        "panels.coordinate",
        "panels.export_cases",
        "panels.refer",
        "panels.view_cases",
        "panels.view_panel_dashboard",
        "panels.view_panels",
        "people.merge",
        "people.reveal_identity",
        "people.search_signpost",
        "documents.attach_documents",
    },
    PRACTITIONER: {
        "community.record_activity",
        "funding.record_figures",
        "meetings.view_actions",
        "meetings.view_meetings",
        "nrm.refer_nrm",
        "nrm.sign_off_nrm",
        "nrm.view_nrm",
        "panels.record_offending",
        "panels.refer",
        "panels.view_cases",
        "panels.view_panels",
        "people.reveal_identity",
        "people.search_signpost",
        "documents.attach_documents",
    },
    EXECUTIVE: {
        "casereview.view_review_counts",
        "crime.download_figures",
        "crime.view_figures",
        "crime.view_hotspots",
        "nrm.view_nrm_figures",
        "panels.view_panel_dashboard",
        "panels.view_panels",
        "reports.view_annual",
        "vvrap.read_board_minutes",
        "partnerdata.view_extracts",
        "sna.read_assessment",
        "sna.read_summary",
    },
    DPO: {
        "audit.export_audit",
        "audit.view_audit",
        "governance.export_subject_access",
        "governance.view_anomalies",
    },
}

OPENING_NO_PERSONAL_DATA = {
    "accounts.manage_agencies",
    "casereview.configure_threshold",
    "casereview.view_review_counts",
    "community.record_activity",
    "crime.download_figures",
    "crime.import_data",
    "crime.view_figures",
    "crime.view_hotspots",
    "nrm.view_nrm_figures",
    "funding.manage_funding",
    "funding.record_figures",
    "panels.manage_panels",
    "panels.view_panel_dashboard",
    "panels.view_panels",
    "reports.build_annual",
    "reports.sign_off_annual",
    "reports.view_annual",
    "vvrap.manage_plan",
    "vvrap.read_board_minutes",
    "partnerdata.import_extracts",
    "partnerdata.view_extracts",
    "sna.build_assessment",
    "sna.read_assessment",
    "sna.read_summary",
}


@pytest.fixture
def user_in(make_user):
    def make(who):
        if who == "superuser":
            return make_user(is_superuser=True)
        return make_user() if who == "no role" else make_user(who)

    return make


@pytest.fixture
def home_page(client_for, user_in, settings, tmp_path):
    settings.DATA_DIR = tmp_path  # no crime warehouse: the crime card shows its empty state

    def get(who):
        return client_for(user_in(who)).get(reverse("core:home")).content.decode()

    return get


@pytest.mark.parametrize("who", list(NAVIGATION))
def test_each_role_is_shown_the_same_navigation_in_the_same_order(home_page, who):
    links = NAV_LINK.findall(home_page(who))
    assert [(label, url) for url, _, label in links] == NAVIGATION[who]
    assert [label for _, current, label in links if current] == ["Home"]


def test_the_current_area_is_marked_in_the_navigation(client_for, user_in):
    page = client_for(user_in(PRACTITIONER)).get("/meetings/actions/").content.decode()
    links = NAV_LINK.findall(page)
    # "Meetings" is a prefix of "Your actions": both are marked, as they always were.
    assert [label for _, current, label in links if current] == ["Meetings", "Your actions"]


@pytest.mark.parametrize("who", list(CARDS))
def test_each_role_is_shown_the_same_home_cards_in_the_same_order(home_page, who):
    cards = []
    for block in CARD.findall(home_page(who)):
        url, title = CARD_TITLE.search(block).groups()
        rows = SUMMARY_ROW.findall(block)
        cards.append((title, url, rows if rows else EMPTY.search(block).group(1)))
    assert cards == CARDS[who]


def test_each_role_holds_the_same_permissions():
    assert {key: set(role.permissions) for key, role in ROLES.items()} == PERMISSIONS
    assert [(key, role.label) for key, role in ROLES.items()] == [
        (CSP_ADMIN, "CSP administrator"),
        (ANALYST, "Analyst"),
        (COORDINATOR, "Panel co-ordinator"),
        (PRACTITIONER, "Practitioner"),
        (EXECUTIVE, "Executive"),
        (DPO, "Data protection officer"),
    ]


def test_the_same_permissions_open_no_personal_data():
    everything = {perm for perms in PERMISSIONS.values() for perm in perms}

    def alone(perm):
        return Role("probe", "Probe", "", False, frozenset({perm}))

    assert {p for p in everything if not opens_personal_data(alone(p))} == OPENING_NO_PERSONAL_DATA
