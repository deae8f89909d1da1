from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csphub.accounts"
    label = "accounts"
    verbose_name = "Accounts and agencies"

    def ready(self) -> None:
        from csphub.accounts import signals  # noqa: F401  (connects audit and role sync)
        from csphub.accounts.grants import GrantKind, register
        from csphub.accounts.roles import CSP_ADMIN, ROLES
        from csphub.accounts.services import do_grant_role, do_move_to_agency
        from csphub.accounts.two_factor import second_factor_due
        from csphub.core import registry

        # Nothing to navigate to until the second factor is passed.
        registry.withhold_navigation_while(self.label, second_factor_due)

        registry.register_nav_entry(
            self.label,
            order=900,
            label="Users",
            url_name="accounts:user_list",
            permission="accounts.manage_users",
        )
        registry.register_nav_entry(
            self.label,
            order=910,
            label="Agencies",
            url_name="accounts:agency_list",
            permission="accounts.manage_agencies",
        )
        registry.register_dashboard_card(
            self.label,
            order=900,
            title="Users and agencies",
            url_name="accounts:user_list",
            permission="accounts.manage_users",
            empty_text="Add partner agencies and the people who work with the partnership.",
        )
        registry.register_role_grants(
            self.label, CSP_ADMIN, "accounts.manage_users", "accounts.manage_agencies"
        )
        # The partner agencies are a reference list; user records are personal data.
        registry.register_no_personal_data(self.label, "accounts.manage_agencies")
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
