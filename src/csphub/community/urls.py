from django.urls import path

from csphub.community import views

app_name = "community"
urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("beside-violence/", views.activity_map, name="activity_map"),
    path("<uuid:activity_id>/attendance/", views.activity_attendance, name="activity_attendance"),
]
