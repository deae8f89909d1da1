from django.urls import path

from csphub.nrm import views

app_name = "nrm"

urlpatterns = [
    path("", views.referral_list, name="referral_list"),
]
