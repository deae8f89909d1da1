"""The business rules a referral must meet, shared by the forms and the services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from csphub.panels.choices import RISK_INDICATORS, RiskLevel

CONSENT_OVERRIDE_NEEDS_REASON = (
    "Without consent, choose the lawful basis and explain why you are proceeding"
)
LOW_RISK_UNDER_13 = "The risk level cannot be low for a child under 13"
LOW_RISK_AGE_NOT_KNOWN = "Risk cannot be low when the child's age is not known"
LOW_RISK_SCORED_3 = "The risk level cannot be low when any indicator scores 3"


def consent_errors(
    *, consent_given: bool, lawful_basis: str, override_reason: str
) -> dict[str, str]:
    """Proceeding without consent is an override: it needs a lawful basis and a written reason."""
    if consent_given:
        return {}
    errors = {}
    if not lawful_basis:
        errors["lawful_basis"] = "Choose the lawful basis for proceeding without consent"
    if not override_reason.strip():
        errors["override_reason"] = "Explain why you are proceeding without consent"
    return errors


def low_risk_errors(
    *, risk_level: str, indicators: Mapping[str, int], ages: Iterable[int | None]
) -> dict[str, str]:
    """The CREST screen's rule on "low": not for a child under 13 or whose age is not known,
    nor when any indicator scores 3. AGES has one entry per person the case is about (a place
    has no age); the same rule applies at referral, escalation and every later edit."""
    if risk_level != RiskLevel.LOW:
        return {}
    ages = list(ages)
    if any(age is not None and age < 13 for age in ages):
        return {"risk_level": LOW_RISK_UNDER_13}
    if any(age is None for age in ages):
        return {"risk_level": LOW_RISK_AGE_NOT_KNOWN}
    if any(int(v) == 3 for v in indicators.values()):
        return {"risk_level": LOW_RISK_SCORED_3}
    return {}


def risk_screen_errors(
    *, indicators: Mapping[str, int], risk_level: str, ages: Iterable[int | None]
) -> dict[str, str]:
    """The CREST screen: every indicator scored 0 to 3, and "low" only where low_risk_errors
    allows it."""
    errors = {}
    missing = [code for code, _ in RISK_INDICATORS if code not in indicators]
    if missing:
        errors["indicators"] = "Score every indicator from 0 to 3"
    if any(int(v) not in (0, 1, 2, 3) for v in indicators.values()):
        errors["indicators"] = "Indicator scores are 0, 1, 2 or 3"
    errors.update(low_risk_errors(risk_level=risk_level, indicators=indicators, ages=ages))
    return errors
