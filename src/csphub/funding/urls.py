from django.urls import path

from csphub.funding import setup_views, views

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
    path("grants/new/", setup_views.grant_create, name="grant_create"),
    path("grants/<uuid:grant_id>/allocation/", setup_views.allocation_set, name="allocation_set"),
    path(
        "grants/<uuid:grant_id>/reporting-dates/",
        setup_views.reporting_date_set,
        name="reporting_date_set",
    ),
    path("grants/<uuid:grant_id>/conditions/new/", setup_views.condition_add, name="condition_add"),
    path("grants/<uuid:grant_id>/items/new/", setup_views.item_create, name="item_create"),
    path("items/<uuid:funded_item_id>/measures/new/", setup_views.measure_add, name="measure_add"),
    path(
        "items/<uuid:funded_item_id>/<int:year>/<int:quarter>/profile/",
        setup_views.profile_set,
        name="profile_set",
    ),
    path("open-data/grants.json", views.open_data_json, name="open_data_json"),
    path("open-data/grants.csv", views.open_data_csv, name="open_data_csv"),
]
