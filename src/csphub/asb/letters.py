"""The letter for each tool or power, in words, from the tool's own record.

The words say what each tool is under the Anti-social Behaviour, Crime and Policing Act 2014
(community protection warnings and notices: sections 43 to 52; civil injunctions: part 1;
closure orders: sections 76 to 93). Rendering is csphub.core.letters' (PDF and DOCX alike).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from csphub.asb.choices import ToolKind
from csphub.asb.models import ToolUse
from csphub.core.letters import Block, Letter, address_lines


def _when(day: object) -> str:
    return f"{day.day} {day:%B %Y}" if day else "a date to be confirmed"  # type: ignore[attr-defined]


def _requirements(tool: ToolUse) -> tuple[str, ...]:
    return tuple(line.strip() for line in tool.requirements.splitlines() if line.strip())


def _told(tool: ToolUse) -> Block:
    return Block(
        f"We have received reports that you have been {tool.behaviour.strip().rstrip('.')}."
    )


def _must(tool: ToolUse, intro: str) -> tuple[Block, ...]:
    items = _requirements(tool)
    return (Block(intro, items),) if items else ()


def _warning_letter(tool: ToolUse) -> tuple[Block, ...]:
    return (
        _told(tool),
        Block(
            "This behaviour is anti-social: it causes harassment, alarm or distress to people "
            "living nearby, and it must stop."
        ),
        *_must(tool, "In particular, you must:"),
        Block(
            "If it continues, the partnership may take further action, which can include a "
            "community protection warning or notice, or an application to the court for a "
            "civil injunction."
        ),
        Block("If you would like to talk about this letter, contact us quoting our reference."),
    )


def _abc(tool: ToolUse) -> tuple[Block, ...]:
    return (
        _told(tool),
        Block(
            "We are asking you to agree an acceptable behaviour contract: a written agreement "
            f"between you and the partnership, to be reviewed on {_when(tool.review_on)}."
        ),
        *_must(tool, "By signing the contract you agree that you will:"),
        Block(
            "The contract is voluntary. If you do not keep to it, the partnership may use that "
            "as evidence if it applies for a civil injunction or takes other formal action."
        ),
    )


def _cpw(tool: ToolUse) -> tuple[Block, ...]:
    return (
        _told(tool),
        Block(
            "This is a community protection warning under section 43 of the Anti-social "
            "Behaviour, Crime and Policing Act 2014. We are satisfied that your conduct is "
            "having a detrimental effect, of a persistent or continuing nature, on the quality "
            "of life of those in the locality, and that it is unreasonable."
        ),
        *_must(tool, "You are warned that you must:"),
        Block(
            f"If your conduct has not changed by {_when(tool.review_on)}, a community protection "
            "notice may be issued to you. Failing to comply with a notice is a criminal offence."
        ),
    )


def _cpn(tool: ToolUse) -> tuple[Block, ...]:
    return (
        _told(tool),
        Block(
            "This is a community protection notice under section 43 of the Anti-social "
            "Behaviour, Crime and Policing Act 2014. You were given a written warning that your "
            "conduct is having a detrimental effect on the quality of life of those in the "
            "locality, and it has not changed."
        ),
        *_must(tool, "You are required to:"),
        Block(
            "Failing to comply with this notice without a reasonable excuse is a criminal "
            "offence (section 48). It may be dealt with by a fixed penalty notice or by "
            "prosecution, and a court may fine you and order remedial action."
        ),
        Block(
            "You may appeal against this notice to a magistrates' court within 21 days of the "
            f"date it was served. This notice is in force until {_when(tool.review_on)}.",
            heading="Your right to appeal",
        ),
    )


def _injunction(tool: ToolUse) -> tuple[Block, ...]:
    return (
        _told(tool),
        Block(
            "The partnership has sought a civil injunction under part 1 of the Anti-social "
            "Behaviour, Crime and Policing Act 2014 to stop this behaviour."
            + (f" The court granted it on {_when(tool.issued_on)}." if tool.issued_on else "")
        ),
        *_must(tool, "The injunction requires you to:"),
        Block(
            "Breaking the terms of an injunction is contempt of court, for which the court can "
            f"fine you or send you to prison. The injunction will be reviewed on "
            f"{_when(tool.review_on)}."
        ),
        Block("You should get legal advice about this letter."),
    )


def _closure(tool: ToolUse) -> tuple[Block, ...]:
    return (
        Block(
            f"We have received reports of {tool.behaviour.strip().rstrip('.')} at the premises "
            "named in this letter."
        ),
        Block(
            "A closure order under section 80 of the Anti-social Behaviour, Crime and Policing "
            "Act 2014 prohibits access to the premises"
            + (f" from {_when(tool.issued_on)}" if tool.issued_on else "")
            + f" until {_when(tool.review_on)}, except as the order allows."
        ),
        *_must(tool, "The order says:"),
        Block(
            "Remaining on or entering the premises in breach of the order without a reasonable "
            "excuse is a criminal offence (section 86). You may appeal to the Crown Court within "
            "21 days of the order being made. You should get legal advice about this letter."
        ),
    )


WORDS: dict[str, Callable[[ToolUse], tuple[Block, ...]]] = {
    ToolKind.WARNING_LETTER: _warning_letter,
    ToolKind.ABC: _abc,
    ToolKind.CPW: _cpw,
    ToolKind.CPN: _cpn,
    ToolKind.INJUNCTION: _injunction,
    ToolKind.CLOSURE: _closure,
}


def tool_letter(tool: ToolUse, *, signed_by: str = "") -> Letter:
    """The letter for TOOL, dated the day it was issued (or today, for a draft)."""
    return Letter(
        title=tool.get_kind_display(),
        reference=tool.case.reference,
        dated=tool.issued_on or timezone.localdate(),
        recipient=address_lines(tool.recipient_name, tool.recipient_address),
        salutation=f"Dear {tool.recipient_name},",
        blocks=WORDS[tool.kind](tool),
        signed_by=signed_by,
    )


def letter_name(tool: ToolUse) -> str:
    """The file name: what the letter is and the case's reference, never whom it is to."""
    return f"{tool.kind.replace('_', '-')}-{tool.case.reference}"
