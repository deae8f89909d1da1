"""The choices of children's NRM referrals, seats, decisions, minutes and audits."""

from __future__ import annotations

from django.db import models


class ExploitationType(models.TextChoices):
    """The Home Office NRM statistics' exploitation types; several may apply to one child."""

    CRIMINAL = "criminal", "Criminal exploitation"
    SEXUAL = "sexual", "Sexual exploitation"
    LABOUR = "labour", "Labour exploitation"
    DOMESTIC_SERVITUDE = "domestic_servitude", "Domestic servitude"
    ORGAN_HARVESTING = "organ_harvesting", "Organ harvesting"
    NOT_SPECIFIED = "not_specified", "Not specified or unknown"


class ExploitedWhere(models.TextChoices):
    UK = "uk", "UK only"
    OVERSEAS = "overseas", "Overseas only"
    BOTH = "both", "UK and overseas"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class FirstResponderType(models.TextChoices):
    """The Home Office statistics' first responder groups."""

    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    HEALTH = "health", "Health (NHS)"
    NGO = "ngo", "Non-governmental organisation"
    GOVERNMENT = "government", "Other government agency"


class Routing(models.TextChoices):
    PANEL = "panel", "Decided by the local panel"
    SCA = "sca", "Routed to the Single Competent Authority"


class Seat(models.TextChoices):
    """A member's seat on the NRM panel: three voting seats, the guardian and advisers."""

    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    ICTG = "ictg", "Independent Child Trafficking Guardian"
    ADVISORY = "advisory", "Advisory"


VOTING_SEATS = frozenset({Seat.SOCIAL_CARE, Seat.POLICE, Seat.HEALTH})
#: The default quorum: one of each voting seat present (Panel.quorum, configurable).
DEFAULT_QUORUM = {Seat.SOCIAL_CARE.value: 1, Seat.POLICE.value: 1, Seat.HEALTH.value: 1}


class DecisionKind(models.TextChoices):
    RG = "rg", "Reasonable Grounds"
    CG = "cg", "Conclusive Grounds"


class Outcome(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class Vote(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    ABSTAIN = "abstain", "Abstained"


class AuditState(models.TextChoices):
    """Where the Single Competent Authority's audit of a local decision stands."""

    NOT_SENT = "not_sent", "Not sent"
    SENT = "sent", "Sent to the SCA"
    QUERY = "query", "Query raised"
    UPHELD = "upheld", "Upheld"
    CHANGED = "changed", "Changed"


class Requester(models.TextChoices):
    FIRST_RESPONDER = "first_responder", "First responder"
    SUPPORT_PROVIDER = "support_provider", "Support provider"


class FollowUpStatus(models.TextChoices):
    """A child's CREST or VIP status at a follow-up."""

    NONE = "none", "Not on the panel"
    OPEN = "open", "Open case"
    CLOSED = "closed", "Closed case"
    NOT_KNOWN = "not_known", "Not known"
