"""The agency form refuses a stale save (409) and changes nothing."""

from django.urls import reverse

from csphub.accounts.roles import CSP_ADMIN
from tests.stale_saves import row, save_both


def test_an_agency_saved_over_by_an_older_form_is_refused(client_for, make_user, police):
    save_both(
        client_for(make_user(CSP_ADMIN, agency=police)),
        client_for(make_user(CSP_ADMIN, agency=police)),
        reverse("accounts:agency_edit", args=[police.pk]),
        {"name": "Metropolitan Police Service", "kind": "police", "is_active": "on"},
        {"name": "Met Police", "kind": "police", "is_active": ""},
        lambda: row(police),
    )
    police.refresh_from_db()
    assert (police.name, police.is_active) == ("Metropolitan Police Service", True)
