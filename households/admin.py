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
