"""The audit verbs of ASB case reviews (see csphub.audit.verbs)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

POLICY_CHANGED = Verb("casereview.policy_changed", "ASB case review policy changed")
CREATED = Verb("casereview.created", "ASB case review application recorded")
COMPLAINT_ADDED = Verb("casereview.complaint_added", "Complaint added to an application")
ACKNOWLEDGED = Verb("casereview.acknowledged", "Application acknowledged")
THRESHOLD_DECIDED = Verb("casereview.threshold_decided", "Threshold decision made")
REVIEW_HELD = Verb("casereview.review_held", "Case review held")
RECOMMENDATION_ADDED = Verb("casereview.recommendation_added", "Recommendation added")
APPLICANT_REVEALED = Verb(
    "casereview.applicant_revealed", "Shown an applicant's name and details in full"
)
LETTER_DOWNLOADED = Verb(
    "casereview.letter_downloaded", "Downloaded a letter to an ASB case review applicant"
)
