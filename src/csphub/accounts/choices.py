from django.db import models


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation"
    FIRE = "fire", "Fire and rescue"
    COMMUNITY_SAFETY = "community_safety", "Council community safety"
    VOLUNTARY_SECTOR = "voluntary_sector", "Commissioned voluntary-sector provider"


class GrantRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
