"""The strategy's status: the current VVRAP's actions by theme and RAG, as its latest quarterly
return gave them (the plan answers the assessment; its status is read from the plan, never kept
here). Counts of plan actions are no one's record, so they are shown as counted."""

from __future__ import annotations

from csphub.sna.tables import CountTable, suppressed_table
from csphub.vvrap.choices import RAG_ORDER, Rag
from csphub.vvrap.models import Plan
from csphub.vvrap.selectors import latest_returned_quarter, quarter_label, summary_of


def strategy_status() -> tuple[CountTable | None, str]:
    """The table for the latest return of the current plan, and a sentence saying which."""
    plan = Plan.objects.filter(is_current=True).first()
    if plan is None:
        return None, "No action plan is current, so the strategy's status cannot be shown."
    latest = latest_returned_quarter(plan)
    if latest is None:
        return None, f"{plan} has no quarterly return yet, so no status is shown."
    rows = [(t.theme.name, [t.counts[rag] for rag in RAG_ORDER]) for t in summary_of(plan, *latest)]
    labels = [str(Rag(rag).label) for rag in RAG_ORDER]
    title = f"{plan}: actions by theme and RAG, as returned for {quarter_label(*latest)}"
    return suppressed_table(title, labels, rows, 0), ""
