"""The case-sections hook: apps add sections to the case page without panels importing them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from csphub.panels import sections


@pytest.fixture
def hooked(monkeypatch):
    """The registry emptied for the test, and restored after it."""
    monkeypatch.setattr(sections, "_sections", {})
    return sections


def test_sections_are_drawn_in_order_and_a_none_context_is_not_drawn(hooked, world):
    hooked.register_case_section("b", order=20, template="b.html", context=lambda u, c: {"n": 2})
    hooked.register_case_section("a", order=10, template="a.html", context=lambda u, c: {"n": 1})
    hooked.register_case_section("c", order=30, template="c.html", context=lambda u, c: None)
    shown = hooked.case_sections_for(world.owner, world.case)
    assert [(s.template, s.context) for s in shown] == [("a.html", {"n": 1}), ("b.html", {"n": 2})]


def test_an_order_taken_by_another_app_is_refused(hooked):
    hooked.register_case_section("a", order=10, template="a.html", context=lambda u, c: None)
    with pytest.raises(ImproperlyConfigured, match="'a'"):
        hooked.register_case_section("b", order=10, template="b.html", context=lambda u, c: None)


def test_a_registered_section_appears_on_the_case_page(
    hooked, world, client_for, tmp_path, settings
):
    template = tmp_path / "hooked_section.html"
    template.write_text("<p>Hooked section for {{ section.reference }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0].get("DIRS", []), tmp_path]}
    ]
    hooked.register_case_section(
        "x",
        order=5,
        template="hooked_section.html",
        context=lambda u, c: {"reference": c.reference},
    )
    page = client_for(world.owner).get(reverse("panels:case_detail", args=[world.case.pk]))
    assert f"Hooked section for {world.case.reference}" in page.content.decode()
