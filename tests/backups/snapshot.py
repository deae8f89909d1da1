"""Print a JSON map of page -> SHA-256 of its HTML for the instance the environment names.

Run in a subprocess by the round-trip tests (``python -m tests.backups.snapshot``) against the
instance backed up and the instance restored from it; the two maps must be equal. The nonce
and CSRF token, which differ on every response, are blanked first.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from csphub.accounts.models import User  # noqa: E402
from csphub.meetings.models import Meeting  # noqa: E402
from csphub.panels.models import Case  # noqa: E402
from tests.conftest import sign_in  # noqa: E402

_VARYING = re.compile(rb'(nonce="|name="csrfmiddlewaretoken" value="|csrf-token" content=")[^"]*')


def main(email: str) -> None:
    client = sign_in(Client(), User.objects.get(email=email))
    urls = [reverse("core:home"), reverse("panels:case_list"), reverse("crime:figures")]
    urls += [
        reverse("panels:case_detail", args=[c]) for c in Case.objects.values_list("id", flat=True)
    ]
    urls += [
        reverse("meetings:meeting_detail", args=[m])
        for m in Meeting.objects.values_list("id", flat=True)
    ]
    pages = {}
    for url in sorted(urls):
        response = client.get(url)
        body = _VARYING.sub(rb"\1", response.content)
        pages[url] = f"{response.status_code} {hashlib.sha256(body).hexdigest()}"
    print(json.dumps(pages, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
