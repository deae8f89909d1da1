"""The load test: a persona mix signed in to the generated partnership (bench/partnership.py).

    CSPHUB_SIGN_INS=/tmp/sign-ins.json .venv/bin/locust -f bench/locustfile.py --headless \
        --host http://127.0.0.1:8765 -u 50 -r 10 -t 3m --csv /tmp/load-50

Each simulated user takes a generated account of its persona (none is shared within a run) and
signs in through the real pages: the sign-in form, then the second factor with the code its
authenticator would show (the secret derives from the generator's seed, ``totp_key``). It then
finds records it may open from its own pages (the case list, a case's subjects and meetings), so
it only asks for what the access rules give it, and reads: home, the case list (filtered, a later
page), a case, a person, a meeting, the DPO's audit page (filtered) and the figures page.
Requests are named by page, so the statistics are per page; a non-200 answer is an error.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django_otp.oath import totp
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.partnership import totp_key

CASE = re.compile(r'href="/cases/([0-9a-f-]{36})/"')
PERSON = re.compile(r'href="/people/(P-[0-9A-Z]{5})/"')
MEETING = re.compile(r'href="/meetings/([0-9a-f-]{36})/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_sign_ins = json.loads(Path(os.environ.get("CSPHUB_SIGN_INS", "/tmp/sign-ins.json")).read_text())
_pools: dict[str, Iterator[str]] = {}
rng = random.Random(int(os.environ.get("LOAD_SEED", "15")))


def _next_account(persona: str) -> str:
    if persona not in _pools:
        _pools[persona] = iter(u["email"] for u in _sign_ins["users"] if u["persona"] == persona)
    try:
        return next(_pools[persona])
    except StopIteration:
        raise RuntimeError(f"more simulated {persona}s than generated accounts") from None


class Signed(HttpUser):
    """A user of one persona, signed in with both factors before its first task."""

    abstract = True
    persona = ""
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.email = _next_account(self.persona)
        self.cases: list[str] = []
        self.people: list[str] = []
        self.meetings: list[str] = []
        self._post_form(
            "/accounts/sign-in/",
            {"username": self.email, "password": _sign_ins["password"]},
            name="sign in",
        )
        code = f"{totp(bytes.fromhex(totp_key(_sign_ins['seed'], self.email))):06d}"
        landed = self._post_form(
            "/accounts/two-factor/verify/", {"token": code, "next": "/"}, name="second factor"
        )
        if landed.url is None or "two-factor" in landed.url:
            raise RuntimeError(f"second factor refused for {self.email}")

    def _post_form(self, path: str, data: dict[str, str], *, name: str) -> Any:
        page = self.client.get(path, name=f"setup: {name}")
        token = CSRF.search(page.text)
        if token is None:
            raise RuntimeError(f"no form at {path} for {self.email}")
        return self.client.post(
            path, {**data, "csrfmiddlewaretoken": token.group(1)}, name=f"setup: {name}"
        )

    def _discover(self) -> None:
        listed = self.client.get("/cases/?sort=referred", name="setup: find cases").text
        self.cases = CASE.findall(listed)[:20]
        for case_id in self.cases[:5]:
            page = self.client.get(f"/cases/{case_id}/", name="setup: find people").text
            self.people += PERSON.findall(page)
            self.meetings += MEETING.findall(page)

    def get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {name}")

    def home(self) -> None:
        self.get("/", "home")

    def case_list(self) -> None:
        status = rng.choice(["active", "review", "accepted"])
        page = rng.choice([1, 2, 3])
        self.get(f"/cases/?status={status}&sort=referred&page={page}", "case list (filtered)")

    def case_page(self) -> None:
        if not self.cases:
            self._discover()
        if self.cases:
            self.get(f"/cases/{rng.choice(self.cases)}/", "case page")

    def person_page(self) -> None:
        if not self.cases:
            self._discover()
        if self.people:
            self.get(f"/people/{rng.choice(self.people)}/", "person page")

    def meeting_page(self) -> None:
        if not self.cases:
            self._discover()
        if self.meetings:
            self.get(f"/meetings/{rng.choice(self.meetings)}/", "meeting page")


class Practitioner(Signed):
    # 8:2:1:1 keeps each persona within its generated accounts at 50 users (150 practitioners,
    # 20 co-ordinators, 6 DPOs, 8 analysts): locust rounds the small classes up.
    weight = 8
    persona = "practitioner"

    @task(2)
    def t_home(self) -> None:
        self.home()

    @task(3)
    def t_list(self) -> None:
        self.case_list()

    @task(4)
    def t_case(self) -> None:
        self.case_page()

    @task(2)
    def t_person(self) -> None:
        self.person_page()

    @task(1)
    def t_meeting(self) -> None:
        self.meeting_page()


class Coordinator(Practitioner):
    weight = 2
    persona = "coordinator"

    @task(3)
    def t_meeting(self) -> None:
        self.meeting_page()


class DataProtectionOfficer(Signed):
    weight = 1
    persona = "dpo"

    @task(1)
    def t_home(self) -> None:
        self.home()

    @task(3)
    def t_audit(self) -> None:
        verb = rng.choice(["case.viewed", "person.viewed", "meeting.viewed"])
        when = rng.choice(["2019-03", "2022-07", "2025-11"])
        self.get(
            f"/audit/?verb={verb}&date_from={when}-01&date_to={when}-28", "audit page (filtered)"
        )


class Analyst(Signed):
    weight = 1
    persona = "analyst"

    @task(1)
    def t_home(self) -> None:
        self.home()

    @task(3)
    def t_figures(self) -> None:
        self.get("/crime/", "figures page")


@events.test_start.add_listener
def _say_mix(environment: Any, **_: Any) -> None:
    print(f"persona mix: {[(c.__name__, c.weight) for c in environment.user_classes]}")
