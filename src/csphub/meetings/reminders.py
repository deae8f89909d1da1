"""Overdue-action e-mails: owners' reminders (at most one a day per action) and each panel
co-ordinator's daily digest (at most one a day per co-ordinator). No personal data in either.

An e-mail can be forwarded or read on a phone, so it carries only what identifies the work:
the panel, due dates or counts by agency, pseudonymous references of the cases the reader may
still open and links that ask the reader to sign in. The actions' wording, themes and places
stay behind the sign-in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from csphub.accounts.models import User
from csphub.audit import record
from csphub.meetings import verbs
from csphub.meetings.choices import OPEN_ACTION_STATUSES
from csphub.meetings.models import Action, CoordinatorDigest
from csphub.meetings.selectors import actions_of_panels, overdue, panels_run_by
from csphub.panels.choices import MembershipRole
from csphub.panels.models import Panel
from csphub.panels.selectors import cases_visible_to


def _meeting_action_ref(action: Action) -> str:
    """A meeting action by its place's pseudonymous reference: its theme is free text, which
    stays behind the sign-in like the action's wording. A plan item's milestone is named by
    the plan item's number."""
    if action.plan_item is not None:
        return f"milestone of {action.plan_item}"
    place = f", place {action.place.reference}" if action.place else ""
    return f"action for the meeting{place}"


def reminder_text(
    actions: list[Action], *, visible_case_ids: Set[Any], base_url: str, today: date
) -> str:
    """The owner's reminder. An action on a case the owner may no longer open (the case has
    moved to another panel, say) is listed without the case's reference or a link."""
    lines = [
        "You own actions agreed by a partnership panel that are now overdue.",
        "Sign in to see and update them.",
        "",
    ]
    for action in actions:
        days = (today - action.due_on).days
        late = f"due {action.due_on:%d %B %Y} ({days} day{'s' if days != 1 else ''} overdue)"
        if action.case is not None and action.case_id not in visible_case_ids:
            lines.append(f"- {action.heading}, an action on a case you can no longer open: {late}")
            lines.append("  Tell the panel's co-ordinator: you can no longer see or update it.")
            continue
        if action.grant_id is not None:
            lines.append(f"- {action.heading}: {late}")
        else:
            ref = f"case {action.case.reference}" if action.case else _meeting_action_ref(action)
            lines.append(f"- {action.heading}, {ref}: {late}")
        lines.append(
            f"  {base_url.rstrip('/')}{reverse('meetings:action_detail', args=[action.pk])}"
        )
    lines += [
        "",
        f"{settings.SERVICE_NAME}, {settings.PARTNERSHIP_NAME}.",
        "This e-mail holds no personal details. Do not reply to it.",
    ]
    return "\n".join(lines)


def send_action_reminders(*, today: date, base_url: str) -> int:
    """E-mail each owner of an overdue action not yet reminded today; return e-mails sent."""
    due = (
        Action.objects.filter(
            status__in=OPEN_ACTION_STATUSES, due_on__lt=today, owner__is_active=True
        )
        .exclude(last_reminded_on=today)
        .exclude(owner__email="")
        .select_related("owner", "case__panel", "place", "meeting__panel", "plan_item__plan__board")
        .order_by("owner_id", "due_on")
    )
    by_owner: dict[object, list[Action]] = defaultdict(list)
    for action in due:
        by_owner[action.owner_id].append(action)
    sent = 0
    for actions in by_owner.values():
        owner = actions[0].owner
        count = len(actions)
        subject = f"{count} overdue panel action{'s' if count != 1 else ''}"
        # The same rule as the action's page: a case the owner may no longer open is not named.
        case_ids = {a.case_id for a in actions if a.case_id is not None}
        visible = set(cases_visible_to(owner).filter(pk__in=case_ids).values_list("pk", flat=True))
        send_mail(
            subject,
            reminder_text(actions, visible_case_ids=visible, base_url=base_url, today=today),
            settings.DEFAULT_FROM_EMAIL,
            [owner.email],
        )
        # Marked only once the e-mail has gone, so a failure is retried by the next run.
        with transaction.atomic():
            Action.objects.filter(pk__in=[a.pk for a in actions]).update(last_reminded_on=today)
            for action in actions:
                record(
                    verb=verbs.ACTION_REMINDER_SENT,
                    actor=None,
                    target=action,
                    payload={"owner": str(owner.pk), "days_overdue": (today - action.due_on).days},
                )
        sent += 1
    return sent


def digest_text(
    by_panel: list[tuple[Panel, list[Action]]],
    *,
    visible_case_ids: Set[Any],
    base_url: str,
    today: date,
) -> str:
    """The co-ordinator's digest: per panel, overdue counts by agency and the cases concerned."""
    base = base_url.rstrip("/")
    lines = [
        f"Overdue actions on the panels you co-ordinate, {today:%d %B %Y}.",
        "Sign in to see the actions and chase their owners.",
    ]
    for panel, actions in by_panel:
        count = len(actions)
        lines += ["", f"{panel.name}: {count} overdue action{'s' if count != 1 else ''}"]
        agencies: dict[str, int] = defaultdict(int)
        for action in actions:
            agencies[action.owning_agency.name] += 1
        lines.append("  By agency:")
        lines += [f"  - {name}: {n}" for name, n in sorted(agencies.items())]
        cases = {a.case.pk: a.case for a in actions if a.case is not None}
        shown = [c for pk, c in cases.items() if pk in visible_case_ids]
        if shown:
            lines.append("  Cases:")
        for case in sorted(shown, key=lambda c: c.reference):
            link = reverse("panels:case_detail", args=[case.pk])
            lines.append(f"  - {case.reference}: {base}{link}")
        if len(shown) < len(cases):
            hidden = len(cases) - len(shown)
            lines.append(f"  Cases since moved out of your sight: {hidden}")
        meeting_level = sum(1 for a in actions if a.case is None)
        if meeting_level:
            lines.append(f"  Actions for a meeting as a whole: {meeting_level}")
        link = reverse("meetings:panel_overdue", args=[panel.pk])
        lines.append(f"  All overdue actions: {base}{link}")
    lines += [
        "",
        f"{settings.SERVICE_NAME}, {settings.PARTNERSHIP_NAME}.",
        "This e-mail holds no personal details. Do not reply to it.",
    ]
    return "\n".join(lines)


def send_coordinator_digests(*, today: date, base_url: str) -> int:
    """E-mail each co-ordinator with overdue actions on their panels one digest a day."""
    already = CoordinatorDigest.objects.filter(sent_on=today).values("coordinator_id")
    coordinators = (
        User.objects.filter(is_active=True, panel_memberships__role=MembershipRole.COORDINATOR)
        .exclude(email="")
        .exclude(pk__in=already)
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for coordinator in coordinators:
        # The same rule as the overdue-actions page: panels they co-ordinate and may run.
        panels = list(panels_run_by(coordinator).order_by("name"))
        actions = list(
            overdue(Action.objects.filter(actions_of_panels(panels)), today)
            .select_related("case__panel", "owning_agency", "meeting__panel")
            .order_by("due_on")
        )
        if not actions:
            continue
        by_panel = [(p, [a for a in actions if a.panel and a.panel.pk == p.pk]) for p in panels]
        by_panel = [(p, found) for p, found in by_panel if found]
        case_ids = {a.case_id for a in actions if a.case_id is not None}
        visible = set(
            cases_visible_to(coordinator).filter(pk__in=case_ids).values_list("pk", flat=True)
        )
        count = len(actions)
        send_mail(
            f"Daily digest: {count} overdue action{'s' if count != 1 else ''} on your panels",
            digest_text(by_panel, visible_case_ids=visible, base_url=base_url, today=today),
            settings.DEFAULT_FROM_EMAIL,
            [coordinator.email],
        )
        # Recorded once the e-mail has gone, so a failure is retried by the next run.
        with transaction.atomic():
            digest = CoordinatorDigest.objects.create(
                coordinator=coordinator, sent_on=today, overdue_actions=count
            )
            record(
                verb=verbs.COORDINATOR_DIGEST_SENT,
                actor=None,
                target=digest,
                payload={
                    "coordinator": str(coordinator.pk),
                    "day": today.isoformat(),
                    "actions": count,
                    "panels": [str(p.pk) for p, _ in by_panel],
                },
            )
        sent += 1
    return sent
