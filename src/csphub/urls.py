"""Top-level URLs. Apps mount here; nothing personal ever appears in a path or query."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse

from csphub.audit.pages import audited_admin_view
from csphub.core import views as core_views


def _superusers_only(request) -> bool:  # type: ignore[no-untyped-def]
    # The Django admin bypasses selectors, so it is for superusers (with a verified second factor).
    user = request.user
    return bool(user.is_active and user.is_superuser and user.is_verified())


def _sign_in_instead(request, extra_context=None):  # type: ignore[no-untyped-def]
    # One sign-in for the whole service: lockout, the demo-password refusal and two-factor
    # all live on it, so the admin's own login form (which has none of them) is never used.
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), login_url=reverse("accounts:login")
    )


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]
admin.site.admin_view = audited_admin_view(admin.site.admin_view)  # type: ignore[method-assign,assignment]
admin.site.login = _sign_in_instead  # type: ignore[method-assign]
admin.site.site_header = "csphub administration"

urlpatterns = [
    path("", include("csphub.core.urls")),
    path("accounts/", include("csphub.accounts.urls")),
    path("audit/", include("csphub.audit.urls")),
    path("notifications/", include("csphub.notifications.urls")),
    path("", include("csphub.panels.urls")),
    path("people/", include("csphub.panels.people_urls")),
    path("case-reviews/", include("csphub.casereview.urls")),
    path("meetings/", include("csphub.meetings.urls")),
    path("documents/", include("csphub.documents.urls")),
    path("crime/", include("csphub.crime.urls")),
    path("nrm/", include("csphub.nrm.urls")),
    path("action-plan/", include("csphub.vvrap.urls")),
    path("funding/", include("csphub.funding.urls")),
    path("community/", include("csphub.community.urls")),
    path("search/", include("csphub.search.urls")),
    path("asb/", include("csphub.asb.urls")),
    path("partner-data/", include("csphub.partnerdata.urls")),
    path("sna/", include("csphub.sna.urls")),
    path("data-protection/", include("csphub.governance.urls")),
    path("reports/", include("csphub.reports.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
