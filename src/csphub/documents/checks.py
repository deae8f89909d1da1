"""System checks: documents are scanned somewhere that can be reached, and kept where the web
server does not serve files from."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

from csphub.documents.filetypes import TYPES


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


@register()
def documents_settings_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    address = urlsplit(settings.DOCUMENTS_CLAMD)
    if not (
        (address.scheme == "unix" and address.path)
        or (address.scheme == "tcp" and address.hostname and address.port)
    ):
        errors.append(
            Error(
                f"CSPHUB_CLAMD is {settings.DOCUMENTS_CLAMD!r}: give unix:///path/to/clamd.ctl "
                "or tcp://host:port.",
                hint="Every document is scanned by clamd before it is kept (docs/documents.md).",
                id="documents.E001",
            )
        )
    unknown = sorted(set(settings.DOCUMENTS_TYPES) - set(TYPES))
    if unknown or not settings.DOCUMENTS_TYPES:
        errors.append(
            Error(
                f"CSPHUB_DOCUMENTS_TYPES names types csphub cannot check: {', '.join(unknown)}"
                if unknown
                else "CSPHUB_DOCUMENTS_TYPES allows no type of file.",
                hint=f"Choose from {', '.join(sorted(TYPES))}.",
                id="documents.E002",
            )
        )
    documents = Path(settings.DOCUMENTS_DIR)
    served = [Path(settings.STATIC_ROOT), *(Path(d) for d in settings.STATICFILES_DIRS)]
    served.append(Path(settings.BASE_DIR) / "static")
    if any(_inside(documents, folder) for folder in served if str(folder)):
        errors.append(
            Error(
                f"CSPHUB_DOCUMENTS_DIR ({documents}) is inside a folder of static files.",
                hint="Keep documents under the data directory, outside anything a web server "
                "serves: they are served only through their record's access rule.",
                id="documents.E003",
            )
        )
    if settings.DOCUMENTS_MAX_BYTES <= 0:
        errors.append(Error("CSPHUB_DOCUMENTS_MAX_MB must be more than 0.", id="documents.E004"))
    return errors
