from django.contrib import admin

from households.models import Area


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
