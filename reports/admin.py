"""Reports in the Django admin, for administrators, read only: statistics change through
their pages (which check areas, ranges and plausible steps), boundaries through
`import_boundaries`, the summaries are rebuilt from the data, never edited; the year-end
report, its builds and the awards change through their pages, whose services keep a final
year frozen."""

from django.contrib import admin

from reports.models import (
    AgencyQuarterSummary,
    AreaSummary,
    AwardCandidate,
    AwardCategory,
    AwardMethod,
    Boundary,
    PovertyStatistic,
    ProgramSummary,
    ReportBuild,
    SummaryRefresh,
    YearEndReport,
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


@admin.register(YearEndReport)
class YearEndReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "status", "updated_at", "finalised_by", "finalised_at"]
    list_filter = ["status"]
    search_fields = ["year"]
    list_select_related = ["finalised_by"]
    exclude = ["frozen"]  # the whole signed document: read it as its PDF


@admin.register(ReportBuild)
class ReportBuildAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["report", "status", "from_final", "requested_at", "seconds", "error"]
    list_filter = ["status", "from_final"]
    search_fields = ["report__year", "error"]
    list_select_related = ["report"]


@admin.register(AwardMethod)
class AwardMethodAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "agency_achievement", "partner_realised", "set_by", "set_at"]
    list_filter = ["year"]
    search_fields = ["year"]


@admin.register(AwardCategory)
class AwardCategoryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "year", "pillar", "confirmed_at"]
    list_filter = ["year", "pillar"]
    search_fields = ["name"]
    list_select_related = ["pillar"]


@admin.register(AwardCandidate)
class AwardCandidateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "category", "kind", "adjusted_score", "is_winner"]
    list_filter = ["kind", "is_winner", "category__year"]
    search_fields = ["name", "agency__acronym", "partner__name", "justification"]
    list_select_related = ["category", "agency", "partner"]
