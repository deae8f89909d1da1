"""A person's page (pseudonymous unless revealed), places, merging and the signpost search.

These pages show a person or a place with their cases and offences, so they are panels' (the
people app keeps the records and sits below panels); their URLs keep the `people` namespace
(`csphub.panels.people_urls`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page
from csphub.core.access import requires_permission
from csphub.core.editing import form_step
from csphub.core.errors import ServiceError
from csphub.panels.lookup import person_for, place_for
from csphub.panels.reports import person_offending
from csphub.panels.selectors import case_links_visible_to, may_record_offending, may_see_offences
from csphub.panels.services import SignpostLimitReached, do_signpost_search
from csphub.people import services
from csphub.people.forms import MergeForm, SignpostForm
from csphub.people.geography import APPROXIMATE_NOTE
from csphub.people.models import Person
from csphub.people.selectors import (
    may_merge,
    may_reveal,
    people_visible_to,
    survivor_visible_to,
)


def _person_page(
    request: AuthedRequest, person: Person, *, revealed: bool, reveal_error: str = ""
) -> HttpResponse:
    links = case_links_visible_to(request.user, person=person)
    first = links.first()
    pivot = timezone.localdate(first.case.referred_at) if first else None
    show_offences = may_see_offences(request.user, person, revealed=revealed)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "links": links,
            "revealed": revealed,
            "can_reveal": may_reveal(request.user, person),
            "can_merge": may_merge(request.user, person),
            "can_record_offence": may_record_offending(request.user),
            "pivot": pivot,
            "show_offences": show_offences,
            "offending": person_offending(person.pk, pivot) if pivot and show_offences else None,
            "offences": person.offences.all() if show_offences else None,
            "age": person.age_on(timezone.localdate()),
            "reveal_error": reveal_error,
        },
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.PERSON_VIEWED, "people.person", "reference", by="reference")
def person_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    survivor = survivor_visible_to(request.user, reference)
    if survivor is not None:  # an old reference still leads to the record, for those entitled
        messages.info(request, f"{reference} was merged into {survivor.reference}.")
        return redirect("people:person_detail", reference=survivor.reference)
    person, _ = person_for(request, reference)
    return _person_page(request, person, revealed=False)


@require_POST
@requires_permission("people.reveal_identity")
def person_reveal(request: AuthedRequest, reference: str) -> HttpResponse:
    """Show the identifying fields; POST so that a reveal is a deliberate, audited act."""
    person, _ = person_for(request, reference)
    if not may_reveal(request.user, person):
        raise PermissionDenied
    try:
        services.do_reveal_person(
            actor=request.user,
            person=person,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ServiceError as error:
        message = error.message_dict.get("reason", error.messages)[0]
        return _person_page(request, person, revealed=False, reveal_error=message)
    return _person_page(request, person, revealed=True)


@requires_permission("people.merge")
@audited_page(verbs.PERSON_VIEWED, "people.person", "reference", by="reference")
def person_merge(request: AuthedRequest, reference: str) -> HttpResponse:
    person, _ = person_for(request, reference)
    if not may_merge(request.user, person):
        raise PermissionDenied

    def save(data: dict[str, Any], _: int | None) -> Person:
        other = (
            people_visible_to(request.user)
            .filter(reference=data["other_reference"].strip().upper())
            .first()
        )
        if other is None or other.pk == person.pk or not may_merge(request.user, other):
            raise ServiceError(
                {"other_reference": "Enter the reference of another record on your panels"}
            )
        try:
            services.do_merge_people(
                actor=request.user,
                surviving=person,
                merged=other,
                reason=data["reason"],
                request=request,
            )
        except PermissionDenied as error:
            raise ServiceError(str(error)) from None  # these two records, not who is asking
        return other

    def saved(other: Person) -> HttpResponse:
        messages.success(request, f"{other.reference} merged into {person.reference}.")
        return redirect("people:person_detail", reference=person.reference)

    return form_step(
        request,
        form_class=MergeForm,
        save=save,
        saved=saved,
        template="people/merge.html",
        context={"person": person},
    )


@requires_permission("panels.view_cases")
@audited_page(verbs.PLACE_VIEWED, "people.place", "reference", by="reference")
def place_detail(request: AuthedRequest, reference: str) -> HttpResponse:
    place, _ = place_for(request, reference)
    links = case_links_visible_to(request.user, place=place)
    return render(
        request,
        "people/place_detail.html",
        {"place": place, "links": links, "ward_note": APPROXIMATE_NOTE},
    )


@requires_permission("people.search_signpost")
def signpost(request: AuthedRequest) -> HttpResponse:
    """POST only for the search itself: names must never travel in a URL. Beyond the hour's
    allowance the search is refused (429) with what was typed kept in the form."""
    form = SignpostForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            result = do_signpost_search(actor=request.user, request=request, **form.cleaned_data)
        except SignpostLimitReached as limit:
            form.add_error(None, limit.message)
            status = 429
    return render(
        request,
        "people/signpost.html",
        {"form": form, "result": result, "per_user": settings.SIGNPOST_SEARCHES_PER_USER},
        status=status,
    )
