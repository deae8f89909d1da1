"""Sign-in, two-factor, the user's own account, and user/agency administration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from csphub.accounts import services
from csphub.accounts.forms import (
    AgencyForm,
    GovUKPasswordChangeForm,
    GovUKPasswordResetForm,
    GovUKSetPasswordForm,
    SignInForm,
    TokenForm,
    UserForm,
)
from csphub.accounts.grants import describe
from csphub.accounts.models import GrantRequest, User
from csphub.accounts.roles import ROLES, requires_two_factor, role_keys_of
from csphub.accounts.selectors import (
    agencies_changeable_by,
    is_locked_out,
    may_decide_grant_request,
    pending_grant_requests_visible_to,
    users_changeable_by,
    users_visible_to,
)
from csphub.accounts.two_factor import base32_secret, pending_device, qr_svg
from csphub.accounts.types import AuthedRequest
from csphub.audit import verbs
from csphub.audit.pages import audited_page
from csphub.core.access import get_visible_or_404, requires_permission
from csphub.core.concurrency import EditConflict
from csphub.core.editing import form_step


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    form_class=GovUKPasswordResetForm, success_url=reverse_lazy("accounts:password_reset_done")
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=GovUKSetPasswordForm, success_url=reverse_lazy("accounts:password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
password_change = login_required(
    auth_views.PasswordChangeView.as_view(
        form_class=GovUKPasswordChangeForm, success_url=reverse_lazy("accounts:profile")
    )
)


_INVITATION_SESSION_KEY = "_invitation_token"


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A new user's one-time link. The token is the only thing in its URL; it is moved into
    the session at once and the browser sent on to a URL without it (as Django's own password
    reset does), so it is not passed on in a Referer header. A spent, replaced or expired
    token is refused."""
    if services.invitation_for(token) is None:
        return _invitation_refused(request)
    request.session[_INVITATION_SESSION_KEY] = token
    return redirect("accounts:invitation_set_password")


def invitation_set_password(request: HttpRequest) -> HttpResponse:
    """Set a password from the invitation in the session, then enrol two-factor where the
    role needs it (the sign-in middleware sends them on until they have)."""
    token = request.session.get(_INVITATION_SESSION_KEY, "")
    found = services.invitation_for(token) if token else None
    if found is None:
        return _invitation_refused(request)
    form = GovUKSetPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session.pop(_INVITATION_SESSION_KEY, None)
        try:
            user = services.do_accept_invitation(
                token=token, password=form.cleaned_data["new_password1"], request=request
            )
        except PermissionDenied:
            return _invitation_refused(request)
        if request.user.is_authenticated:
            logout(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your password is set.")
        if requires_two_factor(user):
            return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': '/'})}")
        return redirect("core:home")
    return render(
        request,
        "registration/invitation.html",
        {"valid": True, "form": form, "two_factor": requires_two_factor(found.user)},
    )


def _invitation_refused(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/invitation.html",
        {"valid": False, "message": services.INVITATION_UNUSABLE},
        status=410,
    )


@requires_permission("accounts.manage_users")
@require_POST
def user_invite(request: AuthedRequest, user_id: str) -> HttpResponse:
    subject = get_visible_or_404(users_visible_to(request.user), pk=user_id)
    services.do_invite_user(actor=request.user, user=subject, request=request)
    messages.success(
        request, f"Invitation sent. The link works once, for {settings.INVITATION_VALID_DAYS} days."
    )
    return redirect("accounts:user_detail", user_id=subject.pk)


@login_required
def two_factor_setup(request: AuthedRequest) -> HttpResponse:
    if user_has_device(request.user) and not request.user.is_verified():  # type: ignore[attr-defined]
        # Replacing a device takes a code from the current one: a password alone must not do.
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:two_factor_verify')}?{query}")
    device = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            services.do_confirm_two_factor(user=request.user, device=device, request=request)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(_safe_next(request))
        form.add_error(
            "token", "That code is not right. Check the time on your phone and try again."
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg(device),
            "secret": base32_secret(device),
            "next": _safe_next(request),
        },
    )


@login_required
def two_factor_verify(request: AuthedRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.do_verify_two_factor(
            user=request.user,
            token=form.cleaned_data["token"],
            request=request,
        ):
            return redirect(_safe_next(request))
        form.add_error("token", "That code is not right. Enter the code shown in your app now.")
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "roles": [ROLES[k] for k in sorted(role_keys_of(user))],
            "has_device": user_has_device(user),
            "two_factor_required": requires_two_factor(user),
        },
    )


@requires_permission("accounts.manage_users")
def user_list(request: AuthedRequest) -> HttpResponse:
    users = users_visible_to(request.user).order_by("agency__name", "full_name")
    waiting = pending_grant_requests_visible_to(request.user).count()
    return render(
        request,
        "accounts/user_list.html",
        {"users": users, "roles": ROLES, "waiting_requests": waiting},
    )


@requires_permission("accounts.manage_users")
def user_create(request: AuthedRequest) -> HttpResponse:
    def saved(user: Any) -> HttpResponse:
        services.do_invite_user(actor=request.user, user=user, request=request)
        messages.success(
            request,
            "User added. They have been e-mailed an invitation to set their password; the link "
            f"works once, for {settings.INVITATION_VALID_DAYS} days.",
        )
        return redirect("accounts:user_detail", user_id=user.pk)

    return form_step(
        request,
        form_class=UserForm,
        save=lambda d, _: services.do_create_user(
            actor=request.user,
            email=d["email"],
            full_name=d["full_name"],
            job_title=d["job_title"],
            agency=d["agency"],
            roles=d["roles"],
            request=request,
        ),
        saved=saved,
        template="accounts/user_form.html",
        context={"title": "Add a user"},
    )


@requires_permission("accounts.manage_users")
@audited_page(verbs.USER_VIEWED, "accounts.user", "user_id")
def user_detail(request: AuthedRequest, user_id: str) -> HttpResponse:
    subject = get_visible_or_404(users_visible_to(request.user), pk=user_id)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": subject,
            "roles": [ROLES[k] for k in sorted(role_keys_of(subject))],
            "has_device": user_has_device(subject),
            "locked_out": is_locked_out(subject),
            "invitation": subject.invitations.order_by("-created_at").first(),
            "waiting": [
                describe(g.kind, g.detail)
                for g in pending_grant_requests_visible_to(request.user).filter(user=subject)
            ],
        },
    )


def _user_form_data(subject: User) -> dict[str, Any]:
    """The user edit form's fields as the user stands now."""
    return {
        "email": subject.email,
        "full_name": subject.full_name,
        "job_title": subject.job_title,
        "agency": subject.agency_id,
        "roles": sorted(role_keys_of(subject)),
        "is_active": subject.is_active,
        "version": subject.version,
    }


def _waiting_message(grant_requests: list[GrantRequest]) -> str:
    grants = ", ".join(describe(g.kind, g.detail) for g in grant_requests)
    return (
        f"Other changes are saved. Giving yourself access to personal data ({grants}) needs "
        "another administrator's approval: they will see your request under "
        "'Requests waiting for approval'."
    )


@requires_permission("accounts.manage_users")
@audited_page(verbs.USER_VIEWED, "accounts.user", "user_id")
def user_edit(request: AuthedRequest, user_id: str) -> HttpResponse:
    subject = get_visible_or_404(users_changeable_by(request.user), pk=user_id)
    waiting: list[GrantRequest] = []

    def save(data: dict[str, Any], version: int | None) -> None:
        assert version is not None  # the form carries the version it was loaded with
        data.pop("email", None)  # shown, never changed here
        waiting.extend(
            services.do_update_user(
                actor=request.user, user=subject, expected_version=version, request=request, **data
            )
        )

    def saved(_: object) -> HttpResponse:
        if waiting:
            messages.info(request, _waiting_message(waiting))
        else:
            messages.success(request, "User updated.")
        return redirect("accounts:user_detail", user_id=subject.pk)

    return form_step(
        request,
        form_class=UserForm,
        obj=subject,
        initial=_user_form_data,
        save=save,
        template="accounts/user_form.html",
        context={"title": "Change user"},
        saved=saved,
        noun="user",
        form_kwargs={"user": subject},
    )


@requires_permission("accounts.manage_users")
def grant_requests(request: AuthedRequest) -> HttpResponse:
    """Grants administrators asked for themselves, waiting for another administrator."""
    waiting = pending_grant_requests_visible_to(request.user)
    rows = [
        {
            "request": g,
            "grant": describe(g.kind, g.detail),
            "may_decide": may_decide_grant_request(request.user, g),
        }
        for g in waiting
    ]
    return render(request, "accounts/grant_requests.html", {"rows": rows})


def _decide_grant_request(
    request: AuthedRequest, request_id: str, decide: Any, done: str
) -> HttpResponse:
    """Approve or decline a waiting request; only another administrator may (else 403)."""
    grant_request = get_visible_or_404(
        pending_grant_requests_visible_to(request.user), pk=request_id
    )
    try:
        decide(actor=request.user, grant_request=grant_request, request=request)
    except EditConflict as error:
        messages.error(request, getattr(error, "message", str(error)))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("accounts:grant_requests")


@require_POST
@requires_permission("accounts.manage_users")
def grant_request_approve(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _decide_grant_request(
        request,
        request_id,
        services.do_approve_grant_request,
        "Request approved: the access has been given.",
    )


@require_POST
@requires_permission("accounts.manage_users")
def grant_request_decline(request: AuthedRequest, request_id: str) -> HttpResponse:
    return _decide_grant_request(
        request,
        request_id,
        services.do_decline_grant_request,
        "Request declined: nothing has been given.",
    )


@require_POST
@requires_permission("accounts.manage_users")
def user_reset_two_factor(request: AuthedRequest, user_id: str) -> HttpResponse:
    subject = get_visible_or_404(users_changeable_by(request.user), pk=user_id)
    services.do_reset_two_factor(actor=request.user, user=subject, request=request)
    messages.success(
        request, "Two-factor sign-in reset. They will enrol again when they next sign in."
    )
    return redirect("accounts:user_detail", user_id=subject.pk)


@require_POST
@requires_permission("accounts.manage_users")
def user_unlock(request: AuthedRequest, user_id: str) -> HttpResponse:
    subject = get_visible_or_404(users_changeable_by(request.user), pk=user_id)
    services.do_unlock_sign_in(actor=request.user, user=subject, request=request)
    messages.success(request, "Sign-in unlocked.")
    return redirect("accounts:user_detail", user_id=subject.pk)


@requires_permission("accounts.manage_agencies")
def agency_list(request: AuthedRequest) -> HttpResponse:
    agencies = agencies_changeable_by(request.user).order_by("name")
    return render(request, "accounts/agency_list.html", {"agencies": agencies})


@requires_permission("accounts.manage_agencies")
def agency_create(request: AuthedRequest) -> HttpResponse:
    def saved(_: object) -> HttpResponse:
        messages.success(request, "Agency added.")
        return redirect("accounts:agency_list")

    return form_step(
        request,
        form_class=AgencyForm,
        save=lambda d, _: services.do_create_agency(
            actor=request.user, name=d["name"], kind=d["kind"], request=request
        ),
        saved=saved,
        template="accounts/agency_form.html",
        context={"title": "Add an agency"},
    )


@requires_permission("accounts.manage_agencies")
def agency_edit(request: AuthedRequest, agency_id: str) -> HttpResponse:
    agency = get_visible_or_404(agencies_changeable_by(request.user), pk=agency_id)

    def saved(_: object) -> HttpResponse:
        messages.success(request, "Agency updated.")
        return redirect("accounts:agency_list")

    return form_step(
        request,
        form_class=AgencyForm,
        obj=agency,
        initial=lambda a: {"name": a.name, "kind": a.kind, "is_active": a.is_active},
        save=lambda data, version: services.do_update_agency(
            actor=request.user, agency=agency, expected_version=version, request=request, **data
        ),
        template="accounts/agency_form.html",
        context={"title": f"Change {agency.name}"},
        saved=saved,
        noun="agency",
        form_kwargs={"agency": agency},
    )
