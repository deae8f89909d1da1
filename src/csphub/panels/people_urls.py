"""The pages of a person or a place, under /people/ in the `people` namespace."""

from django.urls import path

from csphub.panels import views as panel_views
from csphub.panels.views import people as views

app_name = "people"
urlpatterns = [
    path("signpost/", views.signpost, name="signpost"),
    path("places/<str:reference>/", views.place_detail, name="place_detail"),
    path("<str:reference>/", views.person_detail, name="person_detail"),
    path("<str:reference>/reveal/", views.person_reveal, name="person_reveal"),
    path("<str:reference>/merge/", views.person_merge, name="person_merge"),
    path("<str:reference>/offences/new/", panel_views.offence_create, name="offence_create"),
]
