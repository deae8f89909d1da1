from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csphub.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self) -> None:
        from csphub.accounts import signals  # noqa: F401  (connects audit and role sync)
        from csphub.accounts.grants import GrantKind, register
        from csphub.accounts.roles import ROLES
        from csphub.accounts.services import do_grant_role

        register(
            "roles",
            GrantKind(
                permission="accounts.manage_users",
                describe=lambda detail: f"{ROLES[detail['role']].label} role",
                apply=do_grant_role,
            ),
        )
