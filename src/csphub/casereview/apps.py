from django.apps import AppConfig


class CaseReviewConfig(AppConfig):
    name = "csphub.casereview"
    label = "casereview"
    verbose_name = "ASB case reviews (Community Trigger)"

    def ready(self) -> None:
        from csphub.accounts.roles import COORDINATOR, CSP_ADMIN, EXECUTIVE
        from csphub.casereview.selectors import dashboard_summary
        from csphub.core import registry

        registry.register_nav_entry(
            self.label,
            order=400,
            label="ASB case reviews",
            url_name="casereview:review_list",
            permission="casereview.manage_reviews",
        )
        registry.register_dashboard_card(
            self.label,
            order=400,
            title="ASB case reviews",
            url_name="casereview:review_list",
            permission="casereview.manage_reviews",
            empty_text="Community Trigger applications and their working-day deadlines.",
            summary=dashboard_summary,
        )
        registry.register_role_grants(
            self.label,
            CSP_ADMIN,
            "casereview.manage_reviews",
            "casereview.view_review_counts",
            "casereview.configure_threshold",
        )
        registry.register_role_grants(
            self.label,
            COORDINATOR,
            "casereview.manage_reviews",
            "casereview.reveal_applicant",
            "casereview.view_review_counts",
        )
        registry.register_role_grants(self.label, EXECUTIVE, "casereview.view_review_counts")
        # The published counts (small numbers suppressed) and the threshold's configuration.
        registry.register_no_personal_data(
            self.label, "casereview.view_review_counts", "casereview.configure_threshold"
        )
