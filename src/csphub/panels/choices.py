from django.db import models


class PanelKind(models.TextChoices):
    CREST = "crest", "Child exploitation (CREST / MACE)"
    VIP = "vip", "Violence Intervention Panel"
    ASB_CMP = "asb_cmp", "ASB Case Management Panel"
    OTHER = "other", "Other panel"


class PanelDecision(models.TextChoices):
    """The decisions a panel may make on its cases: which ones each panel makes is data on the
    panel (`Panel.decisions`), so a new kind of panel is configured, not coded."""

    ACCEPT = "accept", "Accept referrals and escalations"
    REJECT = "reject", "Reject referrals and escalations"
    ESCALATE = "escalate", "Escalate a case to another panel"
    TRANSFER = "transfer", "Transfer a case to another agency"
    CLOSE = "close", "Close a case"


def all_decisions() -> list[str]:
    """Every decision: what each panel made before the decisions were configurable."""
    return list(PanelDecision.values)


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    COORDINATOR = "coordinator", "Co-ordinator"


class CaseStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted"
    ACTIVE = "active", "Active"
    REVIEW = "review", "Under review"
    CLOSED = "closed", "Closed"


# Forward moves a co-ordinator may make; closing is possible from any open status.
STATUS_FLOW: dict[str, list[str]] = {
    CaseStatus.REFERRED: [CaseStatus.CLOSED],
    CaseStatus.ACCEPTED: [CaseStatus.ACTIVE, CaseStatus.CLOSED],
    CaseStatus.ACTIVE: [CaseStatus.REVIEW, CaseStatus.CLOSED],
    CaseStatus.REVIEW: [CaseStatus.ACTIVE, CaseStatus.CLOSED],
    CaseStatus.CLOSED: [],
}

OPEN_STATUSES = [CaseStatus.REFERRED, CaseStatus.ACCEPTED, CaseStatus.ACTIVE, CaseStatus.REVIEW]


class ClosureOutcome(models.TextChoices):
    RISK_REDUCED = "risk_reduced", "Risk reduced - needs met by universal services"
    STEPPED_DOWN = "stepped_down", "Stepped down to single-agency support"
    STEPPED_UP = "stepped_up", "Stepped up to statutory intervention"
    ESCALATED = "escalated", "Escalated to another panel"
    ENFORCEMENT = "enforcement", "Enforcement action taken"
    DISENGAGED = "disengaged", "Person did not engage"
    MOVED_AWAY = "moved_away", "Moved out of the borough"
    NOT_ACCEPTED = "not_accepted", "Referral not accepted"
    WITHDRAWN = "withdrawn", "Referral withdrawn"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class TransitionKind(models.TextChoices):
    REFERRAL = "referral", "Referral"
    TRANSFER = "transfer", "Transfer between agencies"
    ESCALATION = "escalation", "Escalation between panels"


class TransitionStatus(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class LawfulBasis(models.TextChoices):
    """Grounds for sharing without consent (UK GDPR Art. 6/9, DPA 2018 Sch. 1 and s.10)."""

    SAFEGUARDING = "safeguarding", "Safeguarding of children or individuals at risk"
    PREVENTION_OF_CRIME = "prevention_of_crime", "Prevention or detection of crime"
    VITAL_INTERESTS = "vital_interests", "Vital interests (risk to life)"
    PUBLIC_TASK = "public_task", "Statutory function (public task)"


class ReferralReason(models.TextChoices):
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation"
    COUNTY_LINES = "county_lines", "County lines"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    MISSING = "missing", "Missing episodes"
    SERIOUS_VIOLENCE = "serious_violence", "Serious violence"
    WEAPONS = "weapons", "Weapon carrying"
    GROUP_OFFENDING = "group_offending", "Group or gang association"
    ASB = "asb", "Anti-social behaviour"
    DOMESTIC = "domestic", "Domestic abuse"
    OTHER = "other", "Other"


class SubjectRole(models.TextChoices):
    AT_RISK = "at_risk", "At risk"
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Perpetrator"
    VICTIM_AND_PERPETRATOR = "both", "Victim and perpetrator"
    ASSOCIATE = "associate", "Associate or peer"
    LOCATION = "location", "Location of concern"


class CaseFlagKind(models.TextChoices):
    WEAPONS = "weapons", "Known to carry weapons"
    STAFF_SAFETY = "staff_safety", "Risk to staff: visit in pairs"
    MISSING = "missing", "Currently missing"
    CARE_EXPERIENCED = "care_experienced", "Care-experienced"
    SEND = "send", "Special educational needs"
    EXCLUDED = "excluded", "Excluded from school"
    OTHER = "other", "Other"


# The CREST structured risk screen: indicator code and question, each scored 0 to 3.
RISK_INDICATORS: list[tuple[str, str]] = [
    ("missing", "Missing from home, care or school"),
    ("unexplained_money", "Unexplained money, phones, clothes or gifts"),
    ("older_associates", "Associating with older people or known offenders"),
    ("drugs", "Involvement in drug supply or found with drugs"),
    ("weapons", "Carrying or linked to weapons"),
    ("violence", "Victim or perpetrator of violence"),
    ("exclusion", "Excluded or not in education"),
    ("out_of_area", "Found out of area (county lines)"),
    ("sexual_exploitation", "Signs of sexual exploitation"),
    ("online", "Online grooming or coercion"),
]
INDICATOR_SCORES = [
    (0, "0 - none"),
    (1, "1 - some concern"),
    (2, "2 - significant"),
    (3, "3 - serious"),
]
