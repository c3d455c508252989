from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from households.models import (
    Area,
    DtsenImport,
    Household,
    HouseholdDesil,
    Person,
    PersonChange,
    RegisterExport,
)
from tkpk.admin import ReadOnlyMixin


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "bps_code"]
    list_filter = ["level"]
    search_fields = ["code", "name", "bps_code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # The code is the key other records point to: a new code is a new area.
        return ["code", "level", "parent"] if obj is not None else []


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The register changes only through DTSEN loads, which keep its history; here it is read.

    The admin searches by GET, so a NIK or No. KK searched here would land in the address
    and the access log: numbers are searched on the Register page, which keeps them out.
    """

    search_help_text = _(
        "Search by name. To find a NIK or No. KK, use the Register page: it keeps the "
        "number out of the address."
    )


class MemberInline(ReadOnlyMixin, admin.TabularInline):
    model = Person
    fields = ["nik", "name", "sex", "birth_date", "relationship"]
    extra = 0
    show_change_link = True
    ordering = ["relationship", "pk"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["no_kk", "village", "desil", "desil_period", "updated_at"]
    list_filter = ["desil", "desil_period"]
    search_fields = ["village__name", "address"]
    autocomplete_fields = ["village"]
    list_select_related = ["village"]
    show_full_result_count = False
    inlines = [MemberInline]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["nik", "name", "sex", "birth_date", "relationship", "household"]
    list_filter = ["sex", "relationship"]
    search_fields = ["name"]
    raw_id_fields = ["household"]
    list_select_related = ["household"]
    show_full_result_count = False


@admin.register(HouseholdDesil)
class HouseholdDesilAdmin(ReadOnlyAdmin):
    list_display = ["household", "period", "desil", "desil_provinsi", "desil_kabupaten"]
    list_filter = ["period", "desil"]
    search_fields = ["household__village__name"]
    raw_id_fields = ["household", "dtsen_import"]
    list_select_related = ["household"]
    show_full_result_count = False


@admin.register(DtsenImport)
class DtsenImportAdmin(ReadOnlyAdmin):
    """The record of each load; loads are made on the DTSEN page or with import_dtsen."""

    list_display = ["created_at", "file_name", "period", "status", "created_by", "imported_by"]
    list_filter = ["status", "period"]
    search_fields = ["file_name"]
    list_select_related = ["created_by", "imported_by"]
    # The files hold personal data and are never served by URL; the pages offer them.
    exclude = ["report", "file", "error_report"]


@admin.register(RegisterExport)
class RegisterExportAdmin(ReadOnlyAdmin):
    """Exports as they were asked for; the downloads themselves are in the export log."""

    list_display = ["created_at", "user", "file_format", "status", "rows_total"]
    list_filter = ["status", "file_format"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    exclude = ["file"]


@admin.register(PersonChange)
class PersonChangeAdmin(ReadOnlyAdmin):
    """Who each load added or changed; the load's page lists them too."""

    list_display = ["dtsen_import", "row", "kind", "nik", "name"]
    list_filter = ["kind", "dtsen_import__period"]
    search_fields = ["name"]
    raw_id_fields = ["dtsen_import"]
    list_select_related = ["dtsen_import"]
    show_full_result_count = False
