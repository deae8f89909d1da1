from django.urls import path

from csphub.vvrap import board_views, views

app_name = "vvrap"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<uuid:plan_id>/actions/new/", views.item_create, name="item_create"),
    path("<uuid:plan_id>/return/", views.plan_return, name="plan_return"),
    path("<uuid:plan_id>/return.xlsx", views.return_xlsx, name="return_xlsx"),
    path("<uuid:plan_id>/return.pdf", views.return_pdf, name="return_pdf"),
    path("<uuid:plan_id>/feedback/new/", views.feedback_add, name="feedback_add"),
    path("actions/<uuid:entry_id>/", views.item_detail, name="item_detail"),
    path("actions/<uuid:entry_id>/edit/", views.item_edit, name="item_edit"),
    path("actions/<uuid:entry_id>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("actions/<uuid:entry_id>/update/", views.update_edit, name="update_edit"),
    path("updates/<uuid:update_id>/", views.update_review, name="update_review"),
    path("templates/<uuid:template_id>/columns/", views.template_columns, name="template_columns"),
    path("boards/", board_views.board_list, name="board_list"),
    path("boards/<uuid:meeting_id>/pack/", board_views.board_pack, name="board_pack"),
    path("boards/<slug:slug>/minutes/", board_views.board_minutes, name="board_minutes"),
    path(
        "boards/minutes/<uuid:meeting_id>.pdf",
        board_views.board_minutes_pdf,
        name="board_minutes_pdf",
    ),
    path(
        "boards/minutes/<uuid:meeting_id>.docx",
        board_views.board_minutes_docx,
        name="board_minutes_docx",
    ),
    path("minimum-standards/", board_views.compliance_panel, name="compliance"),
    path("minimum-standards/assessment/", board_views.assessment_record, name="assessment_record"),
    path("tasking-events/", board_views.event_list, name="event_list"),
    path("tasking-events/new/", board_views.event_create, name="event_create"),
    path("tasking-events/<uuid:event_id>/close/", board_views.event_close, name="event_close"),
]
