from django.urls import path

from csphub.nrm import views

app_name = "nrm"

urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("my-referrals/", views.my_referrals, name="my_referrals"),
    path("refer/", views.refer, name="refer"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/return.xlsx", views.return_xlsx, name="return_xlsx"),
    path("figures/return.csv", views.return_csv, name="return_csv"),
    path("figures/comparators/new/", views.comparator_create, name="comparator_create"),
    path(
        "figures/comparators/<uuid:comparator_id>/",
        views.comparator_edit,
        name="comparator_edit",
    ),
    path("panels/<slug:slug>/seats/", views.seats, name="seats"),
    path("panels/<slug:slug>/settings/", views.settings_edit, name="settings"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:referral_id>/edit/", views.referral_edit, name="referral_edit"),
    path("referrals/<uuid:referral_id>/take-on/", views.take_on, name="take_on"),
    path("referrals/<uuid:referral_id>/decide/", views.decision_create, name="decision_create"),
    path("referrals/<uuid:referral_id>/follow-up/", views.follow_up, name="follow_up"),
    path("decisions/<uuid:decision_id>/minute/", views.minute_edit, name="minute_edit"),
    path(
        "decisions/<uuid:decision_id>/reconsideration/",
        views.reconsideration_create,
        name="reconsideration_create",
    ),
    path("decisions/<uuid:decision_id>/audit/", views.audit_edit, name="audit_edit"),
    path("decisions/<uuid:decision_id>/audit-pack.pdf", views.audit_pack, name="audit_pack"),
    path("minutes/<uuid:minute_id>/sign-off/", views.minute_sign_off, name="minute_sign_off"),
    path("minutes/<uuid:minute_id>/issue/", views.minute_issue, name="minute_issue"),
    path("minutes/<uuid:minute_id>/minute.pdf", views.minute_pdf, name="minute_pdf"),
]
