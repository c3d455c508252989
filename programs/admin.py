"""Programs in the Django admin: pillars and programs are edited here too; enrolments and
uploads are read only, because they change through the services that keep their history.
Action plans and their progress are read only here for the same reason: their workflow
and version checks live in programs.plan_services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.models import (
    ActionPlan,
    Activity,
    BudgetLine,
    Enrollment,
    EnrollmentEvent,
    EnrollmentUpload,
    IncomeRecord,
    Pillar,
    PlanEvent,
    Program,
    Progress,
    ProgressEvidence,
    QuarterReport,
    ReportDeadline,
    VillageQuota,
)
from tkpk.admin import ReadOnlyMixin


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "short_name"]
    list_filter = ["order"]
    search_fields = ["name", "short_name"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class VillageQuotaInline(admin.TabularInline):
    model = VillageQuota
    extra = 0
    autocomplete_fields = ["village"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "pillar", "lead_agency", "status", "start_date", "end_date"]
    list_filter = ["status", "kind", "pillar", "lead_agency"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["agencies"]
    list_select_related = ["pillar", "lead_agency"]
    inlines = [VillageQuotaInline, BudgetLineInline]


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = EnrollmentEvent
    fields = ["status", "on", "exit_reason", "note", "by", "at"]
    extra = 0


class IncomeInline(ReadOnlyMixin, admin.TabularInline):
    model = IncomeRecord
    fields = ["on", "amount", "by", "at"]
    extra = 0


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["program", "person", "village", "status", "enrolled_on"]
    list_filter = ["status", "program"]
    # By name only: a NIK searched here would land in the address (see households/admin.py).
    search_fields = ["person__name", "program__code"]
    search_help_text = _("Search by name or program code.")
    list_select_related = ["program", "person", "village"]
    show_full_result_count = False
    inlines = [EventInline, IncomeInline]


@admin.register(EnrollmentUpload)
class EnrollmentUploadAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["program", "file_name", "status", "created_by", "created_at"]
    list_filter = ["status", "program"]
    search_fields = ["file_name", "program__code"]
    list_select_related = ["program", "created_by"]
    exclude = ["file", "error_report"]  # personal data: downloaded from the upload's page


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["program", "source", "amount", "note"]
    list_filter = ["source"]
    search_fields = ["program__code", "program__name", "note"]
    list_select_related = ["program"]


@admin.register(VillageQuota)
class VillageQuotaAdmin(admin.ModelAdmin):
    list_display = ["program", "village", "quota"]
    list_filter = ["program"]
    search_fields = ["program__code", "village__name", "village__code"]
    autocomplete_fields = ["village"]
    list_select_related = ["program", "village"]


@admin.register(EnrollmentEvent)
class EnrollmentEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["enrollment", "status", "on", "by", "at"]
    list_filter = ["status", "exit_reason"]
    search_fields = ["enrollment__person__name", "enrollment__program__code", "note"]
    list_select_related = ["enrollment__program", "enrollment__person", "by"]


@admin.register(IncomeRecord)
class IncomeRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["enrollment", "on", "amount", "by"]
    list_filter = ["on"]
    search_fields = ["enrollment__person__name", "enrollment__program__code"]
    list_select_related = ["enrollment__program", "enrollment__person", "by"]


class ActivityInline(ReadOnlyMixin, admin.TabularInline):
    model = Activity
    fields = ["name", "pillar", "indicator", "unit", "target", "budget", "agreed"]
    extra = 0


class PlanEventInline(ReadOnlyMixin, admin.TabularInline):
    model = PlanEvent
    fields = ["quarter", "action", "comment", "by", "at"]
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["agency", "year", "status", "revision", "updated_at"]
    list_filter = ["year", "status", "agency"]
    search_fields = ["agency__acronym", "agency__name"]
    list_select_related = ["agency"]
    exclude = ["verified_version"]
    inlines = [ActivityInline, PlanEventInline]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "plan", "pillar", "target", "unit", "budget", "budget_tag"]
    list_filter = ["pillar", "budget_tag", "plan__year"]
    search_fields = ["name", "sub_activity_code", "indicator", "plan__agency__acronym"]
    list_select_related = ["plan__agency", "pillar"]


@admin.register(QuarterReport)
class QuarterReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["plan", "quarter", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "quarter", "plan__year"]
    search_fields = ["plan__agency__acronym"]
    list_select_related = ["plan__agency"]


@admin.register(Progress)
class ProgressAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["activity", "report", "realised", "spent", "beneficiaries"]
    list_filter = ["report__quarter", "report__status"]
    search_fields = ["activity__name", "report__plan__agency__acronym"]
    list_select_related = ["activity", "report__plan__agency"]


@admin.register(ProgressEvidence)
class ProgressEvidenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "progress", "uploaded_by", "uploaded_at"]
    list_filter = ["uploaded_at"]
    search_fields = ["name", "progress__activity__name"]
    list_select_related = ["progress__activity", "uploaded_by"]
    exclude = ["file"]  # may name people: downloaded from the report's page


@admin.register(PlanEvent)
class PlanEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["plan", "quarter", "action", "by", "at"]
    list_filter = ["action", "quarter"]
    search_fields = ["plan__agency__acronym", "comment"]
    list_select_related = ["plan__agency", "by"]


@admin.register(ReportDeadline)
class ReportDeadlineAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "quarter", "due_on", "set_by"]
    list_filter = ["year"]
    search_fields = ["year"]
    list_select_related = ["set_by"]
