from django.db import models


class Rag(models.TextChoices):
    """A VVRAP action's RAG status, in the VRU template's words."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


RAG_ORDER: list[str] = [Rag.RED.value, Rag.AMBER.value, Rag.GREEN.value]


class Scope(models.TextChoices):
    GENERIC = "generic", "Generic (London-wide)"
    LOCAL = "local", "Local"


class Stage(models.TextChoices):
    CURRENT = "current", "Current"
    DEVELOPING = "developing", "Developing"


class Priority(models.TextChoices):
    NONE = "", "Not set"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for sign-off"
    RETURNED = "returned", "Returned to the lead"
    SIGNED_OFF = "signed_off", "Signed off"


class BoardKind(models.TextChoices):
    """The partnership's boards, which are panels holding no case data (their meetings reuse
    the meetings app)."""

    EXECUTIVE = "executive", "Executive Group"
    SV_WORKING_GROUP = "sv_working_group", "Serious Violence Working Group"
    VAWG_WORKING_GROUP = "vawg_working_group", "VAWG Working Group"
    DELIVERY = "delivery", "Delivery Group"
    TASKING = "tasking", "Violent crime tasking meeting"


class EventKind(models.TextChoices):
    """What the tasking meeting's events tracker records."""

    SERIOUS_VIOLENCE = "serious_violence", "Serious violence incident"
    KNIFE = "knife", "Knife incident"
    FIREARM = "firearm", "Firearm discharge or incident"
    GROUP = "group", "Group or gang tension"
    COMMUNITY_TENSION = "community_tension", "Community tension"
    PLANNED = "planned", "Planned event (festival, match, demonstration)"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
