"""The leaders' dashboard: the region, a district, a village, and the list behind a number.

Every page reads the summary tables (reports/dashboard.py); only a village's list of
households reads the register, one village at a time, with NIK and No. KK masked for
everyone `sees_personal_data` says no to.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports import dashboard
from reports.charts import Chart, ChartKind
from reports.dashboard_forms import DashboardFilterForm
from reports.dashboard_lists import village_list, with_programs
from reports.exports import table_filename, table_xlsx
from reports.home import dashboard_at_a_glance
from reports.tables import Table
from tkpk.permissions import (
    EVERYONE,
    MANAGERS,
    REGION_READERS,
    role_required,
    sees_personal_data,
)

LIST_PAGE = 50


@dataclass(frozen=True)
class View:
    """What one dashboard page looks at: where, which year, which map, on which day."""

    place: dashboard.Place
    year: int
    measure: str
    today: datetime.date


def _view(request: HttpRequest, code: str | None) -> tuple[View, DashboardFilterForm, list]:
    place = dashboard.place_of(code)
    if place is None:
        raise Http404
    years = dashboard.dashboard_years()
    form = DashboardFilterForm(request.GET or None)
    view = View(place, form.chosen_year(years), form.chosen_measure(), timezone.localdate())
    return view, form, years


# The tables of a page, by slug: the charts draw them, the downloads write them.
def _tables(view: View) -> dict[str, Table]:
    tables = {
        "register-desil": dashboard.register_by_desil(view.place, view.year),
    }
    if not view.place.is_village:
        tables["wilayah"] = dashboard.areas_table(view.place, view.year, view.measure)
    if view.place.is_region:
        programs = dashboard.programs_table(view.year)
        tables |= {
            "kemiskinan-tren": dashboard.poverty_trend(view.year),
            "kemiskinan-peringkat": dashboard.poverty_rank(view.year),
            "pilar": dashboard.pillars_table(programs),
            "program": programs,
            "mitra": dashboard.partners_table(view.year),
            "perangkat-daerah": dashboard.agencies_table(view.year, today=view.today),
        }
    return tables


def _charts(view: View, tables: dict[str, Table]) -> dict[str, Chart]:
    """One chart per table, as the page shows it (keyed for templates: no hyphens)."""
    charts = {"register_desil": Chart(tables["register-desil"], ChartKind.BAR, series=(1,))}
    if "wilayah" in tables:
        column = dashboard.MAP_MEASURES[view.measure]
        charts["peta"] = Chart(tables["wilayah"], ChartKind.MAP, series=(column,))
    if view.place.is_region:
        charts |= {
            "kemiskinan_tren": Chart(tables["kemiskinan-tren"], ChartKind.LINE, series=(1, 2)),
            "kemiskinan_peringkat": Chart(
                tables["kemiskinan-peringkat"], ChartKind.HBAR, series=(2,)
            ),
            "pilar": Chart(tables["pilar"], ChartKind.GROUPED_BAR, series=(1, 2)),
            "mitra": Chart(tables["mitra"], ChartKind.HBAR, series=(4,)),
            "perangkat_daerah": Chart(tables["perangkat-daerah"], ChartKind.HBAR, series=(5,)),
        }
    return charts


def _page(request: HttpRequest, code: str | None) -> HttpResponse:
    view, form, years = _view(request, code)
    tables = _tables(view)
    figures = dashboard.area_figures(view.place, view.year)
    return render(
        request,
        "reports/dashboard.html",
        {
            "view": view,
            "place": view.place,
            "year": view.year,
            "years": years,
            "form": form,
            "tables": tables,
            "charts": _charts(view, tables),
            "figures": figures,
            "poor": dashboard.poor_households(figures),
            "refresh": dashboard.refresh_state(view.year),
            "can_see_errors": request.user.role in MANAGERS,
            "measures": dashboard.measure_labels(),
            "lists": dashboard.list_labels(),
            "trail": _trail(view.place),
        },
    )


def _trail(place: dashboard.Place) -> list:
    """The areas above `place` up to the region, for the breadcrumb."""
    trail, area = [], place.area
    while area is not None and not dashboard.Place(area).is_region:
        area = area.parent
        if area is not None:
            trail.insert(0, area)
    return trail


@require_GET
@role_required(*REGION_READERS)
def dashboard_region(request: HttpRequest) -> HttpResponse:
    """The region at a glance: poverty, the register, programs, partners and agencies."""
    return _page(request, None)


@require_GET
@role_required(*REGION_READERS)
def dashboard_area(request: HttpRequest, code: str) -> HttpResponse:
    """A district of the region with its villages, or a village with its lists."""
    place = dashboard.place_of(code)
    if place is not None and place.is_region:
        return redirect("reports:dashboard")
    return _page(request, code)


@require_GET
@role_required(*REGION_READERS)
def dashboard_list(request: HttpRequest, code: str, measure: str) -> HttpResponse:
    """The households behind one number of a village, masked unless the user manages the
    register."""
    view, _form, _years = _view(request, code)
    if not view.place.is_village or measure not in dashboard.MAP_MEASURES:
        raise Http404
    rows = village_list(view.place.area, measure, year=view.year)
    page = Paginator(rows, LIST_PAGE).get_page(request.GET.get("page"))
    with_programs(page.object_list, year=view.year)
    return render(
        request,
        "reports/dashboard_list.html",
        {
            "view": view,
            "place": view.place,
            "year": view.year,
            "measure": measure,
            "label": dashboard.list_labels()[measure],
            "page": page,
            "full": sees_personal_data(request.user),
            "trail": [*_trail(view.place), view.place.area],
        },
    )


@require_GET
@role_required(*EVERYONE)
def figure_download(request: HttpRequest, slug: str) -> HttpResponse:
    """One figure's table as .xlsx: for leaders and the secretariat, a figure of the
    dashboard page of the area and year asked for; for an operator, one of the figures of
    their own home page."""
    if request.user.role in REGION_READERS:
        view, _form, _years = _view(request, request.GET.get("wilayah"))
        tables, about = _tables(view), (view.place.area.code, view.year)
    else:
        today = timezone.localdate()
        glance = dashboard_at_a_glance(request.user, today=today)
        tables = {t.slug: t for t in [*glance.tables, *(c.table for c in glance.charts)]}
        about = (glance.year,)
    table = tables.get(slug)
    if table is None:
        raise Http404
    response = HttpResponse(
        table_xlsx(table),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{table_filename(table, *about)}"'
    return response
