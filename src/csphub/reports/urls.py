from django.urls import path

from csphub.reports import views

app_name = "reports"

urlpatterns = [
    path("annual/", views.annual, name="annual"),
    path("annual/build/", views.annual_build, name="annual_build"),
    path("annual/<uuid:report_id>/sign-off/", views.annual_sign_off, name="annual_sign_off"),
    path("annual/<uuid:report_id>/report.html", views.annual_html, name="annual_html"),
    path("annual/<uuid:report_id>/report.pdf", views.annual_pdf, name="annual_pdf"),
    path("annual/<uuid:report_id>/report.docx", views.annual_docx, name="annual_docx"),
    path(
        "annual/<int:year>/narrative/<slug:section>/",
        views.narrative_edit,
        name="narrative_edit",
    ),
]
