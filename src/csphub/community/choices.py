from django.db import models


class ActivityKind(models.TextChoices):
    SCHOOL_WORKSHOP = "school_workshop", "School workshop"
    OUTREACH_BUS = "outreach_bus", "Outreach bus deployment"
    PARENT_CARER = "parent_carer", "Parent/Carer Network session"
    ENGAGEMENT = "engagement", "Community engagement event"
    TRAINING = "training", "Professional training"


class Theme(models.TextChoices):
    EXPLOITATION = "exploitation", "Child exploitation and county lines"
    PEER_PRESSURE = "peer_pressure", "Peer pressure and healthy choices"
    KNIFE_CRIME = "knife_crime", "Knife crime and serious violence"
    VAWG = "vawg", "Violence against women and girls"
    NRM = "nrm", "Modern slavery and the NRM"
    COMMUNITY_SAFETY = "community_safety", "Community safety and reassurance"
