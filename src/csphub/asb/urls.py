from django.urls import path

from csphub.asb import views

app_name = "asb"
urlpatterns = [
    path("cases/<uuid:case_id>/assessments/new/", views.assessment_new, name="assessment_new"),
    path(
        "cases/<uuid:case_id>/assessments/<uuid:assessment_id>/",
        views.assessment_detail,
        name="assessment_detail",
    ),
    path("cases/<uuid:case_id>/incidents/new/", views.incident_new, name="incident_new"),
    path(
        "cases/<uuid:case_id>/incidents/<uuid:incident_id>/",
        views.incident_edit,
        name="incident_edit",
    ),
    path("cases/<uuid:case_id>/tools/new/", views.tool_new, name="tool_new"),
    path("cases/<uuid:case_id>/tools/<uuid:tool_id>/", views.tool_edit, name="tool_edit"),
    path(
        "cases/<uuid:case_id>/tools/<uuid:tool_id>/letter.pdf",
        views.tool_letter_pdf,
        name="tool_letter_pdf",
    ),
    path(
        "cases/<uuid:case_id>/tools/<uuid:tool_id>/letter.docx",
        views.tool_letter_docx,
        name="tool_letter_docx",
    ),
]
