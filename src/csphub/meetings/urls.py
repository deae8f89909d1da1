from django.urls import path

from csphub.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<uuid:action_id>/", views.action_detail, name="action_detail"),
    path("cases/<uuid:case_id>/actions/new/", views.case_action_create, name="case_action_create"),
    path("panels/<uuid:panel_id>/overdue-actions/", views.panel_overdue, name="panel_overdue"),
    path("information-requests/", views.information_requests, name="information_requests"),
    path(
        "information-requests/<uuid:request_id>/",
        views.information_request_detail,
        name="information_request_detail",
    ),
    path(
        "<uuid:meeting_id>/information-requests/new/",
        views.information_request_create,
        name="information_request_create",
    ),
    path("<uuid:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("<uuid:meeting_id>/agenda/", views.agenda_generate, name="agenda_generate"),
    path("<uuid:meeting_id>/circulate/", views.agenda_circulate, name="agenda_circulate"),
    path("<uuid:meeting_id>/invitation.ics", views.meeting_invitation, name="meeting_invitation"),
    path("<uuid:meeting_id>/attendance/", views.attendance_edit, name="attendance_edit"),
    path("<uuid:meeting_id>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("<uuid:meeting_id>/topics/new/", views.topic_add, name="topic_add"),
    path(
        "<uuid:meeting_id>/items/<uuid:item_id>/decision/",
        views.decision_edit,
        name="decision_edit",
    ),
    path(
        "<uuid:meeting_id>/items/<uuid:item_id>/actions/new/",
        views.action_create,
        name="action_create",
    ),
    path(
        "<uuid:meeting_id>/actions/new/",
        views.meeting_action_create,
        name="meeting_action_create",
    ),
    path("<uuid:meeting_id>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<uuid:meeting_id>/minutes.docx", views.minutes_docx, name="minutes_docx"),
]
