from django.urls import path

from csphub.partnerdata import views

app_name = "partnerdata"
urlpatterns = [
    path("", views.extract_list, name="extract_list"),
]
