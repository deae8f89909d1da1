"""crimestats: police recorded crime for a Community Safety Partnership, framework-free.

Import files into a DuckDB warehouse (validated, atomic, with provenance), then ask it for the
figures a partnership publishes (an area against its BCU and London, with an exact test, the
2019 baseline, caveats and its disclosure policy), hot spots (Getis-Ord Gi* with false discovery
rate control) and what it holds. This is the public API: callers use these names, not the
modules behind them, and never the warehouse's tables. Names load on first use, so importing
the package costs nothing (the figures page needs neither numpy nor shapely).

>>> import crimestats
>>> crimestats.calendar_year(2023).label, crimestats.financial_year("2023-24").label
('2023', '2023-24')
>>> crimestats.poisson_test(1000, 1200).verdict
'significant increase'
>>> crimestats.threshold_for(crimestats.Source.CASEWORK, crimestats.Output.PUBLICATION)
5
>>> "figures_report" in crimestats.__all__ and "hotspot_report" in crimestats.__all__
True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# name -> (module, attribute): the public API and where each name lives.
_API: dict[str, tuple[str, str]] = {
    # The warehouse and imports
    "Warehouse": ("crimestats.warehouse", "Warehouse"),
    "WarehouseDamaged": ("crimestats.warehouse", "WarehouseDamaged"),
    "WarehouseLocked": ("crimestats.locks", "WarehouseLocked"),
    "warehouse_path": ("crimestats.config", "warehouse_path"),
    "import_paths": ("crimestats.importers", "import_paths"),
    "ImportResult": ("crimestats.importers", "ImportResult"),
    "scratch": ("crimestats.locks", "scratch"),
    "scratch_root": ("crimestats.locks", "scratch_root"),
    # Periods
    "Period": ("crimestats.periods", "Period"),
    "calendar_year": ("crimestats.periods", "calendar_year"),
    "financial_year": ("crimestats.periods", "financial_year"),
    "sv_duty_year": ("crimestats.periods", "sv_duty_year"),
    "quarter": ("crimestats.periods", "quarter"),
    "rolling_months": ("crimestats.periods", "rolling_months"),
    "window": ("crimestats.periods", "window"),
    "YEAR_KINDS": ("crimestats.periods", "YEAR_KINDS"),
    "CALENDAR": ("crimestats.periods", "CALENDAR"),
    "add_months": ("crimestats.periods", "add_months"),
    "month_of": ("crimestats.periods", "month_of"),
    # Measures and areas
    "load_measures": ("crimestats.measures", "load_measures"),
    "default_measures_path": ("crimestats.measures", "default_measures_path"),
    "default_caveats_path": ("crimestats.caveats", "default_caveats_path"),
    "Measure": ("crimestats.measures", "Measure"),
    "MeasureSet": ("crimestats.measures", "MeasureSet"),
    "load_geography": ("crimestats.geography", "load_geography"),
    "Area": ("crimestats.geography", "Area"),
    # Figures
    "figures_report": ("crimestats.figures", "figures"),
    "FiguresReport": ("crimestats.figures", "FiguresReport"),
    "MeasureFigures": ("crimestats.figures", "MeasureFigures"),
    "FigureRow": ("crimestats.figures", "FigureRow"),
    "monthly_series": ("crimestats.figures", "monthly_series"),
    "poisson_test": ("crimestats.stats", "poisson_test"),
    "poisson_interval": ("crimestats.stats", "poisson_interval"),
    "rate_interval": ("crimestats.stats", "rate_interval"),
    "RateInterval": ("crimestats.stats", "RateInterval"),
    "figures_table": ("crimestats.tables", "figures_table"),
    "SOURCE_LABELS": ("crimestats.tables", "SOURCE_LABELS"),
    "NO_SOURCE": ("crimestats.tables", "NO_SOURCE"),
    # Numbers for people (thousands separators)
    "shown_number": ("crimestats.numbers", "shown"),
    "signed_pct": ("crimestats.numbers", "signed_pct"),
    "rate_text": ("crimestats.numbers", "rate"),
    # Caveats and disclosure
    "Caveat": ("crimestats.caveats", "Caveat"),
    "caveats_for": ("crimestats.caveats", "caveats_for"),
    "chart_marks": ("crimestats.caveats", "chart_marks"),
    "no_caveat_sentence": ("crimestats.caveats", "no_caveat_sentence"),
    "Source": ("crimestats.disclosure", "Source"),
    "Output": ("crimestats.disclosure", "Output"),
    "threshold_for": ("crimestats.disclosure", "threshold_for"),
    "describe_suppression": ("crimestats.disclosure", "describe"),
    "suppress": ("crimestats.suppression", "suppress"),
    "mark": ("crimestats.suppression", "mark"),
    # Hot spots
    "hotspot_report": ("crimestats.hotspots", "hotspots"),
    "HotspotResult": ("crimestats.hotspots", "HotspotResult"),
    "gi_star": ("crimestats.gistar", "gi_star"),
    # What a warehouse holds
    "latest_month": ("crimestats.catalogue", "latest_month"),
    "first_month": ("crimestats.catalogue", "first_month"),
    "categories": ("crimestats.catalogue", "categories"),
    "provenance": ("crimestats.catalogue", "provenance"),
    "imported_files": ("crimestats.catalogue", "imported_files"),
    "boundary_polygons": ("crimestats.catalogue", "boundary_polygons"),
    "ward_names": ("crimestats.catalogue", "ward_names"),
    "data_version": ("crimestats.catalogue", "data_version"),
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562)."""
    try:
        module, attribute = _API[name]
    except KeyError:
        raise AttributeError(f"module 'crimestats' has no attribute {name!r}") from None
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # the names as the type checker sees them
    from crimestats.catalogue import (
        boundary_polygons,
        categories,
        data_version,
        first_month,
        imported_files,
        latest_month,
        provenance,
        ward_names,
    )
    from crimestats.caveats import (
        Caveat,
        caveats_for,
        chart_marks,
        default_caveats_path,
        no_caveat_sentence,
    )
    from crimestats.config import warehouse_path
    from crimestats.disclosure import Output, Source, threshold_for
    from crimestats.disclosure import describe as describe_suppression
    from crimestats.figures import FigureRow, FiguresReport, MeasureFigures, monthly_series
    from crimestats.figures import figures as figures_report
    from crimestats.geography import Area, load_geography
    from crimestats.gistar import gi_star
    from crimestats.hotspots import HotspotResult
    from crimestats.hotspots import hotspots as hotspot_report
    from crimestats.importers import ImportResult, import_paths
    from crimestats.locks import WarehouseLocked, scratch, scratch_root
    from crimestats.measures import Measure, MeasureSet, default_measures_path, load_measures
    from crimestats.numbers import rate as rate_text
    from crimestats.numbers import shown as shown_number
    from crimestats.numbers import signed_pct
    from crimestats.periods import (
        CALENDAR,
        YEAR_KINDS,
        Period,
        add_months,
        calendar_year,
        financial_year,
        month_of,
        quarter,
        rolling_months,
        sv_duty_year,
        window,
    )
    from crimestats.stats import RateInterval, poisson_interval, poisson_test, rate_interval
    from crimestats.suppression import mark, suppress
    from crimestats.tables import NO_SOURCE, SOURCE_LABELS, figures_table
    from crimestats.warehouse import Warehouse, WarehouseDamaged
