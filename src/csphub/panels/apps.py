from typing import Any

from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "csphub.panels"
    label = "panels"
    verbose_name = "Multi-agency panels"

    def ready(self) -> None:
        from csphub.accounts.grants import GrantKind, register

        register(
            "panel_seat",
            GrantKind(
                permission="panels.manage_panels",
                describe=_describe_seat,
                apply=_apply_seat,
            ),
        )


def _describe_seat(detail: dict[str, Any]) -> str:
    from csphub.panels.choices import MembershipRole
    from csphub.panels.models import Panel

    panel = Panel.objects.filter(pk=detail["panel"]).first()
    role = MembershipRole(detail["role"]).label.lower()
    return f"Seat on {panel.name if panel else 'a panel'} as {role}"


def _apply_seat(*, actor: Any, user: Any, detail: dict[str, Any], request: Any) -> object:
    """An approved seat request: seated by the approver, through the usual service."""
    from csphub.panels.models import Panel
    from csphub.panels.services import do_add_panel_member

    panel = Panel.objects.get(pk=detail["panel"])
    return do_add_panel_member(
        actor=actor, panel=panel, user=user, role=detail["role"], request=request
    )
