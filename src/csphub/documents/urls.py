"""A record's documents and each document's download, under /documents/. No personal data in
any path: a case, meeting, item or document by its id, a person by their pseudonymous reference."""

from django.urls import path

from csphub.documents import views

app_name = "documents"
urlpatterns = [
    path("cases/<uuid:case_id>/", views.case_documents, name="case_documents"),
    path("people/<str:reference>/", views.person_documents, name="person_documents"),
    path(
        "meetings/<uuid:meeting_id>/items/<uuid:item_id>/",
        views.item_documents,
        name="item_documents",
    ),
    path("<uuid:document_id>/download/", views.download, name="download"),
    path("<uuid:document_id>/remove/", views.remove, name="remove"),
]
