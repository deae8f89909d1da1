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
