"""factory_boy factories shared by every app's tests: agencies and users, people and places,
panels, memberships, cases, transitions and offences. The ``partnership`` fixture
(tests/partnership.py) is built from these."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from django.contrib.auth.models import Group

from csphub.accounts.choices import AgencyKind
from csphub.accounts.models import Agency, User
from csphub.accounts.roles import ROLES
from csphub.panels.choices import (
    CaseStatus,
    MembershipRole,
    PanelKind,
    RiskLevel,
    SubjectRole,
    TransitionKind,
    TransitionStatus,
)
from csphub.panels.models import Case, CaseSubject, Offence, Panel, PanelMembership, Transition
from csphub.people.models import Person, Place

PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[ROLES[k].label for k in extracted]))
        self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = date(2009, 5, 17)
    address = "1 Example Road, Bexleyheath DA6 7AA"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Park {n}")
    kind = "park"
    lsoa_code = "E01000353"
    ward_name = "Bexleyheath"


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Panel {n}")
    slug = factory.Sequence(lambda n: f"panel-{n}")
    kind = PanelKind.OTHER
    purpose = "Multi-agency risk management."
    meeting_cadence = "Monthly"
    referral_criteria = "Anyone at risk."
    review_interval_days = 42


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMembership

    panel = factory.SubFactory(PanelFactory)
    role = MembershipRole.MEMBER


class CaseFactory(factory.django.DjangoModelFactory):
    """A case with one person as its subject (pass subject=None for none)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    panel = factory.SubFactory(PanelFactory)
    owning_agency = factory.SubFactory(AgencyFactory)
    status = CaseStatus.ACTIVE
    risk_level = RiskLevel.MEDIUM
    summary = "Concern about exploitation near the town centre."

    @factory.post_generation
    def subject(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or extracted is False:
            return
        person = extracted or PersonFactory()
        CaseSubject.objects.create(case=self, person=person, role=SubjectRole.AT_RISK)


class TransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transition

    case = factory.SubFactory(CaseFactory)
    kind = TransitionKind.REFERRAL
    status = TransitionStatus.ACCEPTED
    to_panel = factory.SelfAttribute("case.panel")
    reason = "Concern raised by school."
    consent_given = True
    risk_level = RiskLevel.MEDIUM


class OffenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offence

    person = factory.SubFactory(PersonFactory)
    offence_date = date(2024, 1, 10)
    category = "VIOLENCE AGAINST THE PERSON/VIOLENCE WITH INJURY"
    harm_weight = 120.0
