from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from csphub.accounts.choices import AgencyKind
from csphub.accounts.models import Agency, User, normalise_email
from csphub.accounts.roles import ROLES
from csphub.core.forms import GovUKForm, GovUKFormMixin, VersionedForm, VersionField

ROLE_CHOICES = [(key, role.label) for key, role in ROLES.items()]


class SignInForm(GovUKFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "username"})
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account has been deactivated. Ask your CSP administrator.",
    }

    def clean_username(self) -> str:
        # Authentication and lockout counts both see the one normalised address.
        return normalise_email(self.cleaned_data["username"])

    def clean(self) -> dict[str, Any]:
        if settings.PRODUCTION and self.data.get("password") == settings.DEMO_PASSWORD:
            raise forms.ValidationError("The demo password cannot be used on this service.")
        return super().clean()


class GovUKPasswordResetForm(GovUKFormMixin, PasswordResetForm):
    pass


class GovUKSetPasswordForm(GovUKFormMixin, SetPasswordForm):
    pass


class GovUKPasswordChangeForm(GovUKFormMixin, PasswordChangeForm):
    pass


class TokenForm(GovUKForm):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
            }
        ),
    )


class AgencyForm(VersionedForm):
    """A partner agency; a new one has no version yet."""

    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Type of agency", choices=AgencyKind.choices)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args: Any, agency: Agency | None = None, **kwargs: Any) -> None:
        self.agency = agency
        super().__init__(*args, **kwargs)
        if agency is None:
            del self.fields["version"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Agency.objects.filter(name__iexact=name)
        if self.agency:
            clash = clash.exclude(pk=self.agency.pk)
        if clash.exists():
            raise forms.ValidationError("An agency with this name already exists.")
        return name


class UserForm(GovUKForm):
    email = forms.EmailField(label="Email address")
    full_name = forms.CharField(label="Full name", max_length=200)
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Choose an agency",
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "Administrators, co-ordinators and the data protection officer must use two-factor "
            "sign-in. A role that opens personal data, given to yourself, waits for another "
            "administrator to approve it."
        ),
    )
    is_active = forms.BooleanField(label="Can sign in", required=False, initial=True)
    # The version of the user the form was loaded with (editing only): a stale save is refused.
    version = VersionField()

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.editing = user
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["email"].disabled = True
        else:
            del self.fields["version"]

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data["email"])
        clash = User.objects.filter(email__iexact=email)
        if self.editing:
            clash = clash.exclude(pk=self.editing.pk)
        if clash.exists():
            raise forms.ValidationError("A user with this email address already exists.")
        return email
