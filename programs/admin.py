"""Programs in the Django admin: pillars and programs are edited here too; enrolments and
uploads are read only, because they change through the services that keep their history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.models import (
    BudgetLine,
    Enrollment,
    EnrollmentEvent,
    EnrollmentUpload,
    IncomeRecord,
    Pillar,
    Program,
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
