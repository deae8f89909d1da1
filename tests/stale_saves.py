"""Load an edit form twice, save both: the second, stale save must be a 409 that changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.test import Client

VERSION_INPUT = re.compile(r'<input type="hidden" name="version" value="(\d+)"')
CONFLICT_TEXT = "Someone else saved this"


def loaded_version(client: Client, url: str) -> int:
    """The version the edit form at URL carries in its hidden input, as a browser would load it."""
    response = client.get(url)
    assert response.status_code == 200, url
    found = VERSION_INPUT.findall(response.content.decode())
    assert len(found) == 1, f"the form at {url} carries the version it was loaded with"
    return int(found[0])


def row(obj: Any) -> dict[str, Any]:
    """The stored state of OBJ, read afresh."""
    return model_to_dict(type(obj)._default_manager.get(pk=obj.pk))


def save_both(
    first: Client,
    second: Client,
    url: str,
    first_data: dict[str, Any],
    second_data: dict[str, Any],
    state: Callable[[], object],
) -> HttpResponse:
    """FIRST and SECOND open URL; FIRST saves, then SECOND saves the form it had open.

    Asserts the second save is refused with a 409 and a clear message, and that STATE (what
    the save would have changed) is as the first save left it. Returns the refused response.
    """
    first_version, second_version = loaded_version(first, url), loaded_version(second, url)
    assert first_version == second_version
    saved = first.post(url, {**first_data, "version": first_version})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    after_first = state()
    refused = second.post(url, {**second_data, "version": second_version})
    assert refused.status_code == 409, refused.content.decode()[:2000]
    page = refused.content.decode()
    assert CONFLICT_TEXT in page and "after you opened it" in page
    assert "your changes were not saved" in page
    assert state() == after_first
    return refused
