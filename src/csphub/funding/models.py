"""Funding: funders and the chain money flows through, rounds, grants, the posts and projects
a grant pays for, their quarterly spend and outputs, and the monitoring returns.

Money is pounds and pence in exact decimals (`Money`, two places) everywhere; a quarter is a
financial year (named by the April it starts in, `year`) and a quarter number 1-4, as
`csphub.lib.periods.quarter(year, number)` gives it. None of this is personal data: the
figures are shown to every signed-in user once a return publishes them
(`csphub.funding.selectors`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from csphub.accounts.models import Agency
from csphub.core.models import BaseModel, ReferencedModel, VersionedModel
from csphub.funding.choices import FunderKind, ItemKind, MeasureKind, ReturnStatus
from csphub.lib.periods import Period, financial_year
from csphub.lib.periods import quarter as fy_quarter
from csphub.lib.references import ReferenceFormat

MAX_MONEY_DIGITS = 12  # up to £9,999,999,999.99


class Money(models.DecimalField):
    """Pounds and pence: an exact decimal with two places, never negative."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", MAX_MONEY_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("validators", [MinValueValidator(Decimal("0"))])
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def _quarter_fields() -> tuple[models.PositiveSmallIntegerField, models.PositiveSmallIntegerField]:
    return (
        models.PositiveSmallIntegerField(
            help_text="The financial year, by the April it starts in (2023 is 2023-24)."
        ),
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)]),
    )


class Funder(BaseModel):
    """An organisation that gives money: the Home Office, MOPAC, the VRU, the council…

    `passes_on_from` is the next funder up the chain (MOPAC's Serious Violence Duty money comes
    from the Home Office), so a grant's chain reads Home Office → MOPAC → the borough → the
    provider of each funded item.
    """

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=FunderKind.choices)
    org_identifier = models.CharField(
        "organisation identifier",
        max_length=100,
        blank=True,
        help_text="The org-id.guide identifier 360Giving uses, e.g. GB-GOR-PB13.",
    )
    passes_on_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="passes_on_to"
    )

    class Meta:
        ordering = ["name"]
        permissions = [("manage_funding", "Record funders, grants, funded items and returns")]

    def __str__(self) -> str:
        return self.name

    def chain(self) -> list[Funder]:
        """This funder and those above it, the source first (a loop in the data stops it)."""
        found: list[Funder] = []
        funder: Funder | None = self
        while funder is not None and funder not in found:
            found.insert(0, funder)
            funder = funder.passes_on_from
        return found


class FundingRound(BaseModel):
    """A funder's programme over one or more financial years: LCPF 2022-25."""

    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(help_text="The first financial year (2022).")
    last_year = models.PositiveSmallIntegerField(help_text="The last financial year (2024).")

    class Meta:
        ordering = ["-first_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="round_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class Grant(ReferencedModel, VersionedModel):
    """Money from a funder to the partnership, for a period, with its conditions (actions on
    the grant, `meetings.Action.grant`), its reporting dates and its allocations by year."""

    reference_format = ReferenceFormat("G", 5)
    reference = models.CharField(max_length=12, unique=True, editable=False)
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="grants")
    funding_round = models.ForeignKey(
        FundingRound, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    amount = Money()
    starts_on = models.DateField()
    ends_on = models.DateField()
    awarded_on = models.DateField(null=True, blank=True)
    splits_labour = models.BooleanField(
        "labour and non-labour reported apart",
        default=False,
        help_text="The funder asks for staff costs apart from other costs (Home Office SVD).",
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="grant_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def chain(self) -> list[str]:
        """Where the money comes from and goes: the funders, the borough, the providers."""
        names = [f.name for f in self.funder.chain()] + ["the partnership"]
        providers = sorted({i.provider.name for i in self.items.all()})
        return names + ([", ".join(providers)] if providers else [])


class Allocation(BaseModel):
    """The part of a grant for one financial year, or for two (`years`): money unspent at the
    end of it cannot be carried over, which is what the underspend flag watches."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="allocations")
    first_year = models.PositiveSmallIntegerField()
    years = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    amount = Money()
    labour = Money(null=True, blank=True)
    non_labour = Money(null=True, blank=True)

    class Meta:
        ordering = ["first_year"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "first_year"], name="one_allocation_a_year"),
            models.CheckConstraint(
                condition=Q(years__in=[1, 2]), name="allocation_one_or_two_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.period.label}"

    @property
    def period(self) -> Period:
        first = financial_year(f"{self.first_year}-{(self.first_year + 1) % 100:02d}")
        if self.years == 1:
            return first
        last = financial_year(f"{self.first_year + 1}-{(self.first_year + 2) % 100:02d}")
        return Period(first.start, last.end, f"{first.label} and {last.label}")

    @property
    def financial_years(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.years))


class ReportingDate(BaseModel):
    """When the funder wants the return for a quarter."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reporting_dates")
    year, quarter = _quarter_fields()
    due_on = models.DateField()

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "year", "quarter"], name="one_reporting_date_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grant} {fy_quarter(self.year, self.quarter).label}"

    @property
    def quarter_label(self) -> str:
        return fy_quarter(self.year, self.quarter).label


class FundedItem(ReferencedModel, VersionedModel):
    """A post or project a grant pays for, delivered by a provider (an agency, often a
    commissioned voluntary-sector one), whose own staff record its spend and outputs."""

    reference_format = ReferenceFormat("F", 5)
    reference = models.CharField(max_length=12, unique=True, editable=False)
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    provider = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="funded_items")
    budget = Money(help_text="The whole budget over the grant.")
    # The VVRAP actions this item serves: `vvrap.PlanItem.funded_items` (reverse
    # `vvrap_actions`), declared by the plan app above funding — docs/funding.md, "VVRAP actions".

    class Meta:
        ordering = ["name"]
        permissions = [("record_figures", "Record the spend and outputs of your agency's items")]

    def __str__(self) -> str:
        return self.reference


class QuarterFigures(BaseModel):
    """A funded item's money for one quarter: the budget profile, what was spent (entered once
    the quarter is over), and the forecast (for quarters still to come)."""

    item = models.ForeignKey(FundedItem, on_delete=models.CASCADE, related_name="quarters")
    year, quarter = _quarter_fields()
    budget = Money(default=Decimal("0"))
    spend = Money(null=True, blank=True)
    spend_labour = Money(null=True, blank=True, help_text="Of the spend, staff costs.")
    forecast = Money(null=True, blank=True)

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["item", "year", "quarter"], name="item_quarter_once"),
            models.CheckConstraint(
                condition=Q(spend_labour__isnull=True)
                | Q(spend__isnull=False, spend_labour__lte=models.F("spend")),
                name="labour_within_spend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {fy_quarter(self.year, self.quarter).label}"

    @property
    def spend_non_labour(self) -> Decimal | None:
        if self.spend is None or self.spend_labour is None:
            return None
        return self.spend - self.spend_labour


class Measure(BaseModel):
    """An output or outcome of a funded item ("School workshops delivered"), with a profile
    of planned numbers by quarter. Its actuals are typed in, or, when `counts_activity` names a
    kind of community activity, counted from the activity linked to the item."""

    item = models.ForeignKey(FundedItem, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=20, choices=MeasureKind.choices, default="output")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    counts_activity = models.CharField(
        max_length=40,
        blank=True,
        help_text="A kind of community activity whose linked records are this measure's actuals.",
    )
    counts = models.CharField(
        max_length=20,
        blank=True,
        help_text="What is counted of that activity: 'sessions' or 'people' reached.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class MeasureQuarter(BaseModel):
    """A measure's profile (planned number) and actual for one quarter."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="quarters")
    year, quarter = _quarter_fields()
    profile = models.PositiveIntegerField(default=0)
    actual = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "quarter"], name="measure_quarter_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {fy_quarter(self.year, self.quarter).label}"


class MonitoringReturn(BaseModel):
    """The return to the funder for one grant and quarter. Once published, that quarter's
    figures of the grant's items are seen by every signed-in user, not only the manager and
    each item's provider."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="returns")
    year, quarter = _quarter_fields()
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "year", "quarter"], name="one_return_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.grant} return {fy_quarter(self.year, self.quarter).label}"


class ReturnColumns(BaseModel):
    """A funder's monitoring-return layout, as data: for each sheet, the columns in order, each
    a heading the funder uses and the field of the return row it shows (`csphub.funding.returns
    .FIELDS`). A funder with none uses the default shipped in funding/data/return_columns.json."""

    funder = models.OneToOneField(Funder, on_delete=models.CASCADE, related_name="return_columns")
    columns = models.JSONField()

    class Meta:
        verbose_name_plural = "return columns"

    def __str__(self) -> str:
        return f"Return columns for {self.funder}"
