from django.urls import path

from csphub.sna import views

app_name = "sna"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("build/", views.build, name="build"),
    path("findings/new/", views.finding_add, name="finding_add"),
    path("findings/<uuid:finding_id>/", views.finding_edit, name="finding_edit"),
    path("<uuid:assessment_id>/full/", views.full_html, name="full_html"),
    path("<uuid:assessment_id>/full.pdf", views.full_pdf, name="full_pdf"),
    path("<uuid:assessment_id>/summary/", views.summary_html, name="summary_html"),
    path("<uuid:assessment_id>/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
