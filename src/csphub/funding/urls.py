from django.urls import path

from csphub.funding import views

app_name = "funding"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("grants/<uuid:grant_id>/", views.grant_detail, name="grant_detail"),
    path(
        "grants/<uuid:grant_id>/returns/<int:year>/<int:quarter>/publish/",
        views.return_publish,
        name="return_publish",
    ),
    path(
        "grants/<uuid:grant_id>/returns/<int:year>/<int:quarter>/return.xlsx",
        views.return_xlsx,
        name="return_xlsx",
    ),
    path(
        "grants/<uuid:grant_id>/returns/<int:year>/<int:quarter>/return.csv",
        views.return_csv,
        name="return_csv",
    ),
    path("items/<uuid:funded_item_id>/", views.item_detail, name="item_detail"),
    path(
        "items/<uuid:funded_item_id>/<int:year>/<int:quarter>/",
        views.item_record,
        name="item_record",
    ),
    path("open-data/grants.json", views.open_data_json, name="open_data_json"),
    path("open-data/grants.csv", views.open_data_csv, name="open_data_csv"),
]
