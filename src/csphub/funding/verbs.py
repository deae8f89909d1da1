"""The audit verbs of funding (see csphub.audit.verbs). Every change is recorded, with ids and
amounts only (nothing here is personal)."""

from __future__ import annotations

from csphub.audit.verbs import Verb

FUNDER_RECORDED = Verb("funding.funder_recorded", "Funder recorded")
ROUND_RECORDED = Verb("funding.round_recorded", "Funding round recorded")
GRANT_RECORDED = Verb("funding.grant_recorded", "Grant recorded")
ALLOCATION_SET = Verb("funding.allocation_set", "Grant allocation for a year set")
REPORTING_DATE_SET = Verb("funding.reporting_date_set", "Grant reporting date set")
ITEM_RECORDED = Verb("funding.item_recorded", "Funded post or project recorded")
MEASURE_ADDED = Verb("funding.measure_added", "Output or outcome added to a funded item")
PROFILE_SET = Verb("funding.profile_set", "Quarterly budget and output profile set")
QUARTER_RECORDED = Verb(
    "funding.quarter_recorded", "Quarter's spend, forecast and outputs recorded"
)
RETURN_PUBLISHED = Verb("funding.return_published", "Monitoring return published")
RETURN_DOWNLOADED = Verb("funding.return_downloaded", "Monitoring return downloaded")
OPEN_DATA_DOWNLOADED = Verb("funding.open_data_downloaded", "360Giving grants file downloaded")
CONDITION_SET = Verb("funding.condition_set", "Condition set on a grant, as an action")
