from django.apps import AppConfig


class NrmConfig(AppConfig):
    name = "csphub.nrm"
    label = "nrm"
    verbose_name = "Children's NRM decisions"

    def ready(self) -> None:
        from csphub.accounts.roles import COORDINATOR, EXECUTIVE, PRACTITIONER
        from csphub.core import registry
        from csphub.meetings.quorum import register_seat_source
        from csphub.nrm.choices import Seat
        from csphub.nrm.selectors import dashboard_summary, meeting_seat

        # A meeting of the NRM panel counts its quorum by the members' seats.
        register_seat_source(meeting_seat, dict(Seat.choices))

        registry.register_nav_entry(
            self.label,
            order=500,
            label="NRM decisions",
            url_name="nrm:referral_list",
            permission="nrm.view_nrm",
        )
        registry.register_nav_entry(
            self.label,
            order=510,
            label="NRM decision times",
            url_name="nrm:figures",
            permission="nrm.view_nrm_figures",
        )
        registry.register_dashboard_card(
            self.label,
            order=500,
            title="NRM decisions",
            url_name="nrm:referral_list",
            permission="nrm.view_nrm",
            empty_text="Children's referrals to the National Referral Mechanism and their decisions.",
            summary=dashboard_summary,
        )
        registry.register_role_grants(
            self.label,
            COORDINATOR,
            "nrm.view_nrm",
            "nrm.refer_nrm",
            "nrm.run_nrm",
            "nrm.view_nrm_figures",
        )
        registry.register_role_grants(
            self.label, PRACTITIONER, "nrm.view_nrm", "nrm.refer_nrm", "nrm.sign_off_nrm"
        )
        registry.register_role_grants(self.label, EXECUTIVE, "nrm.view_nrm_figures")
        registry.register_no_personal_data(self.label, "nrm.view_nrm_figures")
