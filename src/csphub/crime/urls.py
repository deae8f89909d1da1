from django.urls import path

from csphub.crime import views

app_name = "crime"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("figures.csv", views.figures_csv, name="figures_csv"),
    path("about/", views.about, name="about"),
    path("hotspots/", views.hotspots, name="hotspots"),
    path("hotspots.csv", views.hotspots_csv, name="hotspots_csv"),
    path("import/", views.import_data, name="import"),
]
