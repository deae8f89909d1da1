"""The search page: a GET form (`q`), so a search can be bookmarked; audited by a keyed hash of
the terms and the number of results, never the terms themselves."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from csphub.accounts.types import AuthedRequest
from csphub.audit.pages import audited_page, note
from csphub.search import verbs
from csphub.search.selectors import may_search, search
from csphub.search.terms import MAX_LENGTH, parse, terms_hash


@login_required
@audited_page(verbs.SEARCHED)
def results(request: AuthedRequest) -> HttpResponse:
    if not may_search(request.user):
        raise PermissionDenied
    terms = parse(request.GET.get("q", ""))
    found = search(request.user, terms)
    if not terms.empty:
        note(request, terms_hash=terms_hash(terms, settings.SECRET_KEY), results=found.count)
    response = render(
        request,
        "search/results.html",
        {"terms": terms, "found": found, "max_length": MAX_LENGTH},
    )
    add_never_cache_headers(response)  # the page holds what was searched for
    return response
