"""The demo partnership's agencies and sign-ins (Bexley). Idempotent."""

from __future__ import annotations

from typing import TextIO

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts import services
from csphub.accounts.choices import AgencyKind
from csphub.accounts.models import Agency, User
from csphub.accounts.roles import (
    ANALYST,
    COORDINATOR,
    CSP_ADMIN,
    DPO,
    EXECUTIVE,
    PRACTITIONER,
    requires_two_factor,
)

# The demo TOTP secret, as typed into an authenticator app (base32) and as stored (hex).
DEMO_TOTP_BASE32 = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_TOTP_HEX = "48656c6c6f21deadbeef48656c6c6f21deadbeef"

AGENCIES: list[tuple[str, str]] = [
    ("London Borough of Bexley Community Safety", AgencyKind.COMMUNITY_SAFETY),
    ("Metropolitan Police South East BCU", AgencyKind.POLICE),
    ("Bexley Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE),
    ("Bexley Youth Justice Service", AgencyKind.YOUTH_JUSTICE),
    ("Bexley Secondary Schools Partnership", AgencyKind.EDUCATION),
    ("South East London Integrated Care Board", AgencyKind.HEALTH),
    ("Bexley Housing Services", AgencyKind.HOUSING),
    ("Probation Service Bexley", AgencyKind.PROBATION),
    ("London Fire Brigade Bexley", AgencyKind.FIRE),
    ("Safer Streets Youth Outreach (commissioned)", AgencyKind.VOLUNTARY_SECTOR),
]

# email, full name, job title, agency index, roles
USERS: list[tuple[str, str, str, int, list[str]]] = [
    ("admin@bexley.demo", "Alex Morgan", "Community Safety Manager", 0, [CSP_ADMIN]),
    ("analyst@bexley.demo", "Priya Shah", "Community Safety Analyst", 0, [ANALYST]),
    ("crest@bexley.demo", "Jordan Ellis", "CREST Panel Co-ordinator", 0, [COORDINATOR]),
    ("vip@bexley.demo", "Sam Okafor", "Violence and Community Risk Co-ordinator", 0, [COORDINATOR]),
    ("executive@bexley.demo", "Helen Carter", "Director of Communities", 0, [EXECUTIVE]),
    ("dpo@bexley.demo", "Chris Patel", "Data Protection Officer", 0, [DPO]),
    ("officer@met.demo", "PC Dana Reid", "Violence Suppression Unit officer", 1, [PRACTITIONER]),
    (
        "worker@childrens.demo",
        "Morgan Blake",
        "Senior Social Worker, Adolescent Team",
        2,
        [PRACTITIONER],
    ),
    ("teacher@school.demo", "Ruth Adeyemi", "Designated Safeguarding Lead", 4, [PRACTITIONER]),
    ("outreach@charity.demo", "Kai Thompson", "Detached Youth Worker", 9, [PRACTITIONER]),
]


def load(stdout: TextIO) -> None:
    """Create the demo agencies, users and (for privileged users) TOTP devices."""
    if settings.PRODUCTION:
        raise RuntimeError("The demo partnership cannot be loaded under production settings.")
    agencies = []
    for name, kind in AGENCIES:
        agency = Agency.objects.filter(name=name).first() or services.do_create_agency(
            actor=None, name=name, kind=kind
        )
        agencies.append(agency)
    for email, full_name, job_title, agency_index, roles in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = services.do_create_user(
                actor=None,
                email=email,
                full_name=full_name,
                job_title=job_title,
                agency=agencies[agency_index],
                roles=roles,
                password=settings.DEMO_PASSWORD,
            )
        if requires_two_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(
                user=user, name="Demo authenticator", key=DEMO_TOTP_HEX, confirmed=True
            )
    stdout.write(f"  {len(AGENCIES)} agencies and {len(USERS)} demo sign-ins ready\n")
