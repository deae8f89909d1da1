"""Choices for ASB casework: incident types, tools and powers, and where each stands."""

from django.db import models


class RiskBand(models.TextChoices):
    STANDARD = "standard", "Standard risk"
    MEDIUM = "medium", "Medium risk"
    HIGH = "high", "High risk"


class IncidentType(models.TextChoices):
    NOISE = "noise", "Noise"
    VERBAL = "verbal", "Verbal abuse or intimidation"
    HARASSMENT = "harassment", "Harassment"
    CRIMINAL_DAMAGE = "damage", "Criminal damage or vandalism"
    VIOLENCE = "violence", "Violence or threat of violence"
    DRUGS = "drugs", "Drug dealing or use"
    VEHICLES = "vehicles", "Vehicle nuisance"
    ENVIRONMENTAL = "environmental", "Littering, dumping or other environmental ASB"
    HATE = "hate", "Hate incident"
    OTHER = "other", "Other"


class ReportedBy(models.TextChoices):
    VICTIM = "victim", "The victim"
    WITNESS = "witness", "A witness"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing provider"
    COUNCIL = "council", "Council officer"
    OTHER = "other", "Someone else"


class ToolKind(models.TextChoices):
    """The tools and powers of the Anti-social Behaviour, Crime and Policing Act 2014 and the
    informal steps before them."""

    WARNING_LETTER = "warning_letter", "Warning letter"
    ABC = "abc", "Acceptable behaviour contract"
    CPW = "cpw", "Community protection warning"
    CPN = "cpn", "Community protection notice"
    INJUNCTION = "injunction", "Civil injunction"
    CLOSURE = "closure", "Closure order"


class ToolStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ISSUED = "issued", "Issued"
    SERVED = "served", "Served"
    BREACHED = "breached", "Breached"
    COMPLIED = "complied", "Complied with"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"
