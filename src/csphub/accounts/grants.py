"""Kinds of grant that can wait for a second administrator (see models.GrantRequest).

Apps register the grants they own from their AppConfig.ready(): a role (accounts), a panel
seat (panels). Each kind names the permission needed to make or decide it, says in words
what it grants, and applies it through the app's own service once approved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GrantKind:
    permission: str
    # The grant in a few words for the requests page, e.g. "Panel co-ordinator role".
    describe: Callable[[dict[str, Any]], str]
    # apply(actor=approver, user=grantee, detail=detail, request=request)
    apply: Callable[..., object]


KINDS: dict[str, GrantKind] = {}


def register(key: str, kind: GrantKind) -> None:
    KINDS[key] = kind


def describe(key: str, detail: dict[str, Any]) -> str:
    kind = KINDS.get(key)
    return kind.describe(detail) if kind else key
