from django.db import models


class FunderKind(models.TextChoices):
    GOVERNMENT = "government", "Government department"
    MAYORAL = "mayoral", "Mayor's office or violence reduction unit"
    COUNCIL = "council", "Local authority"
    CHARITY = "charity", "Trust, foundation or charity"
    OTHER = "other", "Other"


class ItemKind(models.TextChoices):
    POST = "post", "Post"
    PROJECT = "project", "Project"


class MeasureKind(models.TextChoices):
    OUTPUT = "output", "Output"
    OUTCOME = "outcome", "Outcome"


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    NONE = "none", "No profile"


class Direction(models.TextChoices):
    UP = "up", "Improving"
    SAME = "same", "No change"
    DOWN = "down", "Worsening"
    NEW = "new", "First quarter"


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
