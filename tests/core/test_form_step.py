"""`form_step`, the one flow every form page takes: what a service answers reaches the user the
same way on every page."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.signals import template_rendered

from csphub.core.concurrency import EditConflict
from csphub.core.editing import conflict_message, form_step
from csphub.core.errors import ServiceError
from csphub.core.forms import GovUKForm, VersionedForm
from csphub.panels.models import Panel
from tests.factories import PanelFactory


class NoteForm(GovUKForm):
    text = forms.CharField()


class PanelNameForm(VersionedForm):
    name = forms.CharField()


def _step(data: dict[str, Any] | None, save: Any, **options: Any) -> HttpResponse:
    """Run the step on a request posting DATA (a GET without); the response carries the
    context its page was rendered with, as the test client's would."""
    factory = RequestFactory()
    request = factory.post("/", data) if data is not None else factory.get("/")
    request.user = AnonymousUser()
    contexts: list[Any] = []

    def rendered(sender: Any, context: Any, **kwargs: Any) -> None:
        contexts.append(context)

    template_rendered.connect(rendered)
    try:
        response = _run(request, save, **options)
    finally:
        template_rendered.disconnect(rendered)
    response.context = contexts[0] if contexts else None  # type: ignore[attr-defined]
    return response


def _run(request: Any, save: Any, **options: Any) -> HttpResponse:
    return form_step(
        request,
        form_class=options.pop("form_class", NoteForm),
        save=save,
        saved=lambda result: HttpResponse(f"saved {result}", status=302),
        template="core/form_page.html",
        context={"title": "A step"},
        **options,
    )


def _raises(error: Exception) -> Any:
    def save(data: dict[str, Any], version: int | None) -> None:
        raise error

    return save


def test_a_valid_post_takes_the_step_and_an_invalid_one_does_not():
    taken: list[tuple[dict[str, Any], int | None]] = []

    def save(data: dict[str, Any], version: int | None) -> str:
        taken.append((data, version))
        return "it"

    assert _step(None, save).status_code == 200
    assert _step({"text": ""}, save).status_code == 200
    assert not taken
    response = _step({"text": "Seen at school"}, save)
    assert (response.status_code, response.content) == (302, b"saved it")
    assert taken == [({"text": "Seen at school"}, None)]


def test_a_service_refusal_goes_on_the_field_it_names_or_at_the_top():
    on_field = _step({"text": "x"}, _raises(ServiceError({"text": "Say more than that"})))
    assert on_field.status_code == 200
    assert on_field.context["form"].errors == {"text": ["Say more than that"]}
    at_top = _step({"text": "x"}, _raises(ServiceError("The case is closed")))
    assert at_top.context["form"].non_field_errors() == ["The case is closed"]
    # A field the form does not have is named at the top, never lost.
    elsewhere = _step({"text": "x"}, _raises(ServiceError({"owner": "Choose someone else"})))
    assert elsewhere.context["form"].non_field_errors() == ["Choose someone else"]
    assert 'value="x"' in at_top.content.decode()  # what they typed is kept


def test_a_refusal_of_who_is_asking_is_the_pages_refusal_or_a_403():
    refused = _step(
        {"text": "x"},
        _raises(PermissionDenied("Only the co-ordinator can")),
        refused=lambda error: HttpResponse(str(error), status=403),
    )
    assert (refused.status_code, refused.content) == (403, b"Only the co-ordinator can")
    with pytest.raises(PermissionDenied):
        _step({"text": "x"}, _raises(PermissionDenied()))


def test_a_step_that_lost_a_race_is_a_409_with_the_one_conflict_message():
    lost = _step({"text": "x"}, _raises(EditConflict(current_version=3)), noun="case")
    assert lost.status_code == 409
    assert lost.context["form"].non_field_errors() == [conflict_message("case")]
    told = EditConflict(current_version=0)
    told.message = "This referral has already been accepted by someone else."  # type: ignore[attr-defined]
    said = _step({"text": "x"}, _raises(told))
    assert said.status_code == 409
    assert said.context["form"].non_field_errors() == [told.message]  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_an_edit_of_a_record_saved_since_shows_what_is_saved_now():
    panel = PanelFactory(name="Violence Intervention Panel")
    loaded = panel.version
    Panel.objects.filter(pk=panel.pk).update(name="VIP", version=loaded + 1)

    def step(data: dict[str, Any], save: Any) -> HttpResponse:
        return _step(
            data,
            save,
            form_class=PanelNameForm,
            obj=Panel.objects.get(pk=panel.pk),  # read for this request, as a page reads it
            initial=lambda p: {"name": p.name},
            noun="panel",
        )

    # The service finds the version moved on (as save_if_unchanged does).
    response = step(
        {"name": "Violence Panel", "version": loaded}, _raises(EditConflict(loaded + 1))
    )
    assert response.status_code == 409
    assert response.context["conflict"] == [("Name", "VIP")]
    assert response.context["form"].non_field_errors() == [conflict_message("panel")]
    page = response.content.decode()
    assert f'name="version" value="{loaded + 1}"' in page and 'value="Violence Panel"' in page
    # A stale form that is invalid too is refused as stale, before anything is asked.
    asked: list[Any] = []
    invalid = step({"name": "", "version": loaded}, lambda d, v: asked.append(v))
    assert invalid.status_code == 409 and not asked
    # Saving again from the conflict page is a knowing overwrite, at the version now saved.
    again = step({"name": "Violence Panel", "version": loaded + 1}, lambda d, v: asked.append(v))
    assert again.status_code == 302 and asked == [loaded + 1]
