"""Crime figures, hot spots, downloads and imports. Thin: selectors read, services write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

import crimestats
from crimestats import Output, Period, rate_text, shown_number
from crimestats import describe_suppression as describe
from csphub.accounts.types import AuthedRequest
from csphub.core.access import requires_permission
from csphub.crime import selectors, services, svg, wording
from csphub.crime.choices import HotspotLevel, MapColour, PeriodKind
from csphub.crime.forms import FiguresForm, HotspotForm, ImportForm
from csphub.crime.models import CrimeDataImport
from csphub.crime.warehouse import WarehouseBusy, open_warehouse
from csphub.lib.csv_safe import csv_response

NO_DATA = "No crime data has been imported yet."


def _years(wh: Any) -> tuple[list[int], date]:
    latest = selectors.latest_month(wh) or timezone.localdate()
    first = selectors.first_month(wh) or latest
    return list(range(first.year + 1, latest.year + 1)), latest


def _data(request: AuthedRequest, defaults: dict[str, Any]) -> dict[str, Any] | None:
    """The query string over the defaults, so a link may give just ``?year=2023``."""
    if not request.GET:
        return None
    return {**{k: str(v) for k, v in defaults.items()}, **request.GET.dict()}


def _chosen(form: Any, defaults: dict[str, Any]) -> dict[str, Any] | None:
    """The form's choices (defaults when it was not submitted), or None when invalid."""
    if not form.is_bound:
        return defaults
    if not form.is_valid():
        return None
    return {**defaults, **{k: v for k, v in form.cleaned_data.items() if v not in ("", None)}}


def _figures_choice(request: AuthedRequest, wh: Any) -> tuple[FiguresForm, dict[str, Any] | None]:
    years, latest = _years(wh)
    kind = request.GET.get("kind") or PeriodKind.CALENDAR
    if kind not in PeriodKind.values:
        kind = PeriodKind.CALENDAR
    default_area = selectors.resolve_area(settings.CRIME_AREA).name
    defaults = {
        "area": default_area,
        "kind": kind,
        "year": selectors.latest_year(kind, latest),
        "chart": "serious_violence",
        "harm": False,
        "latest": latest,
    }
    form = FiguresForm(_data(request, defaults), years=years, initial=defaults)
    return form, _chosen(form, defaults)


@requires_permission("crime.view_figures")
def figures(request: AuthedRequest) -> HttpResponse:
    """The partnership's figures: every measure for the borough, its BCU and London."""
    context: dict[str, Any] = {"can_download": request.user.has_perm("crime.download_figures")}
    try:
        with open_warehouse() as wh:
            # A warehouse holding no months (only boundaries, say) is no data too: else the page
            # would say the data run to this month.
            if wh is None or selectors.latest_month(wh) is None:
                return render(request, "crime/figures.html", {**context, "no_data": NO_DATA})
            form, chosen = _figures_choice(request, wh)
            context["form"] = form
            if chosen is not None:
                current = selectors.period_for(chosen["kind"], chosen["year"], chosen["latest"])
                previous = selectors.previous_for(chosen["kind"], current)
                page = selectors.figures_page(wh, chosen["area"], current, previous)
                trend = selectors.trend(wh, chosen["area"], chosen["chart"], page)
                context.update(
                    page=page,
                    chart_table=page.table(chosen["chart"]),
                    trend=trend,
                    chart_svg=svg.trend_chart(
                        page,
                        trend,
                        page.table(chosen["chart"]).label,
                        wording.trend_marks(page, chosen["chart"], trend),
                    ),
                    query=request.GET.urlencode(),
                    harm=chosen["harm"],
                    data_end=chosen["latest"],
                    robbery=wording.robbery_detail(page),
                )
    except WarehouseBusy as exc:
        return render(
            request, "crime/figures.html", {**context, "no_data": exc.message}, status=503
        )
    return render(request, "crime/figures.html", context)


@requires_permission("crime.download_figures")
def figures_csv(request: AuthedRequest) -> HttpResponse:
    """The figures table as CSV: small counts suppressed, cells made safe for spreadsheets."""
    try:
        with open_warehouse() as wh:
            if wh is None or selectors.latest_month(wh) is None:
                return redirect("crime:figures")
            _form, chosen = _figures_choice(request, wh)
            if chosen is None:
                return redirect("crime:figures")
            current = selectors.period_for(chosen["kind"], chosen["year"], chosen["latest"])
            previous = selectors.previous_for(chosen["kind"], current)
            page = selectors.figures_page(wh, chosen["area"], current, previous)
    except WarehouseBusy as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain")
    services.record_figures_export(
        actor=request.user,
        what="figures",
        area_code=page.area.code,
        period=current.label,
        request=request,
    )
    # One builder for every flat output: the CLI's CSV has the same header and cells.
    assert page.report is not None
    header, rows = crimestats.figures_table(page.report, harm=chosen["harm"])
    filename = f"crime-figures-{page.area.code}-{_slug(current)}.csv"
    return csv_response(filename, header, rows)


def _slug(period: Period) -> str:
    return f"{period.start:%Y-%m}-to-{period.end:%Y-%m}"


@requires_permission("crime.view_figures")
def about(request: AuthedRequest) -> HttpResponse:
    """How each figure is made: measure definitions, sources, and every imported file."""
    try:
        with open_warehouse() as wh:
            sources = selectors.sources(wh) if wh is not None else []
    except WarehouseBusy:
        sources = []
    return render(
        request,
        "crime/about.html",
        {
            "measures": selectors.measures(),
            "sources": sources,
            "small_area_threshold": selectors.small_area_threshold(Output.PUBLICATION),
            "source_labels": selectors.SOURCE_LABELS,
        },
    )


def _hotspot_choice(request: AuthedRequest, wh: Any) -> tuple[HotspotForm, dict[str, Any] | None]:
    years, _ = _years(wh)
    latest = (
        selectors.latest_month(wh, "lsoa") or selectors.latest_month(wh) or timezone.localdate()
    )
    kind = request.GET.get("kind") or PeriodKind.CALENDAR
    if kind not in PeriodKind.values:
        kind = PeriodKind.CALENDAR
    defaults = {
        "area": selectors.resolve_area(settings.CRIME_AREA).name,
        "measure": "serious_violence",
        "kind": kind,
        "year": selectors.latest_year(kind, latest),
        "level": HotspotLevel.AUTO,
        "colour": MapColour.GISTAR,
        "latest": latest,
    }
    form = HotspotForm(_data(request, defaults), years=years, initial=defaults)
    return form, _chosen(form, defaults)


def _hotspots(request: AuthedRequest, wh: Any, output: Output = Output.INTERNAL) -> dict[str, Any]:
    form, chosen = _hotspot_choice(request, wh)
    threshold = selectors.small_area_threshold(output)
    context: dict[str, Any] = {
        "form": form,
        "threshold": threshold,
        "suppression": describe(threshold),
        "publication_threshold": selectors.small_area_threshold(Output.PUBLICATION),
    }
    if chosen is None:
        return context
    area = selectors.resolve_area(chosen["area"])
    period = selectors.period_for(chosen["kind"], chosen["year"], chosen["latest"])
    measure = next(m for m in selectors.mappable_measures() if m.id == chosen["measure"])
    context.update(
        area=area,
        period=period,
        measure=measure,
        colour=chosen["colour"],
        data_end=chosen["latest"],
    )
    try:
        result = selectors.hotspot_result(
            wh, area.name, measure.id, period, level=chosen["level"], threshold=threshold
        )
    except LookupError as exc:
        context["unavailable"] = str(exc)
        return context
    context["result"] = result
    context["permutations_text"] = shown_number(result.permutations)
    context["units"] = [_unit_row(u) for u in result.units]
    return context


def _unit_row(u: Any) -> dict[str, Any]:
    # A rate beside a hidden count would give the count away (populations are published).
    hidden = not u.shown_count.replace(",", "").isdigit()
    rate = None if hidden else u.rate_per_1000
    return {
        "code": u.code,
        "name": u.name,
        # The count and rate as published (the CSV), and as a person reads them (the page).
        "count": u.shown_count,
        "count_text": shown_number(u.shown_count),
        "rate": rate,
        "rate_text": rate_text(rate),
        "label": u.label,
        "z": u.z,
        "q": u.q,
    }


@requires_permission("crime.view_hotspots")
def hotspots(request: AuthedRequest) -> HttpResponse:
    """The borough's LSOAs (or wards) ranked, with a choropleth of counts or Gi* hot spots."""
    context: dict[str, Any] = {"can_download": request.user.has_perm("crime.download_figures")}
    try:
        with open_warehouse() as wh:
            if wh is None or selectors.latest_month(wh) is None:
                return render(request, "crime/hotspots.html", {**context, "no_data": NO_DATA})
            context.update(_hotspots(request, wh))
            result = context.get("result")
            if result is not None:
                geoms = selectors.boundaries_for(
                    wh, result.boundaries or result.level, [u.code for u in result.units]
                )
                context["place_names"] = selectors.place_names(wh, result.area_code)
                context["map_svg"], context["legend"] = _map(context, geoms)
                context["query"] = request.GET.urlencode()
    except WarehouseBusy as exc:
        return render(
            request, "crime/hotspots.html", {**context, "no_data": exc.message}, status=503
        )
    return render(request, "crime/hotspots.html", context)


def _map(context: dict[str, Any], geoms: dict[str, bytes]) -> tuple[str, list[dict[str, str]]]:
    result, units = context["result"], context["units"]
    # Too few crimes for Gi*: the map shows counts, and the page says why.
    by_gistar = context["colour"] == MapColour.GISTAR and not result.not_tested
    by_rate = context["colour"] == MapColour.RATE
    if by_rate:
        fills, legend, what = _rate_fills(units, context["threshold"])
    elif by_gistar:
        fills = [svg.GISTAR_COLOURS.get(raw.label, svg.LIGHT_GREY) for raw in result.units]
        legend = [
            {"colour": svg.GISTAR_COLOURS[k], "label": k.capitalize()}
            for k in ("hot spot", "cold spot", "not significant")
        ]
        what = "hot spots (red), cold spots (blue) and areas with no significant clustering (grey)"
    else:
        counts = [u.count for u in result.units]
        breaks = svg.breaks_hiding_small_counts(svg.count_breaks(counts), context["threshold"])
        # A count hidden as a small one's partner ("[c]") would show its size by its class.
        fills = [
            svg.MID_GREY if shown["count"] == "[c]" else svg.count_colour(raw.count, breaks)
            for raw, shown in zip(result.units, units, strict=True)
        ]
        legend = _count_legend(breaks)
        if any(shown["count"] == "[c]" for shown in units):
            legend.append({"colour": svg.MID_GREY, "label": "Hidden, to protect a small count"})
        what = "the number of crimes in each area, darker for more"
    areas = []
    for raw, shown, fill in zip(result.units, units, fills, strict=True):
        if raw.code not in geoms:
            continue
        rate = f" ({shown['rate_text']} per 1,000 residents)" if shown["rate"] is not None else ""
        areas.append(
            svg.MapArea(
                raw.code,
                geoms[raw.code],
                fill,
                f"{raw.name}: {shown['count_text']} crimes{rate}; {raw.label}",
            )
        )
    level = "LSOAs" if result.level == "lsoa" else "wards"
    title = (
        f"Map of {result.area_name}'s {level}: {context['measure'].label}, {result.period.label}"
    )
    description = f"The map shows {what}. The ranked table below gives the same information."
    names = [svg.MapLabel(name, wkb) for name, wkb in context.get("place_names", [])]
    if names:
        description += f" Ward names are written on the map: {', '.join(n.text for n in names)}."
    return (
        svg.choropleth(areas, title=title, description=description, id_prefix="map", labels=names),
        legend,
    )


def _count_legend(breaks: list[int]) -> list[dict[str, str]]:
    legend, low = [], 0
    offset = len(svg.COUNT_SCALE) - len(breaks)
    for i, upper in enumerate(breaks):
        label = f"{low:,} to {upper:,} crimes" if upper != low else f"{upper:,} crimes"
        legend.append({"colour": svg.COUNT_SCALE[offset + i], "label": label})
        low = upper + 1
    return legend


def _rate_fills(
    units: list[dict[str, Any]], threshold: int
) -> tuple[list[str], list[dict[str, str]], str]:
    """Fills by crimes per 1,000 residents. Only shown rates make the breaks: an area whose
    count is hidden has no rate on the table, so none on the map or in the key either."""
    rates = [u["rate"] for u in units if u["rate"] is not None]
    breaks = svg.count_breaks(rates)
    fills = []
    for u in units:
        if u["rate"] is not None:
            fills.append(svg.count_colour(u["rate"], breaks))
        elif u["count"].replace(",", "").isdigit():
            fills.append(svg.LIGHT_GREY)  # no population
        else:
            fills.append(svg.MID_GREY)  # count hidden
    legend = []
    offset = len(svg.COUNT_SCALE) - len(breaks)
    for i, upper in enumerate(breaks):
        low = breaks[i - 1] if i else min(rates)
        span = (
            f"{'over ' if i else ''}{low:,.1f} to {upper:,.1f}" if low != upper else f"{upper:,.1f}"
        )
        legend.append(
            {"colour": svg.COUNT_SCALE[offset + i], "label": f"{span} per 1,000 residents"}
        )
    if svg.LIGHT_GREY in fills:
        legend.append({"colour": svg.LIGHT_GREY, "label": "No population held: no rate"})
    if svg.MID_GREY in fills:
        legend.append(
            {"colour": svg.MID_GREY, "label": f"Fewer than {threshold} crimes: no rate shown"}
        )
    return fills, legend, "crimes per 1,000 residents in each area, darker for more"


@requires_permission("crime.download_figures")
def hotspots_csv(request: AuthedRequest) -> HttpResponse:
    """Every LSOA or ward of the hot spot table as CSV; ``publication=1`` marks it for
    publication, which suppresses small-area counts (crimestats.disclosure)."""
    output = Output.PUBLICATION if request.GET.get("publication") == "1" else Output.INTERNAL
    try:
        with open_warehouse() as wh:
            if wh is None or selectors.latest_month(wh) is None:
                return redirect("crime:hotspots")
            context = _hotspots(request, wh, output)
    except WarehouseBusy as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain")
    result = context.get("result")
    if result is None:
        return redirect(reverse("crime:hotspots") + "?" + request.GET.urlencode())
    services.record_figures_export(
        actor=request.user,
        what="hotspots",
        area_code=result.area_code,
        period=result.period.label,
        request=request,
    )
    header = ["rank", "code", "name", "count", "rate_per_1000", "gi_z", "q_fdr", "result"]
    rows = [
        [i, u["code"], u["name"], u["count"], u["rate"], u["z"], u["q"], u["label"]]
        for i, u in enumerate(context["units"], start=1)
    ]
    marked = "-for-publication" if output is Output.PUBLICATION else ""
    filename = (
        f"crime-hotspots-{result.area_code}-{result.measure}-{_slug(result.period)}{marked}.csv"
    )
    return csv_response(filename, header, rows)


@requires_permission("crime.import_data")
def import_data(request: AuthedRequest) -> HttpResponse:
    """Upload a file; crimestats validates it completely before anything is written."""
    form = ImportForm(*(request.POST, request.FILES) if request.method == "POST" else ())
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.do_import_crime_data(
                actor=request.user, upload=form.cleaned_data["data_file"], request=request
            )
        except WarehouseBusy as exc:
            form.add_error("data_file", exc.message)
        else:
            if not outcome.errors:
                messages.success(request, f"Imported {outcome.record.file_name}.")
                return redirect("crime:import")
            errors = outcome.errors
            for error in errors:
                form.add_error("data_file", error)
    try:
        with open_warehouse() as wh:
            sources = selectors.sources(wh) if wh is not None else []
    except WarehouseBusy:
        sources = []
    recent = CrimeDataImport.objects.select_related("uploaded_by")[:20]
    return render(
        request,
        "crime/import.html",
        {"form": form, "sources": sources, "recent": recent, "rejected": errors},
        status=400 if form.errors else 200,
    )
