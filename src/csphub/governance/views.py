"""The data protection officer's pages: anomaly reports and subject access exports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from csphub.audit.pages import audited_page, note
from csphub.core.access import requires_permission
from csphub.governance import verbs
from csphub.governance.anomalies import anomaly_reports
from csphub.governance.exports import subject_access_zip
from csphub.governance.forms import PeriodForm, SubjectAccessForm
from csphub.governance.subject_access import subject_access_for


@requires_permission("governance.view_anomalies")
@audited_page(verbs.ANOMALIES_VIEWED)
def anomalies(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    date_from, date_to = form.period()
    reports = anomaly_reports(date_from, date_to) if valid else []
    note(
        request,
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        findings={r.key: str(len(r.findings)) for r in reports},
    )
    return render(
        request,
        "governance/anomalies.html",
        {"form": form, "reports": reports, "date_from": date_from, "date_to": date_to},
        status=200 if valid else 400,
    )


@requires_permission("governance.export_subject_access")
def subject_access(request: HttpRequest) -> HttpResponse:
    """The form asking whose export to make (it shows nobody's data)."""
    return render(request, "governance/subject_access.html", {"form": SubjectAccessForm()})


@require_POST
@requires_permission("governance.export_subject_access")
@audited_page(verbs.SUBJECT_ACCESS_EXPORTED)
def subject_access_export(request: HttpRequest) -> HttpResponse:
    """The person's subject access export (ZIP); the event names them and what it held."""
    form = SubjectAccessForm(request.POST)
    if not form.is_valid():
        return render(request, "governance/subject_access.html", {"form": form}, status=400)
    person = form.cleaned_data["reference"]
    export = subject_access_for(person)
    body = subject_access_zip(export)
    note(
        request,
        person=person.reference,
        held={key: str(n) for key, n in export.counts().items()},
    )
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{person.reference}.zip"'
    )
    return response
