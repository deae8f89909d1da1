from django.db import models


class ReviewStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    THRESHOLD_NOT_MET = "threshold_not_met", "Threshold not met"
    AWAITING_REVIEW = "awaiting_review", "Threshold met: review to hold"
    REVIEW_HELD = "review_held", "Review held"


class Region(models.TextChoices):
    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
