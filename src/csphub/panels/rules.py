"""The business rules a referral must meet, and each panel's own rules, shared by the forms,
the services, the selectors and the templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from csphub.core.errors import ServiceError
from csphub.panels.choices import RISK_INDICATORS, PanelDecision, RiskLevel

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


@dataclass(frozen=True)
class PanelRules:
    """A panel's rules as data (docs/adr/0012-per-panel-rules-as-data.md): whether a referral
    needs consent, whether the risk screen is used, and which decisions the panel makes.

    Every service, form, selector and template asks these, never the panel's kind or name, so
    a new kind of panel (children's NRM referrals, which need no consent) is configured.
    """

    panel_name: str
    consent_required: bool
    risk_screen: bool
    decisions: frozenset[str]
    quorum: tuple[tuple[str, int], ...] = ()
    owning_agency_sees: bool = True

    @classmethod
    def of(cls, panel: Any) -> PanelRules:
        return cls(
            panel_name=str(panel.name),
            consent_required=bool(panel.consent_required),
            risk_screen=bool(panel.uses_risk_screen),
            decisions=frozenset(panel.decisions or ()),
            quorum=tuple(sorted((str(k), int(v)) for k, v in (panel.quorum or {}).items())),
            owning_agency_sees=bool(getattr(panel, "owning_agency_sees_cases", True)),
        )

    def quorum_errors(self, present: Iterable[str], labels: Mapping[str, str]) -> list[str]:
        """What the quorum lacks, given the seat of each member PRESENT: one message per seat
        with fewer present than the panel's rules need (LABELS names the seats)."""
        seats = list(present)
        return [
            f"The quorum needs {need} {labels.get(seat, seat)} member"
            f"{'s' if need > 1 else ''} present; {seats.count(seat)} present"
            for seat, need in self.quorum
            if seats.count(seat) < need
        ]

    @property
    def decision_labels(self) -> list[str]:
        """The decisions the panel makes, in plain English, in the usual order."""
        return [PanelDecision(d).label for d in PanelDecision.values if d in self.decisions]

    def makes(self, decision: str) -> bool:
        return decision in self.decisions

    def refusal(self, decision: str) -> str:
        """Why a decision this panel does not make is refused."""
        return f"{self.panel_name} does not {DOES_NOT[decision]}"

    def check_makes(self, decision: str, *, field: str | None = None) -> None:
        """Refuse (ServiceError) a decision the panel does not make."""
        if not self.makes(decision):
            message = self.refusal(decision)
            raise ServiceError({field: message} if field else message)

    def consent_errors(
        self, *, consent_given: bool | None, lawful_basis: str, override_reason: str
    ) -> dict[str, str]:
        """Consent or the override a referral to this panel needs; none where consent is not
        required."""
        if not self.consent_required:
            return {}
        if consent_given is None:
            return {"consent_given": CONSENT_NOT_ANSWERED}
        return consent_errors(
            consent_given=consent_given, lawful_basis=lawful_basis, override_reason=override_reason
        )

    def consent_fields(
        self, *, consent_given: bool | None, lawful_basis: str, override_reason: str
    ) -> dict[str, Any]:
        """The transition's consent fields. Where consent is not required, consent given is
        still recorded, but no answer or a "no" is recorded as not asked: never an override."""
        if consent_given:
            return {"consent_given": True, "lawful_basis": "", "override_reason": ""}
        if not self.consent_required:
            return {"consent_given": None, "lawful_basis": "", "override_reason": ""}
        return {
            "consent_given": False,
            "lawful_basis": lawful_basis,
            "override_reason": override_reason.strip(),
        }

    def screen_errors(
        self, *, indicators: Mapping[str, int], risk_level: str, ages: Iterable[int | None]
    ) -> dict[str, str]:
        """The risk screen's rules, on a panel that uses it (none on any other)."""
        if not self.risk_screen:
            return {}
        return risk_screen_errors(indicators=indicators, risk_level=risk_level, ages=ages)

    def low_risk_errors(
        self, *, risk_level: str, indicators: Mapping[str, int], ages: Iterable[int | None]
    ) -> dict[str, str]:
        """The screen's rule on "low" for a case already on (or entering) this panel."""
        if not self.risk_screen:
            return {}
        return low_risk_errors(risk_level=risk_level, indicators=indicators, ages=ages)

    def screened(self, indicators: Mapping[str, int]) -> dict[str, int]:
        """The scores to record: none on a panel that does not use the screen."""
        return dict(indicators) if self.risk_screen else {}


CONSENT_NOT_ANSWERED = "Say whether the person has consented"
DOES_NOT: dict[str, str] = {
    PanelDecision.ACCEPT: "accept referrals or escalations",
    PanelDecision.REJECT: "reject referrals or escalations",
    PanelDecision.ESCALATE: "escalate cases to another panel",
    PanelDecision.TRANSFER: "transfer cases to another agency",
    PanelDecision.CLOSE: "close cases",
}
ACCEPT_AND_REJECT = (
    "A panel that accepts referrals must also be able to reject them, and the other way round"
)


def ordered_decisions(decisions: Iterable[str]) -> list[str]:
    """DECISIONS once each, in the order PanelDecision lists them (unknown ones last)."""
    given = set(decisions)
    return [d for d in PanelDecision.values if d in given] + sorted(
        given - set(PanelDecision.values)
    )


def decisions_errors(decisions: Iterable[str]) -> dict[str, str]:
    """A panel's decisions must be known ones, and a panel accepting referrals can reject them."""
    chosen = set(decisions)
    if chosen - set(PanelDecision.values):
        return {"decisions": "Choose decisions from the list"}
    if (PanelDecision.ACCEPT in chosen) != (PanelDecision.REJECT in chosen):
        return {"decisions": ACCEPT_AND_REJECT}
    return {}
