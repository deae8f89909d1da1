"""The Community Trigger's letters to the applicant, from the application's own record:
the acknowledgement, and the outcome (the threshold not met, or the review's recommendations).
Rendered as PDF and DOCX by csphub.core.letters."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from csphub.casereview.models import CaseReview
from csphub.core.letters import Block, Letter, address_lines

ACKNOWLEDGEMENT, OUTCOME = "acknowledgement", "outcome"


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _letter(review: CaseReview, title: str, dated: date, blocks: list[Block], by: str) -> Letter:
    return Letter(
        title=title,
        reference=review.reference,
        dated=dated,
        recipient=address_lines(review.applicant_name, review.applicant_address),
        salutation=f"Dear {review.applicant_name},",
        blocks=tuple(blocks),
        signed_by=by,
    )


def acknowledgement_letter(review: CaseReview, *, signed_by: str = "") -> Letter:
    """Dated the day the application was acknowledged (today, until it is)."""
    policy = review.policy
    blocks = [
        Block(
            "Thank you for your application for an anti-social behaviour case review (the "
            f"Community Trigger), which we received on {_long(review.received_on)}."
        ),
        Block(
            "A case review brings together the council, the police, housing providers and the "
            "other agencies involved to look again at how the anti-social behaviour has been "
            "dealt with, under section 104 of the Anti-social Behaviour, Crime and Policing Act "
            "2014."
        ),
        Block(
            f"Our threshold for a case review is {policy}. We will write to you by "
            f"{_long(review.decision_by)} to tell you whether your application meets it."
        ),
        Block(
            f"If it does, the case review will be held by {_long(review.meeting_by)}, and we "
            "will tell you its outcome and any recommendations it makes."
        ),
        Block("Please quote our reference if you contact us about your application."),
    ]
    dated = review.acknowledged_on or timezone.localdate()
    return _letter(review, "ASB case review: your application", dated, blocks, signed_by)


def outcome_letter(review: CaseReview, *, signed_by: str = "") -> Letter | None:
    """The outcome so far: None until the threshold is decided not met or the review is held."""
    if review.threshold_met is False and review.threshold_decided_on:
        blocks = [
            Block(
                f"We have considered your application of {_long(review.received_on)} for an "
                "anti-social behaviour case review against our threshold, "
                f"{review.policy}, and decided on {_long(review.threshold_decided_on)} that "
                "it is not met."
            ),
        ]
        if review.threshold_reason:
            blocks.append(Block(review.threshold_reason.strip(), heading="Why"))
        blocks.append(
            Block(
                "The agencies involved will go on dealing with the problems you reported. If "
                "there are further incidents, please report them. If you are unhappy with how "
                "your application was handled, you can ask for the decision to be looked at "
                "again, quoting our reference.",
                heading="What happens next",
            )
        )
        dated = review.threshold_decided_on
    elif review.review_held_on:
        recommendations = tuple(
            f"{r.agency.name}: {r.text}" + (f" (by {_long(r.due_on)})" if r.due_on else "")
            for r in review.recommendations.select_related("agency")
        )
        blocks = [
            Block(
                "The anti-social behaviour case review you asked for on "
                f"{_long(review.received_on)} was held on {_long(review.review_held_on)}."
            ),
        ]
        if review.outcome:
            blocks.append(Block(review.outcome.strip(), heading="What the review found"))
        blocks.append(
            Block("The review made these recommendations:", recommendations, heading="Actions")
            if recommendations
            else Block("The review made no recommendations.", heading="Actions")
        )
        blocks.append(
            Block(
                "The agencies will carry out these actions and we will keep you informed. If "
                "you are unhappy with how the review was carried out, you can ask for it to be "
                "looked at again, quoting our reference."
            )
        )
        dated = review.review_held_on
    else:
        return None
    return _letter(review, "ASB case review: the outcome", dated, blocks, signed_by)


def letter_name(review: CaseReview, which: str) -> str:
    """The file name: which letter and the application's reference, never the applicant."""
    return f"case-review-{which}-{review.reference}"
