"""A subject access export as one ZIP: a PDF to read, a JSON file for machines, the files."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from csphub.documents.storage import path_of
from csphub.governance.subject_access import SECTIONS, THIRD_PARTY, SubjectAccess
from csphub.meetings.exports import MARKING

README = """Subject access export for {reference}, made {made}.

subject-access.pdf   everything held, to read
subject-access.json  the same, for machines (UTF-8 JSON; the same sections and fields)
documents/           the documents attached to the records, as they were uploaded

Other people's names and references are replaced by "{third_party}" in the text the service
holds. The documents are the files partner agencies uploaded, unchanged: review them for
third parties' details before this export is released.
"""


def subject_access_json(export: SubjectAccess) -> bytes:
    body = {
        "reference": export.person.reference,
        "made_at": timezone.now().isoformat(),
        "partnership": settings.PARTNERSHIP_NAME,
        "redaction": f"Other people's names and references are replaced by {THIRD_PARTY!r}.",
        **{key: export.sections.get(key, []) for key, _ in SECTIONS},
    }
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


def _shown(value: Any) -> str:
    """A JSON value as the PDF prints it: nested rows (an NRM referral's decisions) as lines."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(
            "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in item.items())
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return str(value)


def _readable(row: dict[str, Any]) -> list[tuple[str, str]]:
    return [(name.replace("_", " ").capitalize(), _shown(value)) for name, value in row.items()]


def subject_access_pdf(export: SubjectAccess) -> bytes:
    from weasyprint import HTML

    sections = [
        (title, [_readable(row) for row in export.sections.get(key, [])]) for key, title in SECTIONS
    ]
    html = render_to_string(
        "governance/subject_access_pdf.html",
        {
            "reference": export.person.reference,
            "sections": sections,
            "marking": MARKING,
            "third_party": THIRD_PARTY,
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
            "generated_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def subject_access_zip(export: SubjectAccess) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                reference=export.person.reference,
                made=timezone.localtime().strftime("%d %B %Y %H:%M"),
                third_party=THIRD_PARTY,
            ),
        )
        archive.writestr("subject-access.json", subject_access_json(export))
        archive.writestr("subject-access.pdf", subject_access_pdf(export))
        for row, document in zip(export.sections["documents"], export.documents, strict=True):
            path = path_of(document.storage_name)
            if path.exists():
                archive.write(path, row["file"])
    return buffer.getvalue()
