from django.urls import path

from csphub.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("password/", views.password_change, name="password_change"),
    path("welcome/set-password/", views.invitation_set_password, name="invitation_set_password"),
    path("welcome/<str:token>/", views.invitation, name="invitation"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("", views.profile, name="profile"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<uuid:user_id>/", views.user_detail, name="user_detail"),
    path("users/<uuid:user_id>/edit/", views.user_edit, name="user_edit"),
    path(
        "users/<uuid:user_id>/reset-two-factor/",
        views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path("users/<uuid:user_id>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<uuid:user_id>/invite/", views.user_invite, name="user_invite"),
    path("requests/", views.grant_requests, name="grant_requests"),
    path(
        "requests/<uuid:request_id>/approve/",
        views.grant_request_approve,
        name="grant_request_approve",
    ),
    path(
        "requests/<uuid:request_id>/decline/",
        views.grant_request_decline,
        name="grant_request_decline",
    ),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<uuid:agency_id>/edit/", views.agency_edit, name="agency_edit"),
]
