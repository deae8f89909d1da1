"""Generate a partnership at a borough's scale: ``python bench/partnership.py [--scale 1]``.

Run against a database of its own (``DATABASE_URL=postgres://…/csphub_scale``) after
``csphub migrate``; it loads the demo partnership first when the database has none. At scale 1
it adds 50,000 people, 50,000 cases over ten years across the case panels (each with its
referral, subjects, assigned practitioners and a timeline entry), 5,000 meetings with agendas
and attendance, 200,000 actions and 1,000,000 audit events, for 200 users in 15 agencies.
``--scale 0.01`` makes a hundredth of everything but the users and agencies.

Seeded and deterministic: the same ``--seed`` and ``--until`` give the same ids, references,
dates and audit trail (the hashes differ only because they cover the users' ids, which the
accounts service draws). Rows go in with ``bulk_create`` in batches; audit events, which are most of
the volume, are hash-chained here with the audit app's own ``keyed_digest`` (continuing from
the chain's head) and written with PostgreSQL's ``COPY`` (``bulk_create`` on SQLite). Progress
goes to stderr.

Every generated user has a password and a confirmed TOTP device whose secret is derived from
the seed (``totp_key``), so a load test signs in through the real sign-in and second-factor
pages; ``--sign-ins FILE`` writes the e-mail, persona and password of each for it. Refused
under production settings.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import io
import json
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.settings")

#: Full-scale volumes (issue 15); --scale multiplies all but users and agencies.
VOLUMES = {
    "people": 50_000,
    "cases": 50_000,
    "meetings": 5_000,
    "actions": 200_000,
    "audit_events": 1_000_000,
}
USERS = 200
AGENCIES = 15
YEARS = 10
BATCH = 5_000
PASSWORD = "generated-partnership-password"  # a bench database's, printed in its sign-ins file

#: The persona mix of the generated users (the demo's ten come on top): mostly practitioners.
PERSONAS = [
    ("practitioner", 150),
    ("coordinator", 20),
    ("analyst", 8),
    ("executive", 6),
    ("dpo", 6),
]
EXTRA_AGENCIES = [
    ("Bexley Adult Social Care", "adult_social_care"),
    ("Oxleas NHS Foundation Trust", "health"),
    ("Bexley Further Education College", "education"),
    ("Orbit Housing Association", "housing"),
    ("Victim Support London South", "voluntary_sector"),
]
VIEW_VERBS = ["case.viewed", "person.viewed", "meeting.viewed", "action.viewed", "case.updated"]

Progress = Callable[[str], None]


def totp_key(seed: int, email: str) -> str:
    """The hex TOTP secret of a generated user: derived from the seed, so the load test knows it."""
    return hmac.new(f"partnership-{seed}".encode(), email.encode(), hashlib.sha256).hexdigest()[:40]


class Generator:
    """Builds the partnership into the configured database, seeded by SEED."""

    def __init__(self, *, seed: int, scale: float, until: date, progress: Progress) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.counts = {name: max(1, round(n * scale)) for name, n in VOLUMES.items()}
        self.until = until
        self.progress = progress
        self.started = time.perf_counter()

    # -- helpers -------------------------------------------------------------------------
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def references(self, prefix: str, n: int, taken: set[str]) -> list[str]:
        from csphub.lib.references import ALPHABET

        out: list[str] = []
        while len(out) < n:
            ref = f"{prefix}-" + "".join(self.rng.choice(ALPHABET) for _ in range(5))
            if ref not in taken:
                taken.add(ref)
                out.append(ref)
        return out

    def moment(self, start: datetime, end: datetime) -> datetime:
        return start + timedelta(seconds=self.rng.uniform(0, (end - start).total_seconds()))

    def say(self, what: str, n: int, began: float) -> None:
        took = time.perf_counter() - began
        rate = f", {n / took:,.0f}/s" if took > 0 else ""
        total = time.perf_counter() - self.started
        self.progress(f"  {what}: {n:,} in {took:.1f}s{rate} ({total:.0f}s so far)")

    def bulk(self, model: Any, rows: Iterator[Any] | list[Any], what: str) -> int:
        """bulk_create ROWS in batches, reporting each batch."""
        began = time.perf_counter()
        done = 0
        batch: list[Any] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_create(batch)
                done += len(batch)
                batch = []
                if done % (BATCH * 10) == 0:
                    self.say(f"{what} (so far)", done, began)
        if batch:
            model.objects.bulk_create(batch)
            done += len(batch)
        self.say(what, done, began)
        return done

    # -- the partnership -----------------------------------------------------------------
    def run(self) -> dict[str, int]:
        from django.core.management import call_command
        from django.test import override_settings

        from csphub.panels.models import Panel

        if not Panel.objects.exists():
            self.progress("Loading the demo partnership first …")
            # The demo's notification e-mails are not wanted on the terminal.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                call_command("demo", stdout=io.StringIO())
        from django.utils import timezone

        self.end = timezone.make_aware(datetime.combine(self.until, datetime.min.time()))
        self.start = self.end - timedelta(days=365 * YEARS)
        made = {}
        made["agencies"], made["users"] = self.users()
        made["people"] = self.people()
        made["cases"] = self.cases()
        made["meetings"], made["agenda_items"] = self.meetings()
        made["actions"] = self.actions()
        made["audit_events"] = self.audit_events()
        self.progress(f"Done in {time.perf_counter() - self.started:.0f}s: {made}")
        return made

    def users(self) -> tuple[int, int]:
        from django.contrib.auth.hashers import make_password
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from csphub.accounts import services
        from csphub.accounts.models import Agency, User
        from csphub.panels.choices import MembershipRole, PanelKind
        from csphub.panels.models import PanelMembership

        began = time.perf_counter()
        for name, kind in EXTRA_AGENCIES[: max(AGENCIES - Agency.objects.count(), 0)]:
            if not Agency.objects.filter(name=name).exists():
                services.do_create_agency(actor=None, name=name, kind=kind)
        self.agencies = list(Agency.objects.order_by("name"))
        self.panels = list(
            self.panel_model()
            .objects.filter(kind__in=[PanelKind.CREST, PanelKind.VIP, PanelKind.ASB_CMP])
            .order_by("slug")
        )
        wanted = USERS - User.objects.count()
        personas = [p for p, n in PERSONAS for _ in range(n)][: max(wanted, 0)]
        made = []
        for i, persona in enumerate(personas):
            agency = self.agencies[i % len(self.agencies)]
            made.append(
                services.do_create_user(
                    actor=None,
                    email=f"{persona}{i:03d}@partnership.bench",
                    full_name=f"Generated {persona.title()} {i:03d}",
                    agency=agency,
                    roles=[persona],
                    password=None,
                )
            )
        # One password hash for all (hashing 190 times with Argon2 would be most of the run).
        User.objects.filter(email__endswith="@partnership.bench").update(
            password=make_password(PASSWORD)
        )
        memberships = []
        devices = []
        for user in made:
            devices.append(
                TOTPDevice(
                    user=user,
                    name="Generated authenticator",
                    key=totp_key(self.seed, user.email),
                    confirmed=True,
                )
            )
            if user.email.startswith(("practitioner", "coordinator")):
                role = (
                    MembershipRole.COORDINATOR
                    if user.email.startswith("coordinator")
                    else MembershipRole.MEMBER
                )
                for panel in self.rng.sample(self.panels, k=self.rng.choice([1, 1, 2])):
                    memberships.append(PanelMembership(panel=panel, user=user, role=role))
        TOTPDevice.objects.bulk_create(devices)
        PanelMembership.objects.bulk_create(memberships, ignore_conflicts=True)
        self.users_by_agency: dict[Any, list[Any]] = {}
        self.practitioners = list(
            User.objects.filter(groups__name="Practitioner").order_by("email")
        )
        for user in User.objects.order_by("email"):
            self.users_by_agency.setdefault(user.agency_id, []).append(user)
        self.all_users = list(User.objects.order_by("email"))
        self.say("users (with TOTP devices and panel seats)", len(made), began)
        return len(self.agencies), User.objects.count()

    @staticmethod
    def panel_model() -> Any:
        from csphub.panels.models import Panel

        return Panel

    def people(self) -> int:
        from csphub.people.choices import Ethnicity, Gender
        from csphub.people.models import Person, name_key

        given = ["Amir", "Bella", "Callum", "Deja", "Ethan", "Fatima", "Grace", "Harvey", "Isla"]
        family = ["Adams", "Begum", "Clarke", "Davies", "Evans", "Fofana", "Green", "Hughes"]
        taken = set(Person.objects.values_list("reference", flat=True))
        n = self.counts["people"]
        refs = self.references("P", n, taken)
        self.person_ids: list[uuid.UUID] = []

        def rows() -> Iterator[Person]:
            for ref in refs:
                g, f = (
                    self.rng.choice(given),
                    f"{self.rng.choice(family)}-{self.rng.randrange(10**4)}",
                )
                pk = self.uuid()
                self.person_ids.append(pk)
                yield Person(
                    id=pk,
                    reference=ref,
                    given_name=g,
                    family_name=f,
                    name_key=name_key(g, f),
                    date_of_birth=date(1990, 1, 1) + timedelta(days=self.rng.randrange(365 * 20)),
                    gender=self.rng.choice(Gender.values),
                    ethnicity=self.rng.choice(Ethnicity.values),
                )

        return self.bulk(Person, rows(), "people")

    def cases(self) -> int:
        from csphub.panels.choices import (
            CaseStatus,
            ClosureOutcome,
            LawfulBasis,
            RiskLevel,
            SubjectRole,
            TransitionKind,
            TransitionStatus,
        )
        from csphub.panels.models import Case, CaseSubject, TimelineEntry, Transition

        n = self.counts["cases"]
        taken = set(Case.objects.values_list("reference", flat=True))
        refs = self.references("C", n, taken)
        recent = self.end - timedelta(days=365)
        self.cases_by_panel: dict[Any, list[tuple[datetime, uuid.UUID, Any]]] = {}
        specs = []
        for ref in refs:
            referred = self.moment(self.start, self.end)
            panel = self.rng.choice(self.panels)
            agency = self.rng.choice(self.agencies)
            if referred < recent or self.rng.random() < 0.3:
                status = CaseStatus.CLOSED
            else:
                status = self.rng.choice(
                    [CaseStatus.ACCEPTED, CaseStatus.ACTIVE, CaseStatus.ACTIVE, CaseStatus.REVIEW]
                )
            spec = (self.uuid(), ref, panel, agency, status, referred)
            specs.append(spec)
            self.cases_by_panel.setdefault(panel.pk, []).append((referred, spec[0], agency))
        for entries in self.cases_by_panel.values():
            entries.sort(key=lambda e: e[0])
        self.case_ids = [s[0] for s in specs]

        def case_rows() -> Iterator[Case]:
            for pk, ref, panel, agency, status, referred in specs:
                accepted = min(referred + timedelta(days=self.rng.randrange(1, 14)), self.end)
                closed = status == CaseStatus.CLOSED
                yield Case(
                    id=pk,
                    reference=ref,
                    panel=panel,
                    owning_agency=agency,
                    status=status,
                    risk_level=self.rng.choice(RiskLevel.values),
                    summary="Concern about exploitation and missing episodes, reported by school.",
                    plan="Joint visits by police and outreach; weekly contact with the family.",
                    referred_at=referred,
                    accepted_at=accepted,
                    review_due=(accepted + timedelta(days=panel.review_interval_days)).date(),
                    closed_at=accepted + timedelta(days=self.rng.randrange(30, 300))
                    if closed
                    else None,
                    closure_outcome=self.rng.choice(ClosureOutcome.values) if closed else "",
                )

        made = self.bulk(Case, case_rows(), "cases")

        def subject_rows() -> Iterator[CaseSubject]:
            people = self.person_ids
            for pk, *_ in specs:
                for k in range(self.rng.choice([1, 1, 2])):
                    yield CaseSubject(
                        id=self.uuid(),
                        case_id=pk,
                        person_id=people[self.rng.randrange(len(people))],
                        role=SubjectRole.AT_RISK if k == 0 else SubjectRole.ASSOCIATE,
                    )

        self.bulk(CaseSubject, subject_rows(), "case subjects")

        def referral_rows() -> Iterator[Transition]:
            for pk, _ref, panel, agency, _status, referred in specs:
                yield Transition(
                    id=self.uuid(),
                    case_id=pk,
                    kind=TransitionKind.REFERRAL,
                    status=TransitionStatus.ACCEPTED,
                    to_panel=panel,
                    from_agency=agency,
                    made_by=self.rng.choice(self.users_by_agency.get(agency.pk) or self.all_users),
                    made_at=referred,
                    reason_category="criminal_exploitation",
                    reason="Missing episodes and new associates; school concerned.",
                    consent_given=True,
                    lawful_basis=LawfulBasis.SAFEGUARDING,
                    risk_level=RiskLevel.MEDIUM,
                    decided_at=referred + timedelta(days=3),
                    decision_reason="Meets the threshold.",
                )

        self.bulk(Transition, referral_rows(), "referrals")

        def timeline_rows() -> Iterator[TimelineEntry]:
            for pk, *_rest, referred in specs:
                yield TimelineEntry(
                    id=self.uuid(),
                    case_id=pk,
                    kind="referral.made",
                    occurred_at=referred,
                    summary="Referred to the panel",
                )

        self.bulk(TimelineEntry, timeline_rows(), "timeline entries")

        through = Case.assigned_practitioners.through

        def assignment_rows() -> Iterator[Any]:
            for pk, *_ in specs:
                for user in self.rng.sample(self.practitioners, k=self.rng.choice([1, 2])):
                    yield through(case_id=pk, user_id=user.pk)

        self.bulk(through, assignment_rows(), "practitioner assignments")
        return made

    def meetings(self) -> tuple[int, int]:
        from bisect import bisect_left

        from csphub.meetings.choices import AgendaReason, AttendanceStatus
        from csphub.meetings.models import AgendaItem, Attendance, Meeting

        n = self.counts["meetings"]
        specs = []
        for _ in range(n):
            panel = self.rng.choice(self.panels)
            specs.append((self.uuid(), panel, self.moment(self.start, self.end)))
        self.items: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID, datetime, Any]] = []
        self.meeting_specs = specs

        def meeting_rows() -> Iterator[Meeting]:
            for pk, panel, when in specs:
                yield Meeting(
                    id=pk,
                    panel=panel,
                    scheduled_for=when,
                    location="Civic Offices, Committee Room 2",
                    minutes="Standing items taken; partnership updates noted.",
                    minutes_recorded_at=when + timedelta(days=2),
                )

        made = self.bulk(Meeting, meeting_rows(), "meetings")

        def item_rows() -> Iterator[AgendaItem]:
            for pk, panel, when in specs:
                cases = self.cases_by_panel.get(panel.pk, [])
                # The cases referred to this panel in the 90 days before the meeting.
                lo = bisect_left(cases, (when - timedelta(days=90),))
                hi = bisect_left(cases, (when,))
                window = cases[lo:hi]
                for position, (_ref, case_id, agency) in enumerate(
                    self.rng.sample(window, k=min(len(window), 8))
                ):
                    item_id = self.uuid()
                    self.items.append((item_id, pk, case_id, when, agency))
                    yield AgendaItem(
                        id=item_id,
                        meeting_id=pk,
                        case_id=case_id,
                        reason=self.rng.choice(
                            [AgendaReason.NEW_REFERRAL, AgendaReason.REVIEW_DUE]
                        ),
                        position=position,
                        discussion="Update from police and school; engagement improving.",
                        decision="Continue the plan; review next meeting.",
                        decided_at=when,
                    )

        items = self.bulk(AgendaItem, item_rows(), "agenda items")

        def attendance_rows() -> Iterator[Attendance]:
            for pk, _panel, _when in specs:
                for agency in self.rng.sample(self.agencies, k=6):
                    yield Attendance(
                        id=self.uuid(),
                        meeting_id=pk,
                        agency=agency,
                        status=self.rng.choice(AttendanceStatus.values),
                    )

        self.bulk(Attendance, attendance_rows(), "attendance")
        return made, items

    def actions(self) -> int:
        from csphub.meetings.choices import ActionStatus
        from csphub.meetings.models import Action

        n = self.counts["actions"]
        today = self.until

        def owner_in(agency: Any) -> Any:
            return self.rng.choice(self.users_by_agency.get(agency.pk) or self.all_users)

        def rows() -> Iterator[Action]:
            for i in range(n):
                kind = i % 10
                meeting_id = item_id = case_id = None
                theme = ""
                if kind < 6 and self.items:  # agreed on an agenda item
                    item_id, meeting_id, case_id, when, agency = self.rng.choice(self.items)
                elif kind < 9:  # a case's own action, outside any meeting
                    case_id = self.case_ids[self.rng.randrange(len(self.case_ids))]
                    when = self.moment(self.start, self.end)
                    agency = self.rng.choice(self.agencies)
                else:  # a meeting's own action, on a theme
                    meeting_id, _panel, when = self.rng.choice(self.meeting_specs)
                    agency = self.rng.choice(self.agencies)
                    theme = "Knife crime, under-18s"
                due = (when + timedelta(days=self.rng.randrange(7, 60))).date()
                done = due < today - timedelta(days=30) and self.rng.random() < 0.9
                yield Action(
                    id=self.uuid(),
                    meeting_id=meeting_id,
                    item_id=item_id,
                    case_id=case_id,
                    theme=theme,
                    description="Arrange a joint home visit and report back to the panel.",
                    owning_agency=agency,
                    owner=owner_in(agency),
                    due_on=due,
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                    completed_on=due if done else None,
                )

        return self.bulk(Action, rows(), "actions")

    def audit_events(self) -> int:
        from django.db import connection, transaction

        from csphub.audit.chain import GENESIS, KEYED_SCHEME, keyed_digest
        from csphub.audit.keys import current_key
        from csphub.audit.models import AuditEvent

        n = self.counts["audit_events"]
        key_id, key = current_key()
        began = time.perf_counter()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # the lock record() takes to append
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [7_301_2026])
            head = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
            seq, prev = (head["seq"], head["hash"]) if head else (0, GENESIS)
            targets = [("panels.case", c) for c in self.case_ids[:20_000]] + [
                ("people.person", p) for p in self.person_ids[:20_000]
            ]
            # The newest generated event is older than now, so events written after it by the
            # application stay in time order too.
            step = (self.end - timedelta(days=1) - self.start) / n
            # In UTC, as record() stamps events: the hash covers the time as written, and the
            # database gives it back in UTC, so a local time would not verify after a clock change.
            at = self.start.astimezone(UTC)

            def events() -> Iterator[dict[str, Any]]:
                nonlocal seq, prev, at
                for _ in range(n):
                    seq += 1
                    at += step
                    actor = self.all_users[self.rng.randrange(len(self.all_users))]
                    target_type, target_id = targets[self.rng.randrange(len(targets))]
                    verb = self.rng.choice(VIEW_VERBS)
                    fields = {
                        "seq": seq,
                        "occurred_at": at,
                        "actor_id": actor.pk,
                        "actor_label": actor.email,
                        "verb": verb,
                        "target_type": target_type,
                        "target_id": str(target_id),
                        "payload": {},
                        "ip_address": f"10.0.{self.rng.randrange(256)}.{self.rng.randrange(256)}",
                        "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                    }
                    digest = keyed_digest(key=key, key_id=key_id, prev_hash=prev, **fields)
                    yield {**fields, "prev_hash": prev, "hash": digest}
                    prev = digest

            written = self._write_events(events(), key_id, KEYED_SCHEME, began)
        self.say("audit events (hash-chained)", written, began)
        return written

    def _write_events(
        self, events: Iterator[dict[str, Any]], key_id: str, scheme: str, began: float
    ) -> int:
        from django.db import connection

        from csphub.audit.models import AuditEvent

        written = 0
        if connection.vendor != "postgresql":
            batch = []
            for e in events:
                batch.append(AuditEvent(**e, hash_scheme=scheme, key_id=key_id))
                if len(batch) == BATCH:
                    AuditEvent.objects.bulk_create(batch)
                    written += len(batch)
                    batch = []
            AuditEvent.objects.bulk_create(batch)
            return written + len(batch)
        columns = [
            "seq",
            "occurred_at",
            "actor_id",
            "actor_label",
            "verb",
            "target_type",
            "target_id",
            "payload",
            "ip_address",
            "user_agent",
            "prev_hash",
            "hash",
            "hash_scheme",
            "key_id",
        ]
        sql = f"COPY audit_auditevent ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for e in events:
                copy.write_row(
                    [
                        *(e[c] for c in columns[:7]),
                        json.dumps(e["payload"]),
                        e["ip_address"],
                        e["user_agent"],
                        e["prev_hash"],
                        e["hash"],
                        scheme,
                        key_id,
                    ]
                )
                written += 1
                if written % 100_000 == 0:
                    self.say("audit events (so far)", written, began)
        return written


def write_sign_ins(path: Path, seed: int) -> int:
    """The generated users' e-mails, personas and password, for the load test (bench/locustfile.py)."""
    from csphub.accounts.models import User

    users = [
        {"email": u.email, "persona": u.email.split("@")[0].rstrip("0123456789")}
        for u in User.objects.filter(email__endswith="@partnership.bench").order_by("email")
    ]
    path.write_text(json.dumps({"seed": seed, "password": PASSWORD, "users": users}, indent=1))
    return len(users)


def main(argv: Sequence[str] | None = None) -> dict[str, int]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = issue 15's volumes")
    parser.add_argument(
        "--until", type=date.fromisoformat, default=date.today(), help="the last day (ISO)"
    )
    parser.add_argument("--sign-ins", type=Path, help="write the generated sign-ins here (JSON)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if settings.PRODUCTION:
        raise SystemExit("Refused: a generated partnership never goes into a production database.")
    from csphub.panels.models import Case

    if Case.objects.filter(reference__startswith="C-").count() > 100:
        raise SystemExit(
            f"Refused: {connection.settings_dict['NAME']} already holds casework; generate into"
            " an empty database (createdb, csphub migrate)."
        )

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    progress(f"Generating into {connection.vendor} database {connection.settings_dict['NAME']}")
    made = Generator(seed=args.seed, scale=args.scale, until=args.until, progress=progress).run()
    if args.sign_ins:
        write_sign_ins(args.sign_ins, args.seed)
    return made


if __name__ == "__main__":
    main()
