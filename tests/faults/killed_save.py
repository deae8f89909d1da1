"""A save killed with SIGKILL half-way, as a server process would be: run by
test_killed_processes.py in subprocesses against an instance of its own.

``python -m tests.faults.killed_save setup``  builds the test partnership; prints its case and the
                                              user who may edit it
``... hold CASE USER``  saves the case's plan through ``do_update_case`` from the version it
                        read, but stops inside the save's transaction, after the UPDATE and
                        before the audit event and commit: prints ``saving`` and waits (to be killed)
``... check CASE USER`` prints the case as stored, and saves it again from that version
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")
django.setup()

from csphub.accounts.models import User  # noqa: E402
from csphub.audit.models import AuditEvent  # noqa: E402
from csphub.panels.models import Case  # noqa: E402
from csphub.panels.selectors import case_edits_for  # noqa: E402
from csphub.panels.services import casework  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from tests.partnership import build  # noqa: E402

HELD_PLAN = "the plan of the save that was killed"


def _user(*roles: str, agency: Any = None, **kwargs: Any) -> User:
    return UserFactory(roles=list(roles), **({"agency": agency} if agency else {}), **kwargs)


def setup() -> dict[str, Any]:
    world = build(_user)
    assert "plan" in case_edits_for(world.owner, world.case)
    case = world.case
    return {"case": str(case.pk), "user": str(world.owner.pk), "version": case.version}


def hold(case_id: str, user_id: str) -> None:
    real = casework.record_case_event

    def stop_here(**kwargs: Any) -> Any:
        print("saving", flush=True)
        sys.stdin.readline()  # killed here, with the UPDATE made and not committed
        return real(**kwargs)

    casework.record_case_event = stop_here  # type: ignore[assignment]
    case = Case.objects.get(pk=case_id)
    casework.do_update_case(
        actor=User.objects.get(pk=user_id), case=case, expected_version=case.version,
        plan=HELD_PLAN,
    )  # fmt: skip


def check(case_id: str, user_id: str) -> dict[str, Any]:
    case = Case.objects.get(pk=case_id)
    stored = {"version": case.version, "plan": case.plan, "events": AuditEvent.objects.count()}
    casework.do_update_case(
        actor=User.objects.get(pk=user_id), case=case, expected_version=case.version,
        plan="the plan saved after the restart",
    )  # fmt: skip
    case.refresh_from_db()
    return {"stored": stored, "after": {"version": case.version, "plan": case.plan}}


if __name__ == "__main__":
    step, *ids = sys.argv[1:]
    if step == "hold":
        hold(*ids)
    else:
        print(json.dumps(setup() if step == "setup" else check(*ids)))
