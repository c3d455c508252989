"""Reports in the Django admin, for administrators, read only: statistics change through
their pages (which check areas, ranges and plausible steps), boundaries through
`import_boundaries`, and the summaries are rebuilt from the data, never edited."""

from django.contrib import admin

from reports.models import (
    AgencyQuarterSummary,
    AreaSummary,
    Boundary,
    PovertyStatistic,
    ProgramSummary,
    SummaryRefresh,
)
from tkpk.admin import ReadOnlyMixin


@admin.register(PovertyStatistic)
class PovertyStatisticAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["area", "year", "poverty_rate", "poor_people", "source", "is_demo"]
    list_filter = ["year", "is_demo"]
    search_fields = ["area__code", "area__name", "source"]
    list_select_related = ["area"]


@admin.register(Boundary)
class BoundaryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["area", "source", "imported_at"]
    list_filter = ["area__level", "source"]
    search_fields = ["area__code", "area__name"]
    list_select_related = ["area"]
    exclude = ["geometry"]  # thousands of coordinates: not for reading here


@admin.register(AreaSummary)
class AreaSummaryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["area", "year", "households", "people", "participants", "excluded_households"]
    list_filter = ["year", "area__level"]
    search_fields = ["area__code", "area__name"]
    list_select_related = ["area"]


@admin.register(ProgramSummary)
class ProgramSummaryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["program", "year", "planned", "reached_people", "excluded_households"]
    list_filter = ["year"]
    search_fields = ["program__code", "program__name"]
    list_select_related = ["program"]


@admin.register(AgencyQuarterSummary)
class AgencyQuarterSummaryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["agency", "year", "quarter", "report_status", "due_on", "achievement"]
    list_filter = ["year", "quarter", "report_status"]
    search_fields = ["agency__acronym", "agency__name"]
    list_select_related = ["agency"]


@admin.register(SummaryRefresh)
class SummaryRefreshAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "version", "requested_at", "finished_at", "seconds", "error"]
    list_filter = ["year"]
    search_fields = ["year", "error"]
