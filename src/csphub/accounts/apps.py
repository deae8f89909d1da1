from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csphub.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self) -> None:
        from csphub.accounts import signals  # noqa: F401  (connects audit and role sync)
        from csphub.accounts.grants import GrantKind, register
        from csphub.accounts.roles import ROLES
        from csphub.accounts.services import do_grant_role, do_move_to_agency

        register(
            "roles",
            GrantKind(
                permission="accounts.manage_users",
                describe=lambda detail: f"{ROLES[detail['role']].label} role",
                apply=do_grant_role,
            ),
        )
        register(
            "agency",
            GrantKind(
                permission="accounts.manage_users",
                describe=_describe_agency,
                apply=do_move_to_agency,
            ),
        )


def _describe_agency(detail: dict[str, Any]) -> str:
    from csphub.accounts.models import Agency

    agency = Agency.objects.filter(pk=detail["agency"]).first() if detail["agency"] else None
    return f"Move to {agency.name if agency else 'no agency'}"
