"""Helpers for ASB case review tests: applications made through the services."""

from __future__ import annotations

from datetime import date

import pytest

from csphub.accounts.roles import COORDINATOR, CSP_ADMIN, EXECUTIVE, PRACTITIONER
from csphub.casereview import services


@pytest.fixture
def coordinator(make_user):
    return make_user(COORDINATOR, full_name="Casey Coordinator")


@pytest.fixture
def admin(make_user):
    return make_user(CSP_ADMIN)


@pytest.fixture
def practitioner(make_user, police):
    return make_user(PRACTITIONER, agency=police)


@pytest.fixture
def executive(make_user):
    return make_user(EXECUTIVE)


@pytest.fixture
def make_review(coordinator):
    def make(received_on: date = date(2025, 3, 3), complaints: int = 0, **kwargs):
        fields = {
            "applicant_name": "Jean Applicant",
            "problem_summary": "Loud music every night",
            "applicant_address": "1 Example Road, Welling",
            **kwargs,
        }
        review = services.do_create_case_review(
            actor=coordinator, received_on=received_on, **fields
        )
        for i in range(complaints):
            services.do_add_complaint(
                actor=coordinator,
                review=review,
                problem="Noise from flat 3",
                incident_on=date(2025, 1, 10 + i),
                reported_on=date(2025, 1, 12 + i),
            )
        return review

    return make
