"""The NRM panel's settings (due dates, the CG warning) and the national comparators."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from csphub.audit import record
from csphub.core.errors import ServiceError
from csphub.nrm import verbs
from csphub.nrm.models import Comparator, NrmSettings
from csphub.nrm.selectors import nrm_panels_run_by

if TYPE_CHECKING:
    from csphub.accounts.models import User


def do_update_settings(
    *,
    actor: User,
    settings: NrmSettings,
    rg_due_days: int,
    sca_target_working_days: int,
    cg_warning_days: int,
    request: HttpRequest | None = None,
) -> NrmSettings:
    """The co-ordinator sets the panel's RG due days, the SCA target shown beside them and the
    days before which a CG after a positive RG is warned."""
    if not nrm_panels_run_by(actor).filter(pk=settings.panel_id).exists():
        raise PermissionDenied("Only the NRM panel's co-ordinator changes its settings.")
    if not (1 <= rg_due_days <= 365 and 1 <= sca_target_working_days <= 60):
        raise ServiceError("Due dates are from 1 to 365 days, the SCA target 1 to 60 working days")
    with transaction.atomic():
        settings.rg_due_days = rg_due_days
        settings.sca_target_working_days = sca_target_working_days
        settings.cg_warning_days = cg_warning_days
        settings.save()
        record(
            verb=verbs.SETTINGS_CHANGED,
            actor=actor,
            target=settings,
            payload={"rg_due_days": rg_due_days, "cg_warning_days": cg_warning_days},
            request=request,
        )
    return settings


def do_save_comparator(
    *,
    actor: User,
    comparator: Comparator | None,
    label: str,
    measure: str,
    days: Decimal,
    definition: str,
    source: str,
    request: HttpRequest | None = None,
) -> Comparator:
    """Add a national comparator (COMPARATOR None) or change one: a co-ordinator of an NRM panel."""
    if not nrm_panels_run_by(actor).exists():
        raise PermissionDenied("Only an NRM panel's co-ordinator changes the comparators.")
    if not definition.strip() or not source.strip():
        raise ServiceError("Give the comparator's definition and its source")
    with transaction.atomic():
        comparator = comparator or Comparator(position=Comparator.objects.count())
        comparator.label = label.strip()
        comparator.measure = measure
        comparator.days = days
        comparator.definition = definition.strip()
        comparator.source = source.strip()
        comparator.save()
        record(
            verb=verbs.SETTINGS_CHANGED,
            actor=actor,
            target=comparator,
            payload={"measure": measure},
            request=request,
        )
    return comparator
