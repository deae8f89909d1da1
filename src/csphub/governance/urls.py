from django.urls import path

from csphub.governance import views

app_name = "governance"
urlpatterns = [
    path("anomalies/", views.anomalies, name="anomalies"),
    path("subject-access/", views.subject_access, name="subject_access"),
    path("subject-access/export", views.subject_access_export, name="subject_access_export"),
]
