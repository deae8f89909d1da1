"""The panel factories live in tests/factories.py, with every other factory; this name stays for
imports written before they moved."""

from tests.factories import (
    CaseFactory,
    MembershipFactory,
    OffenceFactory,
    PanelFactory,
    PersonFactory,
    PlaceFactory,
    TransitionFactory,
)

__all__ = [
    "CaseFactory",
    "MembershipFactory",
    "OffenceFactory",
    "PanelFactory",
    "PersonFactory",
    "PlaceFactory",
    "TransitionFactory",
]
