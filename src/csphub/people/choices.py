from django.db import models


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """The ONS 2021 census top-level ethnic groups (as police and councils record them)."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class PlaceKind(models.TextChoices):
    ADDRESS = "address", "Address"
    SCHOOL = "school", "School or college"
    PARK = "park", "Park or open space"
    TRANSPORT = "transport", "Station or transport hub"
    STREET = "street", "Street or area"
    PREMISES = "premises", "Shop or licensed premises"
    LSOA = "lsoa", "Neighbourhood (LSOA)"
    WARD = "ward", "Ward"
    OUTREACH = "outreach", "Outreach or community site"
