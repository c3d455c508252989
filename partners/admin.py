"""Partners in the Django admin, for administrators: a partner's profile may be corrected
here; targets, commitments and realisations are read only, because they change through
the services that check who signed, who may act and what was verified."""

from django.contrib import admin

from partners.models import Commitment, Evidence, Partner, PartnerTarget, Pledge, Realisation
from tkpk.admin import ReadOnlyMixin


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "area", "in_csr_forum", "is_active"]
    list_filter = ["kind", "in_csr_forum", "is_active"]
    search_fields = ["name", "sector", "contact_person"]
    autocomplete_fields = ["area"]
    list_select_related = ["area"]


@admin.register(PartnerTarget)
class PartnerTargetAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "partners", "set_by", "set_at"]
    list_filter = ["year"]
    search_fields = ["year"]
    list_select_related = ["set_by"]


class PledgeInline(ReadOnlyMixin, admin.TabularInline):
    model = Pledge
    fields = ["partner", "kind", "quantity", "unit", "description", "village"]
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "signed_on", "start_date", "end_date", "program"]
    list_filter = ["program", "signed_on"]
    search_fields = ["title", "partners__name"]
    list_select_related = ["program"]
    date_hierarchy = "signed_on"
    # The signed document is downloaded from the commitment's page, which checks who asks.
    exclude = ["document"]
    inlines = [PledgeInline]


class EvidenceInline(ReadOnlyMixin, admin.TabularInline):
    model = Evidence
    fields = ["name", "uploaded_by", "uploaded_at"]
    readonly_fields = ["uploaded_at"]
    extra = 0


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["commitment", "partner", "kind", "quantity", "unit", "village"]
    list_filter = ["kind", "partner__kind"]
    search_fields = ["partner__name", "commitment__title", "description"]
    list_select_related = ["commitment", "partner", "village"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "realisation", "uploaded_by", "uploaded_at"]
    list_filter = ["uploaded_at"]
    search_fields = ["name", "realisation__pledge__partner__name"]
    list_select_related = ["realisation__pledge__partner", "uploaded_by"]
    # The file is downloaded from the realisation's page, which checks who asks.
    exclude = ["file"]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["pledge", "delivered_on", "quantity", "status", "reviewed_by"]
    list_filter = ["status", "pledge__kind", "delivered_on"]
    search_fields = ["pledge__partner__name", "pledge__commitment__title", "note"]
    list_select_related = ["pledge__partner", "reviewed_by"]
    date_hierarchy = "delivered_on"
    # Participants are named on the program's pages, to those who may see them.
    exclude = ["participants"]
    inlines = [EvidenceInline]
