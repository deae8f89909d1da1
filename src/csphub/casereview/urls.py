from django.urls import path

from csphub.casereview import views

app_name = "casereview"
urlpatterns = [
    path("", views.review_list, name="review_list"),
    path("new/", views.review_create, name="review_create"),
    path("published-counts/", views.annual_counts, name="annual_counts"),
    path("threshold/", views.policy_edit, name="policy_edit"),
    path("<uuid:review_id>/", views.review_detail, name="review_detail"),
    path("<uuid:review_id>/applicant/", views.applicant_details, name="applicant_details"),
    path("<uuid:review_id>/complaints/new/", views.complaint_add, name="complaint_add"),
    path("<uuid:review_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:review_id>/threshold/", views.threshold_decision, name="threshold_decision"),
    path("<uuid:review_id>/review/", views.review_meeting, name="review_meeting"),
    path(
        "<uuid:review_id>/recommendations/new/", views.recommendation_add, name="recommendation_add"
    ),
    path(
        "<uuid:review_id>/letters/acknowledgement.pdf",
        views.acknowledgement_pdf,
        name="acknowledgement_pdf",
    ),
    path(
        "<uuid:review_id>/letters/acknowledgement.docx",
        views.acknowledgement_docx,
        name="acknowledgement_docx",
    ),
    path("<uuid:review_id>/letters/outcome.pdf", views.outcome_pdf, name="outcome_pdf"),
    path("<uuid:review_id>/letters/outcome.docx", views.outcome_docx, name="outcome_docx"),
]
