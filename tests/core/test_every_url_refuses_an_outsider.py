"""No page shows an outsider another agency's records: every URL pattern the project mounts,
walked from the resolver (as the anonymous sweep in test_every_url_needs_sign_in.py is), is
opened by a signed-in practitioner of a school that sits on no panel and has no part in any case.

Each pattern's parameters are filled with real records of the partnership (a case with a person,
a place and a flag on it, a referral awaiting its decision, a meeting with an agenda item and an
action, an ASB case review), so a refusal is about who asked, not about a missing record. Every
page must refuse (403 or 404, or 405 for a form that only takes a POST), or answer without a
word of those records: the names, references and text a page about them would show. A new URL
is swept the moment it exists; one that cannot be is listed in EXEMPT with the reason.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.core.test_every_service_refuses_an_outsider import partnership  # noqa: F401
from tests.core.test_every_url_needs_sign_in import ROUTES
from tests.nrm import sweep as nrm_sweep
from tests.sna import sweep as sna_sweep

#: Patterns not swept, and why.
EXEMPT = {
    "accounts:password_reset_confirm": "reached with a one-time token from an e-mail, not by a "
    "signed-in user; the anonymous sweep and tests/accounts cover it",
    "accounts:invitation": "reached with a one-time token from an invitation e-mail, not by a "
    "signed-in user; the anonymous sweep and tests/accounts/test_invitations.py cover it",
    "accounts:invitation_set_password": "answers only a session holding an invitation's "
    "token (410 otherwise); tests/accounts/test_invitations.py covers it",
    "accounts:logout": "signs the outsider out (the sweep's other pages need them signed in)",
}

REFUSED = (403, 404, 405)


def _kwargs(p: SimpleNamespace) -> dict[str, str]:
    """Each URL parameter name the project uses, as one of the partnership's records."""
    return {
        "agency_id": str(p.childrens.id),
        "request_id": str(p.grant_request.id),
        "user_id": str(p.owner.id),
        "review_id": str(p.review.id),
        "meeting_id": str(p.meeting.id),
        "item_id": str(p.item.id),
        "action_id": str(p.action.id),
        "panel_id": str(p.vip.id),
        "case_id": str(p.case.id),
        "flag_id": str(p.flag.id),
        "subject_id": str(p.place_link.id),
        "slug": p.vip.slug,
        "membership_id": str(p.membership.id),
        "transition_id": str(p.transition.id),
        "document_id": str(p.document.id),
        **nrm_sweep.url_kwargs(p),
        **sna_sweep.url_kwargs(p),
        "plan_id": str(p.plan.id),
        "entry_id": str(p.plan_item.id),
        "update_id": str(p.plan_update.id),
        "event_id": str(p.tasking_event.id),
        "template_id": str(p.plan.template_id),
        "grant_id": str(p.grant.id),
        "funded_item_id": str(p.funded_item.id),
        "activity_id": str(p.activity.id),
        "year": "2025",
        "quarter": "1",
        "assessment_id": str(p.asb_assessment.id),
        "incident_id": str(p.asb_incident.id),
        "tool_id": str(p.asb_tool.id),
        "report_id": str(p.annual_report.id),
        "section": "crime",
    }


def _secrets(p: SimpleNamespace) -> list[str]:
    """What a page about the partnership's records would show."""
    return [
        p.person.given_name,
        p.person.family_name,
        p.person.reference,
        p.case.reference,
        p.place.name,
        p.place.reference,
        p.flag.reason,
        p.action.description,
        p.review.applicant_name,
        p.review.problem_summary,
        "Amara",  # the person on the referral awaiting its decision
        p.document.original_name,
        *nrm_sweep.secrets(p),
        *sna_sweep.secrets(p),
        p.plan_update.narrative,  # a VVRAP update not yet returned: its lead's and the manager's
        "7654.32",  # the funded item's spend, before a return publishes it
        "7,654.32",  # the same, as pages show it
        p.asb_case.reference,
        p.asb_incident.description,
        p.asb_tool.recipient_name,
    ]


def _url(name: str, route: str, p: SimpleNamespace) -> str:
    values = _kwargs(p)
    values["reference"] = p.place.reference if "places/" in route else p.person.reference
    if route.startswith("asb/"):
        values["case_id"] = str(p.asb_case.id)  # ASB casework is on an ASB panel's case
    needed = re.findall(r"<(?:\w+:)?(\w+)>", route)
    unknown = [k for k in needed if k not in values]
    assert not unknown, f"{name}: give _kwargs a record for the URL parameter(s) {unknown}"
    return reverse(name, kwargs={k: values[k] for k in needed})


SWEPT = [(name, route) for name, route in ROUTES if name not in EXEMPT]


def test_every_exemption_names_a_pattern_that_exists():
    assert set(EXEMPT) <= {name for name, _ in ROUTES}


@pytest.mark.parametrize(("name", "route"), SWEPT)
def test_an_outsider_is_refused_or_shown_none_of_the_records(client_for, partnership, name, route):  # noqa: F811
    client = client_for(partnership.outsider)
    url = _url(name, route, partnership)
    response = client.get(url)
    if response.status_code in REFUSED:
        return
    assert response.status_code in (200, 302), f"{name} answered {response.status_code}"
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", "replace")
    shown = [s for s in _secrets(partnership) if s and s in text]
    assert not shown, f"{name} ({url}) showed an outsider {shown}"
