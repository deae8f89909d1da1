"""ASB case review forms (GOV.UK rendering from the core mixin)."""

from __future__ import annotations

from django import forms

from csphub.accounts.models import Agency
from csphub.casereview.choices import Region
from csphub.core.forms import GovUKDateField, GovUKForm, VersionedForm
from csphub.lib.dates import PAST, PLANNING


class CaseReviewForm(GovUKForm):
    received_on = GovUKDateField(label="Date the application was received", dates=PAST)
    applicant_name = forms.CharField(label="Applicant's name", max_length=200)
    applicant_address = forms.CharField(
        label="Applicant's address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    applicant_phone = forms.CharField(
        label="Applicant's phone number", max_length=40, required=False
    )
    applicant_email = forms.EmailField(label="Applicant's e-mail address", required=False)
    on_behalf_of_victim = forms.BooleanField(
        label="Made on behalf of the victim, with their consent", required=False
    )
    problem_summary = forms.CharField(
        label="The anti-social behaviour described", widget=forms.Textarea(attrs={"rows": 5})
    )


class ComplaintForm(GovUKForm):
    problem = forms.CharField(
        label="Problem",
        max_length=200,
        help_text="A short label, the same for every complaint about the same problem, "
        "for example 'Noise from neighbouring flat'.",
    )
    incident_on = GovUKDateField(label="Date of the incident", dates=PAST)
    reported_on = GovUKDateField(
        label="Date it was reported", dates=PAST, error_name="The date it was reported"
    )
    reported_to = forms.ModelChoiceField(
        label="Reported to", queryset=Agency.objects.filter(is_active=True), required=False
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AcknowledgeForm(VersionedForm):
    acknowledged_on = GovUKDateField(label="Date the acknowledgement was sent", dates=PAST)


class ThresholdForm(VersionedForm):
    met = forms.TypedChoiceField(
        label="Is the threshold met?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    decided_on = GovUKDateField(label="Date of the decision", dates=PAST)
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required if the decision differs from what the threshold rule says.",
    )


class ReviewMeetingForm(VersionedForm):
    held_on = GovUKDateField(label="Date the review meeting was held", dates=PAST)
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs={"rows": 5}))


class RecommendationForm(GovUKForm):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.filter(is_active=True))
    text = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 4}))
    due_on = GovUKDateField(
        label="Due by", dates=PLANNING, error_name="The due date", required=False
    )


class PolicyForm(VersionedForm):
    complaints_required = forms.IntegerField(label="Complaints needed", min_value=1, max_value=20)
    window_months = forms.IntegerField(
        label="In how many months before the application", min_value=1, max_value=24
    )
    report_within_months = forms.IntegerField(
        label="Each reported within how many months of the incident", min_value=1, max_value=12
    )
    acknowledge_working_days = forms.IntegerField(
        label="Acknowledge within (working days)", min_value=1, max_value=60
    )
    decision_working_days = forms.IntegerField(
        label="Decide the threshold within (working days)", min_value=1, max_value=60
    )
    meeting_working_days = forms.IntegerField(
        label="Hold the review within (working days)", min_value=1, max_value=90
    )
    region = forms.ChoiceField(label="Bank holidays of", choices=Region.choices)


class YearForm(GovUKForm):
    year = forms.IntegerField(label="Financial year starting in", min_value=2014, max_value=2100)
