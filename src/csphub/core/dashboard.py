"""The home dashboard: one card per area a user's roles open, with an honest empty state.

Apps register their cards from their AppConfig.ready() (`csphub.core.registry`), with the
permission that opens them and a callable giving the figures; until an area has data its card
says what will appear.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from csphub.core import registry


def cards_for(user: Any) -> list[dict[str, Any]]:
    cards = []
    for card in registry.dashboard_cards():
        if card.permission and not user.has_perm(card.permission):
            continue
        try:
            url = reverse(card.url_name)
        except NoReverseMatch:
            url = None
        cards.append(
            {
                "title": card.title,
                "url": url,
                "empty_text": card.empty_text,
                "summary": card.summary(user) if url and card.summary else [],
            }
        )
    return cards


def sections_for(user: Any) -> list[dict[str, Any]]:
    """The home page's blocks above the cards that USER may see and that have something."""
    sections = []
    for section in registry.home_sections():
        if section.permission and not user.has_perm(section.permission):
            continue
        context = section.context(user)
        if context is not None:
            sections.append({"template": section.template, "context": context})
    return sections
