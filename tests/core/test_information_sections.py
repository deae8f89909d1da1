"""Apps add sections to core's information pages; core names no app to do it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from csphub.core import registry


def test_the_privacy_notice_carries_the_retention_section_an_app_registered():
    sections = registry.information_sections("privacy")
    assert [s.template for s in sections] == ["governance/privacy_retention.html"]


def test_a_section_for_a_page_core_does_not_have_is_refused():
    with pytest.raises(ImproperlyConfigured, match="No information page 'cookies'"):
        registry.register_information_section(
            "governance", page="cookies", order=1, template="x.html", context=dict
        )


def test_a_second_section_at_a_taken_order_is_refused():
    with pytest.raises(ImproperlyConfigured, match="privacy section order 100 is taken"):
        registry.register_information_section(
            "audit", page="privacy", order=100, template="other.html", context=dict
        )
