from django.urls import path

from csphub.panels import views

app_name = "panels"
urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/export.csv", views.case_export, name="case_export"),
    path("cases/refer/", views.refer, name="refer"),
    path("cases/refer/place/", views.refer_place, name="refer_place"),
    path("offences/import/", views.offence_import, name="offence_import"),
    path("panels/", views.panel_list, name="panel_list"),
    path("panels/new/", views.panel_create, name="panel_create"),
    path("panels/<slug:slug>/", views.panel_detail, name="panel_detail"),
    path("panels/<slug:slug>/dashboard/", views.panel_dashboard, name="panel_dashboard"),
    path("panels/<slug:slug>/edit/", views.panel_edit, name="panel_edit"),
    path("panels/<slug:slug>/members/", views.panel_members, name="panel_members"),
    path(
        "panels/<slug:slug>/members/<uuid:membership_id>/remove/",
        views.panel_member_remove,
        name="panel_member_remove",
    ),
    path("cases/<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/edit/", views.case_edit, name="case_edit"),
    path("cases/<uuid:case_id>/note/", views.case_note, name="case_note"),
    path("cases/<uuid:case_id>/flag/", views.case_flag, name="case_flag"),
    path(
        "cases/<uuid:case_id>/flags/<uuid:flag_id>/clear/",
        views.case_flag_clear,
        name="case_flag_clear",
    ),
    path("cases/<uuid:case_id>/assign/", views.case_assign, name="case_assign"),
    path(
        "cases/<uuid:case_id>/assigned/<uuid:user_id>/remove/",
        views.case_unassign,
        name="case_unassign",
    ),
    path("cases/<uuid:case_id>/subject/", views.case_subject, name="case_subject"),
    path(
        "cases/<uuid:case_id>/subjects/<uuid:subject_id>/remove/",
        views.case_subject_remove,
        name="case_subject_remove",
    ),
    path("cases/<uuid:case_id>/status/", views.case_status, name="case_status"),
    path("cases/<uuid:case_id>/escalate/", views.case_escalate, name="case_escalate"),
    path("cases/<uuid:case_id>/transfer/", views.case_transfer, name="case_transfer"),
    path(
        "cases/transitions/<uuid:transition_id>/", views.transition_decide, name="transition_decide"
    ),
]
